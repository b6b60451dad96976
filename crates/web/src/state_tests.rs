//! Unit tests of the reducer in state.rs, run natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use rocky_core::{compile, Diagnostic, Model, SourceTable, Span};

use super::*;
use crate::bridge::{QueryColumn, QueryResult};
use crate::run::{RunSummary, DUCKDB_CODE};
use crate::session::LegacyEdits;

fn files(entries: &[(&str, &str)]) -> ProjectFiles {
    entries
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}

fn sample() -> ProjectFiles {
    files(&[
        ("rocky.toml", "[project]\nname = \"demo\"\n"),
        ("models/a.sql", "select 1 as x"),
        ("models/b.sql", "select x from a"),
        ("data/raw.csv", "id\n1\n"),
    ])
}

/// Returns the state of a first visit: the sample, nothing saved yet.
fn fresh() -> AppState {
    AppState::new(sample(), SavedSession::new(sample()))
}

fn reduce(state: AppState, action: Action) -> AppState {
    Rc::unwrap_or_clone(Rc::new(state).reduce(action))
}

fn run(state: AppState, event: RunEvent) -> AppState {
    reduce(
        state,
        Action::Run {
            branch: MAIN.to_string(),
            event,
        },
    )
}

fn edit(path: &str, text: &str) -> Action {
    Action::Edit {
        branch: MAIN.to_string(),
        path: path.to_string(),
        text: text.to_string(),
    }
}

/// Creates a state whose compilation is set by hand, so the tests do not depend
/// on how far the compiler is.
fn with_compilation(compilation: Compilation) -> AppState {
    let mut state = fresh();
    state.compilation = SharedCompilation(Rc::new(compilation));
    state
}

fn model(name: &str) -> std::sync::Arc<Model> {
    Model {
        name: name.to_string(),
        file: format!("models/{name}.sql"),
        ..Default::default()
    }
    .into()
}

fn table() -> QueryResult {
    QueryResult {
        columns: vec![QueryColumn {
            name: "x".to_string(),
            ty: "INTEGER".to_string(),
        }],
        rows: vec![vec![Some("1".to_string())], vec![None]],
        row_count: 2.0,
    }
}

#[test]
fn new_opens_first_model_and_compiles() {
    let state = fresh();
    assert_eq!(state.open_path.as_deref(), Some("models/a.sql"));
    assert_eq!(state.compile_count, 1);
    assert_eq!(state.edit_count, 0);
    assert_eq!(state.open_text(), "select 1 as x");
}

#[test]
fn new_restores_saved_edits() {
    let saved = BTreeMap::from([
        ("models/a.sql".to_string(), "select 2 as x".to_string()),
        ("models/gone.sql".to_string(), "select 3".to_string()),
    ]);
    let legacy = LegacyEdits {
        files: saved,
        open_path: None,
    };
    let state = AppState::new(sample(), SavedSession::migrate(sample(), &legacy));
    assert_eq!(
        state.files.get("models/a.sql").map(String::as_str),
        Some("select 2 as x")
    );
    assert!(!state.files.contains_key("models/gone.sql"));
    assert!(state.is_edited("models/a.sql"));
    assert!(!state.is_edited("models/b.sql"));
}

#[test]
fn new_reopens_saved_open_path() {
    let legacy = LegacyEdits {
        files: BTreeMap::new(),
        open_path: Some("models/b.sql".to_string()),
    };
    let state = AppState::new(sample(), SavedSession::migrate(sample(), &legacy));
    assert_eq!(state.open_path.as_deref(), Some("models/b.sql"));
    assert_eq!(state.open_text(), "select x from a");
}

#[test]
fn new_ignores_saved_open_path_gone() {
    let mut saved = SavedSession::new(sample());
    saved
        .open_paths
        .insert(MAIN.to_string(), "models/gone.sql".to_string());
    let state = AppState::new(sample(), saved);
    assert_eq!(state.open_path.as_deref(), Some("models/a.sql"));
}

#[test]
fn edit_keeps_text_across_open() {
    let state = fresh();
    let state = reduce(state, edit("models/a.sql", "select 42 as x"));
    assert_eq!(state.edit_count, 1);
    assert_eq!(state.compile_count, 1, "an edit alone does not compile");
    let state = reduce(
        state,
        Action::Open {
            path: "models/b.sql".to_string(),
            select: None,
        },
    );
    assert_eq!(state.open_text(), "select x from a");
    let state = reduce(
        state,
        Action::Open {
            path: "models/a.sql".to_string(),
            select: None,
        },
    );
    assert_eq!(state.open_text(), "select 42 as x");
}

