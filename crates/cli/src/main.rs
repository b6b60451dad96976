//! `rocky`, Rocky's compiler on the command line: `rocky compile DIR`
//! reads a project directory, compiles it with rocky-core and prints the
//! diagnostics and model schemas as a text report or as JSON, and
//! `rocky lineage DIR` prints its column lineage in one of five formats.
//! `rocky build-sql`, `rocky export` and `rocky import` move a project
//! between the folder layout, the DuckDB CLI and the playground's .zip.
//! `rocky explain` describes a model, and `rocky share` prints a
//! playground link that carries the project.

mod archive;
mod dbt;
mod explain;
mod generate;
mod json;
mod lineage;
mod project_dir;
mod report;
mod share;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit status when the project has at least one error diagnostic.
const EXIT_COMPILE_ERRORS: u8 = 1;
/// Exit status for a usage error or a project directory that cannot be read.
/// clap uses the same status for the usage errors it reports itself.
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "rocky",
    version,
    about = "Rocky's SQL compiler on the command line."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a project: report its diagnostics and each model's columns.
    ///
    /// Exits with 1 when the project has errors, 0 when it has none and 2
    /// when the arguments are invalid or the project directory cannot be read.
    Compile(CompileArgs),
    /// Print the column lineage of a project, a model or a column.
    ///
    /// Writes JSON, an OpenLineage run event, Graphviz DOT, a Mermaid
    /// flowchart or SVG to stdout. Exits with 1 when the project has errors
    /// (the lineage is still printed), 0 when it has none and 2 when the
    /// arguments are invalid, a model or column is not found, or the
    /// project directory cannot be read.
    Lineage(lineage::LineageArgs),
    /// Print a script that builds the project in the DuckDB CLI.
    ///
    /// Run from the project directory: `rocky build-sql . | duckdb
    /// project.duckdb`. Models with compile errors, and the models that read
    /// them, are left out with a comment. Exits with 1 when the project has
    /// errors (the script is still printed).
    BuildSql(archive::BuildSqlArgs),
    /// Write the project as a .zip, with build.sql, as the playground does.
    Export(archive::ExportArgs),
    /// Unpack a project .zip, such as one the playground exported, into a
    /// new directory.
    Import(archive::ImportArgs),
    /// Explain a model: grain, reads, joins, filters, aggregations, computed
    /// columns and how they relate to its stated intent.
    Explain(explain::ExplainArgs),
    /// Print a playground link that carries the whole project in its
    /// fragment, opening a model, a column and a view.
    Share(share::ShareArgs),
    /// Import a dbt project into a new Rocky project directory: models with
    /// their Jinja rendered, seeds as sources with data, schema.yml
    /// descriptions and generic tests as sidecars.
    ImportDbt(dbt::ImportDbtArgs),
    /// Write a generated project of N models in layers over five sources,
    /// the same files for the same count and seed, for benchmarks.
    Generate(generate::GenerateArgs),
}

#[derive(clap::Args)]
struct CompileArgs {
    /// Project directory: the one that contains rocky.toml.
    dir: PathBuf,

    /// Output format. `text` writes the diagnostics and a summary to stderr
    /// and one line per model to stdout. `json` writes one JSON document to
    /// stdout, in the shape docs/compile-json.md describes.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Write how long reading and compiling the project took to stderr.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Compile(args) => compile(&args),
        Command::Lineage(args) => lineage(&args),
        Command::BuildSql(args) => archive::build_sql_command(&args),
        Command::Export(args) => archive::export_command(&args),
        Command::Import(args) => archive::import_command(&args),
        Command::Explain(args) => explain::explain_command(&args),
        Command::Share(args) => share::share_command(&args),
        Command::ImportDbt(args) => dbt::import_dbt_command(&args),
        Command::Generate(args) => generate::generate_command(&args),
    }
}

