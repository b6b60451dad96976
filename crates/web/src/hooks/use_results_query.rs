//! Reads the open model's first rows back from DuckDB after a run.

use yew::prelude::*;

use crate::bridge;
use crate::run::quote_table_name;
use crate::state::{Action, AppState, ResultsEvent, RunPhase, Target};

/// Rows shown in the result table.
pub const RESULT_ROW_LIMIT: u32 = 50;

/// Queries `target` after every finished run and whenever another target
/// is opened after one. Targets the run did not build are not queried,
/// since the run log already shows why.
#[hook]
pub fn use_results_query(
    state: &AppState,
    target: Option<Target>,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let last_request = use_mut_ref(|| 0_u32);
    let run = &state.run;
    let ready = run.plan_executed && matches!(run.phase, RunPhase::Done | RunPhase::Failed);
    let target = target.filter(|target| ready && run.not_built_reason(&target.name).is_none());
    let deps = (run.finished_runs, target);
    use_effect_with(deps, move |(_, target)| {
        let Some(target) = target.clone() else { return };
        let request = {
            let mut last = last_request.borrow_mut();
            *last = last.wrapping_add(1);
            *last
        };
        dispatcher.dispatch(Action::Results(ResultsEvent::Requested {
            request,
            target: target.name.clone(),
        }));
        wasm_bindgen_futures::spawn_local(async move {
            let sql = format!("SELECT * FROM {}", quote_table_name(&target.name));
            let event = match bridge::duckdb_query(&sql, RESULT_ROW_LIMIT).await {
                Ok(table) => ResultsEvent::Loaded { request, table },
                Err(message) => ResultsEvent::Failed { request, message },
            };
            dispatcher.dispatch(Action::Results(event));
        });
    });
}
