//! The lineage panel: the model DAG, and the upstream trace of the
//! selected column.

use std::rc::Rc;

use rocky_core::{trace_upstream, EdgeKind, TraceNode};
use yew::prelude::*;

use crate::components::dag_view::DagView;
use crate::components::trace_tree::TraceTree;
use crate::dag;
use crate::state::{ColumnRef, SharedCompilation};

#[derive(Properties, PartialEq)]
pub struct LineagePanelProps {
    pub compilation: SharedCompilation,
    pub open_path: Option<String>,
    pub selected: Option<ColumnRef>,
    pub on_open_file: Callback<String>,
    pub on_open_column: Callback<ColumnRef>,
}

#[component]
pub fn LineagePanel(props: &LineagePanelProps) -> Html {
    let layout = use_memo(props.compilation.clone(), |compilation| {
        dag::layout(compilation)
    });
    let trace = props
        .selected
        .as_ref()
        .and_then(|selected| trace_of(&props.compilation, selected));
    let traced = trace.as_ref().map(traced_names).unwrap_or_default();

    html! {
        <section class="lineage" data-testid="lineage-panel" aria-label="Lineage">
            <h2 class="panel-title">{ "Lineage" }</h2>
            <DagView
                layout={Rc::clone(&layout)}
                open_path={props.open_path.clone()}
                {traced}
                on_open={props.on_open_file.clone()}
            />
            <div class="trace">
                <h3 class="trace-title">
                    { "Column trace " }
                    if let Some(selected) = &props.selected {
                        <span class="trace-subject">{ format!("{}.{}", selected.model, selected.column) }</span>
                    }
                </h3>
                { match (&props.selected, trace) {
                    (None, _) => html! {
                        <p class="empty">{ "Click a column in the schema to trace where it comes from." }</p>
                    },
                    (Some(selected), None) => html! {
                        <p class="empty">{ missing_trace_text(&props.compilation, selected) }</p>
                    },
                    (Some(_), Some(root)) => html! {
                        <TraceTree {root} on_select={props.on_open_column.clone()} />
                    },
                } }
            </div>
        </section>
    }
}

/// Returns the trace of a selected column. A source column has no
/// upstream, so its trace is the column alone.
fn trace_of(compilation: &rocky_core::Compilation, selected: &ColumnRef) -> Option<TraceNode> {
    if let Some(root) = trace_upstream(compilation, &selected.model, &selected.column) {
        return Some(root);
    }
    let source = compilation.source(&selected.model)?;
    let column = source
        .columns
        .iter()
        .find(|column| column.name.eq_ignore_ascii_case(&selected.column))?;
    Some(TraceNode {
        model: source.name.clone(),
        column: column.name.clone(),
        kind: EdgeKind::Identity,
        is_source: true,
        parents: Vec::new(),
    })
}

/// Returns why a selected column has no trace: the graph view can select
/// a CTE's or subquery's column (`model.cte`), which the trace does not
/// start from, or the column is gone since the latest compile.
fn missing_trace_text(compilation: &rocky_core::Compilation, selected: &ColumnRef) -> String {
    let name = format!("{}.{}", selected.model, selected.column);
    let owner = selected
        .model
        .split_once('.')
        .and_then(|(model, _)| compilation.model(model));
    match owner {
        Some(model) => format!(
            "{name} is a column inside {}; the trace starts at model and source columns.",
            model.name
        ),
        None => format!("{name} is not in the latest compile."),
    }
}

/// Returns the names of every model and source on a trace.
fn traced_names(root: &TraceNode) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        if !names.contains(&node.model) {
            names.push(node.model.clone());
        }
        pending.extend(node.parents.iter());
    }
    names
}

#[cfg(test)]
mod tests {
    use rocky_core::{Column, Compilation, SourceTable};

    use super::*;

    fn leaf(model: &str, column: &str) -> TraceNode {
        TraceNode {
            model: model.to_string(),
            column: column.to_string(),
            kind: EdgeKind::Identity,
            is_source: true,
            parents: Vec::new(),
        }
    }

    #[test]
    fn traced_names_lists_each_once() {
        let mut root = leaf("orders", "amount");
        let mut middle = leaf("stg_payments", "amount");
        middle.parents = vec![leaf("raw_payments", "amount"), leaf("raw_payments", "id")];
        root.parents = vec![middle, leaf("stg_payments", "order_id")];
        assert_eq!(
            traced_names(&root),
            vec!["orders", "stg_payments", "raw_payments"]
        );
    }

    #[test]
    fn cte_column_explains_missing_trace() {
        let compilation = Compilation {
            models: vec![rocky_core::Model {
                name: "customers".to_string(),
                ..Default::default()
            }
            .into()],
            ..Default::default()
        };
        let cte = ColumnRef {
            model: "customers.final".to_string(),
            column: "customer_id".to_string(),
        };
        assert_eq!(
            missing_trace_text(&compilation, &cte),
            "customers.final.customer_id is a column inside customers; the trace starts at model and source columns."
        );
        let gone = ColumnRef {
            model: "orders".to_string(),
            column: "id".to_string(),
        };
        assert_eq!(
            missing_trace_text(&compilation, &gone),
            "orders.id is not in the latest compile."
        );
    }

    #[test]
    fn source_column_traces_to_itself() {
        let compilation = Compilation {
            sources: vec![SourceTable {
                name: "raw_orders".to_string(),
                columns: vec![Column {
                    name: "id".to_string(),
                    ty: "INTEGER".to_string(),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let selected = ColumnRef {
            model: "raw_orders".to_string(),
            column: "ID".to_string(),
        };
        let trace = trace_of(&compilation, &selected);
        assert_eq!(trace.as_ref().map(|node| node.column.as_str()), Some("id"));
        assert_eq!(trace.map(|node| node.is_source), Some(true));
        let missing = ColumnRef {
            model: "raw_orders".to_string(),
            column: "nope".to_string(),
        };
        assert_eq!(trace_of(&compilation, &missing), None);
    }
}
