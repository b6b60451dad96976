//! The column lineage graph view: search, controls, the canvas and the
//! selected column's summary. It follows the open file's model, lights up
//! the selected column's path, and exports the graph.

use std::rc::Rc;

use rocky_core::export::{export, Format, OpenLineageOptions};
use rocky_core::layout::{CteDisplay, Focus, LineageView, Reach, ViewOptions};
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::components::lineage_canvas::LineageCanvas;
use crate::components::lineage_search::LineageSearch;
use crate::components::lineage_summary::LineageSummary;
use crate::components::lineage_toolbar::LineageToolbar;
use crate::download::download_file;
use crate::lineage::export::{ExportFormat, ExportScope};
use crate::lineage::highlight::Highlight;
use crate::lineage::scene::{build_scene, Scene};
use crate::lineage::search::SearchHit;
use crate::lineage::view::{focus_label, ViewAction, ViewState};
use crate::lineage::{LineageData, SharedLineage};
use crate::state::{ColumnRef, SharedCompilation};

#[derive(Properties, PartialEq)]
pub struct LineageViewProps {
    pub compilation: SharedCompilation,
    /// The model or source table of the open file, which the view follows.
    pub open_table: Option<String>,
    pub selected: Option<ColumnRef>,
    /// False while the view's tab is hidden.
    pub visible: bool,
    pub on_select: Callback<ColumnRef>,
    pub on_clear: Callback<()>,
    /// Opens the file of a model or source table.
    pub on_open_table: Callback<String>,
    /// Shows the compact toolbar of the embedded view, without exports.
    #[prop_or_default]
    pub compact: bool,
}

/// The inputs the view draws from: the compile, the open table and the
/// selection.
#[derive(Clone)]
struct Drawn {
    compilation: SharedCompilation,
    open_table: Option<String>,
    selected: Option<ColumnRef>,
}

