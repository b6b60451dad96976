//! Runs a branch in DuckDB-WASM: starts DuckDB, registers the branch's CSV
//! files, executes the branch's plan, records what it left, and runs the
//! branch's data tests. Also the other statements that change the page's
//! database: copying a promoted branch's tables and dropping a schema.
//!
//! The database lives as long as the page. Every branch builds into its
//! own schema (`main`'s models into `main`), and the plan reuses the
//! parent's tables through views, so a run builds only what changed.

use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use rocky_core::branch::plan::{drop_branch_sql, plan_branch, PromotePlan, RunRecord};
use rocky_core::{compile_tests, ProjectFiles};
use yew::UseReducerDispatcher;

use crate::bridge;
use crate::run::{
    blocked_reason, duckdb_diagnostic, record_after_failures, RunSummary, RunTracker, StepDecision,
};
use crate::sample::data_files;
use crate::state::{
    Action, AppState, RunEvent, SharedCompilation, SkipReason, SkippedTarget, StepFailure,
};
use crate::test_results::{TestCounts, TestOutcome, TestStatus, FAILING_ROW_LIMIT};

/// True while a run, a promote or a drop uses DuckDB. They share the
/// bridge's one connection, and a promote's transaction must not take in
/// another run's statements.
static DUCKDB_BUSY: AtomicBool = AtomicBool::new(false);

/// Set by [`cancel_run`] and read by the run in progress, which stops
/// before its next step.
static CANCEL_REQUESTED: AtomicBool = AtomicBool::new(false);

/// Stops the run in progress: the statement DuckDB runs now is interrupted
/// and no later step starts. What was built stays; the rest keeps the
/// objects of the run before and is built by the next run.
pub fn cancel_run() {
    if !DUCKDB_BUSY.load(Ordering::Acquire) {
        return;
    }
    CANCEL_REQUESTED.store(true, Ordering::Release);
    wasm_bindgen_futures::spawn_local(cancel_statement());
}

fn cancel_requested() -> bool {
    CANCEL_REQUESTED.load(Ordering::Acquire)
}

/// Cancels the statement DuckDB runs now, if any.
async fn cancel_statement() {
    if let Err(message) = bridge::duckdb_cancel().await {
        gloo::console::warn!(format!("cancelling the DuckDB statement failed: {message}"));
    }
}

/// Returns the status of a data test that a cancel kept from running.
fn cancelled_test() -> TestStatus {
    TestStatus::NotRun("the run was cancelled".to_string())
}

/// The bridge's count of DuckDB restarts when the state's run records
/// were made. A restart drops every table, so a run that finds a higher
/// count clears every branch's record before it plans.
static SEEN_RESTARTS: AtomicU32 = AtomicU32::new(0);

/// True when DuckDB was restarted since the state's run records were
/// made, so the tables they name are gone.
fn database_lost() -> bool {
    bridge::duckdb_restarts() != SEEN_RESTARTS.load(Ordering::Acquire)
}

/// Clears every branch's run record after a restart of DuckDB, and notes
/// the restart as seen.
fn forget_lost_database(dispatch: &impl Fn(RunEvent)) {
    SEEN_RESTARTS.store(bridge::duckdb_restarts(), Ordering::Release);
    dispatch(RunEvent::DatabaseLost);
}

/// Clears every branch's run record when DuckDB started a new database
/// since the records were made, as a read outside a run can make it do.
/// `branch` is the current branch, which the action names.
pub fn notice_lost_database(dispatcher: &UseReducerDispatcher<AppState>, branch: &str) {
    if database_lost() {
        forget_lost_database(&|event| {
            dispatcher.dispatch(Action::Run {
                branch: branch.to_string(),
                event,
            })
        });
    }
}

/// True once DuckDB started in this page, so that a schema can exist.
static DUCKDB_STARTED: AtomicBool = AtomicBool::new(false);

/// The claim on [`DUCKDB_BUSY`], released on drop.
pub struct DuckdbClaim;

impl DuckdbClaim {
    pub fn claim() -> Option<DuckdbClaim> {
        DUCKDB_BUSY
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .ok()
            .map(|_| DuckdbClaim)
    }
}

