//! The lineage graph as SVG: one box per table with a row per column,
//! edges from row to row, pan by dragging, zoom by the wheel or a pinch.
//! Colours are SVG presentation attributes rather than CSS, so a copy of
//! the `<svg>` element is a complete drawing for the SVG export.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use rocky_core::layout::{
    shown_label, LayoutBox, LayoutEdge, HEADER_HEIGHT, MAX_NAME_CHARS, MAX_TITLE_CHARS,
    MAX_TYPE_CHARS, PADDING,
};
use rocky_core::{LineageKind, TableKind};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::components::lineage_summary::column_label;
use crate::lineage::definitions::nearest_inputs;
use crate::lineage::highlight::{Highlight, Role};
use crate::lineage::scene::{edge_path, Scene};
use crate::lineage::view::ViewAction;
use crate::lineage::viewport::{Viewport, ALL_EDGES_UP_TO};
use crate::lineage::SharedLineage;

/// Pointer travel in pixels before a press becomes a drag, so a slightly
/// shaky click still selects.
const DRAG_THRESHOLD: f64 = 4.0;
/// Pixels a wheel event's line and page units stand for.
const WHEEL_LINE: f64 = 16.0;
const WHEEL_PAGE: f64 = 400.0;

#[derive(Properties, PartialEq)]
pub struct LineageCanvasProps {
    pub scene: Rc<Scene>,
    pub lineage: SharedLineage,
    pub highlight: Option<Rc<Highlight>>,
    pub viewport: Viewport,
    pub fit_pending: bool,
    /// False while the view's tab is hidden, when the canvas has no size.
    pub visible: bool,
    /// A model or source whose box keeps its place on screen when the
    /// scene changes without a fit.
    pub anchor: Option<String>,
    pub on_view: Callback<ViewAction>,
    /// Selects a column by graph index.
    pub on_select: Callback<usize>,
    /// Clears the selection: a click on the background.
    pub on_clear: Callback<()>,
    /// Opens the file of a model or source table.
    pub on_open: Callback<String>,
    /// Adds the neighbours of a model or source table.
    pub on_expand: Callback<String>,
    /// Draws every row of every box, as the SVG export needs. Otherwise a
    /// box of many rows draws only those near the visible part.
    #[prop_or_default]
    pub draw_all: bool,
}

/// A press on the canvas that may become a drag.
#[derive(Clone, Copy, Debug)]
struct Press {
    pointer: i32,
    start: (f64, f64),
    last: (f64, f64),
    dragging: bool,
}

/// The edge under the pointer, with the pointer's place in the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
struct HoveredEdge {
    edge: usize,
    x: f64,
    y: f64,
}