#[test]
fn edit_of_unknown_path_ignored() {
    let state = reduce(fresh(), edit("models/nope.sql", "x"));
    assert_eq!(state.edit_count, 0);
    assert!(!state.files.contains_key("models/nope.sql"));
}

#[test]
fn compile_counts_and_replaces() {
    let state = fresh();
    let before = state.compilation.clone();
    let state = reduce(state, Action::Compile);
    assert_eq!(state.compile_count, 2);
    assert!(
        state.compilation != before,
        "a compile makes a new shared compilation"
    );
}

#[test]
fn recompile_binds_edited_model_only() {
    let state = reduce(fresh(), edit("models/b.sql", "select x from a -- edited"));
    let state = reduce(state, Action::Compile);
    assert_eq!(state.compiler.stats().parsed, 1);
    assert_eq!(state.compiler.stats().bound, 1);
    let shared = |state: &AppState, name: &str| {
        state
            .compilation
            .models
            .iter()
            .find(|m| m.name == name)
            .cloned()
            .expect("model")
    };
    let a_before = shared(&state, "a");
    let state = reduce(state, edit("models/b.sql", "select x, x as y from a"));
    let state = reduce(state, Action::Compile);
    // `a` is the same shared model; `b` has its new column.
    assert!(std::sync::Arc::ptr_eq(&a_before, &shared(&state, "a")));
    assert_eq!(shared(&state, "b").columns.len(), 2);
    let json = |c: &Compilation| serde_json::to_string(c).unwrap();
    assert_eq!(json(&state.compilation), json(&compile(&state.files)));
}

#[test]
fn open_unknown_path_ignored() {
    let state = fresh();
    let state = reduce(
        state,
        Action::Open {
            path: "nope".to_string(),
            select: None,
        },
    );
    assert_eq!(state.open_path.as_deref(), Some("models/a.sql"));
}

#[test]
fn open_sets_or_clears_selection() {
    let column = ColumnRef {
        model: "b".to_string(),
        column: "x".to_string(),
    };
    let state = fresh();
    let state = reduce(state, Action::Select(column.clone()));
    assert_eq!(state.selected.as_ref(), Some(&column));
    let state = reduce(
        state,
        Action::Open {
            path: "models/b.sql".to_string(),
            select: Some(column.clone()),
        },
    );
    assert_eq!(state.selected.as_ref(), Some(&column));
    let state = reduce(
        state,
        Action::Open {
            path: "models/a.sql".to_string(),
            select: None,
        },
    );
    assert_eq!(state.selected, None);
}

#[test]
fn reset_restores_sample() {
    let state = fresh();
    let state = reduce(state, edit("models/b.sql", "broken"));
    let state = reduce(state, Action::ResetSample);
    assert_eq!(*state.files, sample());
    assert_eq!(state.compile_count, 2, "a reset compiles at once");
    assert!(!state.is_edited("models/b.sql"));
}

#[test]
fn counts_by_severity() {
    let compilation = Compilation {
        diagnostics: vec![
            Diagnostic::error("E1", "models/a.sql", Span::new(1, 1, 1, 2), "bad"),
            Diagnostic::error("E2", "models/b.sql", Span::new(1, 1, 1, 2), "bad"),
            Diagnostic::warning("W1", "models/b.sql", Span::new(1, 1, 1, 2), "meh"),
        ],
        ..Default::default()
    };
    let state = with_compilation(compilation);
    assert_eq!(state.count(Severity::Error), 2);
    assert_eq!(state.count(Severity::Warning), 1);
    let counts = state.problem_counts();
    assert_eq!((counts.errors, counts.warnings), (2, 1));
    let problems = state.project_problems();
    let groups: Vec<(&str, bool, usize)> = problems
        .iter()
        .map(|group| (group.path.as_str(), group.open, group.diagnostics.len()))
        .collect();
    assert_eq!(
        groups,
        vec![("models/a.sql", true, 1), ("models/b.sql", false, 2)]
    );
}

