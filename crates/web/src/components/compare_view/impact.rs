//! The impact section: the downstream columns and models the changes
//! reach, and each change classified breaking or not, with the consumers
//! and new errors of the breaking ones.

use rocky_core::compare::{Breaking, Comparison};
use rocky_core::{ColumnRef, Diagnostic, Span};
use yew::prelude::*;

use super::schema::model_link;
use crate::compare::impact::{
    diagnostic_target, impact_entries, ClassifiedChange, ImpactEntry, ImpactSummary,
};
use crate::compare::CompareSide;
use crate::problem_list::location_text;

pub fn impact_section(
    comparison: &Comparison,
    branch: &CompareSide,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    let summary = ImpactSummary::of(comparison);
    let entries = impact_entries(comparison);
    html! {
        <div class="compare-impact">
            <p
                class={classes!("compare-impact-summary", (summary.breaking > 0).then_some("breaking"))}
                data-testid="compare-impact-summary"
                data-affected-columns={summary.affected_columns.to_string()}
                data-affected-models={summary.affected_models.to_string()}
                data-breaking={summary.breaking.to_string()}
            >
                <span class="compare-reach">{ summary.reach_text() }</span>
                { "; " }
                <span class="compare-breaking-count">{ summary.breaking_text() }</span>
            </p>
            { affected_columns(&comparison.affected_columns) }
            if entries.is_empty() {
                <p class="empty">{ format!("{} changes no model.", branch.name) }</p>
            }
            { for entries.iter().map(|entry| impact_entry(entry, branch, on_open)) }
        </div>
    }
}

/// Lists the affected columns grouped by model, folded.
fn affected_columns(columns: &[ColumnRef]) -> Html {
    if columns.is_empty() {
        return html! {};
    }
    let mut groups: Vec<(&str, Vec<&ColumnRef>)> = Vec::new();
    for column in columns {
        match groups.iter_mut().find(|(model, _)| *model == column.model) {
            Some((_, group)) => group.push(column),
            None => groups.push((&column.model, vec![column])),
        }
    }
    html! {
        <details class="compare-affected">
            <summary>{ "Affected columns" }</summary>
            <ul>
                { for groups.iter().map(|(model, group)| html! {
                    <li class="compare-affected-model">
                        <span class="compare-model-name">{ *model }</span>
                        { for group.iter().map(|column| html! {
                            <code
                                class="compare-affected-column"
                                data-testid="compare-affected-column"
                                data-model={column.model.clone()}
                                data-column={column.column.clone()}
                            >
                                { &column.column }
                            </code>
                        }) }
                    </li>
                }) }
            </ul>
        </details>
    }
}

fn impact_entry(
    entry: &ImpactEntry,
    branch: &CompareSide,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    let breaking = entry.breaking_count();
    html! {
        <section
            class={classes!("compare-impact-model", (breaking > 0).then_some("breaking"))}
            data-testid="compare-impact-model"
            data-model={entry.model.clone()}
            data-breaking={breaking.to_string()}
        >
            <h3 class="compare-model-title">
                { model_link(&entry.model, branch, on_open) }
                <span class="compare-reach">{ entry.reach_text() }</span>
            </h3>
            <ul class="compare-changes">
                { for entry.changes.iter().map(|change| column_change(&entry.model, change, branch, on_open)) }
                { for entry.model_breaking.iter().map(|b| model_breaking(&entry.model, b, branch, on_open)) }
                if entry.rows_may_differ {
                    <li class="compare-change non-breaking" data-testid="compare-change"
                        data-model={entry.model.clone()} data-class="non-breaking">
                        { class_badge("non-breaking") }
                        <span class="compare-change-text">{ "Its SQL changed but no output column did, so its rows may differ." }</span>
                    </li>
                }
            </ul>
        </section>
    }
}

fn class_badge(class: &'static str) -> Html {
    html! { <span class={classes!("compare-badge", class)}>{ class }</span> }
}

fn column_change(
    model: &str,
    change: &ClassifiedChange,
    branch: &CompareSide,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    let row = &change.row;
    let detail = match (&row.from, &row.to) {
        (Some(from), Some(to)) => format!("{} {}: {from} \u{2192} {to}", row.change, row.column),
        (None, Some(to)) => format!("{} {}: {to}", row.change, row.column),
        (Some(from), None) => format!("{} {}: was {from}", row.change, row.column),
        (None, None) => format!("{} {}", row.change, row.column),
    };
    let class = change.class();
    html! {
        <li
            class={classes!("compare-change", class)}
            data-testid="compare-change"
            data-model={model.to_string()}
            data-column={row.column.clone()}
            data-change={row.change}
            data-class={class}
        >
            { class_badge(class) }
            <span class="compare-change-text">{ detail }</span>
            if let Some(breaking) = &change.breaking {
                { breaking_detail(breaking, branch, on_open) }
            }
        </li>
    }
}

fn model_breaking(
    model: &str,
    breaking: &Breaking,
    branch: &CompareSide,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    html! {
        <li
            class="compare-change breaking"
            data-testid="compare-change"
            data-model={model.to_string()}
            data-column={breaking.column.clone()}
            data-class="breaking"
        >
            { class_badge("breaking") }
            { breaking_detail(breaking, branch, on_open) }
        </li>
    }
}

fn breaking_detail(
    breaking: &Breaking,
    branch: &CompareSide,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    html! {
        <div class="compare-breaking">
            <p class="compare-reason">{ reason_html(&breaking.reason) }</p>
            <p class="compare-consumers">
                { "Consumers: " }
                { for breaking.consumers.iter().map(|consumer| html! {
                    <span class="compare-consumer" data-testid="compare-consumer" data-model={consumer.clone()}>
                        { model_link(consumer, branch, on_open) }
                    </span>
                }) }
            </p>
            if !breaking.diagnostics.is_empty() {
                <ul class="compare-diagnostics">
                    { for breaking.diagnostics.iter().map(|d| diagnostic(d, on_open)) }
                </ul>
            }
        </div>
    }
}

fn diagnostic(diagnostic: &Diagnostic, on_open: &Callback<(String, Option<Span>)>) -> Html {
    let target = diagnostic_target(diagnostic);
    let onclick = on_open.reform(move |_: MouseEvent| target.clone());
    let start = diagnostic.span.start;
    html! {
        <li>
            <button
                class="compare-diagnostic"
                data-testid="compare-diagnostic"
                data-path={diagnostic.file.clone()}
                data-line={start.line.to_string()}
                data-column={start.column.to_string()}
                data-code={diagnostic.code.clone()}
                title="Show in the editor"
                {onclick}
            >
                <span class="compare-diagnostic-location">{ location_text(diagnostic) }</span>
                { " " }
                <span class="compare-diagnostic-message">{ format!("{}: {}", diagnostic.code, diagnostic.message) }</span>
            </button>
        </li>
    }
}

/// Renders core's reason, whose names are in Markdown backticks, with
/// each name as code.
fn reason_html(reason: &str) -> Html {
    let parts = reason.split('`').enumerate().map(|(index, part)| {
        if index % 2 == 1 {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }
    });
    html! { <>{ for parts }</> }
}
