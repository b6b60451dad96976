//! `rocky`, Rocky's compiler on the command line: `rocky compile DIR`
//! reads a project directory, compiles it with rocky-core and prints the
//! diagnostics and model schemas as a text report or as JSON.

mod json;
mod project_dir;
mod report;

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
    }
}

fn compile(args: &CompileArgs) -> ExitCode {
    let read_started = Instant::now();
    let project = match project_dir::read_project(&args.dir) {
        Ok(project) => project,
        Err(error) => {
            eprintln!("error: {error}");
            if error.path == args.dir {
                eprintln!("help: pass the project directory, the one that contains rocky.toml");
            }
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let read_time = read_started.elapsed();
    for skipped in &project.skipped {
        eprintln!("warning: skipped {skipped}");
    }

    let compile_started = Instant::now();
    let compilation = rocky_core::compile(&project.files);
    let compile_time = compile_started.elapsed();
    if args.verbose {
        eprintln!(
            "read {} files in {:.3} ms, compiled in {:.3} ms",
            project.files.len(),
            read_time.as_secs_f64() * 1000.0,
            compile_time.as_secs_f64() * 1000.0,
        );
    }

    let printed = match args.format {
        Format::Text => print_text(&compilation, &project.files),
        Format::Json => print_json(&compilation),
    };
    // A closed stdout (`rocky compile . | head`) is not a compile failure,
    // but any other write error is reported.
    if let Err(error) = printed {
        if error.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: failed to write the output: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    }

    if compilation.has_errors() {
        ExitCode::from(EXIT_COMPILE_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
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
