//! `rocky explain DIR MODEL`: what a model computes and how that relates
//! to its stated intent, as text or as JSON (docs/intent.md).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use rocky_core::intent::{explain, propose_tests, KeysMemo};

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

    /// Also print the data tests Rocky proposes from the model's grain,
    /// invariants, join keys and CASE values: in text, each as a
    /// `[[tests]]` block to paste into the sidecar under a comment with its
    /// reason; in JSON, as a `proposed_tests` list.
    #[arg(long)]
    pub tests: bool,

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
    let mut memo = KeysMemo::default();
    let Some(explanation) = explain(&compilation, &args.model, &mut memo) else {
        eprintln!("error: model `{}` not found", args.model);
        let names: Vec<&str> = compilation.models.iter().map(|m| m.name.as_str()).collect();
        eprintln!("help: the project's models are {}", names.join(", "));
        return ExitCode::from(crate::EXIT_USAGE);
    };
    let proposals = if args.tests {
        propose_tests(&compilation, &args.model, &mut memo)
    } else {
        Vec::new()
    };
    let text = match args.format {
        ExplainFormat::Text => {
            let mut text = explanation.to_text();
            if args.tests {
                text.push_str(&proposals_text(&proposals));
            }
            text
        }
        ExplainFormat::Json => {
            let mut value = match serde_json::to_value(&explanation) {
                Ok(value) => value,
                Err(error) => {
                    eprintln!("error: failed to write the explanation as JSON: {error}");
                    return ExitCode::FAILURE;
                }
            };
            if args.tests {
                value["proposed_tests"] = serde_json::to_value(&proposals).unwrap_or_default();
            }
            match serde_json::to_string_pretty(&value) {
                Ok(json) => json + "\n",
                Err(error) => {
                    eprintln!("error: failed to write the explanation as JSON: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
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

/// Renders the proposals as sidecar blocks, each under a comment with its
/// reason; one the sidecar already covers is commented out.
fn proposals_text(proposals: &[rocky_core::intent::ProposedTest]) -> String {
    let mut text = String::from("\nProposed tests:\n");
    if proposals.is_empty() {
        text.push_str("  (none: state a grain or invariants in the sidecar)\n");
    }
    for proposal in proposals {
        text.push_str(&format!("\n# {}\n", proposal.reason));
        if proposal.exists {
            text.push_str("# already in the sidecar:\n");
            for line in proposal.toml.lines() {
                text.push_str(&format!("# {line}\n"));
            }
        } else {
            text.push_str(&proposal.toml);
        }
    }
    text
}
