//! The model DAG as an SVG, left to right; a click opens a node's file.

use std::rc::Rc;

use yew::prelude::*;

use crate::dag::{DagLayout, DagNode, NODE_HEIGHT, NODE_WIDTH};

/// Longest label drawn in full; longer names are cut, and the whole name
/// is in the node's tooltip.
const MAX_LABEL_CHARS: usize = 19;

#[derive(Properties, PartialEq)]
pub struct DagViewProps {
    pub layout: Rc<DagLayout>,
    /// The open file; nodes defined by it are highlighted.
    pub open_path: Option<String>,
    /// Models and sources on the selected column's trace.
    pub traced: Vec<String>,
    pub on_open: Callback<String>,
}

#[component]
pub fn DagView(props: &DagViewProps) -> Html {
    let layout = &props.layout;
    if layout.nodes.is_empty() {
        return html! { <p class="empty">{ "No models compiled yet." }</p> };
    }
    let edges = layout.edges.iter().filter_map(|edge| {
        let d = edge.path(layout)?;
        Some(html! {
            <path class="dag-edge" {d} fill="none" stroke="#9aa4b2" stroke-width="1.5" marker-end="url(#dag-arrow)" />
        })
    });
    html! {
        <div class="dag-scroll">
            <svg
                class="dag"
                width={layout.width.to_string()}
                height={layout.height.to_string()}
                viewBox={format!("0 0 {} {}", layout.width, layout.height)}
                role="img"
                aria-label="Model dependency graph"
            >
                <defs>
                    <marker id="dag-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto">
                        <path d="M 0 0 L 8 4 L 0 8 z" fill="#9aa4b2" />
                    </marker>
                </defs>
                { for edges }
                { for layout.nodes.iter().map(|node| dag_node(node, props)) }
            </svg>
        </div>
    }
}

fn dag_node(node: &DagNode, props: &DagViewProps) -> Html {
    let active = props.open_path.as_deref() == Some(node.file.as_str());
    let traced = props
        .traced
        .iter()
        .any(|name| name.eq_ignore_ascii_case(&node.name));
    let kind = node.kind.as_str();
    let onclick = {
        let file = node.file.clone();
        props.on_open.reform(move |_: MouseEvent| file.clone())
    };
    let (fill, stroke) = match (active, kind) {
        (true, _) => ("#dbeafe", "#2563eb"),
        (false, "source") => ("#f1f5f9", "#64748b"),
        (false, _) => ("#ffffff", "#475569"),
    };
    html! {
        <g
            class={classes!("dag-node", kind, active.then_some("active"), traced.then_some("traced"))}
            data-testid="dag-node"
            data-name={node.name.clone()}
            data-kind={kind}
            transform={format!("translate({} {})", node.x, node.y)}
            {onclick}
        >
            <title>{ format!("{kind} {}", node.name) }</title>
            <rect
                width={NODE_WIDTH.to_string()}
                height={NODE_HEIGHT.to_string()}
                rx="6"
                {fill}
                {stroke}
                stroke-width={if active || traced { "2.5" } else { "1" }}
            />
            <text x="10" y={(NODE_HEIGHT / 2.0 + 4.0).to_string()} font-size="12" fill="#0f172a">
                { label(&node.name) }
            </text>
        </g>
    }
}

/// Returns the node's label, cut to fit the box.
fn label(name: &str) -> String {
    if name.chars().count() <= MAX_LABEL_CHARS {
        name.to_string()
    } else {
        let kept: String = name.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{kept}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_label_kept() {
        assert_eq!(label("stg_orders"), "stg_orders");
    }

    #[test]
    fn long_label_cut() {
        let cut = label("a_really_long_model_name_here");
        assert_eq!(cut.chars().count(), MAX_LABEL_CHARS);
        assert!(cut.ends_with('…'));
    }
}