#[test]
fn reveal_opens_file_and_numbers_requests() {
    let state = reduce(
        fresh(),
        Action::Select(ColumnRef {
            model: "a".to_string(),
            column: "x".to_string(),
        }),
    );
    let span = Span::new(1, 8, 1, 9);
    let state = reduce(
        state,
        Action::Reveal {
            path: "models/a.sql".to_string(),
            span,
        },
    );
    assert!(
        state.selected.is_some(),
        "revealing in the open file dropped the selection"
    );
    let first = state
        .reveal
        .clone()
        .expect("no reveal after the first click");
    assert_eq!((first.path.as_str(), first.span), ("models/a.sql", span));

    let state = reduce(
        state,
        Action::Reveal {
            path: "models/b.sql".to_string(),
            span,
        },
    );
    assert_eq!(state.open_path.as_deref(), Some("models/b.sql"));
    assert_eq!(state.selected, None);
    let second = state
        .reveal
        .clone()
        .expect("no reveal after the second click");
    assert_ne!(second.request, first.request);
}

#[test]
fn open_drops_reveal() {
    let state = reduce(
        fresh(),
        Action::Reveal {
            path: "models/b.sql".to_string(),
            span: Span::new(1, 1, 1, 2),
        },
    );
    let state = reduce(
        state,
        Action::Open {
            path: "models/a.sql".to_string(),
            select: None,
        },
    );
    assert_eq!(
        state.reveal, None,
        "going back to b would select the old range again"
    );
}

#[test]
fn model_info_survives_syntax_error() {
    let state = fresh();
    let before = state
        .editor_model_info("models/b.sql")
        .expect("b is a model");
    assert_eq!(before.text, "select x from a");
    assert_eq!(before.scopes.len(), 1);

    let state = reduce(state, edit("models/b.sql", "select x, from a where"));
    let state = reduce(state, Action::Compile);
    let after = state
        .editor_model_info("models/b.sql")
        .expect("b is still a model");
    assert_eq!(
        after.text, "select x from a",
        "the info must keep the text it was made from"
    );
    assert_eq!(after.scopes, before.scopes);
    assert_eq!(after.column_uses, before.column_uses);
    assert!(state.editor_model_info("rocky.toml").is_none());
}

#[test]
fn reveal_of_unknown_path_ignored() {
    let state = reduce(
        fresh(),
        Action::Reveal {
            path: "models/gone.sql".to_string(),
            span: Span::new(1, 1, 1, 2),
        },
    );
    assert_eq!(state.open_path.as_deref(), Some("models/a.sql"));
    assert_eq!(state.reveal, None);
}

#[test]
fn targets_of_model_and_sidecar() {
    let state = with_compilation(Compilation {
        models: vec![model("a")],
        ..Default::default()
    });
    let expected = vec![Target {
        name: "a".to_string(),
        kind: TargetKind::Model,
    }];
    assert_eq!(state.targets_of("models/a.sql"), expected);
    assert_eq!(state.targets_of("models/a.toml"), expected);
    assert!(state.targets_of("models/b.sql").is_empty());
}

#[test]
fn targets_of_source_file_and_data() {
    let source = |name: &str, data: Option<&str>| SourceTable {
        name: name.to_string(),
        file: "sources/raw.sql".to_string(),
        data: data.map(str::to_string),
        ..Default::default()
    };
    let compilation = Compilation {
        sources: vec![source("raw_a", Some("data/raw.csv")), source("raw_b", None)],
        ..Default::default()
    };
    let mut state = with_compilation(compilation);
    let names = |targets: Vec<Target>| targets.into_iter().map(|t| t.name).collect::<Vec<_>>();
    assert_eq!(
        names(state.targets_of("sources/raw.sql")),
        vec!["raw_a", "raw_b"]
    );
    assert_eq!(names(state.targets_of("data/raw.csv")), vec!["raw_a"]);

    state.open_path = Some("sources/raw.sql".to_string());
    assert_eq!(
        state.open_target().map(|t| t.name).as_deref(),
        Some("raw_a")
    );
    state.selected = Some(ColumnRef {
        model: "raw_b".to_string(),
        column: "id".to_string(),
    });
    assert_eq!(
        state.open_target().map(|t| t.name).as_deref(),
        Some("raw_b")
    );
    assert_eq!(state.schema_of_open_file().len(), 2);
}