#[component]
pub fn LineageGraphView(props: &LineageViewProps) -> Html {
    // While its tab is hidden the view keeps the inputs it drew last, so an
    // edit does not build, lay out and draw a hidden graph. For a model of
    // 10,000 columns that took most of a second at every compile. The view
    // catches up once shown, and until first shown it draws nothing.
    let drawn = use_mut_ref(|| None::<Drawn>);
    let Drawn {
        compilation,
        open_table,
        selected,
    } = {
        let mut drawn = drawn.borrow_mut();
        if props.visible {
            *drawn = Some(Drawn {
                compilation: props.compilation.clone(),
                open_table: props.open_table.clone(),
                selected: props.selected.clone(),
            });
        }
        drawn
            .get_or_insert_with(|| Drawn {
                compilation: SharedCompilation::default(),
                open_table: None,
                selected: None,
            })
            .clone()
    };
    let lineage = {
        let built = use_memo(compilation.clone(), |compilation| {
            LineageData::build(compilation)
        });
        SharedLineage(Rc::clone(&built))
    };
    let view = use_reducer(ViewState::default);
    let scope = use_state(ExportScope::default);
    let export_error = use_state(|| None::<String>);
    let canvas_ref = use_node_ref();

    {
        let view = view.clone();
        use_effect_with(open_table, move |open_table| {
            if let Some(table) = open_table {
                view.dispatch(ViewAction::Focus(Focus::Table(table.clone())));
            }
        });
    }

    let scene: Rc<Result<Rc<Scene>, String>> = {
        let key = (
            lineage.clone(),
            view.focus.clone(),
            view.hops,
            view.included.clone(),
            view.show_ctes,
        );
        let view = view.clone();
        use_memo(key, move |(lineage, ..)| {
            build_scene(lineage, &view).map(Rc::new)
        })
    };
    let selected_id = selected
        .as_ref()
        .and_then(|selected| lineage.graph.find(&selected.model, &selected.column));
    let highlight: Option<Rc<Highlight>> = {
        let built = use_memo((lineage.clone(), selected_id), |(lineage, selected)| {
            selected.map(|id| Rc::new(Highlight::of(&lineage.graph, id)))
        });
        (*built).clone()
    };

    {
        // A column newly selected elsewhere, such as in the schema panel,
        // whose table has no box becomes the focus, so it is in view. Only
        // a new selection moves the focus, not a focus change that leaves
        // the selection out of view.
        let shown = match (scene.as_ref(), selected_id) {
            (Ok(scene), Some(id)) => scene.position_of(id.index()).is_some(),
            _ => true,
        };
        let view = view.clone();
        let node = selected_id.map(|id| lineage.graph.node(id).clone());
        use_effect_with(selected_id, move |_| {
            if let (false, Some(node)) = (shown, node) {
                view.dispatch(ViewAction::Focus(Focus::Column {
                    table: node.table,
                    column: node.column,
                }));
            }
        });
    }

    let on_view = {
        let view = view.clone();
        Callback::from(move |action: ViewAction| view.dispatch(action))
    };
    let on_select_id = {
        let (lineage, on_select) = (lineage.clone(), props.on_select.clone());
        Callback::from(move |index: usize| {
            if let Some(id) = lineage.graph.id(index) {
                let node = lineage.graph.node(id);
                on_select.emit(ColumnRef {
                    model: node.table.clone(),
                    column: node.column.clone(),
                });
            }
        })
    };
    let on_expand = {
        let (lineage, view) = (lineage.clone(), view.clone());
        Callback::from(move |table: String| {
            let neighbours = lineage.tables.neighbours(&table);
            view.dispatch(ViewAction::Expand { table, neighbours });
        })
    };
    let on_pick = {
        let (view, on_select) = (view.clone(), props.on_select.clone());
        Callback::from(move |hit: SearchHit| match hit.column {
            Some(column) => {
                view.dispatch(ViewAction::Focus(Focus::Column {
                    table: hit.table.clone(),
                    column: column.clone(),
                }));
                on_select.emit(ColumnRef {
                    model: hit.table,
                    column,
                });
            }
            None => view.dispatch(ViewAction::Focus(Focus::Table(hit.table))),
        })
    };
    let on_show_path = {
        let (view, lineage, highlight) = (view.clone(), lineage.clone(), highlight.clone());
        Callback::from(move |()| {
            if let Some(highlight) = &highlight {
                let tables = highlight.tables(&lineage.graph).into_iter().collect();
                view.dispatch(ViewAction::Include(tables));
            }
        })
    };
    let on_zoom = {
        let (view, canvas_ref) = (view.clone(), canvas_ref.clone());
        Callback::from(move |factor: f64| {
            let (x, y) = canvas_ref
                .cast::<Element>()
                .and_then(|wrapper| {
                    wrapper
                        .query_selector("[data-testid=lineage-canvas]")
                        .ok()
                        .flatten()
                })
                .map(|canvas| {
                    (
                        f64::from(canvas.client_width()) / 2.0,
                        f64::from(canvas.client_height()) / 2.0,
                    )
                })
                .unwrap_or((0.0, 0.0));
            view.dispatch(ViewAction::ZoomAt { factor, x, y });
        })
    };
    // The SVG export copies the drawing, so the canvas first draws every
    // row of its large boxes; the effect below copies it once drawn.
    let svg_pending = use_state(|| false);
    {
        let (canvas_ref, scene) = (canvas_ref.clone(), scene.clone());
        let (svg_pending, export_error) = (svg_pending.clone(), export_error.clone());
        let project = compilation.project.clone();
        use_effect_with(*svg_pending, move |pending| {
            if *pending {
                let downloaded =
                    current_svg(&canvas_ref, scene.as_ref().as_ref().ok().map(Rc::as_ref))
                        .and_then(|text| {
                            let name = ExportFormat::Svg.file_name(&project, None);
                            download_file(&name, ExportFormat::Svg.media_type(), &text)
                        });
                report_export(ExportFormat::Svg, &downloaded);
                export_error.set(downloaded.err());
                svg_pending.set(false);
            }
        });
    }
    let on_export = {
        let (lineage, view, scope, export_error) = (
            lineage.clone(),
            view.clone(),
            scope.clone(),
            export_error.clone(),
        );
        let svg_pending = svg_pending.clone();
        let selected = selected.clone();
        let project = compilation.project.clone();
        Callback::from(move |format: ExportFormat| {
            if format == ExportFormat::Svg {
                svg_pending.set(true);
                return;
            }
            let column = selected.as_ref().filter(|_| *scope == ExportScope::Column);
            let downloaded =
                export_text(&lineage, &view, column, format, &project).and_then(|text| {
                    let subject = column.map(|c| format!("{}.{}", c.model, c.column));
                    let name = format.file_name(&project, subject.as_deref());
                    download_file(&name, format.media_type(), &text)
                });
            report_export(format, &downloaded);
            export_error.set(downloaded.err());
        })
    };
    let on_ctes = {
        let view = view.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            view.dispatch(ViewAction::SetShowCtes(input.checked()));
        })
    };

    let scope_value = if selected.is_some() {
        *scope
    } else {
        ExportScope::Project
    };
    let focus = view.focus.as_ref().map(focus_label).unwrap_or_default();
    html! {
        <section class="lineage-view" data-testid="lineage-view" data-focus={focus.clone()} data-hops={view.hops.to_string()}
            aria-label="Column lineage graph" ref={canvas_ref.clone()}>
            <div class="lineage-view-bar">
                <LineageSearch lineage={lineage.clone()} {on_pick} />
                <label class="lineage-ctes">
                    <input type="checkbox" data-testid="lineage-show-ctes" checked={view.show_ctes} onchange={on_ctes} />
                    { "CTEs" }
                </label>
                <LineageToolbar
                    hops={view.hops}
                    zoom_percent={(view.viewport.scale * 100.0).round() as u32}
                    scope={scope_value}
                    column_scope_enabled={selected.is_some()}
                    on_hops={on_view.reform(ViewAction::SetHops)}
                    {on_zoom}
                    on_fit={on_view.reform(|()| ViewAction::RequestFit)}
                    on_reset={on_view.reform(|()| ViewAction::Reset)}
                    on_scope={Callback::from(move |value| scope.set(value))}
                    {on_export}
                    compact={props.compact}
                />
            </div>
            if let Some(message) = (*export_error).clone() {
                <p class="lineage-error" role="alert" data-testid="lineage-export-error">{ message }</p>
            }
            <p class="lineage-legend" aria-label="Legend">
                <span class="legend upstream">{ "upstream" }</span>
                <span class="legend selected">{ "selected" }</span>
                <span class="legend downstream">{ "downstream" }</span>
                <span class="legend indirect">{ "indirect input (dashed)" }</span>
                <span class="lineage-focus">
                    { format!("around {focus} \u{b7} drag to pan \u{b7} wheel to zoom \u{b7} double-click a title to open its file") }
                </span>
            </p>
            { match scene.as_ref() {
                Ok(scene) if view.focus.is_some() => html! {
                    <LineageCanvas
                        scene={Rc::clone(scene)}
                        lineage={lineage.clone()}
                        highlight={highlight.clone()}
                        viewport={view.viewport}
                        fit_pending={view.fit_pending}
                        visible={props.visible}
                        anchor={view.anchor.clone()}
                        {on_view}
                        on_select={on_select_id.clone()}
                        on_clear={props.on_clear.clone()}
                        on_open={props.on_open_table.clone()}
                        {on_expand}
                        draw_all={*svg_pending}
                    />
                },
                Ok(_) => html! { <p class="empty">{ "Open a model or source, or search, to see its lineage." }</p> },
                Err(message) => html! {
                    <p class="lineage-error" data-testid="lineage-view-error">
                        { format!("The lineage view cannot show {focus}: {message}.") }
                    </p>
                },
            } }
            <LineageSummary lineage={lineage.clone()} {highlight} {on_show_path} on_select={on_select_id} />
        </section>
    }
}

