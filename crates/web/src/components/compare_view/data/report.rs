//! The rendering of one model's data diff: the loading state or error,
//! the row counts, the match rate per column, duplicate keys and sample
//! rows.

use yew::prelude::*;

use super::{DataResults, Phase};
use crate::bridge::QueryResult;
use crate::compare::data::{differing_cells, match_rate_text, DataTarget, SampleKind};

/// Notes on the tables compared: one left by an earlier run because the
/// last build failed, or a branch table that is a view over the parent's.
pub fn table_notes(target: &DataTarget, parent: &str, branch: &str) -> Html {
    let Some((before, after)) = target.relations() else {
        return html! {};
    };
    let mut notes = Vec::new();
    for (table, side) in [(before, parent), (after, branch)] {
        if table.stale {
            notes.push(format!(
                "{side}'s last build of {} failed, so its table is from an earlier run.",
                target.model
            ));
        }
    }
    if after.reused_from.is_some() || after.relation == before.relation {
        notes.push(format!(
            "{branch} reads {parent}'s table of {} unchanged, so its rows are the same.",
            target.model
        ));
    }
    html! {
        <>
            { for notes.into_iter().map(|note| html! {
                <p class="compare-note" data-testid="compare-data-note">{ note }</p>
            }) }
        </>
    }
}

pub fn phase_view(phase: &Phase, parent: &str, branch: &str) -> Html {
    match phase {
        Phase::NeedsKey => html! {},
        Phase::Loading => html! {
            <p class="compare-loading" data-testid="compare-data-loading">{ "Comparing rows\u{2026}" }</p>
        },
        Phase::Failed(message) => html! {
            <p class="compare-error" data-testid="compare-data-error" role="alert">
                { format!("The data diff failed: {message}") }
            </p>
        },
        Phase::Done(results) => results_view(results, parent, branch),
    }
}

fn results_view(results: &DataResults, parent: &str, branch: &str) -> Html {
    let summary = &results.summary;
    let diff = &results.diff;
    let count = |label: String, value: u64, class: &'static str| {
        html! {
            <div class={classes!("compare-count", class, (value > 0).then_some("nonzero"))}>
                <span class="compare-count-value">{ value.to_string() }</span>
                <span class="compare-count-label">{ label }</span>
            </div>
        }
    };
    html! {
        <div class="compare-data-results">
            <div
                class="compare-data-counts"
                data-testid="compare-data-counts"
                data-parent-rows={summary.parent_rows.to_string()}
                data-branch-rows={summary.branch_rows.to_string()}
                data-only-in-parent={summary.only_in_parent.to_string()}
                data-only-in-branch={summary.only_in_branch.to_string()}
                data-in-both={summary.in_both.to_string()}
                data-changed={summary.changed.to_string()}
            >
                { count(format!("rows in {parent}"), summary.parent_rows, "rows") }
                { count(format!("rows in {branch}"), summary.branch_rows, "rows") }
                { count(format!("only in {parent}"), summary.only_in_parent, "only") }
                { count(format!("only in {branch}"), summary.only_in_branch, "only") }
                { count(format!("changed of {} on both sides", summary.in_both), summary.changed, "changed") }
            </div>
            { duplicates_view(&results.duplicates) }
            { match_table(results) }
            if !diff.only_in_parent_columns.is_empty() || !diff.only_in_branch_columns.is_empty() {
                <p class="compare-note" data-testid="compare-uncompared-columns">
                    { uncompared_text(&diff.only_in_parent_columns, parent, &diff.only_in_branch_columns, branch) }
                </p>
            }
            { for results.samples.iter().map(|(kind, rows)| {
                sample_view(*kind, rows.as_ref(), kind.count(summary), diff.key.len(), parent, branch)
            }) }
        </div>
    }
}

fn uncompared_text(
    only_parent: &[String],
    parent: &str,
    only_branch: &[String],
    branch: &str,
) -> String {
    let mut parts = Vec::new();
    if !only_parent.is_empty() {
        parts.push(format!("{} only in {parent}", only_parent.join(", ")));
    }
    if !only_branch.is_empty() {
        parts.push(format!("{} only in {branch}", only_branch.join(", ")));
    }
    format!(
        "Not compared, because one side lacks them: {}.",
        parts.join("; ")
    )
}

