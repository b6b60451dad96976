//! The controls above the lineage graph: hops each way, zoom, fit, reset
//! and the export buttons.

use yew::prelude::*;

use crate::lineage::export::{ExportFormat, ExportScope};
use crate::lineage::view::MAX_HOPS;

#[derive(Properties, PartialEq)]
pub struct LineageToolbarProps {
    pub hops: usize,
    /// Percent of the layout's size, for the zoom readout.
    pub zoom_percent: u32,
    pub scope: ExportScope,
    /// False while no column is selected, so only the project can be exported.
    pub column_scope_enabled: bool,
    pub on_hops: Callback<usize>,
    /// Zooms by a factor around the canvas centre.
    pub on_zoom: Callback<f64>,
    pub on_fit: Callback<()>,
    pub on_reset: Callback<()>,
    pub on_scope: Callback<ExportScope>,
    pub on_export: Callback<ExportFormat>,
    /// Leaves out the export controls, as the compact embedded view does.
    #[prop_or_default]
    pub compact: bool,
}

#[component]
pub fn LineageToolbar(props: &LineageToolbarProps) -> Html {
    let hop_buttons = (1..=MAX_HOPS).map(|hops| {
        let onclick = props.on_hops.reform(move |_: MouseEvent| hops);
        let active = hops == props.hops;
        html! {
            <button
                class={classes!("lineage-hops-button", active.then_some("active"))}
                data-testid="lineage-hops"
                data-hops={hops.to_string()}
                aria-pressed={active.to_string()}
                title={format!("Show tables up to {hops} steps upstream and downstream of the focus")}
                {onclick}
            >
                { hops }
            </button>
        }
    });
    let zoom_in = props
        .on_zoom
        .reform(|_: MouseEvent| crate::lineage::viewport::BUTTON_FACTOR);
    let zoom_out = props
        .on_zoom
        .reform(|_: MouseEvent| 1.0 / crate::lineage::viewport::BUTTON_FACTOR);
    let on_fit = props.on_fit.reform(|_: MouseEvent| ());
    let on_reset = props.on_reset.reform(|_: MouseEvent| ());
    let on_scope = {
        let on_scope = props.on_scope.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            on_scope.emit(if select.value() == "column" {
                ExportScope::Column
            } else {
                ExportScope::Project
            });
        })
    };
    let export_buttons = ExportFormat::ALL.iter().map(|&format| {
        let onclick = props.on_export.reform(move |_: MouseEvent| format);
        html! {
            <button
                class="lineage-export-button"
                data-testid="lineage-export"
                data-format={format.id()}
                title={format.description()}
                {onclick}
            >
                { format.label() }
            </button>
        }
    });
    html! {
        <div class="lineage-toolbar" role="toolbar" aria-label="Lineage graph controls">
            <span class="lineage-toolbar-group" aria-label="Hops each way">
                <span class="lineage-toolbar-label">{ "Hops" }</span>
                { for hop_buttons }
            </span>
            <span class="lineage-toolbar-group">
                <button data-testid="lineage-zoom-out" title="Zoom out" aria-label="Zoom out" onclick={zoom_out}>{ "\u{2212}" }</button>
                <span class="lineage-zoom" data-testid="lineage-zoom">{ format!("{}%", props.zoom_percent) }</span>
                <button data-testid="lineage-zoom-in" title="Zoom in" aria-label="Zoom in" onclick={zoom_in}>{ "+" }</button>
                <button data-testid="lineage-fit" title="Fit the graph into the view" onclick={on_fit}>{ "Fit" }</button>
                <button data-testid="lineage-reset" title="Remove the tables added by expanding and show the focus again" onclick={on_reset}>{ "Reset" }</button>
            </span>
            if !props.compact {
            <span class="lineage-toolbar-group lineage-exports">
                <span class="lineage-toolbar-label">{ "Export" }</span>
                <select data-testid="lineage-export-scope" aria-label="What to export" onchange={on_scope}>
                    <option value="project" selected={props.scope == ExportScope::Project}>{ "whole project" }</option>
                    <option value="column" selected={props.scope == ExportScope::Column} disabled={!props.column_scope_enabled}>
                        { "selected column" }
                    </option>
                </select>
                { for export_buttons }
            </span>
            }
        </div>
    }
}
