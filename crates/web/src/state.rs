//! The app state and its reducer: the workspace of branches and the
//! current branch's files, the latest compilation, what is open and
//! selected, each branch's runs in DuckDB, and the saving of the session.
//!
//! `run_events` applies a run's progress, `branches` the branch actions
//! and dialogs, and `saving` the outcome of saves.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use rocky_core::branch::plan::{PlanItem, RunRecord};
use rocky_core::branch::{FileStatus, Workspace, MAIN};
use rocky_core::{
    Column, Compilation, CompileStats, Compiler, Diagnostic, ProjectFiles, Severity, Span,
};
use yew::Reducible;

use crate::bridge::QueryResult;
use crate::model_info::{editor_model_info, update_parsed_models, EditorModelInfo, ParsedModel};
use crate::problem_list::{group_by_file, FileProblems, ProblemCounts};
use crate::sample::first_open_path;
use crate::session::SavedSession;
use crate::test_results::TestOutcome;

mod branches;
mod run_events;
mod saving;

pub use branches::{BranchAction, Dialog, Notice, PromoteAction};
pub use run_events::{ResultsEvent, RunEvent, LOST_DATABASE};
pub use saving::SaveState;

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

/// The compiler of the current branch, kept between compiles so a
/// recompile after an edit redoes only the models the edit can change.
/// Clones of the state share it.
///
/// While paused it compiles nothing and returns an empty compilation: the
/// page starts paused after a crash, in case compiling is what crashed it.
#[derive(Clone, Default)]
pub struct SharedCompiler {
    compiler: Rc<RefCell<Compiler>>,
    /// Counts the compiles, so a compile shown later can tell whether
    /// another came after it.
    compiles: Rc<Cell<u64>>,
    /// The message of the crash that paused compiling, while it is paused.
    paused: Rc<RefCell<Option<String>>>,
}

impl std::fmt::Debug for SharedCompiler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedCompiler")
    }
}

impl SharedCompiler {
    pub fn compile(&self, files: &ProjectFiles) -> SharedCompilation {
        self.compiles.set(self.compiles.get() + 1);
        if self.paused.borrow().is_some() {
            return SharedCompilation(Rc::new(Compilation::default()));
        }
        SharedCompilation(Rc::new(self.compiler.borrow_mut().compile(files)))
    }

    /// Returns the counts of the models the last compile redid.
    pub fn stats(&self) -> CompileStats {
        self.compiler.borrow().stats()
    }

    /// Returns how many compiles the compiler has made.
    pub fn compiles(&self) -> u64 {
        self.compiles.get()
    }

    /// Parses up to `count` models ahead of the next compile of `files`,
    /// and returns how many are left; none while paused.
    pub fn parse_ahead(&self, files: &ProjectFiles, count: usize) -> usize {
        if self.paused.borrow().is_some() {
            return 0;
        }
        self.compiler.borrow_mut().parse_ahead(files, count)
    }

    /// Stops compiling for every clone, after the crash of `message`, or
    /// resumes it with `None`.
    pub fn set_paused(&self, message: Option<String>) {
        *self.paused.borrow_mut() = message;
    }

    /// Returns the message of the crash that paused compiling, while it is
    /// paused.
    pub fn paused(&self) -> Option<String> {
        self.paused.borrow().clone()
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

/// Where a project opened from a share link came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedOrigin {
    /// The link's fragment, without `#`.
    pub fragment: String,
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
    /// The run was cancelled before it built the target.
    Cancelled,
}

impl SkipReason {
    /// Returns the `data-reason` value of the contract.
    pub fn as_str(&self) -> &'static str {
        match self {
            SkipReason::CompileErrors => "compile-errors",
            SkipReason::Blocked(_) => "blocked",
            SkipReason::Cancelled => "cancelled",
        }
    }

    /// Returns the reason as the run log shows it after the target's name.
    pub fn describe(&self) -> String {
        match self {
            SkipReason::CompileErrors => "not built: it has compile errors".to_string(),
            SkipReason::Blocked(by) => format!("not built: it reads {by}, which was not built"),
            SkipReason::Cancelled => "not built: the run was cancelled".to_string(),
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
                SkipReason::Cancelled => {
                    format!("{} was not built: the run was cancelled", skipped.target)
                }
            })
    }
}

