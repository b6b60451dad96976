//! The app state and its reducer: project files, the latest compilation,
//! what is open and selected, and the progress of a DuckDB run.

use std::collections::BTreeMap;
use std::rc::Rc;

use rocky_core::{compile, Column, Compilation, Diagnostic, ProjectFiles, Severity, Span};
use yew::Reducible;

use crate::bridge::QueryResult;
use crate::model_info::{editor_model_info, update_parsed_models, EditorModelInfo, ParsedModel};
use crate::problem_list::{group_by_file, FileProblems, ProblemCounts};
use crate::run::StepCounts;
use crate::sample::first_open_path;
use crate::storage::{SaveError, SavedSession};

/// A compilation shared by the state and the components. Two handles are
/// equal when they hold the same compile, which is what props need.
#[derive(Clone, Debug, Default)]
pub struct SharedCompilation(pub Rc<Compilation>);

impl PartialEq for SharedCompilation {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedCompilation {
    type Target = Compilation;

    fn deref(&self) -> &Compilation {
        &self.0
    }
}

/// A column of a model or source table, by canonical names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnRef {
    pub model: String,
    pub column: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Model,
    Source,
}

/// A model or source table whose schema and rows the page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub kind: TargetKind,
}

/// The output schema of one model or source table.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaTable {
    pub target: Target,
    pub columns: Vec<Column>,
    /// Column name → description from the model's sidecar.
    pub descriptions: BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunPhase {
    #[default]
    Idle,
    Loading,
    Running,
    Done,
    Failed,
}

impl RunPhase {
    /// Returns the `data-state` value of the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            RunPhase::Idle => "idle",
            RunPhase::Loading => "loading",
            RunPhase::Running => "running",
            RunPhase::Done => "done",
            RunPhase::Failed => "failed",
        }
    }

    pub fn is_busy(self) -> bool {
        matches!(self, RunPhase::Loading | RunPhase::Running)
    }
}

/// A run step that DuckDB rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepFailure {
    pub target: String,
    pub message: String,
}

/// The reason a run did not execute a target's steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The model has error diagnostics, so its SQL is not sent to DuckDB.
    CompileErrors,
    /// The target reads this target (a canonical name), which failed or
    /// was skipped.
    Blocked(String),
}

impl SkipReason {
    /// Returns the `data-reason` value of the contract.
    pub fn as_str(&self) -> &'static str {
        match self {
            SkipReason::CompileErrors => "compile-errors",
            SkipReason::Blocked(_) => "blocked",
        }
    }

    /// Returns the reason as the run log shows it after the target's name.
    pub fn describe(&self) -> String {
        match self {
            SkipReason::CompileErrors => "not built: it has compile errors".to_string(),
            SkipReason::Blocked(by) => format!("not built: it reads {by}, which was not built"),
        }
    }
}

/// A target that a run did not build, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedTarget {
    pub target: String,
    pub reason: SkipReason,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunState {
    pub phase: RunPhase,
    /// The progress or outcome line shown in `run-status`.
    pub message: String,
    /// Finished runs so far, so a new run triggers a new results query.
    pub finished_runs: u32,
    /// True once the latest run got to execute its plan, so its tables exist.
    pub plan_executed: bool,
    pub failures: Vec<StepFailure>,
    pub skipped: Vec<SkippedTarget>,
}

impl RunState {
    pub fn has_failed(&self, target: &str) -> bool {
        self.failures
            .iter()
            .any(|failure| failure.target.eq_ignore_ascii_case(target))
    }

    /// Returns why `target` was not built in the latest run, if it was not.
    pub fn not_built_reason(&self, target: &str) -> Option<String> {
        if let Some(failure) = self
            .failures
            .iter()
            .find(|f| f.target.eq_ignore_ascii_case(target))
        {
            return Some(format!(
                "{} failed to build: {}",
                failure.target, failure.message
            ));
        }
        self.skipped
            .iter()
            .find(|skipped| skipped.target.eq_ignore_ascii_case(target))
            .map(|skipped| match &skipped.reason {
                SkipReason::CompileErrors => {
                    format!("{} was not built: it has compile errors", skipped.target)
                }
                SkipReason::Blocked(by) => format!(
                    "{} was not built because it reads {by}, which was not built",
                    skipped.target
                ),
            })
    }
}