#[test]
fn run_success_flow() {
    let state = fresh();
    let state = run(state, RunEvent::Started);
    assert_eq!(state.run().phase, RunPhase::Loading);
    let state = run(
        state,
        RunEvent::Progress("fetching duckdb-eh.wasm".to_string()),
    );
    assert_eq!(state.run().message, "fetching duckdb-eh.wasm");
    let building = RunEvent::Building {
        index: 0,
        total: 2,
        target: "a".to_string(),
    };
    let state = run(state, building);
    assert_eq!(state.run().phase, RunPhase::Running);
    assert_eq!(state.run().message, "building a (1/2)");
    let state = run(state, RunEvent::Progress("late".to_string()));
    assert_eq!(
        state.run().message,
        "building a (1/2)",
        "progress only shows while loading"
    );
    let state = run(state, RunEvent::Finished(all_built(2)));
    assert_eq!(state.run().phase, RunPhase::Done);
    assert_eq!(state.run().message, "Built 2 of 2");
    assert_eq!(state.run().finished_runs, 1);
    assert!(state.run().plan_executed);
}

fn all_built(total: usize) -> RunSummary {
    RunSummary {
        planned: total,
        built: total,
        ..RunSummary::default()
    }
}

fn failed(failure: StepFailure) -> RunEvent {
    RunEvent::StepFailed {
        failure,
        diagnostic: None,
    }
}

#[test]
fn run_failure_flow() {
    let state = run(fresh(), RunEvent::Started);
    let failure = StepFailure {
        target: "a".to_string(),
        message: "Binder Error".to_string(),
    };
    let state = run(state, failed(failure.clone()));
    let state = run(
        state,
        failed(StepFailure {
            message: "again".to_string(),
            ..failure
        }),
    );
    let skipped = SkippedTarget {
        target: "b".to_string(),
        reason: SkipReason::Blocked("a".to_string()),
    };
    let state = run(state, RunEvent::StepSkipped(skipped));
    let counts = RunSummary {
        planned: 2,
        built: 0,
        failed: 1,
        skipped: 1,
        ..RunSummary::default()
    };
    let state = run(state, RunEvent::Finished(counts));

    assert_eq!(state.run().phase, RunPhase::Failed);
    assert_eq!(
        state.run().failures.len(),
        1,
        "the first error of a target is kept"
    );
    assert_eq!(state.run().message, "Built 0 of 2: 1 failed, 1 skipped");

    assert_eq!(
        state.run().not_built_reason("A").as_deref(),
        Some("a failed to build: Binder Error")
    );
    assert_eq!(
        state.run().not_built_reason("b").as_deref(),
        Some("b was not built because it reads a, which was not built")
    );
    assert_eq!(state.run().not_built_reason("c"), None);
}

#[test]
fn run_with_compile_errors_fails() {
    let state = run(fresh(), RunEvent::Started);
    let skipped = SkippedTarget {
        target: "b".to_string(),
        reason: SkipReason::CompileErrors,
    };
    let state = run(state, RunEvent::StepSkipped(skipped));
    let counts = RunSummary {
        planned: 2,
        built: 1,
        skipped: 1,
        ..RunSummary::default()
    };
    let state = run(state, RunEvent::Finished(counts));
    assert_eq!(
        state.run().phase,
        RunPhase::Failed,
        "a skipped model fails the run"
    );
    assert_eq!(state.run().message, "Built 1 of 2: 0 failed, 1 skipped");
    assert_eq!(
        state.run().not_built_reason("b").as_deref(),
        Some("b was not built: it has compile errors")
    );
}

#[test]
fn skip_reasons_match_contract() {
    let blocked = SkipReason::Blocked("stg_orders".to_string());
    assert_eq!(SkipReason::CompileErrors.as_str(), "compile-errors");
    assert_eq!(blocked.as_str(), "blocked");
    assert_eq!(
        SkipReason::CompileErrors.describe(),
        "not built: it has compile errors"
    );
    assert_eq!(
        blocked.describe(),
        "not built: it reads stg_orders, which was not built"
    );
}

fn duckdb_error(file: &str, line: u32) -> Diagnostic {
    Diagnostic::error(
        DUCKDB_CODE,
        file,
        Span::new(line, 1, line, 10),
        "Catalog Error: Scalar Function with name nosuchfunc does not exist!",
    )
}

/// Runs once with a DuckDB error located in models/a.sql.
fn state_with_run_error() -> AppState {
    let state = run(fresh(), RunEvent::Started);
    let failure = StepFailure {
        target: "a".to_string(),
        message: "Catalog Error".to_string(),
    };
    let state = run(
        state,
        RunEvent::StepFailed {
            failure,
            diagnostic: Some(duckdb_error("models/a.sql", 1)),
        },
    );
    run(
        state,
        RunEvent::Finished(RunSummary {
            planned: 1,
            failed: 1,
            ..RunSummary::default()
        }),
    )
}