/// The rows of the open target read back after a run. `request` numbers
/// each query so that a late result for a target no longer open, or of
/// another branch, is dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Results {
    #[default]
    Empty,
    Loading {
        request: u32,
        branch: String,
        target: String,
    },
    Loaded {
        request: u32,
        branch: String,
        target: String,
        table: QueryResult,
    },
    Failed {
        request: u32,
        branch: String,
        target: String,
        message: String,
    },
}

/// The outcome of one branch's runs: the latest run's progress, the
/// objects it built, its plan and its data tests. Kept per branch for
/// the page's lifetime and never saved, because the database does not
/// outlive the page either.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BranchRun {
    pub run: RunState,
    /// The objects the branch's runs left in DuckDB, or `None` before its
    /// first run in this page.
    pub record: Option<RunRecord>,
    /// The plan the latest run executed.
    pub plan: Vec<PlanItem>,
    pub tests: Vec<TestOutcome>,
    /// The files as the latest run built them, to tell when they changed since.
    pub files: Option<Rc<ProjectFiles>>,
    /// DuckDB errors of the latest run placed on a line of a model's file.
    /// Each is dropped when its file is edited, and all at the next run.
    pub diagnostics: Vec<Diagnostic>,
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

/// The view the main pane shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MainView {
    #[default]
    Editor,
    Lineage,
    /// The current branch compared with its parent; only on a branch
    /// other than `main`.
    Compare,
}

impl MainView {
    /// Returns the `data-view` value of the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            MainView::Editor => "editor",
            MainView::Lineage => "lineage",
            MainView::Compare => "compare",
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    /// The project as bundled, for "Reset sample" and to count edits.
    pub sample: Rc<ProjectFiles>,
    /// Every branch and its files.
    pub workspace: Rc<Workspace>,
    /// The branch shown, by its name in `workspace`.
    pub branch: String,
    /// The current text of every file of the current branch.
    pub files: Rc<ProjectFiles>,
    pub open_path: Option<String>,
    /// The open file of every other branch, by branch name, so switching
    /// back reopens it.
    pub open_paths: BTreeMap<String, String>,
    pub selected: Option<ColumnRef>,
    pub main_view: MainView,
    /// False for a generated project, whose edits are kept only in the page.
    pub persist: bool,
    /// The IndexedDB record the session is saved under: `current` for the
    /// user's own project, `shared:<hash>` for one opened from a link.
    pub session_key: String,
    /// Set when the project was opened from a share link.
    pub shared: Option<SharedOrigin>,
    pub compilation: SharedCompilation,
    pub compiler: SharedCompiler,
    pub compile_count: u32,
    /// Edits so far; the debounce hook compiles after it stops changing.
    pub edit_count: u32,
    /// The `edit_count` that `compilation` was made at.
    pub compiled_edit_count: u32,
    /// Each branch's runs, by branch name.
    pub runs: BTreeMap<String, BranchRun>,
    /// Returned for a branch that has not run, so callers need no `Option`.
    idle_run: BranchRun,
    pub results: Results,
    /// The latest range a problem click asked the editor to show, until
    /// another file is opened.
    pub reveal: Option<Reveal>,
    /// Reveal requests so far, to number them.
    pub reveal_count: u32,
    /// Each model file's column names and scopes from the latest compile
    /// in which it parsed, for hover and completion while it does not.
    pub parsed_models: BTreeMap<String, Rc<ParsedModel>>,
    pub save: SaveState,
    /// The open dialog of a branch action.
    pub dialog: Option<Dialog>,
    /// The outcome of the latest branch action, import or export.
    pub notice: Option<Notice>,
    /// True while a rename or a delete drops a schema.
    pub working: bool,
    /// True from a DuckDB restart, which drops every branch's tables,
    /// until a run records tables again.
    pub tables_lost: bool,
}