/// The rows of the open target read back after a run. `request` numbers
/// each query so that a late result for a target no longer open is dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Results {
    #[default]
    Empty,
    Loading {
        request: u32,
        target: String,
    },
    Loaded {
        request: u32,
        target: String,
        table: QueryResult,
    },
    Failed {
        request: u32,
        target: String,
        message: String,
    },
}

/// A range of a file the editor is to select and scroll into view, as a
/// click on a problem requests. `request` numbers the requests, so a second
/// click on the same problem selects its range again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub path: String,
    pub span: Span,
    pub request: u32,
}

/// A file whose latest text is not yet known to be in localStorage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSave {
    /// The `edit_count` of the file's latest edit. A save of older text
    /// does not settle it.
    pub edit: u32,
    /// The error of the latest attempt, or `None` before the first attempt.
    pub error: Option<SaveError>,
}

/// The result of saving a file's text as it was at edit `edit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaveOutcome {
    pub path: String,
    pub edit: u32,
    pub result: Result<(), SaveError>,
}

/// The view the main pane shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MainView {
    #[default]
    Editor,
    Lineage,
}

impl MainView {
    /// Returns the `data-view` value of the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            MainView::Editor => "editor",
            MainView::Lineage => "lineage",
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    /// The sample as bundled, for "Reset sample" and to tell edited files.
    pub sample: Rc<ProjectFiles>,
    /// The current text of every file, edits included.
    pub files: ProjectFiles,
    pub open_path: Option<String>,
    pub selected: Option<ColumnRef>,
    pub main_view: MainView,
    /// False for a generated project, whose edits are kept only in the page.
    pub persist: bool,
    pub compilation: SharedCompilation,
    pub compile_count: u32,
    /// Edits so far; the debounce hook compiles after it stops changing.
    pub edit_count: u32,
    /// The `edit_count` that `compilation` was made at.
    pub compiled_edit_count: u32,
    pub run: RunState,
    /// DuckDB errors of the latest run placed on a line of a model's file.
    /// Each is dropped when its file is edited, and all at the next run.
    pub run_diagnostics: Vec<Diagnostic>,
    pub results: Results,
    /// The files as the latest run built them, to tell when they changed since.
    pub run_files: Option<Rc<ProjectFiles>>,
    /// Files to save to localStorage, by path. A file stays here until a
    /// save of its latest text works, so every edit retries a failed one.
    pub pending_saves: BTreeMap<String, PendingSave>,
    /// The latest range a problem click asked the editor to show, until
    /// another file is opened.
    pub reveal: Option<Reveal>,
    /// Reveal requests so far, to number them.
    pub reveal_count: u32,
    /// Each model file's column names and scopes from the latest compile
    /// in which it parsed, for hover and completion while it does not.
    pub parsed_models: BTreeMap<String, Rc<ParsedModel>>,
}

pub enum Action {
    Edit {
        path: String,
        text: String,
    },
    Compile,
    /// A compilation the Run button made because the debounced compile had
    /// not caught up, for the files at `edit_count`.
    Compiled {
        compilation: SharedCompilation,
        edit_count: u32,
    },
    /// Opens a file, selecting `select` or nothing.
    Open {
        path: String,
        select: Option<ColumnRef>,
    },
    Select(ColumnRef),
    ClearSelection,
    ShowView(MainView),
    /// Opens `path` and selects `span` in the editor. The lineage selection
    /// is kept when the file is already open.
    Reveal {
        path: String,
        span: Span,
    },
    /// The results of saving `pending_saves` to localStorage.
    Saved(Vec<SaveOutcome>),
    ResetSample,
    Run(RunEvent),
    Results(ResultsEvent),
}

/// Progress of a run, in the order the runner reports it.
pub enum RunEvent {
    Started,
    Progress(String),
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
    Finished(StepCounts),
    /// DuckDB could not start or load the data, so no step ran.
    Aborted(String),
}

pub enum ResultsEvent {
    Requested { request: u32, target: String },
    Loaded { request: u32, table: QueryResult },
    Failed { request: u32, message: String },
}

