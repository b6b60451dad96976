//! The data section: per model whose rows may differ, the row counts of
//! both sides and a key-based row diff, queried from DuckDB when the
//! section opens.

use std::cell::Cell;
use std::rc::Rc;

use rocky_core::branch::plan::RunRecord;
use rocky_core::compare::{data_diff, DataDiff};
use yew::prelude::*;

use super::SharedComparison;
use crate::bridge::{duckdb_query, QueryResult};
use crate::compare::data::{
    data_targets, describe_columns, describe_sql, key_is_complete, missing_runs, missing_runs_text,
    read_summary, toggle_key, DataSummary, DataTarget, SampleKind, SAMPLE_LIMIT,
};
use crate::compare::CompareSide;

mod report;

#[derive(Properties, PartialEq)]
pub struct CompareDataProps {
    pub comparison: SharedComparison,
    pub parent: CompareSide,
    pub branch: CompareSide,
    /// True when DuckDB started a new database since the branches last ran.
    pub lost_database: bool,
    /// Called after each query, which may have ended DuckDB's database.
    pub on_lost_database: Callback<()>,
}

#[component]
pub fn CompareData(props: &CompareDataProps) -> Html {
    let (parent, branch) = (&props.parent, &props.branch);
    if let Some(text) = missing_runs_text(parent, branch, props.lost_database) {
        return html! {
            <p class="compare-data-missing" data-testid="compare-data-missing"
                data-missing={missing_runs(parent, branch)}>
                { text }
            </p>
        };
    }
    let targets = data_targets(&props.comparison.0, parent, branch);
    if targets.is_empty() {
        return html! {
            <p class="empty" data-testid="compare-no-data">
                { "No model on both sides changed, so there are no rows to compare." }
            </p>
        };
    }
    let records = Records(parent.record.clone(), branch.record.clone());
    html! {
        <div class="compare-data">
            <p class="compare-note">
                { format!(
                    "Rows of the tables that the last runs of {} and {} left in DuckDB; edits since those runs show after the next run.",
                    branch.name, parent.name
                ) }
            </p>
            { for targets.into_iter().map(|target| html! {
                <ModelDataDiff
                    key={target.model.clone()}
                    target={target.clone()}
                    parent={parent.name.clone()}
                    branch={branch.name.clone()}
                    records={records.clone()}
                    on_lost_database={props.on_lost_database.clone()}
                />
            }) }
        </div>
    }
}

/// Both sides' run records, equal when they are the same `Rc`s or equal
/// values. A record that differs means other tables, so it makes the
/// queries run again, and comparing values keeps a caller that wraps the
/// same record in a new `Rc` on every render from rerunning them.
#[derive(Clone, Debug)]
pub struct Records(Option<Rc<RunRecord>>, Option<Rc<RunRecord>>);

impl PartialEq for Records {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &Option<Rc<RunRecord>>, b: &Option<Rc<RunRecord>>| match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => Rc::ptr_eq(a, b) || a == b,
            _ => false,
        };
        same(&self.0, &other.0) && same(&self.1, &other.1)
    }
}

#[derive(Properties, PartialEq)]
struct ModelDataDiffProps {
    target: DataTarget,
    parent: String,
    branch: String,
    records: Records,
    on_lost_database: Callback<()>,
}

/// The results of one model's queries.
#[derive(Debug, PartialEq)]
pub struct DataResults {
    pub diff: DataDiff,
    pub summary: DataSummary,
    pub duplicates: Result<QueryResult, String>,
    /// Per kind, the sample rows; `None` when the summary counts none, so
    /// the query was not run.
    pub samples: Vec<(SampleKind, Option<Result<QueryResult, String>>)>,
}

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// No key yet: the user has to pick one.
    NeedsKey,
    Loading,
    Done(Rc<DataResults>),
    Failed(String),
}

impl Phase {
    fn as_str(&self) -> &'static str {
        match self {
            Phase::NeedsKey => "needs-key",
            Phase::Loading => "loading",
            Phase::Done(_) => "done",
            Phase::Failed(_) => "failed",
        }
    }
}