#[component]
pub fn LineageCanvas(props: &LineageCanvasProps) -> Html {
    let container = use_node_ref();
    // Pointer capture goes to the <svg> itself: Yew delegates events from
    // the app's root, so an event's current target is not the svg.
    let svg_ref = use_node_ref();
    let press = use_mut_ref(|| None::<Press>);
    // The pointers pressed on the canvas, by id, at their latest client
    // positions. Two of them make a pinch.
    let fingers = use_mut_ref(Vec::<(i32, (f64, f64))>::new);
    // Set when a drag ends, so the click that follows does not select.
    let dragged = use_memo((), |_| Cell::new(false));
    let hovered = use_state(|| None::<HoveredEdge>);

    use_wheel_zoom(&container, props.on_view.clone());
    use_steady_anchor(props);
    let canvas_height = use_canvas_height(&container);
    use_selected_in_view(props, &container);
    {
        let (container, on_view) = (container.clone(), props.on_view.clone());
        let scene = props.scene.clone();
        use_effect_with(
            (scene, props.fit_pending, props.visible),
            move |(scene, fit_pending, visible)| {
                let element = container.cast::<Element>();
                if let (true, true, Some(element)) = (*fit_pending, *visible, element) {
                    let (width, height) = (element.client_width(), element.client_height());
                    if width > 0 && height > 0 {
                        let layout = &scene.layout;
                        let fitted = Viewport::fit(
                            layout.width,
                            layout.height,
                            f64::from(width),
                            f64::from(height),
                        );
                        on_view.emit(ViewAction::SetViewport(fitted));
                    }
                }
            },
        );
    }

    let onpointerdown = {
        let (press, dragged, fingers) = (press.clone(), dragged.clone(), fingers.clone());
        let svg_ref = svg_ref.clone();
        Callback::from(move |event: PointerEvent| {
            // A drag whose click never came must not swallow this press's.
            dragged.set(false);
            if event.button() != 0 || target_closest(&event, "button, .lineage-expand").is_some() {
                return;
            }
            let at = (f64::from(event.client_x()), f64::from(event.client_y()));
            let mut fingers = fingers.borrow_mut();
            fingers.retain(|(id, _)| *id != event.pointer_id());
            fingers.push((event.pointer_id(), at));
            if fingers.len() >= 2 {
                // A second finger turns the drag into a pinch. Both are
                // captured so the gesture goes on outside the canvas.
                *press.borrow_mut() = None;
                if let Some(svg) = svg_ref.cast::<Element>() {
                    for (id, _) in fingers.iter() {
                        let _ = svg.set_pointer_capture(*id);
                    }
                }
                return;
            }
            *press.borrow_mut() = Some(Press {
                pointer: event.pointer_id(),
                start: at,
                last: at,
                dragging: false,
            });
        })
    };
    let onpointermove = {
        let (press, on_view, svg_ref) = (press.clone(), props.on_view.clone(), svg_ref.clone());
        let (fingers, dragged) = (fingers.clone(), dragged.clone());
        let container = container.clone();
        Callback::from(move |event: PointerEvent| {
            let at = (f64::from(event.client_x()), f64::from(event.client_y()));
            {
                let mut fingers = fingers.borrow_mut();
                let before: Vec<(f64, f64)> = fingers.iter().map(|(_, at)| *at).collect();
                let Some(index) = fingers.iter().position(|(id, _)| *id == event.pointer_id())
                else {
                    return;
                };
                fingers[index].1 = at;
                if let ([a, b], Some(element)) = (before.as_slice(), container.cast::<Element>()) {
                    let rect = element.get_bounding_client_rect();
                    let local = |(x, y): (f64, f64)| (x - rect.left(), y - rect.top());
                    let after = [fingers[0].1, fingers[1].1];
                    dragged.set(true);
                    on_view.emit(ViewAction::Pinch {
                        before: [local(*a), local(*b)],
                        after: [local(after[0]), local(after[1])],
                    });
                    return;
                }
            }
            let mut press = press.borrow_mut();
            let Some(state) = press.as_mut().filter(|p| p.pointer == event.pointer_id()) else {
                return;
            };
            if !state.dragging {
                let travel = (at.0 - state.start.0).hypot(at.1 - state.start.1);
                if travel < DRAG_THRESHOLD {
                    return;
                }
                state.dragging = true;
                // Captured only once it is a drag, so a plain click still
                // reaches the row under the pointer.
                if let Some(svg) = svg_ref.cast::<Element>() {
                    let _ = svg.set_pointer_capture(event.pointer_id());
                }
            }
            on_view.emit(ViewAction::Pan {
                dx: at.0 - state.last.0,
                dy: at.1 - state.last.1,
            });
            state.last = at;
        })
    };
    let onpointerup = {
        let (press, dragged, svg_ref) = (press.clone(), dragged.clone(), svg_ref.clone());
        let fingers = fingers.clone();
        Callback::from(move |event: PointerEvent| {
            fingers
                .borrow_mut()
                .retain(|(id, _)| *id != event.pointer_id());
            let ended = press.borrow_mut().take();
            if ended.is_some_and(|p| p.dragging) {
                dragged.set(true);
            }
            if let Some(svg) = svg_ref.cast::<Element>() {
                let _ = svg.release_pointer_capture(event.pointer_id());
            }
        })
    };
    let onclick = {
        let (dragged, on_select, on_clear) = (
            dragged.clone(),
            props.on_select.clone(),
            props.on_clear.clone(),
        );
        Callback::from(move |event: MouseEvent| {
            if dragged.replace(false) {
                return;
            }
            match target_closest(&event, "[data-graph-id]").and_then(|row| graph_id_of(&row)) {
                Some(id) => on_select.emit(id),
                None if target_closest(&event, ".lineage-box").is_none() => on_clear.emit(()),
                None => {}
            }
        })
    };
    let onkeydown = {
        let (on_select, on_expand) = (props.on_select.clone(), props.on_expand.clone());
        Callback::from(move |event: KeyboardEvent| {
            if event.key() != "Enter" && event.key() != " " {
                return;
            }
            let expand = target_closest(&event, ".lineage-expand")
                .and_then(|control| control.get_attribute("data-table"));
            if let Some(table) = expand {
                event.prevent_default();
                on_expand.emit(table);
                return;
            }
            if let Some(id) =
                target_closest(&event, "[data-graph-id]").and_then(|row| graph_id_of(&row))
            {
                event.prevent_default();
                on_select.emit(id);
            }
        })
    };
    let ondblclick = {
        let (on_open, scene) = (props.on_open.clone(), props.scene.clone());
        Callback::from(move |event: MouseEvent| {
            let index = target_closest(&event, ".lineage-box")
                .and_then(|element| element.get_attribute("data-box"))
                .and_then(|index| index.parse::<usize>().ok());
            if let Some(owner) = index.and_then(|index| scene.owners.get(index)) {
                on_open.emit(owner.clone());
            }
        })
    };

    let layout = &props.scene.layout;
    let has_selection = props.highlight.is_some();
    // Before the canvas is measured, a band as high as a large screen.
    let band = if props.draw_all {
        (f64::NEG_INFINITY, f64::INFINITY)
    } else {
        props.viewport.visible_band(canvas_height.unwrap_or(2000.0))
    };
    let all_edges = layout.edges.len() <= ALL_EDGES_UP_TO;
    let edges = layout
        .edges
        .iter()
        .enumerate()
        .filter(|(_, edge)| all_edges || Viewport::edge_meets_band(&edge.points, band))
        .map(|(index, edge)| draw_edge(index, edge, props, &hovered, &container));
    let boxes = layout
        .boxes
        .iter()
        .enumerate()
        .map(|(index, layout_box)| draw_box(index, layout_box, props, band));
    let tooltip = (*hovered).and_then(|hover| edge_tooltip(hover, props));
    let viewport = props.viewport;

    html! {
        <div
            class={classes!("lineage-canvas", has_selection.then_some("has-selection"))}
            data-testid="lineage-canvas"
            data-scale={format!("{:.3}", viewport.scale)}
            data-x={format!("{:.1}", viewport.x_offset)}
            data-y={format!("{:.1}", viewport.y_offset)}
            data-boxes={layout.boxes.len().to_string()}
            ref={container.clone()}
        >
            <svg
                class="lineage-svg"
                xmlns="http://www.w3.org/2000/svg"
                width="100%"
                height="100%"
                role="img"
                aria-label="Column lineage graph"
                ref={svg_ref}
                {onpointerdown}
                {onpointermove}
                onpointerup={onpointerup.clone()}
                onpointercancel={onpointerup}
                {onclick}
                {ondblclick}
                {onkeydown}
            >
                { arrow_markers() }
                <rect class="lineage-background" width="100%" height="100%" fill="#f8fafc" />
                <g class="lineage-scene" transform={viewport.transform()} data-width={layout.width.to_string()} data-height={layout.height.to_string()}>
                    <g class="lineage-edges">{ for edges }</g>
                    <g class="lineage-boxes">{ for boxes }</g>
                </g>
            </svg>
            { tooltip.unwrap_or_default() }
        </div>
    }
}

