//! `rocky generate DIR --models N --seed S`: writes a generated project,
//! the same files `rocky_core::generate::project` gives the benchmarks,
//! so other tools can be timed on it. With `--dbt` it writes the project's
//! dbt twin, for `dbt parse`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::project_dir::{is_occupied, write_project};
use crate::EXIT_USAGE;

/// The maximum model count: ten times the largest benchmark.
const MAX_MODELS: usize = 50_000;

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// The project directory to create. It must not exist, or be empty.
    dir: PathBuf,
    /// How many models to write, at most 50,000.
    #[arg(long, default_value_t = 1_000)]
    models: usize,
    /// The seed of the generator; a count and a seed give the same files on
    /// every run.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the same models as a dbt project, with `ref` and `source`.
    #[arg(long)]
    dbt: bool,
}

/// Writes the project. Exits with 2 when the arguments are invalid or the
/// directory cannot be written, 0 otherwise.
pub fn generate_command(args: &GenerateArgs) -> ExitCode {
    if args.models == 0 || args.models > MAX_MODELS {
        eprintln!(
            "error: --models is {}; pass a count from 1 to {MAX_MODELS}",
            args.models
        );
        return ExitCode::from(EXIT_USAGE);
    }
    if is_occupied(&args.dir) {
        eprintln!(
            "error: {} exists and is not empty; pass a new directory",
            args.dir.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let mut files = rocky_core::generate::project(args.models, args.seed);
    if args.dbt {
        files = rocky_core::generate::dbt_twin(&files);
    }
    if let Err(message) = write_project(&args.dir, &files) {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    eprintln!(
        "wrote {} files of a {}-model {}project (seed {}) to {}",
        files.len(),
        args.models,
        if args.dbt { "dbt " } else { "" },
        args.seed,
        args.dir.display()
    );
    ExitCode::SUCCESS
}
