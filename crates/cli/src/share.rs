//! `rocky share DIR`: a playground link that carries the whole project in
//! its fragment, for docs built in CI. The link opens the same view the
//! page's Share button writes.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use rocky_core::share::{link, SharedProject, MAX_PRACTICAL_LINK_CHARS};

use crate::{read_and_compile, write_failure, EXIT_USAGE};

/// The playground's address when `--base-url` is not given: what
/// `scripts/play.sh` serves.
const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080/";

#[derive(clap::Args)]
pub struct ShareArgs {
    /// Project directory: the one that contains rocky.toml.
    dir: PathBuf,

    /// The model or source the link selects; it opens that model's file.
    #[arg(long)]
    model: Option<String>,

    /// A column of `--model` to select, whose lineage the page highlights.
    #[arg(long, requires = "model")]
    column: Option<String>,

    /// The view the link opens.
    #[arg(long, value_enum, default_value_t = View::Editor)]
    view: View,

    /// Write a link to the compact lineage view for an iframe.
    #[arg(long)]
    embed: bool,

    /// The name of the branch the opened project shows.
    #[arg(long, default_value = "main")]
    branch: String,

    /// The address the playground is served from; the link is this URL
    /// with the project in its fragment.
    #[arg(long, default_value = DEFAULT_BASE_URL)]
    base_url: String,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum View {
    Editor,
    Lineage,
}

/// Prints the link. Exits with 2 when the model or column is not found,
/// and warns on stderr when the link is longer than is practical to paste.
pub fn share_command(args: &ShareArgs) -> ExitCode {
    let (project, compilation) = match read_and_compile(&args.dir, false) {
        Ok(compiled) => compiled,
        Err(status) => return status,
    };
    let mut shared = SharedProject {
        files: project.files,
        branch: args.branch.clone(),
        view: Some(
            match args.view {
                View::Editor => "editor",
                View::Lineage => "lineage",
            }
            .to_string(),
        ),
        ..SharedProject::default()
    };
    if let Some(name) = &args.model {
        let file = compilation
            .model(name)
            .map(|model| {
                (
                    model.name.clone(),
                    model.file.clone(),
                    model.columns.clone(),
                )
            })
            .or_else(|| {
                compilation.source(name).map(|source| {
                    (
                        source.name.clone(),
                        source.file.clone(),
                        source.columns.clone(),
                    )
                })
            });
        let Some((name, file, columns)) = file else {
            eprintln!("error: the project has no model or source `{name}`");
            return ExitCode::from(EXIT_USAGE);
        };
        if let Some(column) = &args.column {
            let Some(found) = columns.iter().find(|c| c.name.eq_ignore_ascii_case(column)) else {
                let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
                eprintln!("error: `{name}` has no column `{column}`");
                eprintln!("help: its columns are {}", names.join(", "));
                return ExitCode::from(EXIT_USAGE);
            };
            shared.column = Some(found.name.clone());
        }
        shared.open_path = Some(file).filter(|file| shared.files.contains_key(file));
        shared.model = Some(name);
    }
    let url = link(&args.base_url, &shared, args.embed);
    if url.len() > MAX_PRACTICAL_LINK_CHARS {
        eprintln!(
            "warning: the link has {} characters, more than the {MAX_PRACTICAL_LINK_CHARS} that \
             paste reliably; share the project with `rocky export` instead",
            url.len()
        );
    }
    let printed = writeln!(io::stdout().lock(), "{url}");
    if let Some(status) = write_failure(printed) {
        return status;
    }
    ExitCode::SUCCESS
}
