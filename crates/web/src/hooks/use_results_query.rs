//! Reads the open target's first rows back from DuckDB after a run.

use yew::prelude::*;

use crate::bridge::{self, QueryResult};
use crate::state::{Action, AppState, ResultsEvent, Target};

/// Rows shown in the result table.
pub const RESULT_ROW_LIMIT: u32 = 50;

/// Queries `target` in the current branch's relation after every finished
/// run of the branch, and whenever another target or branch is shown
/// after one. Targets the branch's latest run did not build are not
/// queried, since the run log already shows why.
#[hook]
pub fn use_results_query(
    state: &AppState,
    target: Option<Target>,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let last_request = use_mut_ref(|| 0_u32);
    let entry = state.current_run();
    let ready = entry.record.is_some() && !entry.run.phase.is_busy();
    let target =
        target.filter(|target| ready && entry.run.not_built_reason(&target.name).is_none());
    let relation = target
        .as_ref()
        .and_then(|target| state.relation_of(&target.name));
    let deps = (
        state.branch.clone(),
        entry.run.finished_runs,
        target,
        relation,
    );
    use_effect_with(deps, move |(branch, _, target, relation)| {
        let (Some(target), Some(relation)) = (target.clone(), relation.clone()) else {
            return;
        };
        let request = {
            let mut last = last_request.borrow_mut();
            *last = last.wrapping_add(1);
            *last
        };
        dispatcher.dispatch(Action::Results(ResultsEvent::Requested {
            request,
            branch: branch.clone(),
            target: target.name.clone(),
        }));
        let branch = branch.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let event = match first_rows(&relation).await {
                Ok(table) => ResultsEvent::Loaded { request, table },
                Err(message) => ResultsEvent::Failed { request, message },
            };
            let failed = matches!(event, ResultsEvent::Failed { .. });
            dispatcher.dispatch(Action::Results(event));
            // A read that crashed DuckDB took every table with it.
            if failed {
                crate::runner::notice_lost_database(&dispatcher, &branch);
            }
        });
    });
}

/// Reads the first [`RESULT_ROW_LIMIT`] rows of `relation`, then counts its
/// rows with a second query when there are more. Reading the whole
/// relation to count it took 2.5 s for 20 million rows.
async fn first_rows(relation: &str) -> Result<QueryResult, String> {
    let sql = format!("SELECT * FROM {relation} LIMIT {RESULT_ROW_LIMIT}");
    let mut table = bridge::duckdb_query(&sql, RESULT_ROW_LIMIT).await?;
    if table.total_rows() < u64::from(RESULT_ROW_LIMIT) {
        return Ok(table);
    }
    let count = bridge::duckdb_query(&format!("SELECT count(*) FROM {relation}"), 1).await?;
    table.row_count = count
        .rows
        .first()
        .and_then(|row| row.first())
        .and_then(|value| value.as_deref()?.parse::<f64>().ok())
        .ok_or_else(|| format!("counting the rows of {relation} returned no number"))?;
    Ok(table)
}
