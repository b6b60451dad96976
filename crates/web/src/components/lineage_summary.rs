//! The selected column's numbers and neighbours under the lineage graph:
//! how many columns it reads and affects, the model and source columns and
//! expressions that define it, and the indirect inputs on its path.

use rocky_core::{ColumnGraph, ColumnId, LineageNode, TableKind};
use yew::prelude::*;

use crate::lineage::definitions::nearest_inputs;
use crate::lineage::highlight::Highlight;
use crate::lineage::SharedLineage;

#[derive(Properties, PartialEq)]
pub struct LineageSummaryProps {
    pub lineage: SharedLineage,
    pub highlight: Option<std::rc::Rc<Highlight>>,
    /// Adds every table of the highlight to the view.
    pub on_show_path: Callback<()>,
    /// Selects a column by graph index.
    pub on_select: Callback<usize>,
}

/// Returns a column's name as the view prints it: `table.column`, where a
/// CTE's or subquery's table name starts with its model's.
pub fn column_label(node: &LineageNode) -> String {
    format!("{}.{}", node.table, node.column)
}

#[component]
pub fn LineageSummary(props: &LineageSummaryProps) -> Html {
    let Some(highlight) = &props.highlight else {
        return html! {
            <p class="lineage-summary empty" data-testid="lineage-summary">
                { "Click a column to light up where it comes from and what it affects." }
            </p>
        };
    };
    let graph = &props.lineage.graph;
    let selected = graph.node(highlight.selected);
    let counts = highlight.counts;
    let on_show_path = props.on_show_path.reform(|_: MouseEvent| ());
    html! {
        <section class="lineage-summary" data-testid="lineage-summary" aria-label="Selected column">
            <h3 class="lineage-summary-title">
                <span class="lineage-summary-name">{ column_label(selected) }</span>
                <span class="column-type">{ &selected.ty }</span>
                if selected.unresolved.is_some() {
                    <span class="lineage-unresolved" title={selected.unresolved.clone()}>{ "unresolved" }</span>
                }
            </h3>
            <p
                class="lineage-counts"
                data-testid="lineage-counts"
                data-affected-columns={counts.affected_columns.to_string()}
                data-affected-models={counts.affected_models.to_string()}
                data-upstream-columns={counts.upstream_columns.to_string()}
                data-upstream-tables={counts.upstream_tables.to_string()}
                data-source-columns={counts.source_columns.to_string()}
                data-indirect-inputs={counts.indirect_inputs.to_string()}
            >
                <span class="lineage-count downstream" data-testid="lineage-blast-radius">{ counts.blast_radius_text() }</span>
                <span class="lineage-count upstream">{ counts.upstream_text() }</span>
                <span class="lineage-count indirect">{ counts.indirect_text() }</span>
                <button class="lineage-show-path" data-testid="lineage-show-path" onclick={on_show_path}
                    title="Add every table on this column's upstream path and blast radius to the graph">
                    { "Show whole path" }
                </button>
            </p>
            { parent_list(graph, highlight.selected, &props.on_select) }
            { indirect_list(graph, highlight, &props.on_select) }
        </section>
    }
}

fn column_button(graph: &ColumnGraph, id: ColumnId, on_select: &Callback<usize>) -> Html {
    let node = graph.node(id);
    let index = id.index();
    let onclick = on_select.reform(move |_: MouseEvent| index);
    let kind = match node.kind {
        TableKind::Source => "source",
        TableKind::Model => "model",
        TableKind::Cte => "cte",
        TableKind::Subquery => "subquery",
    };
    html! {
        <button class={classes!("lineage-column-link", kind)} data-table={node.table.clone()} data-column={node.column.clone()} {onclick}>
            { column_label(node) }
        </button>
    }
}

fn parent_list(graph: &ColumnGraph, selected: ColumnId, on_select: &Callback<usize>) -> Html {
    let inputs = nearest_inputs(graph, selected);
    if inputs.is_empty() {
        return html! {};
    }
    html! {
        <div class="lineage-parents">
            <h4>{ "Computed from" }</h4>
            <ul>
                { for inputs.iter().map(|definition| html! {
                    <li class="lineage-parent" data-testid="lineage-parent" data-kind={definition.kind.facet_name()}>
                        { column_button(graph, definition.input, on_select) }
                        <span class="edge-kind">{ definition.kind.facet_name() }</span>
                        { for definition.expressions.iter().map(|step| html! {
                            <code class="lineage-expression">{ step }</code>
                        }) }
                    </li>
                }) }
            </ul>
        </div>
    }
}

fn indirect_list(graph: &ColumnGraph, highlight: &Highlight, on_select: &Callback<usize>) -> Html {
    let mut inputs: Vec<(ColumnId, &'static str)> = highlight
        .indirect
        .iter()
        .filter_map(|(&index, kind)| Some((graph.id(index)?, kind.facet_name())))
        .collect();
    if inputs.is_empty() {
        return html! {};
    }
    inputs.sort_by_key(|(id, _)| column_label(graph.node(*id)));
    html! {
        <div class="lineage-indirect">
            <h4>{ "Indirect inputs on the path" }</h4>
            <ul>
                { for inputs.iter().map(|(id, kind)| html! {
                    <li class="lineage-indirect-input" data-testid="lineage-indirect-input" data-kind={*kind}>
                        { column_button(graph, *id, on_select) }
                        <span class="edge-kind indirect">{ *kind }</span>
                    </li>
                }) }
            </ul>
        </div>
    }
}
