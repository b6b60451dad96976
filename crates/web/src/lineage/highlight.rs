//! The highlight of a selected column: its upstream path, the indirect
//! inputs of the models on that path, and its downstream blast radius,
//! with the counts the view prints.

use std::collections::{BTreeSet, HashMap};

use rocky_core::{ColumnGraph, ColumnId, IndirectKind, LineageKind, TableKind};

/// The relation of a column or edge to the selected column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Selected,
    /// On a path from a source up to the selected column.
    Upstream,
    /// Influences the selected column's model, or a model upstream of it,
    /// without feeding a value: a join key, filter, grouping key, ...
    Indirect,
    /// Changes when the selected column changes.
    Downstream,
}

impl Role {
    /// Returns the `data-role` value of the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Selected => "selected",
            Role::Upstream => "upstream",
            Role::Indirect => "indirect",
            Role::Downstream => "downstream",
        }
    }
}

/// The numbers the view prints for a selected column. CTE and subquery
/// columns are steps inside a model, so only source columns and model
/// output columns are counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Model output columns that change when the selected column changes.
    pub affected_columns: usize,
    /// Models with at least one affected output column.
    pub affected_models: usize,
    /// Columns on the upstream path, sources included.
    pub upstream_columns: usize,
    /// Tables (models and sources) owning an upstream column.
    pub upstream_tables: usize,
    /// Source columns the selected column's values come from.
    pub source_columns: usize,
    /// Indirect inputs of the selected column's model and the models on
    /// its upstream path.
    pub indirect_inputs: usize,
}

impl Counts {
    /// Returns the blast radius as a sentence, such as
    /// `affects 14 columns in 6 models`.
    pub fn blast_radius_text(&self) -> String {
        if self.affected_columns == 0 {
            return "affects no other column".to_string();
        }
        format!(
            "affects {} in {}",
            plural(self.affected_columns, "column"),
            plural(self.affected_models, "model")
        )
    }

    /// Returns the upstream side as a sentence, such as
    /// `reads 2 columns from 2 tables, 1 column in sources`.
    pub fn upstream_text(&self) -> String {
        if self.upstream_columns == 0 {
            return "reads no other column".to_string();
        }
        let mut text = format!(
            "reads {} from {}",
            plural(self.upstream_columns, "column"),
            plural(self.upstream_tables, "table")
        );
        if self.source_columns > 0 {
            text.push_str(&format!(
                ", {} in sources",
                plural(self.source_columns, "column")
            ));
        }
        text
    }

