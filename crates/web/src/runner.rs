//! Runs the compiled project in DuckDB-WASM: starts DuckDB, switches to a
//! new empty database, registers the CSV files, then executes every step of
//! the run plan in order.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use rocky_core::{run_plan, Compilation, ProjectFiles};
use yew::UseReducerDispatcher;

use crate::bridge;
use crate::run::{
    databases_to_detach, detach_sql, duckdb_diagnostic, run_database_name, switch_database_sql,
    RunTracker, StepDecision, LIST_DATABASES_SQL,
};
use crate::sample::data_files;
use crate::state::{Action, AppState, RunEvent, StepFailure};

/// Number of the next run's database. DuckDB's instance lives as long as
/// the page, and so does this counter, so a name is never reused.
static NEXT_RUN_DATABASE: AtomicU32 = AtomicU32::new(1);

/// True while a run is in progress. Runs share the bridge's one DuckDB
/// connection, and each switches its default database, so two at once would
/// build into each other's database.
static RUN_ACTIVE: AtomicBool = AtomicBool::new(false);

/// The claim on [`RUN_ACTIVE`], released on drop.
struct ActiveRun;

impl ActiveRun {
    fn claim() -> Option<ActiveRun> {
        RUN_ACTIVE
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .ok()
            .map(|_| ActiveRun)
    }
}

impl Drop for ActiveRun {
    fn drop(&mut self) {
        RUN_ACTIVE.store(false, Ordering::Release);
    }
}

/// Builds every target, reporting progress through `dispatcher`. Does
/// nothing while another run is in progress.
///
/// Every run builds in a new empty database, so no table or view of an
/// earlier run can hide a failure or clash with a changed strategy. A model
/// with compile errors is not sent to DuckDB. A failed or skipped step does
/// not stop the run: the steps that read its target, directly or through
/// another skipped target, are skipped, and the rest still run. The
/// compilation and files are the ones current at the click, so edits made
/// while it runs wait for the next run.
pub async fn run_project(
    compilation: &Compilation,
    files: &ProjectFiles,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let Some(_active) = ActiveRun::claim() else {
        return;
    };
    let dispatch = move |event: RunEvent| dispatcher.dispatch(Action::Run(event));
    dispatch(RunEvent::Started);

    let progress = dispatch.clone();
    if let Err(message) = bridge::duckdb_start(move |line| progress(RunEvent::Progress(line))).await
    {
        // The bridge's message already names the failed stage.
        dispatch(RunEvent::Aborted(format!("Run failed: {message}")));
        return;
    }

    dispatch(RunEvent::Progress("creating an empty database".to_string()));
    if let Err(message) = use_empty_database().await {
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
    let mut tracker = RunTracker::new(compilation, total);
    for (index, step) in steps.iter().enumerate() {
        dispatch(RunEvent::Building {
            index,
            total,
            target: step.target.clone(),
        });
        match tracker.decide(step) {
            StepDecision::Skip(Some(skipped)) => dispatch(RunEvent::StepSkipped(skipped)),
            StepDecision::Skip(None) => {}
            StepDecision::Execute => match bridge::duckdb_exec(&step.sql).await {
                Ok(()) => tracker.built(),
                Err(message) => {
                    tracker.failed(step);
                    let diagnostic = compilation
                        .model(&step.target)
                        .filter(|_| step.is_model)
                        .and_then(|model| duckdb_diagnostic(model, &message));
                    dispatch(RunEvent::StepFailed {
                        failure: StepFailure {
                            target: step.target.clone(),
                            message,
                        },
                        diagnostic,
                    });
                }
            },
        }
    }
    dispatch(RunEvent::Finished(tracker.counts()));
}

/// Attaches a new in-memory database, makes it the default, and detaches
/// every other one. DuckDB cannot detach the default database, hence the
/// order. Detaching all others, not only the previous run's, also removes
/// a database whose detach failed in an earlier run.
async fn use_empty_database() -> Result<(), String> {
    let database = run_database_name(NEXT_RUN_DATABASE.fetch_add(1, Ordering::Relaxed));
    for sql in switch_database_sql(&database) {
        bridge::duckdb_exec(&sql)
            .await
            .map_err(|message| format!("creating the database {database} failed: {message}"))?;
    }
    let listed = bridge::duckdb_query(LIST_DATABASES_SQL, u32::MAX)
        .await
        .map_err(|message| format!("listing the earlier runs' databases failed: {message}"))?;
    for earlier in databases_to_detach(&listed, &database) {
        bridge::duckdb_exec(&detach_sql(&earlier))
            .await
            .map_err(|message| {
                format!("detaching the earlier run's database {earlier} failed: {message}")
            })?;
    }
    Ok(())
}
