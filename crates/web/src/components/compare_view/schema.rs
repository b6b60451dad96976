//! The schema section: per changed model, its columns added, removed,
//! retyped or redefined, and whether its own SQL changed.

use rocky_core::compare::Comparison;
use rocky_core::Span;
use yew::prelude::*;

use crate::compare::schema::{schema_entries, status_name, Cause, ColumnRow, SchemaEntry};
use crate::compare::{model_file, CompareSide};

pub fn schema_section(
    comparison: &Comparison,
    branch: &CompareSide,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    let entries = schema_entries(comparison);
    if entries.is_empty() {
        return html! {
            <p class="empty" data-testid="compare-no-models">
                { format!("{} changes no model.", branch.name) }
            </p>
        };
    }
    html! {
        <div class="compare-schema">
            { for entries.iter().map(|entry| model_entry(entry, branch, on_open)) }
        </div>
    }
}

fn model_entry(
    entry: &SchemaEntry,
    branch: &CompareSide,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    let (cause, cause_text) = match &entry.cause {
        Cause::OwnSql => ("own-sql", "its SQL changed".to_string()),
        Cause::Upstream(models) if models.is_empty() => {
            ("upstream", "its SQL is the same".to_string())
        }
        Cause::Upstream(models) => (
            "upstream",
            format!(
                "changed by {} upstream; its SQL is the same",
                models.join(", ")
            ),
        ),
    };
    html! {
        <section
            class={classes!("compare-model", status_name(entry.status))}
            data-testid="compare-model"
            data-model={entry.model.clone()}
            data-status={status_name(entry.status)}
            data-cause={cause}
        >
            <h3 class="compare-model-title">
                { model_link(&entry.model, branch, on_open) }
                <span class={classes!("compare-badge", status_name(entry.status))}>{ status_name(entry.status) }</span>
                <span class="compare-cause">{ cause_text }</span>
            </h3>
            if entry.columns.is_empty() {
                <p class="empty">{ "No output column changed." }</p>
            } else {
                <table class="compare-columns">
                    <thead>
                        <tr><th>{ "Column" }</th><th>{ "Change" }</th><th>{ "Before" }</th><th>{ "After" }</th></tr>
                    </thead>
                    <tbody>
                        { for entry.columns.iter().map(|row| column_row(&entry.model, row)) }
                    </tbody>
                </table>
            }
        </section>
    }
}

fn column_row(model: &str, row: &ColumnRow) -> Html {
    let cell = |value: &Option<String>| match value {
        Some(text) => html! { <code>{ text }</code> },
        None => html! { <span class="faint">{ "\u{2014}" }</span> },
    };
    html! {
        <tr
            class={classes!("compare-column-change", row.change)}
            data-testid="compare-column-change"
            data-model={model.to_string()}
            data-column={row.column.clone()}
            data-change={row.change}
            data-from={row.from.clone()}
            data-to={row.to.clone()}
        >
            <td class="compare-column-name">{ &row.column }</td>
            <td><span class={classes!("compare-badge", row.change)}>{ row.change }</span></td>
            <td>{ cell(&row.from) }</td>
            <td>{ cell(&row.to) }</td>
        </tr>
    }
}

/// Returns the model's name as a button that opens its file on the
/// branch, or as text when the branch does not have it.
pub fn model_link(
    model: &str,
    branch: &CompareSide,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    match model_file(&branch.compilation, model) {
        Some(file) => {
            let onclick = on_open.reform(move |_: MouseEvent| (file.clone(), None));
            html! {
                <button class="compare-link compare-model-name" data-model={model.to_string()} title="Open in the editor" {onclick}>
                    { model }
                </button>
            }
        }
        None => html! { <span class="compare-model-name">{ model }</span> },
    }
}
