//! A column's upstream trace as an indented tree, down to source columns.

use rocky_core::{EdgeKind, TraceNode};
use yew::prelude::*;

use crate::state::ColumnRef;

#[derive(Properties, PartialEq)]
pub struct TraceTreeProps {
    pub root: TraceNode,
    pub on_select: Callback<ColumnRef>,
}

#[component]
pub fn TraceTree(props: &TraceTreeProps) -> Html {
    html! {
        <ul class="trace-tree">
            { trace_item(&props.root, true, &props.on_select) }
        </ul>
    }
}

/// Returns the `data-kind` value of an edge kind, as core serializes it.
pub fn edge_kind_name(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Identity => "identity",
        EdgeKind::Transformation => "transformation",
        EdgeKind::Aggregation => "aggregation",
    }
}

fn trace_item(node: &TraceNode, is_root: bool, on_select: &Callback<ColumnRef>) -> Html {
    let kind = edge_kind_name(node.kind);
    let onclick = {
        let reference = ColumnRef {
            model: node.model.clone(),
            column: node.column.clone(),
        };
        on_select.reform(move |_: MouseEvent| reference.clone())
    };
    html! {
        <li class="trace-item">
            <button
                class={classes!("trace-node", kind, node.is_source.then_some("source"), is_root.then_some("root"))}
                data-testid="trace-node"
                data-model={node.model.clone()}
                data-column={node.column.clone()}
                data-kind={kind}
                data-source={node.is_source.to_string()}
                {onclick}
            >
                <span class="trace-model">{ &node.model }</span>
                { "." }
                <span class="trace-column">{ &node.column }</span>
                if !is_root {
                    <span class="edge-kind">{ kind }</span>
                }
                if node.is_source {
                    <span class="source-badge">{ "source" }</span>
                }
            </button>
            if !node.parents.is_empty() {
                <ul>
                    { for node.parents.iter().map(|parent| trace_item(parent, false, on_select)) }
                </ul>
            }
        </li>
    }
}