#[test]
fn run_error_shown_in_its_file() {
    let state = state_with_run_error();
    let shown = state.file_diagnostics("models/a.sql");
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].code, DUCKDB_CODE);
    assert!(state.file_diagnostics("models/b.sql").is_empty());
    assert_eq!(
        state.count(Severity::Error),
        0,
        "compile-status counts only the compiler's errors"
    );
    let mut state = state;
    state.open_path = Some("models/b.sql".to_string());
    let groups = state.project_problems();
    assert_eq!(groups.len(), 1);
    assert_eq!(
        (groups[0].path.as_str(), groups[0].open),
        ("models/a.sql", false)
    );
    assert_eq!(groups[0].diagnostics[0].code, DUCKDB_CODE);
    assert_eq!(
        state.problem_counts().errors,
        1,
        "the problems list counts run errors"
    );
}

#[test]
fn run_error_dropped_on_edit_of_its_file() {
    let state = reduce(
        state_with_run_error(),
        edit("models/b.sql", "select 2 as x"),
    );
    assert_eq!(
        state.current_run().diagnostics.len(),
        1,
        "an edit of another file keeps it"
    );
    let state = reduce(state, edit("models/a.sql", "select 2 as x"));
    assert!(state.current_run().diagnostics.is_empty());
    assert_eq!(
        state.run().failures.len(),
        1,
        "the run log keeps the model error"
    );
}

#[test]
fn run_error_of_file_edited_during_run_dropped() {
    let state = run(fresh(), RunEvent::Started);
    let state = reduce(state, edit("models/a.sql", "select 2 as x"));
    let failure = StepFailure {
        target: "a".to_string(),
        message: "Catalog Error".to_string(),
    };
    let state = run(
        state,
        RunEvent::StepFailed {
            failure,
            diagnostic: Some(duckdb_error("models/a.sql", 1)),
        },
    );
    assert!(state.current_run().diagnostics.is_empty());
    assert_eq!(state.run().failures.len(), 1);
}

#[test]
fn run_error_dropped_on_next_run() {
    let state = run(state_with_run_error(), RunEvent::Started);
    assert!(state.current_run().diagnostics.is_empty());
}

#[test]
fn run_error_dropped_by_reset_of_its_file() {
    let state = reduce(state_with_run_error(), Action::ResetSample);
    assert_eq!(
        state.current_run().diagnostics.len(),
        1,
        "a reset that leaves the file as it was keeps it"
    );
    let state = reduce(state, edit("models/b.sql", "select 2 as x"));
    let mut state = state;
    state
        .runs
        .get_mut(MAIN)
        .expect("main ran")
        .diagnostics
        .push(duckdb_error("models/b.sql", 1));
    let state = reduce(state, Action::ResetSample);
    let files: Vec<&str> = state
        .current_run()
        .diagnostics
        .iter()
        .map(|d| d.file.as_str())
        .collect();
    assert_eq!(files, vec!["models/a.sql"]);
}

#[test]
fn compile_for_run_tracks_edits() {
    let state = fresh();
    assert!(!state.needs_compile());
    let state = reduce(state, edit("models/a.sql", "select 2 as x"));
    assert!(state.needs_compile());
    let fresh = SharedCompilation(Rc::new(compile(&state.files)));
    let compiles = state.compiler.compiles();
    let state = reduce(
        state,
        Action::Compiled {
            compilation: fresh.clone(),
            edit_count: 1,
            compiles,
        },
    );
    assert!(!state.needs_compile());
    assert!(state.compilation == fresh);
    assert_eq!(state.compile_count, 2);
}

#[test]
fn compile_for_run_dropped_after_later_edit() {
    let state = reduce(fresh(), edit("models/a.sql", "select 2 as x"));
    let stale = SharedCompilation(Rc::new(compile(&state.files)));
    let state = reduce(state, edit("models/a.sql", "select 3 as x"));
    let compiles = state.compiler.compiles();
    let state = reduce(
        state,
        Action::Compiled {
            compilation: stale.clone(),
            edit_count: 1,
            compiles,
        },
    );
    assert!(state.compilation != stale);
    assert!(state.needs_compile());
    let state = reduce(state, Action::Compile);
    assert!(!state.needs_compile());
}

