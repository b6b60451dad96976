//! The statements that build a compiled project in DuckDB.

use serde::{Deserialize, Serialize};

use crate::output::Compilation;

/// One statement to run, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStep {
    /// The model or source table this step builds.
    pub target: String,
    /// True when `target` is a model, false for a source table.
    pub is_model: bool,
    pub sql: String,
}

/// Lists the statements that create every source table, load its rows, and
/// build every model in topological order. CSV files are read by their
/// project-relative path, so the caller registers them under that name.
pub fn run_plan(compilation: &Compilation) -> Vec<RunStep> {
    // TODO: source tables and seeds; this skeleton builds the models only.
    compilation
        .models
        .iter()
        .map(|model| RunStep {
            target: model.name.clone(),
            is_model: true,
            sql: format!("CREATE OR REPLACE TABLE \"{}\" AS {}", model.name, model.sql),
        })
        .collect()
}