/// Pans so that the anchor's box stays where it was on screen when a new
/// scene moves it, as after an expand, unless the view is about to fit.
#[hook]
fn use_steady_anchor(props: &LineageCanvasProps) {
    // Box title → layout position in the scene drawn before.
    let previous = use_mut_ref(std::collections::HashMap::<String, (f64, f64)>::new);
    let (on_view, scale) = (props.on_view.clone(), props.viewport.scale);
    let (anchor, fit_pending) = (props.anchor.clone(), props.fit_pending);
    use_effect_with(props.scene.clone(), move |scene| {
        let positions =
            |layout_box: &LayoutBox| (layout_box.title.clone(), (layout_box.x, layout_box.y));
        let current: std::collections::HashMap<String, (f64, f64)> =
            scene.layout.boxes.iter().map(positions).collect();
        let moved = anchor.filter(|_| !fit_pending).and_then(|anchor| {
            let title = scene
                .layout
                .boxes
                .iter()
                .find(|b| b.title.eq_ignore_ascii_case(&anchor))?
                .title
                .clone();
            let before = previous.borrow().get(&title).copied()?;
            let after = current.get(&title).copied()?;
            Some(((before.0 - after.0) * scale, (before.1 - after.1) * scale))
        });
        if let Some((dx, dy)) = moved.filter(|(dx, dy)| dx.abs() > 0.5 || dy.abs() > 0.5) {
            on_view.emit(ViewAction::Pan { dx, dy });
        }
        *previous.borrow_mut() = current;
    });
}