#[test]
fn edits_after_run_detected() {
    let state = fresh();
    assert!(!state.edited_since_run());
    let state = run(state, RunEvent::Started);
    assert!(!state.edited_since_run());
    let state = reduce(state, edit("models/a.sql", "select 2 as x"));
    assert!(state.edited_since_run());
}

#[test]
fn run_start_clears_previous() {
    let state = run(fresh(), RunEvent::Started);
    let failure = StepFailure {
        target: "a".to_string(),
        message: "x".to_string(),
    };
    let state = run(state, failed(failure));
    let state = run(
        state,
        RunEvent::Finished(RunSummary {
            planned: 1,
            failed: 1,
            ..RunSummary::default()
        }),
    );
    let state = run(state, RunEvent::Started);
    assert!(state.run().failures.is_empty());
    assert!(!state.run().plan_executed);
    assert_eq!(
        state.run().finished_runs,
        1,
        "the count of finished runs carries over"
    );
}

#[test]
fn run_abort_fails_without_plan() {
    let state = run(fresh(), RunEvent::Started);
    let state = run(
        state,
        RunEvent::Aborted("DuckDB failed to start: timed out".to_string()),
    );
    assert_eq!(state.run().phase, RunPhase::Failed);
    assert!(!state.run().plan_executed);
    assert_eq!(state.run().message, "DuckDB failed to start: timed out");
}

#[test]
fn results_drop_stale_answers() {
    let state = fresh();
    let requested = |request: u32, target: &str| {
        Action::Results(ResultsEvent::Requested {
            request,
            branch: MAIN.to_string(),
            target: target.to_string(),
        })
    };
    let state = reduce(state, requested(1, "a"));
    let state = reduce(state, requested(2, "b"));
    let state = reduce(
        state,
        Action::Results(ResultsEvent::Loaded {
            request: 1,
            table: table(),
        }),
    );
    assert_eq!(
        state.results,
        Results::Loading {
            request: 2,
            branch: MAIN.to_string(),
            target: "b".to_string()
        }
    );
    let state = reduce(
        state,
        Action::Results(ResultsEvent::Loaded {
            request: 2,
            table: table(),
        }),
    );
    assert_eq!(
        state.results,
        Results::Loaded {
            request: 2,
            branch: MAIN.to_string(),
            target: "b".to_string(),
            table: table()
        }
    );
}

#[test]
fn results_failure_recorded() {
    let state = fresh();
    let state = reduce(
        state,
        Action::Results(ResultsEvent::Requested {
            request: 1,
            branch: MAIN.to_string(),
            target: "a".to_string(),
        }),
    );
    let failed = ResultsEvent::Failed {
        request: 1,
        message: "Catalog Error".to_string(),
    };
    let state = reduce(state, Action::Results(failed));
    let expected = Results::Failed {
        request: 1,
        branch: MAIN.to_string(),
        target: "a".to_string(),
        message: "Catalog Error".to_string(),
    };
    assert_eq!(state.results, expected);
}

#[test]
fn phase_names_match_contract() {
    let names: Vec<&str> = [
        RunPhase::Idle,
        RunPhase::Loading,
        RunPhase::Running,
        RunPhase::Done,
        RunPhase::Failed,
    ]
    .iter()
    .map(|phase| phase.as_str())
    .collect();
    assert_eq!(names, vec!["idle", "loading", "running", "done", "failed"]);
}

#[test]
fn edited_count_counts_differing_files() {
    let state = fresh();
    assert_eq!(state.edited_count(), 0);
    let state = reduce(state, edit("models/a.sql", "select 2 as x"));
    let state = reduce(state, edit("models/b.sql", "select 2"));
    assert_eq!(state.edited_count(), 2);
    let state = reduce(state, edit("models/b.sql", "select x from a"));
    assert_eq!(
        state.edited_count(),
        1,
        "text equal to the sample is no edit"
    );
}

#[test]
fn clear_selection_drops_column() {
    let column = ColumnRef {
        model: "b".to_string(),
        column: "x".to_string(),
    };
    let state = fresh();
    let state = reduce(state, Action::Select(column));
    let state = reduce(state, Action::ClearSelection);
    assert_eq!(state.selected, None);
}