pub enum Action {
    /// A user edit of the file `path` of the branch `branch`.
    Edit {
        branch: String,
        path: String,
        text: String,
    },
    /// Writes the file `path` of the branch `branch`, creating it when it
    /// is missing: an accepted test proposal or an applied fix-it.
    WriteFile {
        branch: String,
        path: String,
        text: String,
    },
    /// Deletes the file `path` of the branch `branch`.
    DeleteFile {
        branch: String,
        path: String,
    },
    Compile,
    /// Ends the pause after a crash and compiles the current files.
    ResumeCompiling,
    /// A compilation made outside the reducer, for the files at
    /// `edit_count`, as the `compiles`-th compile of the state's compiler:
    /// the Run button's when the debounced compile had not caught up, or a
    /// large project's first compile.
    Compiled {
        compilation: SharedCompilation,
        edit_count: u32,
        compiles: u64,
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
    /// The outcome of writing the session at `revision`, whose workspace
    /// was `workspace`, to IndexedDB.
    Saved {
        revision: u64,
        workspace: Rc<Workspace>,
        result: Result<(), crate::storage::SaveError>,
    },
    /// The earlier version's localStorage keys were removed.
    LegacyCleared,
    /// Keeps this tab's version over the session another tab saved: the
    /// next save replaces it.
    OverwriteOtherTab,
    /// Gives up this tab's unsaved changes for the session another tab
    /// saved, which the page reloads.
    TakeOtherTab,
    /// Restores the bundled project: `main` with the sample's files and no
    /// other branch.
    ResetSample,
    /// Progress of a run of `branch`.
    Run {
        branch: String,
        event: RunEvent,
    },
    Results(ResultsEvent),
    Branch(BranchAction),
    Promote(PromoteAction),
    ShowDialog(Option<Dialog>),
    ShowNotice(Option<Notice>),
    /// A rename or a delete started or stopped waiting for DuckDB.
    Working(bool),
}

/// Projects of more files than this start with no compile: the page is
/// shown first and `use_first_compile` compiles after it is painted.
pub const COMPILE_AFTER_SHOWN_OVER: usize = 500;

impl AppState {
    /// Creates the state of a saved session of the bundled project, with
    /// `sample` the project as bundled. Without a saved session the caller passes
    /// `SavedSession::new(sample)` or a migrated one.
    pub fn new(sample: ProjectFiles, session: SavedSession) -> AppState {
        AppState::starting(sample, session, None)
    }

    /// Creates the state as [`AppState::new`] does, but with compiling
    /// paused when `crash` is the message of the crash that stopped the
    /// tab's last load. The files then open without being compiled.
    pub fn starting(
        sample: ProjectFiles,
        session: SavedSession,
        crash: Option<String>,
    ) -> AppState {
        let SavedSession {
            workspace,
            branch,
            open_paths,
            ..
        } = session;
        let files = workspace.files(&branch).unwrap_or_default();
        let mut open_paths = open_paths;
        let open_path = open_paths
            .remove(&branch)
            .filter(|path| files.contains_key(path))
            .or_else(|| first_open_path(&files));
        let compiler = SharedCompiler::default();
        let paused = crash.is_some();
        compiler.set_paused(crash);
        // A large project compiles for long (about 1 s at 5,000 models), so
        // the page shows its files first and compiles in later tasks.
        let later = files.len() > COMPILE_AFTER_SHOWN_OVER && !paused;
        let compilation = if later {
            SharedCompilation::default()
        } else {
            compiler.compile(&files)
        };
        let parsed_models = update_parsed_models(&compilation, &BTreeMap::new());
        let workspace = Rc::new(workspace);
        AppState {
            sample: Rc::new(sample),
            save: SaveState::new(Rc::clone(&workspace)),
            workspace,
            branch,
            files: Rc::new(files),
            open_path,
            open_paths,
            selected: None,
            main_view: MainView::Editor,
            persist: true,
            session_key: crate::storage::OWN_SESSION_KEY.to_string(),
            shared: None,
            compilation,
            compiler,
            compile_count: if later { 0 } else { 1 },
            edit_count: 0,
            compiled_edit_count: 0,
            runs: BTreeMap::new(),
            idle_run: BranchRun::default(),
            results: Results::Empty,
            reveal: None,
            reveal_count: 0,
            parsed_models,
            dialog: None,
            notice: None,
            working: false,
            tables_lost: false,
        }
    }