/// Zooms on wheel events over `container` around the pointer. The
/// listener is registered by hand because it must be able to prevent the
/// page from scrolling, which a passive listener cannot.
#[hook]
fn use_wheel_zoom(container: &NodeRef, on_view: Callback<ViewAction>) {
    // The latest callback, so the listener is registered once.
    let latest = use_mut_ref(|| on_view.clone());
    *latest.borrow_mut() = on_view;
    let container = container.clone();
    use_effect_with((), move |_| {
        let listener = container.cast::<HtmlElement>().map(|element| {
            let target = element.clone();
            EventListener::new_with_options(
                &target,
                "wheel",
                EventListenerOptions::enable_prevent_default(),
                move |event| {
                    let Some(wheel) = event.dyn_ref::<web_sys::WheelEvent>() else {
                        return;
                    };
                    wheel.prevent_default();
                    let unit = match wheel.delta_mode() {
                        1 => WHEEL_LINE,
                        2 => WHEEL_PAGE,
                        _ => 1.0,
                    };
                    let rect = element.get_bounding_client_rect();
                    latest.borrow().emit(ViewAction::ZoomAt {
                        factor: Viewport::wheel_factor(wheel.delta_y() * unit),
                        x: f64::from(wheel.client_x()) - rect.left(),
                        y: f64::from(wheel.client_y()) - rect.top(),
                    });
                },
            )
        });
        move || drop(listener)
    });
}

fn target_closest(event: &Event, selector: &str) -> Option<Element> {
    let target = event.target()?.dyn_into::<Element>().ok()?;
    target.closest(selector).ok().flatten()
}

fn graph_id_of(element: &Element) -> Option<usize> {
    element.get_attribute("data-graph-id")?.parse().ok()
}

fn kind_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Source => "source",
        TableKind::Model => "model",
        TableKind::Cte => "cte",
        TableKind::Subquery => "subquery",
    }
}

/// Returns the fill of a row, by its role in the highlight.
fn row_fill(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Selected) => "#fde68a",
        Some(Role::Upstream) => "#dbeafe",
        Some(Role::Downstream) => "#fee2e2",
        Some(Role::Indirect) => "#ede9fe",
        None => "#ffffff",
    }
}

/// Returns the header fill and outline of a box, by its table's kind.
fn box_colours(kind: TableKind) -> (&'static str, &'static str) {
    match kind {
        TableKind::Source => ("#e2e8f0", "#64748b"),
        TableKind::Model => ("#dbe4ff", "#4c6ef5"),
        TableKind::Cte | TableKind::Subquery => ("#f1f5f9", "#94a3b8"),
    }
}

/// Pans to a newly selected column whose row is out of sight, as after a
/// pick in the schema panel far down a box of many columns.
#[hook]
fn use_selected_in_view(props: &LineageCanvasProps, container: &NodeRef) {
    let selected = props.highlight.as_ref().map(|h| h.selected.index());
    let (scene, viewport) = (props.scene.clone(), props.viewport);
    let (container, on_view) = (container.clone(), props.on_view.clone());
    let skip = props.fit_pending || !props.visible;
    use_effect_with(selected, move |selected| {
        let Some((box_index, row_index)) = selected.and_then(|id| scene.position_of(id)) else {
            return;
        };
        let Some(element) = container.cast::<Element>().filter(|_| !skip) else {
            return;
        };
        let (width, height) = (
            f64::from(element.client_width()),
            f64::from(element.client_height()),
        );
        let layout_box = &scene.layout.boxes[box_index];
        let row = &layout_box.rows[row_index];
        let (x, y) = (
            layout_box.x + layout_box.width / 2.0,
            layout_box.y + row.y + row.height / 2.0,
        );
        let on_screen = y * viewport.scale + viewport.y_offset;
        if height > 0.0 && !(0.0..=height).contains(&on_screen) {
            on_view.emit(ViewAction::SetViewport(viewport.center_on(
                x,
                y,
                width / 2.0,
                height / 2.0,
            )));
        }
    });
}

