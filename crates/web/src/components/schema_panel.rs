//! The output schema of the open model or source; a click selects a column
//! for the lineage trace.

use std::collections::HashSet;

use yew::prelude::*;

use crate::components::show_all::{show_all_button, Expanded};
use crate::state::{ColumnRef, SchemaTable, TargetKind};

#[derive(Properties, PartialEq)]
pub struct SchemaPanelProps {
    pub tables: Vec<SchemaTable>,
    pub selected: Option<ColumnRef>,
    pub on_select: Callback<ColumnRef>,
}

/// The rows a table shows until the user asks for all of them. A model of
/// 10,000 columns drew 40,000 elements here at every compile.
pub const LISTED_COLUMNS: usize = 200;

#[component]
pub fn SchemaPanel(props: &SchemaPanelProps) -> Html {
    // The tables, by lower-cased name, whose every column is listed.
    let expanded = use_state(HashSet::<String>::new);
    html! {
        <section class="schema" data-testid="schema-panel" aria-label="Schema">
            <h2 class="panel-title">{ "Schema" }</h2>
            if props.tables.is_empty() {
                <p class="empty">{ "Open a model or source to see its columns." }</p>
            }
            { for props.tables.iter().map(|table| schema_table(table, props, &expanded)) }
        </section>
    }
}

/// Returns the indexes of the columns to draw: all of them once expanded,
/// otherwise the first [`LISTED_COLUMNS`] and the selected one wherever it is.
fn listed_columns(table: &SchemaTable, selected: Option<&ColumnRef>, all: bool) -> Vec<usize> {
    let count = table.columns.len();
    if all || count <= LISTED_COLUMNS {
        return (0..count).collect();
    }
    let mut listed: Vec<usize> = (0..LISTED_COLUMNS).collect();
    let selected = selected
        .filter(|selected| selected.model.eq_ignore_ascii_case(&table.target.name))
        .and_then(|selected| {
            table
                .columns
                .iter()
                .position(|column| column.name == selected.column)
        });
    if let Some(index) = selected.filter(|&index| index >= LISTED_COLUMNS) {
        listed.push(index);
    }
    listed
}

fn schema_table(table: &SchemaTable, props: &SchemaPanelProps, expanded: &Expanded) -> Html {
    let key = table.target.name.to_ascii_lowercase();
    let listed = listed_columns(table, props.selected.as_ref(), expanded.contains(&key));
    let hidden = table.columns.len() - listed.len();
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
                        { for listed.iter().map(|&index| schema_row(table, &table.columns[index], props)) }
                    </tbody>
                </table>
                { show_all_button(expanded, &key, hidden, "schema-show-all",
                    format!("Show all {} columns ({hidden} more)", table.columns.len())) }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn wide_table(count: usize) -> SchemaTable {
        SchemaTable {
            target: crate::state::Target {
                name: "Wide".to_string(),
                kind: TargetKind::Model,
            },
            columns: (0..count)
                .map(|i| rocky_core::Column {
                    name: format!("c{i}"),
                    ty: "INTEGER".to_string(),
                    ..Default::default()
                })
                .collect(),
            descriptions: Default::default(),
        }
    }

    fn column(model: &str, column: &str) -> ColumnRef {
        ColumnRef {
            model: model.to_string(),
            column: column.to_string(),
        }
    }

    #[test]
    fn listed_columns_narrow_table_all() {
        let table = wide_table(LISTED_COLUMNS);
        assert_eq!(listed_columns(&table, None, false).len(), LISTED_COLUMNS);
    }

    #[test]
    fn listed_columns_wide_table_first_until_expanded() {
        let table = wide_table(10_000);
        let listed = listed_columns(&table, None, false);
        assert_eq!(listed, (0..LISTED_COLUMNS).collect::<Vec<_>>());
        assert_eq!(listed_columns(&table, None, true).len(), 10_000);
    }

    #[test]
    fn listed_columns_adds_selected_past_first() {
        let table = wide_table(10_000);
        let listed = listed_columns(&table, Some(&column("wide", "c9000")), false);
        assert_eq!(listed.len(), LISTED_COLUMNS + 1);
        assert_eq!(listed.last(), Some(&9000));
        // A column among the first, or of another table, adds nothing.
        let first = listed_columns(&table, Some(&column("wide", "c3")), false);
        assert_eq!(first.len(), LISTED_COLUMNS);
        let other = listed_columns(&table, Some(&column("narrow", "c9000")), false);
        assert_eq!(other.len(), LISTED_COLUMNS);
    }
}