/// Writes the whole graph, or `column`'s upstream and downstream paths,
/// in a text format of core's export module, with CTE tables as the view
/// currently shows them.
fn export_text(
    lineage: &LineageData,
    view: &ViewState,
    column: Option<&ColumnRef>,
    format: ExportFormat,
    project: &str,
) -> Result<String, String> {
    let focus = match column {
        Some(column) => Focus::Column {
            table: column.model.clone(),
            column: column.column.clone(),
        },
        None => Focus::All,
    };
    let options = ViewOptions {
        focus,
        reach: Reach::Both,
        hops: None,
        include: Vec::new(),
        ctes: if view.show_ctes {
            CteDisplay::Tables
        } else {
            CteDisplay::Collapsed
        },
        indirect: true,
    };
    let selected =
        LineageView::select(&lineage.graph, &options).map_err(|error| error.to_string())?;
    let format = match format {
        ExportFormat::Json => Format::Json,
        ExportFormat::OpenLineage => Format::OpenLineage,
        ExportFormat::Dot => Format::Dot,
        ExportFormat::Mermaid => Format::Mermaid,
        ExportFormat::Svg => Format::Svg,
    };
    let mut options = OpenLineageOptions::for_project(if project.is_empty() {
        "project"
    } else {
        project
    });
    options.event_time = js_sys::Date::new_0().to_iso_string().as_string();
    export(&selected, format, &options).map_err(|error| error.to_string())
}