/// Returns the canvas's height in pixels, measured after each render and
/// `None` before the first; a change renders the canvas again.
#[hook]
fn use_canvas_height(container: &NodeRef) -> Option<f64> {
    let height = use_state(|| None::<f64>);
    {
        let (container, height) = (container.clone(), height.clone());
        use_effect(move || {
            let measured = container
                .cast::<Element>()
                .map(|element| f64::from(element.client_height()))
                .filter(|&pixels| pixels > 0.0);
            if measured.is_some() && measured != *height {
                height.set(measured);
            }
        });
    }
    *height
}

fn draw_box(
    index: usize,
    layout_box: &LayoutBox,
    props: &LineageCanvasProps,
    band: (f64, f64),
) -> Html {
    let scene = &props.scene;
    let graph = &props.lineage.graph;
    let owner = scene.owners.get(index).cloned().unwrap_or_default();
    let kind = kind_name(layout_box.kind);
    let (header_fill, outline) = box_colours(layout_box.kind);
    let is_own_box = matches!(layout_box.kind, TableKind::Model | TableKind::Source);
    let hidden = if is_own_box {
        props.lineage.tables.hidden_neighbours(&owner, &scene.shown)
    } else {
        0
    };
    let width = layout_box.width;
    let drawn = Viewport::rows_to_draw(layout_box.y, &layout_box.rows, band);
    let rows = layout_box.rows[drawn.clone()].iter().zip(drawn).map(|(row, row_index)| {
        let graph_id = scene.row_ids.get(index).and_then(|rows| rows.get(row_index)).copied();
        let id = graph_id.and_then(|id| graph.id(id));
        let role = id.and_then(|id| props.highlight.as_ref()?.role(id));
        let indirect = id.is_some_and(|id| props.highlight.as_ref().is_some_and(|h| h.is_indirect_input(id)));
        let node = id.map(|id| graph.node(id));
        let tooltip = node.map(|node| {
            let mut text = format!("{}: {}", column_label(node), node.ty);
            if let Some(reason) = &node.unresolved {
                text.push_str(&format!("\nunresolved: {reason}"));
            }
            text
        });
        html! {
            <g
                key={row_index}
                class={classes!("lineage-column", role.map(Role::as_str), row.focus.then_some("focus"))}
                data-testid="lineage-column"
                data-table={node.map(|n| n.table.clone())}
                data-column={row.name.clone()}
                data-graph-id={graph_id.map(|id| id.to_string())}
                data-role={role.map(Role::as_str)}
                data-indirect-input={indirect.then_some("true")}
                transform={format!("translate(0 {})", row.y)}
                tabindex="0"
                role="button"
                aria-pressed={(role == Some(Role::Selected)).to_string()}
            >
                <title>{ tooltip.unwrap_or_default() }</title>
                <rect
                    x="1" width={(width - 2.0).to_string()} height={row.height.to_string()}
                    fill={row_fill(role)}
                    stroke={if indirect { "#7c3aed" } else { "none" }}
                    stroke-dasharray={indirect.then_some("3 2")}
                />
                <text x={PADDING.to_string()} y={(row.height - 5.0).to_string()} font-size="12" fill="#0f172a"
                    font-family="ui-monospace, 'DejaVu Sans Mono', monospace">
                    { shown_label(&row.name, MAX_NAME_CHARS) }
                </text>
                <text x={(width - PADDING).to_string()} y={(row.height - 5.0).to_string()} font-size="11" fill="#64748b"
                    text-anchor="end" font-family="ui-monospace, 'DejaVu Sans Mono', monospace">
                    { shown_label(&row.ty, MAX_TYPE_CHARS) }
                </text>
                if row.unresolved.is_some() {
                    <circle cx="4" cy={(row.height / 2.0).to_string()} r="2.5" fill="#d97706" />
                }
            </g>
        }
    });
    let expand = (hidden > 0).then(|| {
        let onclick = {
            let owner = owner.clone();
            props.on_expand.reform(move |event: MouseEvent| {
                event.stop_propagation();
                owner.clone()
            })
        };
        let label = if hidden == 1 {
            format!("Show the 1 hidden table next to {owner}")
        } else {
            format!("Show the {hidden} hidden tables next to {owner}")
        };
        html! {
            <g class="lineage-expand" data-testid="lineage-expand" data-table={owner.clone()} data-hidden={hidden.to_string()}
                transform={format!("translate({} 4)", width - 22.0)} role="button" tabindex="0" aria-label={label.clone()}
                {onclick}>
                <title>{ label }</title>
                <rect width="18" height="18" rx="4" fill="#ffffff" stroke={outline} />
                <text x="9" y="13.5" text-anchor="middle" font-size="13" font-weight="700" fill="#1e293b">{ "+" }</text>
            </g>
        }
    });
    html! {
        <g
            class={classes!("lineage-box", kind, layout_box.focus.then_some("focus"))}
            data-testid="lineage-box"
            data-box={index.to_string()}
            data-table={layout_box.title.clone()}
            data-owner={owner.clone()}
            data-kind={kind}
            data-focus={layout_box.focus.then_some("true")}
            transform={format!("translate({} {})", layout_box.x, layout_box.y)}
        >
            <rect width={width.to_string()} height={layout_box.height.to_string()} rx="6" fill="#ffffff"
                stroke={if layout_box.focus { "#1d4ed8" } else { outline }}
                stroke-width={if layout_box.focus { "2.5" } else { "1" }}
                stroke-dasharray={(!is_own_box).then_some("4 3")} />
            <path d={format!("M 0 6 a 6 6 0 0 1 6 -6 h {} a 6 6 0 0 1 6 6 v {} h {} z", width - 12.0, HEADER_HEIGHT - 6.0, -width)}
                fill={header_fill} />
            <text class="lineage-box-title" x={PADDING.to_string()} y="17" font-size="12" font-weight="700" fill="#0f172a"
                font-family="ui-monospace, 'DejaVu Sans Mono', monospace">
                <title>{ format!("{kind} {} (double-click to open its file)", layout_box.title) }</title>
                { shown_label(&layout_box.title, MAX_TITLE_CHARS) }
            </text>
            { expand.unwrap_or_default() }
            { for rows }
        </g>
    }
}