    /// Returns the message of the crash that stopped the tab's last page
    /// load while compiling is paused after it. The files are shown, but
    /// nothing is compiled or run until the user resumes.
    pub fn paused(&self) -> Option<String> {
        self.compiler.paused()
    }

    /// Creates the state of a project that is never saved in the browser,
    /// such as a generated one.
    pub fn new_unsaved(files: ProjectFiles) -> AppState {
        AppState {
            persist: false,
            ..AppState::new(files.clone(), SavedSession::new(files))
        }
    }

    /// Returns the JSON of the session a save writes.
    pub fn session_json(&self) -> Result<String, String> {
        let mut open_paths = self.open_paths.clone();
        if let Some(path) = &self.open_path {
            open_paths.insert(self.branch.clone(), path.clone());
        }
        crate::session::session_json(&self.workspace, &self.branch, &open_paths)
    }

    /// Returns the current branch's parent, or `None` on `main`.
    pub fn parent(&self) -> Option<&str> {
        self.workspace
            .branch(&self.branch)
            .ok()
            .and_then(|branch| branch.parent.as_deref())
    }

    /// Returns the latest run of `branch`, or an idle one before its first.
    pub fn run_of(&self, branch: &str) -> &BranchRun {
        self.runs.get(branch).unwrap_or(&self.idle_run)
    }

    /// Returns the current branch's latest run.
    pub fn current_run(&self) -> &BranchRun {
        self.run_of(&self.branch)
    }

    /// Returns the progress and outcome of the current branch's latest run.
    pub fn run(&self) -> &RunState {
        &self.current_run().run
    }

    /// Returns true while a run of any branch is in progress. Runs share
    /// the page's one DuckDB connection, so only one runs at a time.
    pub fn any_run_busy(&self) -> bool {
        self.runs.values().any(|entry| entry.run.phase.is_busy())
    }

    /// Returns how the current branch changed `path` since its fork (or,
    /// on `main`, since the workspace was created from the sample).
    pub fn file_status(&self, path: &str) -> Option<FileStatus> {
        let branch = self.workspace.branch(&self.branch).ok()?;
        let now = branch.file(path);
        match (branch.base_file(path), now) {
            (None, Some(_)) => Some(FileStatus::Added),
            (Some(_), None) => Some(FileStatus::Deleted),
            (Some(base), Some(now)) if base != now => Some(FileStatus::Modified),
            _ => None,
        }
    }

    /// Returns the paths the current branch deleted since its fork, which
    /// the file list shows struck through.
    pub fn deleted_paths(&self) -> Vec<String> {
        let Ok(branch) = self.workspace.branch(&self.branch) else {
            return Vec::new();
        };
        branch
            .changed_files()
            .into_iter()
            .filter(|change| change.status == FileStatus::Deleted)
            .map(|change| change.path)
            .collect()
    }

    pub fn is_edited(&self, path: &str) -> bool {
        self.file_status(path).is_some()
    }

    /// Counts the files of `main` that differ from the bundled sample. It
    /// reads `main`'s files in place, since it runs on every render.
    pub fn edited_count(&self) -> usize {
        let Ok(main) = self.workspace.branch(MAIN) else {
            return 0;
        };
        let changes = main.changed_files();
        let mut paths: Vec<&str> = self.sample.keys().map(String::as_str).collect();
        paths.extend(changes.iter().map(|change| change.path.as_str()));
        paths.sort_unstable();
        paths.dedup();
        paths
            .into_iter()
            .filter(|path| main.file(path) != self.sample.get(*path).map(String::as_str))
            .count()
    }

    /// Counts the branches other than `main`.
    pub fn branch_count(&self) -> usize {
        self.workspace.branches().len().saturating_sub(1)
    }