/// Returns the canvas's drawing as an SVG document: a copy of the `<svg>`
/// element, unpanned and unzoomed, sized to the whole layout, without the
/// expand controls.
/// Logs a failed download to the console; the view shows its message.
fn report_export(format: ExportFormat, downloaded: &Result<(), String>) {
    if let Err(message) = downloaded {
        gloo::console::error!(format!(
            "exporting the lineage as {} failed: {message}",
            format.label()
        ));
    }
}

fn current_svg(wrapper: &NodeRef, scene: Option<&Scene>) -> Result<String, String> {
    let scene = scene.ok_or("the view has nothing to export")?;
    let svg = wrapper
        .cast::<Element>()
        .and_then(|wrapper| wrapper.query_selector("svg.lineage-svg").ok().flatten())
        .ok_or("the view has no drawing yet")?;
    let copy = svg
        .clone_node_with_deep(true)
        .map_err(|_| "copying the drawing failed")?
        .dyn_into::<Element>()
        .map_err(|_| "the copied drawing is not an element")?;
    let (width, height) = (scene.layout.width.ceil(), scene.layout.height.ceil());
    let set = |element: &Element, name: &str, value: &str| {
        element
            .set_attribute(name, value)
            .map_err(|_| format!("setting {name} on the copied drawing failed"))
    };
    set(&copy, "width", &width.to_string())?;
    set(&copy, "height", &height.to_string())?;
    set(&copy, "viewBox", &format!("0 0 {width} {height}"))?;
    set(&copy, "xmlns", "http://www.w3.org/2000/svg")?;
    if let Ok(Some(group)) = copy.query_selector(".lineage-scene") {
        let _ = group.remove_attribute("transform");
    }
    if let Ok(controls) = copy.query_selector_all(".lineage-expand") {
        for index in 0..controls.length() {
            if let Some(control) = controls
                .item(index)
                .and_then(|n| n.dyn_into::<Element>().ok())
            {
                control.remove();
            }
        }
    }
    let serializer =
        web_sys::XmlSerializer::new().map_err(|_| "the browser has no XMLSerializer")?;
    let text = serializer
        .serialize_to_string(&copy)
        .map_err(|_| "serializing the drawing failed")?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}\n"
    ))
}
