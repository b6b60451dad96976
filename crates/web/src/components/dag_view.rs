//! The model DAG as an SVG, left to right; a click opens a node's file.
//!
//! A graph of over [`ALL_NODES_UP_TO`] nodes draws only the nodes and
//! edges near the part its box shows, and the open file's nodes.

use std::rc::Rc;

use gloo::events::EventListener;
use web_sys::Element;
use yew::prelude::*;

use crate::dag::{Area, DagLayout, DagNode, LABEL_INSET, NODE_HEIGHT};

/// Graphs with up to this many nodes draw every node and edge.
pub const ALL_NODES_UP_TO: usize = 300;

/// The part a graph drawn in part shows before its box is measured, in
/// SVG units: about what the inspector's box shows.
const FIRST_VIEW: Area = Area {
    left: 0.0,
    top: 0.0,
    right: 600.0,
    bottom: 400.0,
};

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
    let layout = &props.layout;
    let windowed = layout.nodes.len() > ALL_NODES_UP_TO;
    // The part drawn; equal areas do not render again.
    let area = use_state_eq(|| Area::around(FIRST_VIEW));
    {
        let (scroller, area) = (scroller.clone(), area.clone());
        use_effect_with(
            (windowed, layout.width, layout.height),
            move |&(windowed, width, _)| {
                let listeners = windowed.then(|| -> Option<(EventListener, EventListener)> {
                    let measure = {
                        let scroller = scroller.clone();
                        move || {
                            if let Some(view) = scroller
                                .cast::<Element>()
                                .and_then(|c| shown_area(&c, width))
                            {
                                area.set(Area::around(view));
                            }
                        }
                    };
                    measure();
                    let container = scroller.cast::<Element>()?;
                    let on_scroll = {
                        let measure = measure.clone();
                        EventListener::new(&container, "scroll", move |_| measure())
                    };
                    let window: web_sys::EventTarget = web_sys::window()?.into();
                    let on_resize = EventListener::new(&window, "resize", move |_| measure());
                    Some((on_scroll, on_resize))
                });
                move || drop(listeners)
            },
        );
    }
    {
        let scroller = scroller.clone();
        use_effect_with((props.open_path.clone(), props.layout.clone()), move |_| {
            scroll_active_into_view(&scroller);
        });
    }
    if layout.nodes.is_empty() {
        return html! { <p class="empty">{ "No models compiled yet." }</p> };
    }
    let (drawn_nodes, drawn_edges) = if windowed {
        let (mut nodes, edges) = layout.within(&area);
        // The open file's nodes, so the box can scroll to them.
        let open = props.open_path.as_deref();
        for (index, node) in layout.nodes.iter().enumerate() {
            if Some(node.file.as_str()) == open && !nodes.contains(&index) {
                nodes.push(index);
            }
        }
        (nodes, edges)
    } else {
        (
            (0..layout.nodes.len()).collect(),
            (0..layout.edges.len()).collect(),
        )
    };
    let edges = drawn_edges.into_iter().filter_map(|index| {
        let d = layout.edges[index].path(layout)?;
        Some(html! {
            <path class="dag-edge" {d} fill="none" stroke="#9aa4b2" stroke-width="1.5" marker-end="url(#dag-arrow)" />
        })
    });
    html! {
        <div class="dag-scroll" ref={scroller} data-windowed={windowed.to_string()}>
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
                { for drawn_nodes.into_iter().map(|index| dag_node(&layout.nodes[index], layout, props)) }
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

/// Returns the part of the graph that `container` shows, in the SVG
/// units of a layout `width` wide, or `None` while it is not laid out.
fn shown_area(container: &Element, width: f64) -> Option<Area> {
    let svg = container.first_element_child()?;
    let scale = svg.get_bounding_client_rect().width() / width;
    if !scale.is_finite() || scale <= 0.0 {
        return None;
    }
    let (left, top) = (
        f64::from(container.scroll_left()),
        f64::from(container.scroll_top()),
    );
    let (shown_width, shown_height) = (
        f64::from(container.client_width()),
        f64::from(container.client_height()),
    );
    Some(Area {
        left: left / scale,
        top: top / scale,
        right: (left + shown_width) / scale,
        bottom: (top + shown_height) / scale,
    })
}

/// Scrolls the graph so the highlighted node is visible. Only the graph's
/// own box scrolls, so the panel around it stays put.
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
    let scroll_top = f64::from(container.scroll_top());
    if inner.bottom() > outer.bottom() {
        container.set_scroll_top((scroll_top + inner.bottom() - outer.bottom() + MARGIN) as i32);
    } else if inner.top() < outer.top() {
        container
            .set_scroll_top((scroll_top - (outer.top() - inner.top()) - MARGIN).max(0.0) as i32);
    }
}
