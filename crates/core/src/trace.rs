//! Column lineage across models: from one output column down to the
//! source columns it comes from.

use serde::{Deserialize, Serialize};

use crate::output::{Compilation, EdgeKind};

/// A column reached while tracing upstream, with its own parents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceNode {
    /// The model or source table that owns the column.
    pub model: String,
    pub column: String,
    /// How this column reaches its child; `copy` for the root.
    pub kind: EdgeKind,
    /// True when `model` is a source table.
    pub is_source: bool,
    pub parents: Vec<TraceNode>,
}

/// Traces `model.column` upstream through every model down to source
/// columns. Returns `None` when the model or column does not exist.
pub fn trace_upstream(compilation: &Compilation, model: &str, column: &str) -> Option<TraceNode> {
    let found = compilation.model(model)?;
    let output = found
        .columns
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(column))?;
    let mut visiting = Vec::new();
    Some(TraceNode {
        model: found.name.clone(),
        column: output.name.clone(),
        kind: EdgeKind::Identity,
        is_source: false,
        parents: trace_parents(compilation, &found.name, &output.name, &mut visiting),
    })
}

fn trace_parents(
    compilation: &Compilation,
    model: &str,
    column: &str,
    visiting: &mut Vec<(String, String)>,
) -> Vec<TraceNode> {
    let Some(found) = compilation.model(model) else {
        return Vec::new();
    };
    let Some(output) = found
        .columns
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(column))
    else {
        return Vec::new();
    };
    // A cycle is reported as a diagnostic elsewhere; here it only must not recurse forever.
    let key = (model.to_ascii_lowercase(), column.to_ascii_lowercase());
    if visiting.contains(&key) {
        return Vec::new();
    }
    visiting.push(key);
    let parents = output
        .lineage
        .iter()
        .map(|edge| {
            let is_source = compilation.model(&edge.model).is_none();
            TraceNode {
                model: edge.model.clone(),
                column: edge.column.clone(),
                kind: edge.kind,
                is_source,
                parents: if is_source {
                    Vec::new()
                } else {
                    trace_parents(compilation, &edge.model, &edge.column, visiting)
                },
            }
        })
        .collect();
    visiting.pop();
    parents
}
