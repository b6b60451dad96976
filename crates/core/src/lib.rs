//! Rocky's compiler. A project comes in as an in-memory map of files
//! (path relative to the project root → contents); [`compile`] parses every
//! model, resolves table names to models and sources, orders the models,
//! infers each output column's name and DuckDB type, and records the
//! column's parent columns. The crate does no IO and knows no browser, so
//! the same code runs in the CLI and, compiled to WebAssembly, in the page.

// A diagnostic is the error of the parsing functions; it is built once per
// failed file, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod archive;
mod bind;
pub mod branch;
pub mod compare;
mod compile;
pub mod data_tests;
pub mod diagnostic;
mod dialect;
pub mod export;
pub mod generate;
pub mod intent;
pub mod layout;
pub mod lessons;
pub mod lineage;
pub mod output;
mod parse;
pub mod plan;
mod project;
pub mod share;
mod text;
mod toml_spans;
pub mod trace;
pub mod types;

use std::collections::BTreeMap;

pub use compile::{CompileStats, Compiler};
pub use data_tests::{compile_tests, default_table_name, project_tests, DataTest};
pub use diagnostic::{Diagnostic, Label, Position, Severity, Span};
pub use lineage::{
    BlastRadius, ColumnGraph, ColumnId, LineageEdgeInfo, LineageKind, LineageNode, Reached,
    TableKind, Upstream,
};
pub use output::{
    Column, ColumnRef, ColumnTest, ColumnUse, Compilation, EdgeKind, IndirectInput, IndirectKind,
    InternalKind, InternalTable, LineageEdge, Model, ModelConfig, Parent, ParentTable, QueryScope,
    ScopeTable, SourceTable,
};
pub use output::{TestKind, TestRule, TestSeverity, TestValue};
pub use plan::{run_plan, RunStep};
pub use trace::{trace_upstream, TraceNode};

/// A project as files: project-relative path (`models/orders.sql`) → contents.
pub type ProjectFiles = BTreeMap<String, String>;

/// Compiles a project. Never fails: problems are reported in
/// [`Compilation::diagnostics`], and models with errors still list the
/// columns that could be inferred. To compile a project again after an
/// edit, [`Compiler`] redoes only what the edit can change.
pub fn compile(files: &ProjectFiles) -> Compilation {
    compile::compile(files)
}