/// Returns the stroke of an edge: colour, width, dash pattern and marker.
fn edge_stroke(
    kind: LineageKind,
    role: Option<Role>,
) -> (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
) {
    let indirect = matches!(kind, LineageKind::Indirect(_));
    let dash = indirect.then_some("5 4");
    match role {
        Some(Role::Upstream) | Some(Role::Selected) => ("#2563eb", "2.4", dash, "upstream"),
        Some(Role::Downstream) => ("#dc2626", "2.4", dash, "downstream"),
        Some(Role::Indirect) => ("#7c3aed", "2.4", dash, "indirect"),
        None if indirect => ("#a78bfa", "1.3", dash, "indirect"),
        None => ("#94a3b8", "1.3", dash, "plain"),
    }
}

fn draw_edge(
    index: usize,
    edge: &LayoutEdge,
    props: &LineageCanvasProps,
    hovered: &UseStateHandle<Option<HoveredEdge>>,
    container: &NodeRef,
) -> Html {
    let graph = &props.lineage.graph;
    let ends = props.scene.edge_ends(index);
    let from = ends.and_then(|(from, _)| graph.id(from));
    let to = ends.and_then(|(_, to)| to).and_then(|to| graph.id(to));
    let owner = props
        .scene
        .owners
        .get(edge.to_box)
        .cloned()
        .unwrap_or_default();
    let role = match (&props.highlight, from, to) {
        (Some(highlight), Some(from), Some(to)) => highlight.direct_edge_role(from, to),
        (Some(highlight), Some(from), None) => highlight.indirect_edge_role(from, &owner),
        _ => None,
    };
    let (colour, width, dash, marker) = edge_stroke(edge.kind, role);
    let dimmed = props.highlight.is_some() && role.is_none();
    let d = edge_path(&edge.points);
    let from_label = from
        .map(|id| column_label(graph.node(id)))
        .unwrap_or_default();
    let to_label = match to {
        Some(id) => column_label(graph.node(id)),
        None => owner.clone(),
    };
    let onmouseenter = {
        let (hovered, container) = (hovered.clone(), container.clone());
        Callback::from(move |event: MouseEvent| {
            let Some(element) = container.cast::<Element>() else {
                return;
            };
            let rect = element.get_bounding_client_rect();
            hovered.set(Some(HoveredEdge {
                edge: index,
                x: f64::from(event.client_x()) - rect.left(),
                y: f64::from(event.client_y()) - rect.top(),
            }));
        })
    };
    let onmouseleave = {
        let hovered = hovered.clone();
        Callback::from(move |_: MouseEvent| {
            if hovered.is_some_and(|hover| hover.edge == index) {
                hovered.set(None);
            }
        })
    };
    html! {
        <g
            class={classes!("lineage-edge", role.map(Role::as_str), dimmed.then_some("dimmed"))}
            data-testid="lineage-edge"
            data-edge={index.to_string()}
            data-from={from_label}
            data-to={to_label}
            data-kind={edge.kind.facet_name()}
            data-indirect={matches!(edge.kind, LineageKind::Indirect(_)).to_string()}
            data-role={role.map(Role::as_str)}
            opacity={dimmed.then_some("0.25")}
            {onmouseenter}
            {onmouseleave}
        >
            <path class="lineage-edge-hit" d={d.clone()} fill="none" stroke="transparent" stroke-width="10" />
            <path class="lineage-edge-line" {d} fill="none" stroke={colour} stroke-width={width}
                stroke-dasharray={dash} marker-end={format!("url(#lineage-arrow-{marker})")} />
        </g>
    }
}

