//! Runs the compiled project in DuckDB-WASM: starts DuckDB, registers the
//! CSV files, then executes every step of the run plan in order.

use rocky_core::{run_plan, Compilation, ProjectFiles};
use yew::UseReducerDispatcher;

use crate::bridge;
use crate::run::blocked_by;
use crate::sample::data_files;
use crate::state::{Action, AppState, RunEvent, SkippedTarget, StepFailure};

/// Builds every target, reporting progress through `dispatcher`.
///
/// A failed step does not stop the run: the steps that read its target,
/// directly or through another skipped target, are skipped, and the rest
/// still run. The compilation and files are the ones current at the click,
/// so edits made while it runs wait for the next run.
pub async fn run_project(
    compilation: &Compilation,
    files: &ProjectFiles,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let dispatch = move |event: RunEvent| dispatcher.dispatch(Action::Run(event));
    dispatch(RunEvent::Started);

    let progress = dispatch.clone();
    if let Err(message) = bridge::duckdb_start(move |line| progress(RunEvent::Progress(line))).await
    {
        // The bridge's message already names the failed stage.
        dispatch(RunEvent::Aborted(format!("Run failed: {message}")));
        return;
    }

    for path in data_files(files) {
        dispatch(RunEvent::Progress(format!("loading {path}")));
        let text = files.get(&path).map_or("", String::as_str);
        if let Err(message) = bridge::duckdb_register_file(&path, text).await {
            dispatch(RunEvent::Aborted(format!(
                "failed to register {path} with DuckDB: {message}"
            )));
            return;
        }
    }

    let steps = run_plan(compilation);
    let total = steps.len();
    // Canonical names of the targets that failed or were skipped.
    let mut blocked: Vec<String> = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        dispatch(RunEvent::Building {
            index,
            total,
            target: step.target.clone(),
        });
        if let Some(blocker) = blocked_by(compilation, step, &blocked) {
            if blocker != step.target {
                dispatch(RunEvent::StepSkipped(SkippedTarget {
                    target: step.target.clone(),
                    blocked_by: blocker,
                }));
                blocked.push(step.target.clone());
            }
            continue;
        }
        if let Err(message) = bridge::duckdb_exec(&step.sql).await {
            dispatch(RunEvent::StepFailed(StepFailure {
                target: step.target.clone(),
                message,
            }));
            blocked.push(step.target.clone());
        }
    }
    dispatch(RunEvent::Finished { total });
}