impl AppState {
    /// Creates the state from the bundled sample and what an earlier visit
    /// saved in the browser. Saved files whose path the sample lacks are
    /// ignored, since they belong to an older sample, and so is a saved open
    /// path that is no longer a file.
    pub fn new(sample: ProjectFiles, saved: SavedSession) -> AppState {
        let mut files = sample.clone();
        for (path, text) in saved.files {
            if let Some(current) = files.get_mut(&path) {
                *current = text;
            }
        }
        let open_path = saved
            .open_path
            .filter(|path| files.contains_key(path))
            .or_else(|| first_open_path(&files));
        let compilation = SharedCompilation(Rc::new(compile(&files)));
        let parsed_models = update_parsed_models(&compilation, &BTreeMap::new());
        AppState {
            sample: Rc::new(sample),
            files,
            open_path,
            selected: None,
            main_view: MainView::Editor,
            persist: true,
            compilation,
            compile_count: 1,
            edit_count: 0,
            compiled_edit_count: 0,
            run: RunState::default(),
            run_diagnostics: Vec::new(),
            results: Results::Empty,
            run_files: None,
            pending_saves: BTreeMap::new(),
            reveal: None,
            reveal_count: 0,
            parsed_models,
        }
    }

    /// Creates the state of a project that is never saved in the browser,
    /// such as a generated one.
    pub fn new_unsaved(files: ProjectFiles) -> AppState {
        AppState {
            persist: false,
            ..AppState::new(files, SavedSession::default())
        }
    }

    pub fn is_edited(&self, path: &str) -> bool {
        self.sample.get(path) != self.files.get(path)
    }

    /// Counts the files that differ from the bundled sample.
    pub fn edited_count(&self) -> usize {
        self.files
            .keys()
            .filter(|path| self.is_edited(path))
            .count()
    }

    /// Returns the files whose latest save failed, with the reason, by path.
    /// Their text is only in this page until it is saved or downloaded.
    pub fn save_failures(&self) -> Vec<(&str, &SaveError)> {
        self.pending_saves
            .iter()
            .filter_map(|(path, pending)| Some((path.as_str(), pending.error.as_ref()?)))
            .collect()
    }

    /// Returns true when a file changed after the latest run started.
    pub fn edited_since_run(&self) -> bool {
        self.run_files
            .as_ref()
            .is_some_and(|files| **files != self.files)
    }

    pub fn open_text(&self) -> &str {
        self.open_path
            .as_ref()
            .and_then(|path| self.files.get(path))
            .map_or("", String::as_str)
    }

    /// Returns true when a file changed after the latest compile.
    pub fn needs_compile(&self) -> bool {
        self.edit_count != self.compiled_edit_count
    }

    /// Returns the compiler's and the latest run's diagnostics of `path`,
    /// in line order.
    pub fn file_diagnostics(&self, path: &str) -> Vec<Diagnostic> {
        let mut diagnostics: Vec<Diagnostic> = self
            .all_diagnostics()
            .filter(|d| d.file == path)
            .cloned()
            .collect();
        diagnostics.sort_by_key(|d| (d.span.start, d.severity));
        diagnostics
    }

    fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.compilation
            .diagnostics
            .iter()
            .chain(&self.run_diagnostics)
    }

    /// Counts the compiler's diagnostics of one severity over the project.
    pub fn count(&self, severity: Severity) -> usize {
        self.compilation
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Returns the models and sources that `path` defines: the model of a
    /// model's SQL or sidecar, else the sources declared in the file or
    /// loaded from it.
    pub fn targets_of(&self, path: &str) -> Vec<Target> {
        let compilation = &self.compilation;
        let model = compilation.models.iter().find(|model| {
            model.file == path
                || model
                    .file
                    .strip_suffix(".sql")
                    .is_some_and(|stem| path == format!("{stem}.toml"))
        });
        if let Some(model) = model {
            return vec![Target {
                name: model.name.clone(),
                kind: TargetKind::Model,
            }];
        }
        compilation
            .sources
            .iter()
            .filter(|source| source.file == path || source.data.as_deref() == Some(path))
            .map(|source| Target {
                name: source.name.clone(),
                kind: TargetKind::Source,
            })
            .collect()
    }

    /// Returns the target whose rows the results panel shows: the owner of
    /// the selected column when the open file defines it, else the first
    /// target of the open file.
    pub fn open_target(&self) -> Option<Target> {
        let targets = self.targets_of(self.open_path.as_deref()?);
        let selected = self.selected.as_ref().and_then(|selected| {
            targets
                .iter()
                .find(|target| target.name.eq_ignore_ascii_case(&selected.model))
        });
        selected.or(targets.first()).cloned()
    }

    pub fn schema_of_open_file(&self) -> Vec<SchemaTable> {
        let Some(path) = self.open_path.as_deref() else {
            return Vec::new();
        };
        self.targets_of(path)
            .into_iter()
            .map(|target| {
                let compilation = &self.compilation;
                let (columns, descriptions) = match target.kind {
                    TargetKind::Model => {
                        compilation
                            .model(&target.name)
                            .map_or_else(Default::default, |model| {
                                let descriptions =
                                    model.config.column_descriptions.iter().cloned().collect();
                                (model.columns.clone(), descriptions)
                            })
                    }
                    TargetKind::Source => compilation
                        .source(&target.name)
                        .map_or_else(Default::default, |source| {
                            (source.columns.clone(), BTreeMap::new())
                        }),
                };
                SchemaTable {
                    target,
                    columns,
                    descriptions,
                }
            })
            .collect()
    }

    /// Returns the compiler's and the latest run's diagnostics of the whole
    /// project, grouped by file with the open file first.
    pub fn project_problems(&self) -> Vec<FileProblems> {
        group_by_file(self.all_diagnostics(), self.open_path.as_deref())
    }

    /// Counts the compiler's and the latest run's diagnostics by severity.
    pub fn problem_counts(&self) -> ProblemCounts {
        ProblemCounts::of(self.all_diagnostics())
    }

    /// Returns what hover and completion need for the model at `path`, or
    /// `None` when `path` is no model's SQL file.
    pub fn editor_model_info(&self, path: &str) -> Option<EditorModelInfo> {
        let model = self.compilation.models.iter().find(|m| m.file == path)?;
        let parsed = self.parsed_models.get(path).map(Rc::as_ref);
        Some(editor_model_info(&self.compilation, model, parsed))
    }

    fn recompile(&mut self) {
        self.set_compilation(SharedCompilation(Rc::new(compile(&self.files))));
    }

    fn set_compilation(&mut self, compilation: SharedCompilation) {
        self.parsed_models = update_parsed_models(&compilation, &self.parsed_models);
        self.compilation = compilation;
        self.compile_count = self.compile_count.saturating_add(1);
        self.compiled_edit_count = self.edit_count;
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Edit { path, text } => {
                if let Some(current) = self.files.get_mut(&path) {
                    *current = text;
                    self.edit_count = self.edit_count.wrapping_add(1);
                    // The line a DuckDB error names may hold other text now.
                    self.run_diagnostics.retain(|d| d.file != path);
                    // The earlier error stays until a save works, so the
                    // notice does not flicker on every keystroke.
                    let edit = self.edit_count;
                    self.pending_saves
                        .entry(path)
                        .and_modify(|pending| pending.edit = edit)
                        .or_insert(PendingSave { edit, error: None });
                }
            }
            Action::Saved(outcomes) => self.apply_saved(outcomes),
            Action::Compile => self.recompile(),
            Action::Compiled {
                compilation,
                edit_count,
            } => {
                // A later edit makes it stale; the debounced compile follows.
                if edit_count == self.edit_count {
                    self.set_compilation(compilation);
                }
            }
            Action::Open { path, select } => {
                if self.files.contains_key(&path) {
                    self.open_path = Some(path);
                    self.selected = select;
                    self.reveal = None;
                }
            }
            Action::Select(column) => self.selected = Some(column),
            Action::ClearSelection => self.selected = None,
            Action::ShowView(view) => self.main_view = view,
            Action::Reveal { path, span } => {
                if self.files.contains_key(&path) {
                    if self.open_path.as_ref() != Some(&path) {
                        self.open_path = Some(path.clone());
                        self.selected = None;
                    }
                    self.reveal_count = self.reveal_count.wrapping_add(1);
                    self.reveal = Some(Reveal {
                        path,
                        span,
                        request: self.reveal_count,
                    });
                }
            }
            Action::ResetSample => {
                // The caller removes every saved file, so a reload shows the
                // sample's text, which is what the files are now.
                self.pending_saves.clear();
                self.reveal = None;
                let before = std::mem::replace(&mut self.files, (*self.sample).clone());
                self.run_diagnostics
                    .retain(|d| before.get(&d.file) == self.files.get(&d.file));
                if !self
                    .open_path
                    .as_ref()
                    .is_some_and(|path| self.files.contains_key(path))
                {
                    self.open_path = first_open_path(&self.files);
                }
                self.recompile();
            }
            Action::Run(event) => self.apply_run(event),
            Action::Results(event) => self.apply_results(event),
        }
    }

    fn apply_saved(&mut self, outcomes: Vec<SaveOutcome>) {
        for outcome in outcomes {
            let Some(pending) = self.pending_saves.get_mut(&outcome.path) else {
                continue;
            };
            match outcome.result {
                Ok(()) if pending.edit == outcome.edit => {
                    self.pending_saves.remove(&outcome.path);
                }
                // Newer text is pending, and its own save settles the file.
                Ok(()) => {}
                Err(error) => pending.error = Some(error),
            }
        }
    }

    fn apply_run(&mut self, event: RunEvent) {
        let run = &mut self.run;
        match event {
            RunEvent::Started => {
                self.run_diagnostics.clear();
                *run = RunState {
                    phase: RunPhase::Loading,
                    message: "Starting DuckDB…".to_string(),
                    finished_runs: run.finished_runs,
                    ..Default::default()
                };
                self.results = Results::Empty;
                // The runner snapshots the files at the same click.
                self.run_files = Some(Rc::new(self.files.clone()));
            }
            RunEvent::Progress(message) => {
                if run.phase == RunPhase::Loading {
                    run.message = message;
                }
            }
            RunEvent::Building {
                index,
                total,
                target,
            } => {
                run.phase = RunPhase::Running;
                run.plan_executed = true;
                run.message = format!("building {target} ({}/{total})", index + 1);
            }
            RunEvent::StepFailed {
                failure,
                diagnostic,
            } => {
                if !run
                    .failures
                    .iter()
                    .any(|known| known.target == failure.target)
                {
                    run.failures.push(failure);
                    // An edit made while the run went on moved the lines it names.
                    let unchanged = |d: &Diagnostic| {
                        self.run_files
                            .as_ref()
                            .is_some_and(|built| built.get(&d.file) == self.files.get(&d.file))
                    };
                    self.run_diagnostics
                        .extend(diagnostic.filter(|d| unchanged(d)));
                }
            }
            RunEvent::StepSkipped(skipped) => {
                if !run
                    .skipped
                    .iter()
                    .any(|known| known.target == skipped.target)
                {
                    run.skipped.push(skipped);
                }
            }
            RunEvent::Finished(counts) => {
                run.plan_executed = true;
                run.finished_runs = run.finished_runs.wrapping_add(1);
                let every_step_ran =
                    counts.all_built() && run.failures.is_empty() && run.skipped.is_empty();
                run.phase = if every_step_ran {
                    RunPhase::Done
                } else {
                    RunPhase::Failed
                };
                run.message = counts.summary();
            }
            RunEvent::Aborted(message) => {
                run.phase = RunPhase::Failed;
                run.finished_runs = run.finished_runs.wrapping_add(1);
                run.message = message;
            }
        }
    }

    fn apply_results(&mut self, event: ResultsEvent) {
        match event {
            ResultsEvent::Requested { request, target } => {
                self.results = Results::Loading { request, target };
            }
            ResultsEvent::Loaded { request, table } => {
                if let Results::Loading {
                    request: current,
                    target,
                } = &self.results
                {
                    if *current == request {
                        self.results = Results::Loaded {
                            request,
                            target: target.clone(),
                            table,
                        };
                    }
                }
            }
            ResultsEvent::Failed { request, message } => {
                if let Results::Loading {
                    request: current,
                    target,
                } = &self.results
                {
                    if *current == request {
                        self.results = Results::Failed {
                            request,
                            target: target.clone(),
                            message,
                        };
                    }
                }
            }
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
