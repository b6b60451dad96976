//! Rocky's compiler. A project comes in as an in-memory map of files
//! (path relative to the project root → contents); [`compile`] parses every
//! model, resolves table names to models and sources, orders the models,
//! infers each output column's name and DuckDB type, and records the
//! column's parent columns. The crate does no IO and knows no browser, so
//! the same code runs in the CLI and, compiled to WebAssembly, in the page.

pub mod diagnostic;
pub mod output;
pub mod plan;
pub mod trace;

use std::collections::BTreeMap;

pub use diagnostic::{Diagnostic, Position, Severity, Span};
pub use output::{Column, ColumnTest, Compilation, EdgeKind, LineageEdge, Model, ModelConfig, SourceTable};
pub use plan::{run_plan, RunStep};
pub use trace::{trace_upstream, TraceNode};

/// A project as files: project-relative path (`models/orders.sql`) → contents.
pub type ProjectFiles = BTreeMap<String, String>;

/// Compiles a project. Never fails: problems are reported in
/// [`Compilation::diagnostics`].
pub fn compile(files: &ProjectFiles) -> Compilation {
    // TODO: the compiler stages land here; this skeleton lists the models only.
    let mut compilation = Compilation { project: "project".to_string(), ..Default::default() };
    for (path, sql) in files {
        if let Some(name) = path.strip_prefix("models/").and_then(|rest| rest.strip_suffix(".sql")) {
            compilation.models.push(Model {
                name: name.to_string(),
                file: path.clone(),
                sql: sql.clone(),
                ..Default::default()
            });
        }
    }
    compilation
}
