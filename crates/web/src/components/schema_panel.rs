//! The output schema of the open model or source; a click selects a column
//! for the lineage trace.

use yew::prelude::*;

use crate::state::{ColumnRef, SchemaTable, TargetKind};

#[derive(Properties, PartialEq)]
pub struct SchemaPanelProps {
    pub tables: Vec<SchemaTable>,
    pub selected: Option<ColumnRef>,
    pub on_select: Callback<ColumnRef>,
}

#[component]
pub fn SchemaPanel(props: &SchemaPanelProps) -> Html {
    html! {
        <section class="schema" data-testid="schema-panel" aria-label="Schema">
            <h2 class="panel-title">{ "Schema" }</h2>
            if props.tables.is_empty() {
                <p class="empty">{ "Open a model or source to see its columns." }</p>
            }
            { for props.tables.iter().map(|table| schema_table(table, props)) }
        </section>
    }
}

fn schema_table(table: &SchemaTable, props: &SchemaPanelProps) -> Html {
    let kind = match table.target.kind {
        TargetKind::Model => "model",
        TargetKind::Source => "source",
    };
    html! {
        <div class="schema-table" key={table.target.name.clone()}>
            <h3 class="schema-table-name">
                { &table.target.name }
                <span class={classes!("kind", kind)}>{ kind }</span>
            </h3>
            if table.columns.is_empty() {
                <p class="empty">{ "No columns known yet." }</p>
            } else {
                <table class="schema-columns">
                    <thead>
                        <tr><th>{ "Column" }</th><th>{ "Type" }</th></tr>
                    </thead>
                    <tbody>
                        { for table.columns.iter().map(|column| schema_row(table, column, props)) }
                    </tbody>
                </table>
            }
        </div>
    }
}

fn schema_row(table: &SchemaTable, column: &rocky_core::Column, props: &SchemaPanelProps) -> Html {
    let reference = ColumnRef {
        model: table.target.name.clone(),
        column: column.name.clone(),
    };
    let selected = props.selected.as_ref() == Some(&reference);
    let onclick = {
        let reference = reference.clone();
        props
            .on_select
            .reform(move |_: MouseEvent| reference.clone())
    };
    let onkeydown = {
        let on_select = props.on_select.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" || event.key() == " " {
                event.prevent_default();
                on_select.emit(reference.clone());
            }
        })
    };
    let description = table.descriptions.get(&column.name).cloned();
    html! {
        <tr
            class={classes!("schema-row", selected.then_some("selected"))}
            data-testid="schema-row"
            data-column={column.name.clone()}
            data-type={column.ty.clone()}
            tabindex="0"
            aria-selected={selected.to_string()}
            title={description}
            {onclick}
            {onkeydown}
        >
            <td class="column-name">
                { &column.name }
                if column.not_null {
                    <span class="not-null" title="NOT NULL">{ "not null" }</span>
                }
            </td>
            <td class="column-type">{ &column.ty }</td>
        </tr>
    }
}