#[component]
fn ModelDataDiff(props: &ModelDataDiffProps) -> Html {
    let target = &props.target;
    let initial_key = target
        .default_key
        .as_ref()
        .map(|key| key.columns.clone())
        .filter(|key| key_is_complete(key, &target.key_choices));
    // The key the queries use, and the columns ticked in the picker.
    let applied = use_state(|| initial_key.clone());
    let picked = use_state(|| initial_key.clone().unwrap_or_default());
    let picker_open = use_state(|| initial_key.is_none());
    let can_query = initial_key.is_some() && target.relations().is_some();
    let phase = use_state(|| {
        if can_query {
            Phase::Loading
        } else {
            Phase::NeedsKey
        }
    });
    // Counts the query runs, so that only the latest one's results land.
    let request = use_mut_ref(|| 0_u32);

    {
        let phase = phase.clone();
        let on_lost_database = props.on_lost_database.clone();
        let deps = (
            (*applied).clone(),
            target
                .relations()
                .map(|(p, b)| (p.relation.clone(), b.relation.clone())),
            props.records.clone(),
        );
        use_effect_with(deps, move |(key, relations, _)| {
            let alive = Rc::new(Cell::new(true));
            match (key.clone(), relations.clone()) {
                (Some(key), Some((parent, branch))) => {
                    let this_request = {
                        let mut last = request.borrow_mut();
                        *last = last.wrapping_add(1);
                        *last
                    };
                    phase.set(Phase::Loading);
                    let alive = Rc::clone(&alive);
                    let on_lost_database = on_lost_database.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let outcome = run_data_diff(&parent, &branch, &key).await;
                        // A query that trapped or did not stop may have ended
                        // the database that the records name. The app checks.
                        on_lost_database.emit(());
                        if !alive.get() || *request.borrow() != this_request {
                            return;
                        }
                        phase.set(match outcome {
                            Ok(results) => Phase::Done(Rc::new(results)),
                            Err(message) => Phase::Failed(message),
                        });
                    });
                }
                _ => phase.set(Phase::NeedsKey),
            }
            move || alive.set(false)
        });
    }

    let unavailable = target.unavailable_text(&props.parent, &props.branch);
    let state = if unavailable.is_some() {
        "missing"
    } else {
        phase.as_str()
    };
    html! {
        <section
            class={classes!("compare-data-model", state)}
            data-testid="compare-data-model"
            data-model={target.model.clone()}
            data-state={state}
            aria-busy={(state == "loading").to_string()}
        >
            <h3 class="compare-model-title">
                <span class="compare-model-name">{ &target.model }</span>
                if target.downstream {
                    <span class="compare-cause">{ "downstream of a change" }</span>
                }
            </h3>
            if let Some(text) = unavailable {
                <p class="compare-data-missing" data-testid="compare-data-missing"
                    data-missing={missing_side(target)}>
                    { text }
                </p>
            } else {
                { report::table_notes(target, &props.parent, &props.branch) }
                { key_line(target, &applied, &picker_open) }
                if *picker_open {
                    { key_picker(target, &picked, &applied, &picker_open) }
                }
                { report::phase_view(&phase, &props.parent, &props.branch) }
            }
        </section>
    }
}

/// Returns the `data-missing` value of a model whose rows cannot be
/// compared: `parent`, `branch` or `both`.
fn missing_side(target: &DataTarget) -> &'static str {
    match (target.parent.is_ok(), target.branch.is_ok()) {
        (false, false) => "both",
        (false, true) => "parent",
        _ => "branch",
    }
}

/// Says which key the rows are matched on and where it comes from, with
/// a button to pick another.
fn key_line(
    target: &DataTarget,
    applied: &UseStateHandle<Option<Vec<String>>>,
    picker_open: &UseStateHandle<bool>,
) -> Html {
    let toggle = {
        let picker_open = picker_open.clone();
        Callback::from(move |_: MouseEvent| picker_open.set(!*picker_open))
    };
    let origin = match (&**applied, &target.default_key) {
        (Some(key), Some(default)) if *key == default.columns => {
            format!(" (from {})", default.origin.describe())
        }
        (Some(_), _) => " (picked)".to_string(),
        (None, _) => String::new(),
    };
    let text = match &**applied {
        Some(key) => format!("Rows matched on {}{origin}", key.join(", ")),
        None => format!(
            "{} has no grain or unique test to match rows on: pick the columns that identify a row.",
            target.model
        ),
    };
    html! {
        <p class="compare-key" data-testid="compare-key" data-key={applied.as_ref().map(|k| k.join(","))}>
            <span>{ text }</span>
            if applied.is_some() {
                <button class="compare-key-change" data-testid="compare-key-change" onclick={toggle}>
                    { if **picker_open { "Hide key columns" } else { "Change key" } }
                </button>
            }
        </p>
    }
}

