//! Column descriptions, a column's own from its sidecar or inherited from
//! the upstream column it passes through unchanged.

use serde::{Deserialize, Serialize};

use crate::output::{Column, Compilation, EdgeKind, Model};

/// The origin of a column's description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DescriptionOrigin {
    /// The model's own `[columns.<name>] description`.
    Own,
    /// An upstream column that this column copies along DIRECT/IDENTITY
    /// edges, through CTEs and subqueries; `hops` counts the models between.
    Inherited {
        model: String,
        column: String,
        hops: usize,
    },
}

/// The description of one output column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnDescription {
    pub column: String,
    /// `None` when neither the column nor any column it copies has one.
    pub description: Option<String>,
    pub origin: Option<DescriptionOrigin>,
}

/// The longest chain of models followed, so a cycle cannot loop.
const MAX_HOPS: usize = 64;

/// Returns the description of every output column of `model`, in column
/// order: its own, else the nearest one up its IDENTITY lineage.
pub fn column_descriptions(compilation: &Compilation, model: &str) -> Vec<ColumnDescription> {
    let Some(model) = compilation.model(model) else {
        return Vec::new();
    };
    model
        .columns
        .iter()
        .map(|column| describe(compilation, model, column))
        .collect()
}

fn describe(compilation: &Compilation, model: &Model, column: &Column) -> ColumnDescription {
    let unknown = ColumnDescription {
        column: column.name.clone(),
        description: None,
        origin: None,
    };
    if let Some(text) = own_description(model, &column.name) {
        return ColumnDescription {
            description: Some(text.to_string()),
            origin: Some(DescriptionOrigin::Own),
            ..unknown
        };
    }
    let mut current = column;
    for hops in 1..=MAX_HOPS {
        let [edge] = current.lineage.as_slice() else {
            return unknown;
        };
        if edge.kind != EdgeKind::Identity {
            return unknown;
        }
        let Some(upstream) = compilation.model(&edge.model) else {
            return unknown;
        };
        if let Some(text) = own_description(upstream, &edge.column) {
            return ColumnDescription {
                description: Some(text.to_string()),
                origin: Some(DescriptionOrigin::Inherited {
                    model: upstream.name.clone(),
                    column: edge.column.clone(),
                    hops,
                }),
                ..unknown
            };
        }
        let Some(next) = upstream
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&edge.column))
        else {
            return unknown;
        };
        current = next;
    }
    unknown
}

fn own_description<'m>(model: &'m Model, column: &str) -> Option<&'m str> {
    model
        .config
        .column_descriptions
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(column))
        .map(|(_, text)| text.as_str())
}