    /// Returns the indirect inputs as a sentence.
    pub fn indirect_text(&self) -> String {
        match self.indirect_inputs {
            0 => "no indirect input".to_string(),
            count => format!(
                "{} (join keys, filters, grouping)",
                plural(count, "indirect input")
            ),
        }
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The upstream path and blast radius of one selected column.
#[derive(Clone, Debug, PartialEq)]
pub struct Highlight {
    pub selected: ColumnId,
    /// Upstream columns by index, with the strongest kind on the path.
    pub upstream: HashMap<usize, LineageKind>,
    /// Indirect inputs by index.
    pub indirect: HashMap<usize, IndirectKind>,
    /// Downstream columns by index, with how they are reached.
    pub downstream: HashMap<usize, LineageKind>,
    /// Lower-cased names of the models owning the selected column or an
    /// upstream column; their indirect inputs are on the path.
    upstream_models: BTreeSet<String>,
    /// Lower-cased names of the models with a downstream column.
    downstream_models: BTreeSet<String>,
    pub counts: Counts,
}

impl Highlight {
    /// Walks the graph up and down from `selected`.
    pub fn of(graph: &ColumnGraph, selected: ColumnId) -> Highlight {
        let up = graph.upstream(selected);
        let down = graph.downstream(selected);
        let counted = |index: usize| {
            graph.id(index).is_some_and(|id| {
                matches!(graph.node(id).kind, TableKind::Source | TableKind::Model)
            })
        };
        let owner = |index: usize| -> Option<String> {
            let node = graph.node(graph.id(index)?);
            Some(
                node.model
                    .as_ref()
                    .unwrap_or(&node.table)
                    .to_ascii_lowercase(),
            )
        };

        let upstream: HashMap<usize, LineageKind> = up
            .columns
            .iter()
            .map(|reached| (reached.id, reached.kind))
            .collect();
        let indirect: HashMap<usize, IndirectKind> = up
            .indirect
            .iter()
            .filter_map(|reached| match reached.kind {
                LineageKind::Indirect(kind) => Some((reached.id, kind)),
                LineageKind::Direct(_) => None,
            })
            .collect();
        let downstream: HashMap<usize, LineageKind> = down
            .columns
            .iter()
            .map(|reached| (reached.id, reached.kind))
            .collect();

        let mut upstream_models: BTreeSet<String> = BTreeSet::new();
        for index in std::iter::once(selected.index()).chain(upstream.keys().copied()) {
            let node = graph.id(index).map(|id| graph.node(id));
            if let Some(model) = node.and_then(|node| node.model.as_ref()) {
                upstream_models.insert(model.to_ascii_lowercase());
            }
        }
        let downstream_models: BTreeSet<String> =
            down.models.iter().map(|m| m.to_ascii_lowercase()).collect();

        let affected: Vec<usize> = downstream.keys().copied().filter(|&i| counted(i)).collect();
        let affected_models: BTreeSet<String> =
            affected.iter().filter_map(|&index| owner(index)).collect();
        let reads: Vec<usize> = upstream.keys().copied().filter(|&i| counted(i)).collect();
        let read_tables: BTreeSet<String> =
            reads.iter().filter_map(|&index| owner(index)).collect();
        let counts = Counts {
            affected_columns: affected.len(),
            affected_models: affected_models.len(),
            upstream_columns: reads.len(),
            upstream_tables: read_tables.len(),
            source_columns: up.sources.len(),
            indirect_inputs: indirect.keys().filter(|&&i| counted(i)).count(),
        };
        Highlight {
            selected,
            upstream,
            indirect,
            downstream,
            upstream_models,
            downstream_models,
            counts,
        }
    }

    /// Returns how a column relates to the selection. A column that is both
    /// on the upstream path and an indirect input counts as upstream.
    pub fn role(&self, column: ColumnId) -> Option<Role> {
        let index = column.index();
        if column == self.selected {
            Some(Role::Selected)
        } else if self.upstream.contains_key(&index) {
            Some(Role::Upstream)
        } else if self.downstream.contains_key(&index) {
            Some(Role::Downstream)
        } else if self.indirect.contains_key(&index) {
            Some(Role::Indirect)
        } else {
            None
        }
    }

    /// Returns true when `column` is an indirect input on the path, even
    /// when it is on the upstream path too.
    pub fn is_indirect_input(&self, column: ColumnId) -> bool {
        self.indirect.contains_key(&column.index())
    }

    /// Returns the role of a direct edge from `parent` to `child`: upstream
    /// when both ends are on the upstream path, downstream when both are in
    /// the blast radius, the selection counting as both.
    pub fn direct_edge_role(&self, parent: ColumnId, child: ColumnId) -> Option<Role> {
        let up = |id: ColumnId| id == self.selected || self.upstream.contains_key(&id.index());
        let down = |id: ColumnId| id == self.selected || self.downstream.contains_key(&id.index());
        if up(parent) && up(child) {
            Some(Role::Upstream)
        } else if down(parent) && down(child) {
            Some(Role::Downstream)
        } else {
            None
        }
    }

    /// Returns the role of an indirect edge from `input` into `model`:
    /// indirect when the model is on the upstream path and `input` is one
    /// of its inputs there, downstream when `input` is affected and so the
    /// model's rows are.
    pub fn indirect_edge_role(&self, input: ColumnId, model: &str) -> Option<Role> {
        let model = model.to_ascii_lowercase();
        let affected = input == self.selected || self.downstream.contains_key(&input.index());
        if self.indirect.contains_key(&input.index()) && self.upstream_models.contains(&model) {
            Some(Role::Indirect)
        } else if affected && self.downstream_models.contains(&model) {
            Some(Role::Downstream)
        } else {
            None
        }
    }

    /// Returns the lower-cased names of every table the highlight touches:
    /// what the view adds to show the whole path.
    pub fn tables(&self, graph: &ColumnGraph) -> BTreeSet<String> {
        let indices = std::iter::once(self.selected.index())
            .chain(self.upstream.keys().copied())
            .chain(self.downstream.keys().copied())
            .chain(self.indirect.keys().copied());
        indices
            .filter_map(|index| graph.id(index))
            .map(|id| {
                let node = graph.node(id);
                node.model
                    .as_ref()
                    .unwrap_or(&node.table)
                    .to_ascii_lowercase()
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "highlight_tests.rs"]
mod tests;
