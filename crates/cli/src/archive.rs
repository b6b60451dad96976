//! `rocky build-sql`, `rocky export` and `rocky import`: the project as a
//! DuckDB CLI script and as the .zip file the playground writes and reads.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rocky_core::archive::{build_sql, export_files, read_zip, write_zip};

use crate::project_dir::{is_occupied, write_project};
use crate::{compile_status, read_and_compile, write_failure, EXIT_USAGE};

#[derive(clap::Args)]
pub struct BuildSqlArgs {
    /// Project directory: the one that contains rocky.toml.
    dir: PathBuf,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Project directory: the one that contains rocky.toml.
    dir: PathBuf,
    /// The .zip file to write. An existing file is replaced.
    out: PathBuf,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The .zip file of a project, as the playground exports it.
    zip: PathBuf,
    /// The directory to create. It must not exist, or be empty.
    dir: PathBuf,
}

/// Prints the DuckDB CLI script that builds the project.
pub fn build_sql_command(args: &BuildSqlArgs) -> ExitCode {
    let (_, compilation) = match read_and_compile(&args.dir, false) {
        Ok(compiled) => compiled,
        Err(status) => return status,
    };
    let printed = io::stdout()
        .lock()
        .write_all(build_sql(&compilation).as_bytes());
    if let Some(status) = write_failure(printed) {
        return status;
    }
    compile_status(&compilation)
}

/// Writes the project and its build.sql as a .zip whose entries sit in a
/// folder named after the project directory.
pub fn export_command(args: &ExportArgs) -> ExitCode {
    let (project, compilation) = match read_and_compile(&args.dir, false) {
        Ok(compiled) => compiled,
        Err(status) => return status,
    };
    let folder = folder_name(&args.dir);
    let bytes = write_zip(&export_files(&project.files, &compilation), &folder);
    if let Err(error) = fs::write(&args.out, &bytes) {
        eprintln!("error: failed to write {}: {error}", args.out.display());
        return ExitCode::from(EXIT_USAGE);
    }
    eprintln!(
        "wrote {} ({} files, {} bytes)",
        args.out.display(),
        project.files.len() + 1,
        bytes.len()
    );
    ExitCode::SUCCESS
}

/// Unpacks a project .zip into a new directory. Nothing is written when
/// the archive is damaged, unsafe or too large.
pub fn import_command(args: &ImportArgs) -> ExitCode {
    let bytes = match fs::read(&args.zip) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: failed to read {}: {error}", args.zip.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let imported = match read_zip(&bytes) {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("error: {}: {error}", args.zip.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if is_occupied(&args.dir) {
        eprintln!(
            "error: {} exists and is not empty; pass a new directory",
            args.dir.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    for (path, reason) in &imported.skipped {
        eprintln!("warning: skipped {path}: {reason}");
    }
    if let Err(message) = write_project(&args.dir, &imported.files) {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    eprintln!(
        "imported {} files into {}",
        imported.files.len(),
        args.dir.display()
    );
    ExitCode::SUCCESS
}

/// Returns the last part of the project directory, or `project` when it
/// has none, such as for `.`.
fn folder_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "project".to_string())
}
