//! `rocky explain DIR MODEL`: what a model computes and how that relates
//! to its stated intent, as text or as JSON (docs/intent.md).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use rocky_core::intent::explain;
use rocky_core::ColumnGraph;

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// Project directory: the one that contains rocky.toml.
    pub dir: PathBuf,

    /// The model to explain.
    pub model: String,

    /// Output format: `text` writes one line per fact under a heading per
    /// section, `json` writes the explanation as one JSON document.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,

    /// Write how long reading and compiling the project took to stderr.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

/// Explains the model. Exits with 2 when the model is not found or the
/// directory cannot be read, 1 when the project has errors (the
/// explanation is still printed), 0 otherwise.
pub fn explain_command(args: &ExplainArgs) -> ExitCode {
    let (_, compilation) = match crate::read_and_compile(&args.dir, args.verbose) {
        Ok(compiled) => compiled,
        Err(status) => return status,
    };
    let graph = ColumnGraph::build(&compilation);
    let Some(explanation) = explain(&compilation, &graph, &args.model) else {
        eprintln!("error: model `{}` not found", args.model);
        let names: Vec<&str> = compilation.models.iter().map(|m| m.name.as_str()).collect();
        eprintln!("help: the project's models are {}", names.join(", "));
        return ExitCode::from(crate::EXIT_USAGE);
    };
    let text = match args.format {
        ExplainFormat::Text => explanation.to_text(),
        ExplainFormat::Json => match serde_json::to_string_pretty(&explanation) {
            Ok(json) => json + "\n",
            Err(error) => {
                eprintln!("error: failed to write the explanation as JSON: {error}");
                return ExitCode::FAILURE;
            }
        },
    };
    if let Err(error) = io::stdout().write_all(text.as_bytes()) {
        eprintln!("error: failed to write to stdout: {error}");
        return ExitCode::FAILURE;
    }
    if compilation.has_errors() {
        ExitCode::from(crate::EXIT_COMPILE_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}
