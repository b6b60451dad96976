//! The classification of an upstream model's output column changes
//! between the parent and the branch: renamed, removed or retyped.

use std::collections::BTreeSet;

use crate::output::{Column, Model, ParentTable};
use crate::text::LineIndex;

use super::sql_text::span_text;

/// A change of one output column of an upstream model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::intent) enum ColumnChange {
    /// The column has a new name and the same definition.
    Renamed { old: String, new: String },
    /// The column is gone and no new column has its definition.
    Removed { column: String },
    /// The column has the same name and another type.
    Retyped { column: String, from: String },
}

/// Lists the changes of `after`'s output columns against `before`'s.
pub(in crate::intent) fn column_changes(before: &Model, after: &Model) -> Vec<ColumnChange> {
    let find = |model: &Model, name: &str| {
        model
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .cloned()
    };
    let removed: Vec<&Column> = before
        .columns
        .iter()
        .filter(|c| find(after, &c.name).is_none())
        .collect();
    let added: Vec<&Column> = after
        .columns
        .iter()
        .filter(|c| find(before, &c.name).is_none())
        .collect();
    let (before_lines, after_lines) = (LineIndex::new(&before.sql), LineIndex::new(&after.sql));
    let old_signatures: Vec<Signature> = removed
        .iter()
        .map(|c| signature(before, &before_lines, c))
        .collect();
    let new_signatures: Vec<Signature> = added
        .iter()
        .map(|c| signature(after, &after_lines, c))
        .collect();

    let mut changes = Vec::new();
    for (old, old_signature) in removed.iter().zip(&old_signatures) {
        // A rename needs exactly one match each way, so that two columns
        // with the same definition are never taken for each other.
        let matches: Vec<usize> = (0..added.len())
            .filter(|&i| new_signatures[i] == *old_signature)
            .collect();
        let unique = matches.len() == 1
            && old_signatures
                .iter()
                .filter(|s| **s == new_signatures[matches[0]])
                .count()
                == 1;
        if unique && old_signature.is_known() {
            changes.push(ColumnChange::Renamed {
                old: old.name.clone(),
                new: added[matches[0]].name.clone(),
            });
        } else {
            changes.push(ColumnChange::Removed {
                column: old.name.clone(),
            });
        }
    }
    for old in &before.columns {
        let Some(new) = find(after, &old.name) else {
            continue;
        };
        if new.ty != old.ty && old.ty != "UNKNOWN" && new.ty != "UNKNOWN" {
            changes.push(ColumnChange::Retyped {
                column: old.name.clone(),
                from: old.ty.clone(),
            });
        }
    }
    changes
}

/// The definition of a column apart from its name: its type, its source
/// columns, and the text of every expression from the output down
/// through the model's CTEs and subqueries, which leaves out aliases.
#[derive(Debug, PartialEq, Eq)]
struct Signature {
    // NOTE: with the type in the signature, a column that is renamed and
    // retyped at once is reported as removed.
    ty: String,
    sources: BTreeSet<(String, String, String)>,
    expressions: Vec<String>,
}

impl Signature {
    fn is_known(&self) -> bool {
        self.ty != "UNKNOWN" && !self.sources.is_empty()
    }
}

fn signature(model: &Model, index: &LineIndex, column: &Column) -> Signature {
    let sources = column
        .lineage
        .iter()
        .map(|edge| {
            (
                edge.model.to_ascii_lowercase(),
                edge.column.to_ascii_lowercase(),
                format!("{:?}", edge.kind),
            )
        })
        .collect();
    Signature {
        ty: column.ty.clone(),
        sources,
        expressions: definitions(model, index, column),
    }
}

/// Lists the definition texts from `column` down through the model's
/// internal tables, sorted.
fn definitions(model: &Model, index: &LineIndex, column: &Column) -> Vec<String> {
    // A bound on the walk, so a hostile model with many hops stays cheap.
    const MAX_STEPS: usize = 10_000;
    let text_of = |c: &Column| {
        c.definition
            .and_then(|span| span_text(&model.sql, index, span))
            .unwrap_or_default()
            .to_string()
    };
    let mut found = vec![text_of(column)];
    let mut seen: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut stack: Vec<&Column> = vec![column];
    while let Some(current) = stack.pop() {
        if seen.len() > MAX_STEPS {
            break;
        }
        for parent in &current.parents {
            let ParentTable::Internal(table) = parent.table else {
                continue;
            };
            let Some(internal) = model.internal.get(table) else {
                continue;
            };
            let Some(next) = internal
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(&parent.column))
            else {
                continue;
            };
            if seen.insert((table, next.name.to_ascii_lowercase())) {
                found.push(text_of(next));
                stack.push(next);
            }
        }
    }
    found.sort();
    found
}