fn key_picker(
    target: &DataTarget,
    picked: &UseStateHandle<Vec<String>>,
    applied: &UseStateHandle<Option<Vec<String>>>,
    picker_open: &UseStateHandle<bool>,
) -> Html {
    let choices = Rc::new(target.key_choices.clone());
    let options = target.key_choices.iter().map(|column| {
        let checked = picked.iter().any(|c| c.eq_ignore_ascii_case(column));
        let onchange = {
            let (picked, choices, column) = (picked.clone(), Rc::clone(&choices), column.clone());
            Callback::from(move |_: Event| picked.set(toggle_key(&picked, &column, &choices)))
        };
        html! {
            <label class="compare-key-option">
                <input type="checkbox" data-testid="compare-key-option" data-column={column.clone()}
                    {checked} {onchange} />
                { column }
            </label>
        }
    });
    let apply = {
        let (picked, applied, picker_open) = (picked.clone(), applied.clone(), picker_open.clone());
        Callback::from(move |_: MouseEvent| {
            if picked.is_empty() {
                return;
            }
            applied.set(Some((*picked).clone()));
            picker_open.set(false);
        })
    };
    html! {
        <fieldset class="compare-key-picker" data-testid="compare-key-picker">
            <legend>{ "Key columns" }</legend>
            { for options }
            <button class="compare-key-apply" data-testid="compare-key-apply"
                disabled={picked.is_empty()} onclick={apply}>
                { "Compare rows" }
            </button>
        </fieldset>
    }
}

/// Runs one model's data diff: reads both tables' columns, writes the
/// queries, then runs the summary, the duplicate keys and the samples.
/// Only a failure before the summary's result fails the whole diff; a
/// later query's error is kept in its place.
async fn run_data_diff(parent: &str, branch: &str, key: &[String]) -> Result<DataResults, String> {
    let columns = |relation: String| async move {
        let described = duckdb_query(&describe_sql(&relation), u32::MAX)
            .await
            .map_err(|e| format!("reading the columns of {relation} failed: {e}"))?;
        describe_columns(&described)
            .map_err(|e| format!("reading the columns of {relation} failed: {e}"))
    };
    let parent_columns = columns(parent.to_string()).await?;
    let branch_columns = columns(branch.to_string()).await?;

    let diff = data_diff(
        parent,
        branch,
        &parent_columns,
        &branch_columns,
        key,
        SAMPLE_LIMIT,
    )
    .map_err(|e| e.to_string())?;
    let summary = duckdb_query(&diff.summary, 1)
        .await
        .map_err(|e| format!("the summary query failed: {e}"))?;
    let summary = read_summary(&diff, &summary)?;

    let limit = u32::try_from(SAMPLE_LIMIT).unwrap_or(u32::MAX);
    // The duplicate key query lists up to the limit for each of two sides.
    let duplicates = duckdb_query(&diff.duplicate_keys, limit.saturating_mul(2)).await;
    let mut samples = Vec::new();
    for kind in SampleKind::ALL {
        let rows = if kind.count(&summary) == 0 {
            None
        } else {
            Some(duckdb_query(kind.query(&diff), limit).await)
        };
        samples.push((kind, rows));
    }
    Ok(DataResults {
        diff,
        summary,
        duplicates,
        samples,
    })
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use rocky_core::branch::plan::RunRecord;

    use super::Records;

    fn record(branch: &str) -> Rc<RunRecord> {
        Rc::new(RunRecord {
            branch: branch.to_string(),
            schema: branch.to_string(),
            ..RunRecord::default()
        })
    }

    #[test]
    fn records_equal_by_pointer_or_value() {
        let main = record("main");
        let same = Records(Some(Rc::clone(&main)), None);
        assert_eq!(same, Records(Some(Rc::clone(&main)), None));
        assert_eq!(
            same,
            Records(Some(record("main")), None),
            "a new Rc of an equal record"
        );
        assert_ne!(same, Records(Some(record("other")), None));
        assert_ne!(same, Records(None, None));
        assert_ne!(same, Records(Some(main), Some(record("feature"))));
    }
}
