//! `rocky import-dbt SRC DST`: a dbt project turned into the Rocky folder
//! layout (docs/dbt-import.md).

use std::path::PathBuf;
use std::process::ExitCode;

use rocky_dbt::import_dbt;

use crate::project_dir::{is_occupied, read_project, write_project};
use crate::{EXIT_COMPILE_ERRORS, EXIT_USAGE};

#[derive(clap::Args)]
pub struct ImportDbtArgs {
    /// The dbt project: the directory that contains dbt_project.yml.
    src: PathBuf,
    /// The Rocky project directory to create. It must not exist, or be empty.
    dst: PathBuf,
}

/// Imports the project and writes it. Exits with 1 when some model could
/// not be imported (the rest is written and each problem is reported), 2
/// when a directory cannot be read or written, 0 otherwise.
pub fn import_dbt_command(args: &ImportDbtArgs) -> ExitCode {
    let project = match read_project(&args.src) {
        Ok(project) => project,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if is_occupied(&args.dst) {
        eprintln!(
            "error: {} exists and is not empty; pass a new directory",
            args.dst.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let import = import_dbt(&project.files);
    for diagnostic in &import.diagnostics {
        let severity = if diagnostic.is_error() {
            "error"
        } else {
            "warning"
        };
        eprintln!(
            "{severity}[{}]: {}:{}: {}",
            diagnostic.code,
            args.src.join(&diagnostic.file).display(),
            diagnostic.span.start.line,
            diagnostic.message
        );
        if let Some(help) = &diagnostic.help {
            eprintln!("  help: {help}");
        }
    }
    if import.files.is_empty() {
        return ExitCode::from(EXIT_COMPILE_ERRORS);
    }
    if let Err(message) = write_project(&args.dst, &import.files) {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    eprintln!(
        "imported {} models, {} seeds and {} tests into {}",
        import.models.len(),
        import.seeds.len(),
        import.tests,
        args.dst.display()
    );
    if import.has_errors() {
        ExitCode::from(EXIT_COMPILE_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}