fn match_table(results: &DataResults) -> Html {
    let summary = &results.summary;
    if summary.matches.is_empty() {
        return html! {
            <p class="empty">{ "Every column is part of the key, so only the keys are compared." }</p>
        };
    }
    html! {
        <table class="compare-match-rates">
            <thead>
                <tr><th>{ "Column" }</th><th>{ "Equal" }</th><th>{ "Match rate" }</th></tr>
            </thead>
            <tbody>
                { for summary.matches.iter().map(|column| {
                    let rate = match_rate_text(column.matches, summary.in_both)
                        .unwrap_or_else(|| "\u{2014}".to_string());
                    let full = column.matches == summary.in_both;
                    html! {
                        <tr
                            class={classes!("compare-match-rate", (!full).then_some("mismatch"))}
                            data-testid="compare-match-rate"
                            data-column={column.column.clone()}
                            data-matches={column.matches.to_string()}
                            data-in-both={summary.in_both.to_string()}
                        >
                            <td class="compare-column-name">{ &column.column }</td>
                            <td>{ format!("{} / {}", column.matches, summary.in_both) }</td>
                            <td class="compare-rate" style={format!("--rate: {}%", bar_width(column.matches, summary.in_both))}>
                                <span class="compare-rate-text">{ rate }</span>
                            </td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// Returns the match bar's width in whole percent.
fn bar_width(matches: u64, total: u64) -> u64 {
    (matches.min(total) * 100).checked_div(total).unwrap_or(0)
}

fn duplicates_view(duplicates: &Result<QueryResult, String>) -> Html {
    match duplicates {
        Err(message) => html! {
            <p class="compare-error" data-testid="compare-data-error" role="alert">
                { format!("The duplicate key query failed: {message}") }
            </p>
        },
        Ok(result) if result.rows.is_empty() => html! {},
        Ok(result) => {
            let (parent, branch) = duplicate_totals(result);
            html! {
                <div class="compare-duplicates" data-testid="compare-duplicate-keys"
                    data-rows={result.total_rows().to_string()}
                    data-parent-keys={parent.to_string()}
                    data-branch-keys={branch.to_string()} role="alert">
                    <p>{ duplicates_text(parent, branch) }</p>
                    { rows_table(result) }
                </div>
            }
        }
    }
}

/// Returns how many key values occur more than once in the parent and in
/// the branch, from the `duplicated_keys` column of the query's rows.
fn duplicate_totals(result: &QueryResult) -> (u64, u64) {
    let column = |name: &str| result.columns.iter().position(|c| c.name == name);
    let (Some(side), Some(total)) = (column("side"), column("duplicated_keys")) else {
        return (0, 0);
    };
    let total_of = |wanted: &str| {
        result
            .rows
            .iter()
            .find(|row| row.get(side).cloned().flatten().as_deref() == Some(wanted))
            .and_then(|row| row.get(total).cloned().flatten())
            .and_then(|text| text.parse().ok())
            .unwrap_or(0)
    };
    (total_of("parent"), total_of("branch"))
}

/// Words the duplicate key counts of both sides.
fn duplicates_text(parent: u64, branch: u64) -> String {
    let keys = |count: u64| {
        if count == 1 {
            "1 key value".to_string()
        } else {
            format!("{count} key values")
        }
    };
    format!(
        "The key is not unique: {} of the parent and {} of the branch occur more than once, \
         so the counts pair each of those rows with every row of the same key.",
        keys(parent),
        keys(branch)
    )
}

fn sample_view(
    kind: SampleKind,
    rows: Option<&Result<QueryResult, String>>,
    count: u64,
    key_columns: usize,
    parent: &str,
    branch: &str,
) -> Html {
    let title = kind.title(parent, branch);
    let body = match rows {
        None => html! { <p class="empty">{ "None." }</p> },
        Some(Err(message)) => html! {
            <p class="compare-error" data-testid="compare-data-error" role="alert">
                { format!("The query failed: {message}") }
            </p>
        },
        Some(Ok(result)) if kind == SampleKind::Changed => changed_table(result, key_columns),
        Some(Ok(result)) => rows_table(result),
    };
    let shown_rows = rows
        .and_then(|r| r.as_ref().ok())
        .map(|r| r.rows.len())
        .unwrap_or(0);
    let heading = if (shown_rows as u64) < count {
        format!("{title}: {count}, first {shown_rows} shown")
    } else {
        format!("{title}: {count}")
    };
    html! {
        <details class="compare-sample" data-testid="compare-sample" data-kind={kind.as_str()}
            data-rows={shown_rows.to_string()} open={count > 0}>
            <summary>{ heading }</summary>
            { body }
        </details>
    }
}

/// Renders the changed rows with each differing pair of values marked.
fn changed_table(result: &QueryResult, key_columns: usize) -> Html {
    html! {
        <div class="compare-sample-scroll">
            <table class="compare-sample-table changed">
                { header_row(result) }
                <tbody>
                    { for result.rows.iter().map(|row| {
                        let marks = differing_cells(row, key_columns);
                        html! {
                            <tr>
                                { for row.iter().zip(marks).map(|(value, differs)| value_cell(value, differs)) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn header_row(result: &QueryResult) -> Html {
    html! {
        <thead>
            <tr>
                { for result.columns.iter().map(|column| html! {
                    <th title={column.ty.clone()}>{ &column.name }</th>
                }) }
            </tr>
        </thead>
    }
}

fn value_cell(value: &Option<String>, differs: bool) -> Html {
    let class = classes!(
        value.is_none().then_some("null"),
        differs.then_some("differs")
    );
    let text = value.clone().unwrap_or_else(|| "NULL".to_string());
    html! { <td {class}>{ text }</td> }
}

fn rows_table(result: &QueryResult) -> Html {
    html! {
        <div class="compare-sample-scroll">
            <table class="compare-sample-table">
                { header_row(result) }
                <tbody>
                    { for result.rows.iter().map(|row| html! {
                        <tr>
                            { for row.iter().map(|value| value_cell(value, false)) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