impl Drop for DuckdbClaim {
    fn drop(&mut self) {
        DUCKDB_BUSY.store(false, Ordering::Release);
    }
}

/// Everything a run of one branch reads, taken from the state at the click,
/// so edits made while it runs wait for the next run.
#[derive(Clone)]
pub struct RunRequest {
    pub branch: String,
    pub files: Rc<ProjectFiles>,
    pub compilation: SharedCompilation,
    /// The branch's own last run in this page.
    pub previous: Option<RunRecord>,
    /// The parent's last run in this page.
    pub parent_record: Option<RunRecord>,
}

impl RunRequest {
    /// Takes the current branch's run from `state`, with `compilation` of
    /// its files.
    pub fn of_current(state: &AppState, compilation: SharedCompilation) -> RunRequest {
        let parent_record = state
            .parent()
            .and_then(|parent| state.run_of(parent).record.clone());
        RunRequest {
            branch: state.branch.clone(),
            files: Rc::clone(&state.files),
            compilation,
            previous: state.current_run().record.clone(),
            parent_record,
        }
    }
}

/// Runs the branch of `request`, reporting progress through `dispatcher`.
/// Returns false, doing nothing, while DuckDB is busy with another run.
///
/// A model with compile errors is not sent to DuckDB. A failed step does
/// not stop the run: the steps that read its target, directly or through
/// another skipped target, are skipped, and the rest still run. Failed and
/// skipped targets keep their previous objects, marked so that the next
/// run builds them again.
pub async fn run_branch(
    mut request: RunRequest,
    dispatcher: UseReducerDispatcher<AppState>,
) -> bool {
    let Some(_claim) = DuckdbClaim::claim() else {
        return false;
    };
    CANCEL_REQUESTED.store(false, Ordering::Release);
    let branch = request.branch.clone();
    let dispatch = move |event: RunEvent| {
        dispatcher.dispatch(Action::Run {
            branch: branch.clone(),
            event,
        })
    };
    dispatch(RunEvent::Started);
    // A read in flight, such as the results panel's rows of a view over a
    // slow query, would hold DuckDB until it ends. Its panel shows the
    // cancel and reads again once the run is done.
    cancel_statement().await;

    let progress = dispatch.clone();
    if let Err(message) = bridge::duckdb_start(move |line| progress(RunEvent::Progress(line))).await
    {
        // The bridge's message already names the failed stage.
        dispatch(RunEvent::Aborted(format!("Run failed: {message}")));
        return true;
    }
    DUCKDB_STARTED.store(true, Ordering::Release);
    if database_lost() {
        forget_lost_database(&dispatch);
        request.previous = None;
        request.parent_record = None;
    }

    if request.previous.is_none() {
        // Without a record the branch's schema should not exist; one left
        // by a drop that failed could hold objects of another kind than the
        // plan's, which CREATE OR REPLACE cannot replace.
        if let Some(sql) = drop_branch_sql(&request.branch) {
            if let Err(message) = bridge::duckdb_exec(&sql).await {
                dispatch(RunEvent::Aborted(format!(
                    "Run failed: clearing the schema of {} failed: {message}",
                    request.branch
                )));
                return true;
            }
        }
    }

    let files = &request.files;
    for path in data_files(files) {
        dispatch(RunEvent::Progress(format!("loading {path}")));
        let text = files.get(&path).map_or("", String::as_str);
        if let Err(message) = bridge::duckdb_register_file(&path, text).await {
            dispatch(RunEvent::Aborted(format!(
                "failed to register {path} with DuckDB: {message}"
            )));
            return true;
        }
    }

    let compilation = &request.compilation;
    let plan = plan_branch(
        &request.branch,
        files,
        compilation,
        request.previous.as_ref(),
        request.parent_record.as_ref(),
    );
    dispatch(RunEvent::Planned(plan.items.clone()));
    let mut skipped: Vec<String> = Vec::new();
    for item in &plan.items {
        if let Some(reason) = blocked_reason(item) {
            skipped.push(item.name.clone());
            dispatch(RunEvent::StepSkipped(SkippedTarget {
                target: item.name.clone(),
                reason,
            }));
        }
    }

    let total = plan.steps.len();
    let mut tracker = RunTracker::new(compilation, total);
    let mut failed: Vec<String> = Vec::new();
    let mut aborted: Option<(usize, String)> = None;
    let mut cancelled: Option<usize> = None;
    // The step whose statement would not stop or trapped, so that the
    // bridge ended DuckDB's worker and with it every table.
    let mut lost: Option<usize> = None;
    for (index, step) in plan.steps.iter().enumerate() {
        if cancel_requested() {
            cancelled = Some(index);
            break;
        }
        dispatch(RunEvent::Building {
            index,
            total,
            target: step.target.clone(),
        });
        match tracker.decide(step) {
            StepDecision::Skip(Some(target)) => {
                skipped.push(target.target.clone());
                dispatch(RunEvent::StepSkipped(target));
            }
            StepDecision::Skip(None) => {}
            StepDecision::Execute => match bridge::duckdb_exec(&step.sql).await {
                Ok(()) => tracker.built(),
                Err(message) if database_lost() => {
                    if !cancel_requested() && !step.target.is_empty() {
                        failed.push(step.target.clone());
                        dispatch(RunEvent::StepFailed {
                            failure: StepFailure {
                                target: step.target.clone(),
                                message,
                            },
                            diagnostic: None,
                        });
                    }
                    lost = Some(index);
                    break;
                }
                // The statement was interrupted: it built nothing.
                Err(_) if cancel_requested() => {
                    cancelled = Some(index);
                    break;
                }
                // A statement of no target creates a schema, which every
                // later step needs.
                Err(message) if step.target.is_empty() => {
                    aborted = Some((index, message));
                    break;
                }
                Err(message) => {
                    tracker.failed(step);
                    failed.push(step.target.clone());
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

    if let Some(index) = lost {
        // After a trap or a timeout the status line explains why nothing more
        // was built, and only a cancel marks the targets as cancelled.
        if cancel_requested() {
            for step in &plan.steps[index..] {
                if !step.target.is_empty() && !failed.contains(&step.target) {
                    dispatch(RunEvent::StepSkipped(SkippedTarget {
                        target: step.target.clone(),
                        reason: SkipReason::Cancelled,
                    }));
                }
            }
        }
        forget_lost_database(&dispatch);
        let step = index + 1;
        let message = if cancel_requested() {
            format!("Run cancelled at step {step} of {total}. DuckDB did not stop the statement, so the page started a new database; the next run builds every model again")
        } else {
            format!("Run stopped at step {step} of {total}, where the page started a new database; the next run builds every model again")
        };
        dispatch(RunEvent::Aborted(message));
        return true;
    }

    let mut not_built: Vec<String> = tracker.not_built().to_vec();
    not_built.extend(skipped.iter().cloned());
    if let Some((index, _)) = &aborted {
        not_built.extend(plan.steps[*index..].iter().map(|step| step.target.clone()));
    }
    if let Some(index) = cancelled {
        for step in &plan.steps[index..] {
            if step.target.is_empty() || not_built.contains(&step.target) {
                continue;
            }
            not_built.push(step.target.clone());
            dispatch(RunEvent::StepSkipped(SkippedTarget {
                target: step.target.clone(),
                reason: SkipReason::Cancelled,
            }));
        }
    }
    let record = record_after_failures(&plan, request.previous.as_ref(), &not_built);
    dispatch(RunEvent::Recorded(record));
    if let Some(index) = cancelled {
        let rest = if request.previous.is_some() {
            "what it had not built keeps its earlier tables until the next run"
        } else {
            "the next run builds what it had not built"
        };
        dispatch(RunEvent::Aborted(format!(
            "Run cancelled at step {} of {total}; {rest}",
            index + 1
        )));
        return true;
    }
    if let Some((_, message)) = aborted {
        dispatch(RunEvent::Aborted(format!(
            "Run failed: creating the schema {} failed: {message}",
            plan.schema
        )));
        return true;
    }

    let outcomes = run_tests(&request, &plan, &not_built, &dispatch).await;
    if database_lost() {
        forget_lost_database(&dispatch);
        dispatch(RunEvent::Aborted(
            "A data test did not stop or crashed DuckDB, so the page started a new database; the next run builds every model again"
                .to_string(),
        ));
        return true;
    }
    if cancel_requested() {
        dispatch(RunEvent::Aborted(
            "Run cancelled during its data tests; the tests not run are marked".to_string(),
        ));
        return true;
    }
    let summary = RunSummary::of(&plan.items, &failed, &skipped, TestCounts::of(&outcomes));
    dispatch(RunEvent::Finished(summary));
    true
}

/// Runs the data tests of every model of the branch against the branch's
/// tables, and returns their outcomes. The tests of a model that was not
/// built are not run.
async fn run_tests(
    request: &RunRequest,
    plan: &rocky_core::branch::plan::BranchPlan,
    not_built: &[String],
    dispatch: &impl Fn(RunEvent),
) -> Vec<TestOutcome> {
    let mut outcomes = Vec::new();
    for model in &request.compilation.models {
        let missing = not_built
            .iter()
            .any(|name| name.eq_ignore_ascii_case(&model.name));
        for test in compile_tests(model, |name| plan.relation(name)) {
            let status = if missing {
                TestStatus::NotRun(format!("{} was not built", model.name))
            } else {
                TestStatus::Pending
            };
            outcomes.push(TestOutcome { test, status });
        }
    }
    dispatch(RunEvent::Tests(outcomes.clone()));
    for (index, outcome) in outcomes.iter_mut().enumerate() {
        if outcome.status != TestStatus::Pending {
            continue;
        }
        let status = if cancel_requested() {
            cancelled_test()
        } else {
            match bridge::duckdb_query(&outcome.test.sql, FAILING_ROW_LIMIT).await {
                Err(_) if cancel_requested() => cancelled_test(),
                Ok(rows) if rows.total_rows() == 0 => TestStatus::Passed,
                Ok(rows) => TestStatus::Failed(rows),
                Err(message) => TestStatus::Error(message),
            }
        };
        outcome.status = status.clone();
        dispatch(RunEvent::TestFinished { index, status });
    }
    outcomes
}

/// Runs a promote's statements: `BEGIN TRANSACTION`, the copies, `COMMIT`.
/// When one fails it runs `ROLLBACK`, so the parent keeps its tables, and
/// returns the error. Fails at once while DuckDB is busy.
pub async fn execute_promote(plan: &PromotePlan) -> Result<(), String> {
    let Some(_claim) = DuckdbClaim::claim() else {
        return Err("a run is using DuckDB; promote again once it finished".to_string());
    };
    bridge::duckdb_start(|_| {}).await?;
    if database_lost() {
        return Err(
            "DuckDB started a new database after a statement would not stop or crashed it, so the branch's tables are gone; run the branch, then promote"
                .to_string(),
        );
    }
    for step in &plan.steps {
        if let Err(message) = bridge::duckdb_exec(&step.sql).await {
            let target = if step.target.is_empty() {
                step.sql.clone()
            } else {
                step.target.clone()
            };
            let outcome = match bridge::duckdb_exec("ROLLBACK").await {
                Ok(()) => "the promote was rolled back, so nothing changed".to_string(),
                Err(rollback) => format!("ROLLBACK failed too: {rollback}"),
            };
            return Err(format!("copying {target} failed: {message}; {outcome}"));
        }
    }
    Ok(())
}

/// Drops the schema of `branch` and everything in it. Does nothing when
/// DuckDB never started in this page, since no schema exists then.
pub async fn drop_branch_schema(branch: &str) -> Result<(), String> {
    let Some(sql) = drop_branch_sql(branch) else {
        return Ok(());
    };
    if !DUCKDB_STARTED.load(Ordering::Acquire) {
        return Ok(());
    }
    let Some(_claim) = DuckdbClaim::claim() else {
        return Err("a run is using DuckDB; try again once it finished".to_string());
    };
    bridge::duckdb_exec(&sql)
        .await
        .map_err(|message| format!("dropping the schema of `{branch}` failed: {message}"))
}