/// Reads and compiles the project in `dir`, reporting skipped files and,
/// with `verbose`, the timings. A directory that cannot be read is
/// reported and gives `Err` with the exit status.
fn read_and_compile(
    dir: &std::path::Path,
    verbose: bool,
) -> Result<(project_dir::ProjectRead, rocky_core::Compilation), ExitCode> {
    let read_started = Instant::now();
    let project = match project_dir::read_project(dir) {
        Ok(project) => project,
        Err(error) => {
            eprintln!("error: {error}");
            if error.path == dir {
                eprintln!("help: pass the project directory, the one that contains rocky.toml");
            }
            return Err(ExitCode::from(EXIT_USAGE));
        }
    };
    let read_time = read_started.elapsed();
    for skipped in &project.skipped {
        eprintln!("warning: skipped {skipped}");
    }

    let compile_started = Instant::now();
    let compilation = rocky_core::compile(&project.files);
    let compile_time = compile_started.elapsed();
    if verbose {
        eprintln!(
            "read {} files in {:.3} ms, compiled in {:.3} ms",
            project.files.len(),
            read_time.as_secs_f64() * 1000.0,
            compile_time.as_secs_f64() * 1000.0,
        );
    }
    Ok((project, compilation))
}

fn compile(args: &CompileArgs) -> ExitCode {
    let (project, compilation) = match read_and_compile(&args.dir, args.verbose) {
        Ok(compiled) => compiled,
        Err(status) => return status,
    };

    let printed = match args.format {
        Format::Text => print_text(&compilation, &project.files),
        Format::Json => print_json(&compilation),
    };
    if let Some(status) = write_failure(printed) {
        return status;
    }
    compile_status(&compilation)
}

/// Reports a failed write to stdout and returns its exit status. A closed
/// stdout (`rocky compile . | head`) is not a failure, but any other
/// write error is.
fn write_failure(printed: io::Result<()>) -> Option<ExitCode> {
    match printed {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("error: failed to write the output: {error}");
            Some(ExitCode::from(EXIT_USAGE))
        }
        _ => None,
    }
}

fn compile_status(compilation: &rocky_core::Compilation) -> ExitCode {
    if compilation.has_errors() {
        ExitCode::from(EXIT_COMPILE_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

fn lineage(args: &lineage::LineageArgs) -> ExitCode {
    let usage_error = |error: lineage::UsageError| {
        eprintln!("error: {}", error.message);
        if let Some(help) = error.help {
            eprintln!("help: {help}");
        }
        ExitCode::from(EXIT_USAGE)
    };
    if let Err(error) = lineage::check_args(args) {
        return usage_error(error);
    }
    let (_, compilation) = match read_and_compile(&args.dir, args.verbose) {
        Ok(compiled) => compiled,
        Err(status) => return status,
    };

    let export_started = Instant::now();
    let graph = rocky_core::ColumnGraph::build(&compilation);
    let project = if compilation.project.is_empty() {
        args.dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        compilation.project.clone()
    };
    let view = match lineage::select_view(&graph, args) {
        Ok(view) => view,
        Err(error) => return usage_error(error),
    };
    let text = match lineage::render(&view, args, &project) {
        Ok(text) => text,
        Err(error) => return usage_error(error),
    };
    if args.format == lineage::LineageFormat::Mermaid {
        if let Some(warning) = lineage::mermaid_warning(&view, &text) {
            eprintln!("warning: {warning}");
        }
    }
    if args.verbose {
        eprintln!(
            "built the column graph and exported in {:.3} ms",
            export_started.elapsed().as_secs_f64() * 1000.0
        );
    }

    let errors = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .count();
    if errors > 0 {
        eprintln!(
            "warning: the project has {errors} error{}, so its lineage may be incomplete; `rocky compile {}` shows them",
            if errors == 1 { "" } else { "s" },
            args.dir.display()
        );
    }
    let mut stdout = io::stdout().lock();
    let printed = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if let Some(status) = write_failure(printed) {
        return status;
    }
    compile_status(&compilation)
}

fn print_text(
    compilation: &rocky_core::Compilation,
    files: &rocky_core::ProjectFiles,
) -> io::Result<()> {
    let mut stderr = io::stderr().lock();
    for diagnostic in &compilation.diagnostics {
        let source = files.get(&diagnostic.file).map(String::as_str);
        writeln!(stderr, "{}", report::render_diagnostic(diagnostic, source))?;
    }
    writeln!(stderr, "{}", report::summary(compilation))?;

    let mut stdout = io::stdout().lock();
    for model in &compilation.models {
        writeln!(stdout, "{}", report::model_line(model))?;
    }
    stdout.flush()
}

fn print_json(compilation: &rocky_core::Compilation) -> io::Result<()> {
    let document = json::compilation_json(compilation);
    let mut stdout = io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, &document)?;
    writeln!(stdout)?;
    stdout.flush()
}