    /// Returns true when a file of the current branch changed after its
    /// latest run started.
    pub fn edited_since_run(&self) -> bool {
        self.current_run()
            .files
            .as_ref()
            .is_some_and(|files| **files != *self.files)
    }

    pub fn open_text(&self) -> &str {
        self.open_path
            .as_ref()
            .and_then(|path| self.files.get(path))
            .map_or("", String::as_str)
    }

    /// Returns true when a file changed after the latest compile.
    pub fn needs_compile(&self) -> bool {
        self.edit_count != self.compiled_edit_count || self.compile_count == 0
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
            .chain(&self.current_run().diagnostics)
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

    /// Returns the quoted relation the current branch's latest run left
    /// for `target`, which the results panel reads.
    pub fn relation_of(&self, target: &str) -> Option<String> {
        let record = self.current_run().record.as_ref()?;
        record
            .objects
            .get(&target.to_ascii_lowercase())
            .map(|object| object.relation.clone())
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
                                let descriptions = described_columns(compilation, &model.name);
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
        if let Some(stem) = path.strip_suffix(".toml") {
            let sql = format!("{stem}.sql");
            let model = self.compilation.models.iter().find(|m| m.file == sql)?;
            let text = self.files.get(path)?;
            return Some(crate::model_info::sidecar_model_info(
                &self.compilation,
                model,
                text,
            ));
        }
        let model = self.compilation.models.iter().find(|m| m.file == path)?;
        let parsed = self.parsed_models.get(path).map(Rc::as_ref);
        Some(editor_model_info(&self.compilation, model, parsed))
    }

    fn recompile(&mut self) {
        self.set_compilation(self.compiler.compile(&self.files));
    }

    /// Parses up to `count` of the current branch's models ahead of the
    /// next compile, and returns how many are left.
    pub fn parse_ahead(&self, count: usize) -> usize {
        self.compiler.parse_ahead(&self.files, count)
    }

    /// Compiles the current branch's files as they are now.
    pub fn compile_now(&self) -> SharedCompilation {
        self.compiler.compile(&self.files)
    }

    fn set_compilation(&mut self, compilation: SharedCompilation) {
        self.parsed_models = update_parsed_models(&compilation, &self.parsed_models);
        self.compilation = compilation;
        self.compile_count = self.compile_count.saturating_add(1);
        self.compiled_edit_count = self.edit_count;
    }

    /// Shows the current branch's files after `workspace` changed them, as
    /// a switch, a reset or a promote does: keeps the open file if it still
    /// exists and recompiles.
    fn reload_files(&mut self) {
        let files = self.workspace.files(&self.branch).unwrap_or_default();
        let before = std::mem::replace(&mut self.files, Rc::new(files));
        if let Some(entry) = self.runs.get_mut(&self.branch) {
            // A DuckDB error stays only on a file whose text it was made for.
            let files = &self.files;
            entry
                .diagnostics
                .retain(|d| before.get(&d.file) == files.get(&d.file));
        }
        if !self
            .open_path
            .as_ref()
            .is_some_and(|path| self.files.contains_key(path))
        {
            self.open_path = first_open_path(&self.files);
            self.selected = None;
        }
        self.reveal = None;
        self.recompile();
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Edit { branch, path, text } => self.apply_edit(&branch, path, text),
            Action::WriteFile { branch, path, text } => self.write_file(&branch, path, text),
            Action::DeleteFile { branch, path } => {
                if Rc::make_mut(&mut self.workspace)
                    .remove_file(&branch, &path)
                    .is_ok()
                {
                    self.save.changed();
                    if branch == self.branch {
                        self.reload_files();
                    }
                }
            }
            Action::Saved {
                revision,
                workspace,
                result,
            } => self.save.apply_saved(revision, workspace, result),
            Action::LegacyCleared => self.save.legacy_pending = false,
            Action::OverwriteOtherTab => {
                self.save.overwrite = true;
                self.save.changed();
            }
            Action::TakeOtherTab => self.save.leaving = true,
            Action::Compile => self.recompile(),
            Action::ResumeCompiling => {
                self.compiler.set_paused(None);
                self.recompile();
            }
            Action::Compiled {
                compilation,
                edit_count,
                compiles,
            } => {
                // A later edit makes it stale, and the debounced compile
                // follows. A later compile, such as a branch switch's, is
                // shown already.
                if edit_count == self.edit_count && compiles == self.compiler.compiles() {
                    self.set_compilation(compilation);
                }
            }
            Action::Open { path, select } => {
                if self.files.contains_key(&path) {
                    self.open_path = Some(path);
                    self.selected = select;
                    self.reveal = None;
                    self.save.changed();
                }
            }
            Action::Select(column) => self.selected = Some(column),
            Action::ClearSelection => self.selected = None,
            Action::ShowView(view) => {
                if view != MainView::Compare || self.parent().is_some() {
                    self.main_view = view;
                }
            }
            Action::Reveal { path, span } => {
                if self.files.contains_key(&path) {
                    if self.open_path.as_ref() != Some(&path) {
                        self.open_path = Some(path.clone());
                        self.selected = None;
                        self.save.changed();
                    }
                    self.reveal_count = self.reveal_count.wrapping_add(1);
                    self.reveal = Some(Reveal {
                        path,
                        span,
                        request: self.reveal_count,
                    });
                }
            }
            Action::ResetSample => self.reset_sample(),
            Action::Run { branch, event } => self.apply_run(&branch, event),
            Action::Results(event) => self.apply_results(event),
            Action::Branch(action) => self.apply_branch(action),
            Action::Promote(action) => self.apply_promote(action),
            Action::ShowDialog(dialog) => self.dialog = dialog,
            Action::ShowNotice(notice) => self.notice = notice,
            Action::Working(working) => self.working = working,
        }
    }