#[test]
fn main_view_switches_and_keeps_file() {
    let state = fresh();
    assert_eq!(state.main_view, MainView::Editor);
    let open = state.open_path.clone();
    let state = reduce(state, Action::ShowView(MainView::Lineage));
    assert_eq!(state.main_view, MainView::Lineage);
    assert_eq!(state.open_path, open);
    let state = reduce(state, Action::ShowView(MainView::Editor));
    assert_eq!(state.main_view.as_str(), "editor");
}

#[test]
fn unsaved_state_does_not_persist() {
    let state = AppState::new_unsaved(sample());
    assert!(!state.persist);
    assert!(fresh().persist);
    assert_eq!(*state.files, sample());
}

#[test]
fn crash_pauses_compiling_until_resumed() {
    let state = AppState::starting(
        sample(),
        SavedSession::new(sample()),
        Some("RefCell already borrowed".to_string()),
    );
    assert_eq!(state.paused().as_deref(), Some("RefCell already borrowed"));
    assert!(
        state.compilation.models.is_empty(),
        "nothing compiled at load"
    );
    assert_eq!(
        state.files.get("models/b.sql").map(String::as_str),
        Some("select x from a")
    );

    // Edits are kept while paused, and still compile nothing.
    let state = reduce(state, edit("models/b.sql", "select x, x as y from a"));
    let state = reduce(state, Action::Compile);
    assert!(state.compilation.models.is_empty());
    assert!(state.is_edited("models/b.sql"));

    let state = reduce(state, Action::ResumeCompiling);
    assert_eq!(state.paused(), None);
    let names: Vec<&str> = state
        .compilation
        .models
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);
    let b = state
        .compilation
        .model("b")
        .expect("b compiles after the pause");
    let columns: Vec<&str> = b.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(columns, ["x", "y"]);
}

#[test]
fn clones_share_the_pause() {
    let state = AppState::starting(sample(), SavedSession::new(sample()), Some("x".into()));
    // The debounced compile compiles through a clone of the state.
    let clone = state.clone();
    assert!(clone.compile_now().models.is_empty());
    let resumed = reduce(state, Action::ResumeCompiling);
    assert_eq!(resumed.compile_now().models.len(), 2);
    assert_eq!(
        clone.compile_now().models.len(),
        2,
        "the compiler is shared"
    );
}

/// Returns the state of the sample with enough models added to start
/// with no compile.
fn large_project() -> AppState {
    let mut project = sample();
    for i in 0..COMPILE_AFTER_SHOWN_OVER {
        project.insert(format!("models/m{i}.sql"), "SELECT 1 AS one".to_string());
    }
    AppState::new(project.clone(), SavedSession::new(project))
}

#[test]
fn large_project_compiles_after_start() {
    let state = large_project();
    assert_eq!(state.compile_count, 0);
    assert!(state.compilation.models.is_empty());
    assert!(state.needs_compile());

    // What use_first_compile does after the first paint: parse in steps,
    // then compile.
    let mut steps = 0;
    while state.parse_ahead(100) > 0 {
        steps += 1;
    }
    assert_eq!(steps, 5);
    let compilation = state.compile_now();
    assert_eq!(state.compiler.stats().parsed, 0, "the compile parsed again");
    let compiles = state.compiler.compiles();
    let compiled = reduce(
        state,
        Action::Compiled {
            compilation,
            edit_count: 0,
            compiles,
        },
    );
    assert_eq!(compiled.compile_count, 1);
    assert_eq!(
        compiled.compilation.models.len(),
        COMPILE_AFTER_SHOWN_OVER + 2
    );
    assert!(!compiled.needs_compile());
}

#[test]
fn small_project_compiles_at_start() {
    let state = fresh();
    assert_eq!(state.compile_count, 1);
    assert!(!state.needs_compile());
}

#[test]
fn first_compile_dropped_after_later_compile() {
    let state = large_project();
    let stale = state.compile_now();
    let compiles = state.compiler.compiles();
    // A delete arrives before the first compile is shown, and compiles
    // the files without the model.
    let state = reduce(
        state,
        Action::DeleteFile {
            branch: MAIN.to_string(),
            path: "models/m0.sql".to_string(),
        },
    );
    assert_eq!(state.compilation.models.len(), COMPILE_AFTER_SHOWN_OVER + 1);
    let state = reduce(
        state,
        Action::Compiled {
            compilation: stale,
            edit_count: 0,
            compiles,
        },
    );
    assert_eq!(
        state.compilation.models.len(),
        COMPILE_AFTER_SHOWN_OVER + 1,
        "the stale compile came back"
    );
}
