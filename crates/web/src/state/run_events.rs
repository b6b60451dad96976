//! A run's progress applied to the state of its branch, and the rows read
//! back for the open target.

use std::rc::Rc;

use rocky_core::branch::plan::{PlanItem, RunRecord};
use rocky_core::Diagnostic;

use super::{AppState, BranchRun, Results, RunPhase, RunState, SkippedTarget, StepFailure};
use crate::bridge::QueryResult;
use crate::run::RunSummary;
use crate::test_results::{TestOutcome, TestStatus};

/// The run status of every branch after DuckDB started a new database.
pub const LOST_DATABASE: &str =
    "DuckDB started a new database, so no branch has tables: run to build them again";

/// Progress of a run, in the order the runner reports it.
pub enum RunEvent {
    Started,
    Progress(String),
    /// The plan the run executes.
    Planned(Vec<PlanItem>),
    /// Step `index` (0-based) of `total` starts.
    Building {
        index: usize,
        total: usize,
        target: String,
    },
    /// DuckDB rejected a step; `diagnostic` places the error on a line of
    /// the model's file when DuckDB's message names one.
    StepFailed {
        failure: StepFailure,
        diagnostic: Option<Diagnostic>,
    },
    StepSkipped(SkippedTarget),
    /// The objects the run left in DuckDB, once its steps are done.
    Recorded(RunRecord),
    /// The data tests the run is about to check, pending or not run.
    Tests(Vec<TestOutcome>),
    /// The data test at `index` of the list finished.
    TestFinished {
        index: usize,
        status: TestStatus,
    },
    Finished(RunSummary),
    /// DuckDB could not start or load the data, so no step ran.
    Aborted(String),
    /// DuckDB started a new, empty database: no branch has tables, so
    /// every branch's next run builds all of its models.
    DatabaseLost,
}

pub enum ResultsEvent {
    Requested {
        request: u32,
        branch: String,
        target: String,
    },
    Loaded {
        request: u32,
        table: QueryResult,
    },
    Failed {
        request: u32,
        message: String,
    },
}

impl AppState {
    pub(super) fn apply_run(&mut self, branch: &str, event: RunEvent) {
        if let RunEvent::DatabaseLost = event {
            self.tables_lost = true;
            // Every branch's latest run, its tests and its rows describe
            // tables that are gone. A run in progress keeps its progress
            // and reports its own outcome.
            for entry in self.runs.values_mut() {
                if entry.run.phase.is_busy() {
                    entry.record = None;
                    entry.run.plan_executed = false;
                    continue;
                }
                *entry = BranchRun {
                    run: RunState {
                        message: LOST_DATABASE.to_string(),
                        finished_runs: entry.run.finished_runs,
                        ..RunState::default()
                    },
                    ..BranchRun::default()
                };
            }
            return;
        }
        let Ok(name) = self.workspace.branch(branch).map(|b| b.name.clone()) else {
            // The branch was deleted while it ran.
            return;
        };
        let files = if name == self.branch {
            Rc::clone(&self.files)
        } else {
            Rc::new(self.workspace.files(&name).unwrap_or_default())
        };
        let entry = self.runs.entry(name.clone()).or_default();
        let is_current = name == self.branch;
        match event {
            RunEvent::Started => {
                *entry = BranchRun {
                    run: RunState {
                        phase: RunPhase::Loading,
                        message: "Starting DuckDB…".to_string(),
                        finished_runs: entry.run.finished_runs,
                        ..Default::default()
                    },
                    record: entry.record.take(),
                    // The runner snapshots the files at the same click.
                    files: Some(files),
                    ..BranchRun::default()
                };
                if is_current {
                    self.results = Results::Empty;
                }
            }
            RunEvent::Progress(message) => {
                if entry.run.phase == RunPhase::Loading {
                    entry.run.message = message;
                }
            }
            RunEvent::Planned(items) => entry.plan = items,
            RunEvent::Building {
                index,
                total,
                target,
            } => {
                let run = &mut entry.run;
                run.phase = RunPhase::Running;
                run.plan_executed = true;
                let target = if target.is_empty() {
                    "the schema".to_string()
                } else {
                    target
                };
                run.message = format!("building {target} ({}/{total})", index + 1);
            }
            RunEvent::StepFailed {
                failure,
                diagnostic,
            } => {
                let run = &mut entry.run;
                if !run
                    .failures
                    .iter()
                    .any(|known| known.target == failure.target)
                {
                    run.failures.push(failure);
                    // An edit made while the run went on moved the lines it names.
                    let unchanged = |d: &Diagnostic| {
                        entry
                            .files
                            .as_ref()
                            .is_some_and(|built| built.get(&d.file) == files.get(&d.file))
                    };
                    let diagnostic = diagnostic.filter(|d| unchanged(d));
                    entry.diagnostics.extend(diagnostic);
                }
            }
            RunEvent::StepSkipped(skipped) => {
                let run = &mut entry.run;
                if !run
                    .skipped
                    .iter()
                    .any(|known| known.target == skipped.target)
                {
                    run.skipped.push(skipped);
                }
            }
            RunEvent::Recorded(record) => {
                self.tables_lost = false;
                entry.record = Some(record);
                entry.run.plan_executed = true;
            }
            RunEvent::Tests(outcomes) => {
                entry.run.phase = RunPhase::Running;
                entry.run.message = format!("running {} data tests", outcomes.len());
                entry.tests = outcomes;
            }
            RunEvent::TestFinished { index, status } => {
                if let Some(outcome) = entry.tests.get_mut(index) {
                    outcome.status = status;
                }
            }
            RunEvent::Finished(summary) => {
                let run = &mut entry.run;
                run.plan_executed = true;
                run.finished_runs = run.finished_runs.wrapping_add(1);
                let clean =
                    summary.succeeded() && run.failures.is_empty() && run.skipped.is_empty();
                run.phase = if clean {
                    RunPhase::Done
                } else {
                    RunPhase::Failed
                };
                run.message = summary.line();
            }
            RunEvent::DatabaseLost => {}
            RunEvent::Aborted(message) => {
                let run = &mut entry.run;
                run.phase = RunPhase::Failed;
                run.finished_runs = run.finished_runs.wrapping_add(1);
                run.message = message;
            }
        }
    }

    pub(super) fn apply_results(&mut self, event: ResultsEvent) {
        match event {
            ResultsEvent::Requested {
                request,
                branch,
                target,
            } => {
                self.results = Results::Loading {
                    request,
                    branch,
                    target,
                };
            }
            ResultsEvent::Loaded { request, table } => {
                self.finish_results(request, |request, branch, target| Results::Loaded {
                    request,
                    branch,
                    target,
                    table,
                });
            }
            ResultsEvent::Failed { request, message } => {
                self.finish_results(request, |request, branch, target| Results::Failed {
                    request,
                    branch,
                    target,
                    message,
                });
            }
        }
    }

    /// Replaces the loading results with `finished` when `request` is the
    /// latest query, and drops a late result of an earlier one.
    fn finish_results(
        &mut self,
        request: u32,
        finished: impl FnOnce(u32, String, String) -> Results,
    ) {
        if let Results::Loading {
            request: current,
            branch,
            target,
        } = &self.results
        {
            if *current == request {
                self.results = finished(request, branch.clone(), target.clone());
            }
        }
    }
}