fn arrow_markers() -> Html {
    let markers = [
        ("plain", "#94a3b8"),
        ("indirect", "#7c3aed"),
        ("upstream", "#2563eb"),
        ("downstream", "#dc2626"),
    ];
    html! {
        <defs>
            { for markers.iter().map(|(name, colour)| html! {
                <marker id={format!("lineage-arrow-{name}")} viewBox="0 0 8 8" refX="8" refY="4"
                    markerWidth="6" markerHeight="6" orient="auto">
                    <path d="M 0 0 L 8 4 L 0 8 z" fill={*colour} />
                </marker>
            }) }
        </defs>
    }
}

/// Returns the expressions an edge stands for. An edge from a model or
/// source column may cross hidden CTEs, so its steps come from walking the
/// graph. An edge from a CTE column is one step with its own expression.
fn edge_steps(
    graph: &rocky_core::ColumnGraph,
    from: rocky_core::ColumnId,
    to: Option<rocky_core::ColumnId>,
    expression: Option<&str>,
) -> Vec<String> {
    let walked = to.and_then(|to| {
        nearest_inputs(graph, to)
            .into_iter()
            .find(|definition| definition.input == from)
    });
    match walked {
        Some(definition) => definition.expressions,
        None => expression.map(str::to_string).into_iter().collect(),
    }
}

fn edge_tooltip(hover: HoveredEdge, props: &LineageCanvasProps) -> Option<Html> {
    let edge = props.scene.layout.edges.get(hover.edge)?;
    let graph = &props.lineage.graph;
    let (from, to) = props.scene.edge_ends(hover.edge)?;
    let from = graph.id(from)?;
    let to = to.and_then(|to| graph.id(to));
    let steps = edge_steps(graph, from, to, edge.expression.as_deref());
    // One line stands for every kind the input has towards this model.
    let kinds = std::iter::once(edge.kind)
        .chain(edge.also.iter().copied())
        .map(|kind| kind.facet_name())
        .collect::<Vec<_>>()
        .join(", ");
    let from = column_label(graph.node(from));
    let to = match to {
        Some(id) => column_label(graph.node(id)),
        None => format!("every row of {}", props.scene.owners.get(edge.to_box)?),
    };
    Some(html! {
        <div
            class="lineage-edge-tooltip"
            data-testid="lineage-edge-tooltip"
            data-kind={edge.kind.facet_name()}
            role="tooltip"
            style={format!("left: {:.0}px; top: {:.0}px", hover.x + 12.0, hover.y + 12.0)}
        >
            <div class="lineage-tooltip-kind">{ kinds }</div>
            <div class="lineage-tooltip-ends">{ format!("{from} \u{2192} {to}") }</div>
            { for steps.iter().map(|step| html! {
                <code class="lineage-tooltip-expression" data-testid="lineage-edge-expression">{ step }</code>
            }) }
        </div>
    })
}
