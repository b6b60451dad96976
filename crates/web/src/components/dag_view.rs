//! The model DAG as an SVG, left to right; a click opens a node's file.

use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use crate::dag::{DagLayout, DagNode, LABEL_INSET, NODE_HEIGHT};

/// How far the graph may shrink to fit the panel's width before it
/// scrolls instead; below this the 12 px labels get hard to read.
const MIN_SCALE: f64 = 0.8;

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
    let scroller = use_node_ref();
    {
        let scroller = scroller.clone();
        use_effect_with((props.open_path.clone(), props.layout.clone()), move |_| {
            scroll_active_into_view(&scroller);
        });
    }
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
        <div class="dag-scroll" ref={scroller}>
            <svg
                class="dag"
                style={format!(
                    "width: 100%; max-width: {}px; min-width: {}px; height: auto",
                    layout.width,
                    (layout.width * MIN_SCALE).round()
                )}
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
                { for layout.nodes.iter().map(|node| dag_node(node, layout, props)) }
            </svg>
        </div>
    }
}

fn dag_node(node: &DagNode, layout: &DagLayout, props: &DagViewProps) -> Html {
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
    let onkeydown = {
        let (file, on_open) = (node.file.clone(), props.on_open.clone());
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" || event.key() == " " {
                event.prevent_default();
                on_open.emit(file.clone());
            }
        })
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
            tabindex="0"
            role="button"
            aria-label={format!("Open {kind} {}", node.name)}
            {onclick}
            {onkeydown}
        >
            <title>{ format!("{kind} {}", node.name) }</title>
            <rect
                width={layout.node_width.to_string()}
                height={NODE_HEIGHT.to_string()}
                rx="6"
                {fill}
                {stroke}
                stroke-width={if active || traced { "2.5" } else { "1" }}
            />
            <text x={LABEL_INSET.to_string()} y={(NODE_HEIGHT / 2.0 + 4.0).to_string()} font-size="12" fill="#0f172a">
                { layout.label(&node.name) }
            </text>
        </g>
    }
}

/// Scrolls the graph sideways so the highlighted node is visible. Only
/// the graph's own box scrolls, so the panel around it stays put.
fn scroll_active_into_view(scroller: &NodeRef) {
    let Some(container) = scroller.cast::<Element>() else {
        return;
    };
    let Ok(Some(active)) = container.query_selector(".dag-node.active") else {
        return;
    };
    let (outer, inner) = (
        container.get_bounding_client_rect(),
        active.get_bounding_client_rect(),
    );
    const MARGIN: f64 = 12.0;
    let scroll_left = f64::from(container.scroll_left());
    if inner.right() > outer.right() {
        container.set_scroll_left((scroll_left + inner.right() - outer.right() + MARGIN) as i32);
    } else if inner.left() < outer.left() {
        container.set_scroll_left(
            (scroll_left - (outer.left() - inner.left()) - MARGIN).max(0.0) as i32,
        );
    }
}