    fn apply_edit(&mut self, branch: &str, path: String, text: String) {
        let exists = self
            .workspace
            .branch(branch)
            .is_ok_and(|b| b.file(&path).is_some());
        if exists {
            self.write_file(branch, path, text);
        }
    }

    fn write_file(&mut self, branch: &str, path: String, text: String) {
        if Rc::make_mut(&mut self.workspace)
            .write(branch, &path, &text)
            .is_err()
        {
            return;
        }
        self.save.changed();
        let name = self
            .workspace
            .branch(branch)
            .map(|b| b.name.clone())
            .unwrap_or_default();
        if let Some(entry) = self.runs.get_mut(&name) {
            // The line a DuckDB error names may hold other text now.
            entry.diagnostics.retain(|d| d.file != path);
        }
        if name == self.branch {
            Rc::make_mut(&mut self.files).insert(path, text);
            self.edit_count = self.edit_count.wrapping_add(1);
        }
    }

    /// Restores the bundled project: drops every branch, their runs and
    /// their open files, and gives `main` the sample's files. `main`'s
    /// record stays, since its tables are still in DuckDB. The caller drops
    /// the other branches' schemas.
    fn reset_sample(&mut self) {
        let main_run = self.runs.remove(MAIN);
        self.workspace = Rc::new(Workspace::new((*self.sample).clone()));
        self.runs.clear();
        self.runs
            .extend(main_run.map(|run| (MAIN.to_string(), run)));
        self.open_paths.clear();
        self.branch = MAIN.to_string();
        self.dialog = None;
        if self.main_view == MainView::Compare {
            self.main_view = MainView::Editor;
        }
        self.save.changed();
        self.reload_files();
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

/// Returns each described output column of `model` with its description:
/// its own, or the one it inherits along IDENTITY lineage, which names the
/// column it comes from.
pub fn described_columns(compilation: &Compilation, model: &str) -> BTreeMap<String, String> {
    rocky_core::intent::column_descriptions(compilation, model)
        .into_iter()
        .filter_map(|column| {
            let description = column.description?;
            let text = match column.origin {
                Some(rocky_core::intent::DescriptionOrigin::Inherited {
                    model, column, ..
                }) => {
                    format!("{description} (from {model}.{column})")
                }
                _ => description,
            };
            Some((column.column, text))
        })
        .collect()
}
