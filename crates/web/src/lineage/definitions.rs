//! The definition of a column by the nearest model and source columns. A
//! model's output column often passes through CTEs first (`select * from
//! final`), so its own one-step parent is a CTE column defined by `*`. The
//! view shows instead the model or source columns at the end of that chain
//! and every expression on the way.

use std::collections::BTreeSet;

use rocky_core::{ColumnGraph, ColumnId, EdgeKind, TableKind};

/// A model or source column that a column is computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    pub input: ColumnId,
    /// The strongest kind on the way.
    pub kind: EdgeKind,
    /// The steps on the way that compute something, from the input towards
    /// the column, each as `column = expression`. Steps that only pass a
    /// column on under its own name, such as `select *`, are left out.
    pub expressions: Vec<String>,
}

/// Steps at most this deep through CTEs and subqueries; deeper chains are
/// cut, which no hand-written model reaches.
const MAX_DEPTH: usize = 64;

fn is_internal(graph: &ColumnGraph, id: ColumnId) -> bool {
    matches!(graph.node(id).kind, TableKind::Cte | TableKind::Subquery)
}

/// Returns the model and source columns `id` is computed from, walking up
/// through the columns of CTEs and subqueries, in the order first found.
/// A CTE column that reads nothing, such as one defined by a literal, ends
/// its chain and is left out.
pub fn nearest_inputs(graph: &ColumnGraph, id: ColumnId) -> Vec<Definition> {
    let mut found: Vec<Definition> = Vec::new();
    let mut visited: BTreeSet<ColumnId> = BTreeSet::new();
    // (column, strongest kind so far, steps from `id` down to the column, depth)
    let mut stack: Vec<(ColumnId, EdgeKind, Vec<Step>, usize)> = Vec::new();
    for (parent, info) in graph.parents(id).into_iter().rev() {
        let steps = step(graph, id, info.expression.as_deref())
            .into_iter()
            .collect();
        stack.push((parent, info.kind, steps, 1));
    }
    while let Some((column, kind, expressions, depth)) = stack.pop() {
        if !is_internal(graph, column) {
            add_definition(&mut found, column, kind, expressions);
            continue;
        }
        if depth >= MAX_DEPTH || !visited.insert(column) {
            continue;
        }
        for (parent, info) in graph.parents(column).into_iter().rev() {
            let mut chain = expressions.clone();
            chain.extend(step(graph, column, info.expression.as_deref()));
            stack.push((parent, kind.max(info.kind), chain, depth + 1));
        }
    }
    found
}

/// One step of a chain: `column = expression`.
type Step = String;

/// Returns the step that defines `column` by `expression`, or `None` when
/// the expression only names the column: `*`, `name` or `alias.name`.
fn step(graph: &ColumnGraph, column: ColumnId, expression: Option<&str>) -> Option<Step> {
    let expression = expression?.trim();
    let name = &graph.node(column).column;
    let unquoted = expression.trim_matches('"');
    let passes_on = expression == "*"
        || unquoted.eq_ignore_ascii_case(name)
        || unquoted
            .rsplit_once('.')
            .is_some_and(|(_, last)| last.trim_matches('"').eq_ignore_ascii_case(name));
    (!passes_on).then(|| format!("{name} = {expression}"))
}

fn add_definition(found: &mut Vec<Definition>, input: ColumnId, kind: EdgeKind, chain: Vec<Step>) {
    let mut expressions: Vec<String> = Vec::new();
    // The chain runs from the column down; the view reads it upwards.
    for step in chain.into_iter().rev() {
        if !expressions.contains(&step) {
            expressions.push(step);
        }
    }
    match found.iter_mut().find(|known| known.input == input) {
        Some(known) => {
            known.kind = known.kind.max(kind);
            for expression in expressions {
                if !known.expressions.contains(&expression) {
                    known.expressions.push(expression);
                }
            }
        }
        None => found.push(Definition {
            input,
            kind,
            expressions,
        }),
    }
}

#[cfg(test)]
mod tests {
    use rocky_core::compile;

    use super::*;
    use crate::sample::sample_project;

    fn sample_graph() -> ColumnGraph {
        ColumnGraph::build(&compile(&sample_project()))
    }

    fn inputs(
        graph: &ColumnGraph,
        table: &str,
        column: &str,
    ) -> Vec<(String, EdgeKind, Vec<String>)> {
        let Some(id) = graph.find(table, column) else {
            panic!("the sample has no column {table}.{column}");
        };
        nearest_inputs(graph, id)
            .into_iter()
            .map(|definition| {
                let node = graph.node(definition.input);
                (
                    format!("{}.{}", node.table, node.column),
                    definition.kind,
                    definition.expressions,
                )
            })
            .collect()
    }

    #[test]
    fn lifetime_value_through_ctes() {
        let graph = sample_graph();
        let found = inputs(&graph, "customers", "customer_lifetime_value");
        assert_eq!(found.len(), 1, "{found:?}");
        let (input, kind, expressions) = &found[0];
        assert_eq!(input, "stg_payments.amount");
        assert_eq!(*kind, EdgeKind::Aggregation);
        assert_eq!(
            expressions,
            &[
                "total_amount = sum(amount)",
                "customer_lifetime_value = customer_payments.total_amount"
            ]
        );
    }

    #[test]
    fn cents_to_dollars_expression() {
        let graph = sample_graph();
        let found = inputs(&graph, "stg_payments", "amount");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "raw_payments.amount");
        assert_eq!(found[0].1, EdgeKind::Transformation);
        assert_eq!(found[0].2, ["amount = amount / 100"]);
    }

    #[test]
    fn plain_copy_has_no_steps() {
        let graph = sample_graph();
        let found = inputs(&graph, "customers", "first_name");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "stg_customers.first_name");
        assert!(found[0].2.is_empty(), "{:?}", found[0].2);
    }

    #[test]
    fn source_column_has_no_inputs() {
        let graph = sample_graph();
        assert!(inputs(&graph, "raw_orders", "id").is_empty());
    }

    #[test]
    fn renamed_identity_keeps_alias() {
        let graph = sample_graph();
        let found = inputs(&graph, "stg_orders", "customer_id");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "raw_orders.user_id");
        assert_eq!(found[0].1, EdgeKind::Identity);
        assert_eq!(found[0].2, ["customer_id = user_id"]);
    }
}
