//! Guided lessons: a lesson is a sample project, edits that set up its
//! starting point, and a sequence of steps, each with a check the page
//! verifies against what the user did. Lessons are TOML files (see
//! `lessons/README.md`); this module reads them, builds a lesson's
//! starting files, and decides whether a step's check passes.
//!
//! A check reads [`Facts`], a snapshot the page takes of its state: the
//! workspace, the current branch and its compilation, what is open and
//! selected, and the latest run of the current branch. Checks never look
//! at how the page is drawn, so the same lesson can be checked natively.

use serde::Deserialize;

use crate::branch::{Workspace, MAIN};
use crate::output::{Compilation, TestRule};
use crate::{ProjectFiles, Severity};

/// The maximum size of a lesson file, in bytes.
pub const MAX_LESSON_BYTES: usize = 256 * 1024;

/// One lesson, as its file declares it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// A short name made of lowercase letters, digits and `-`, used in the
    /// page's address (`#lesson=<id>`) and to save progress.
    pub id: String,
    pub title: String,
    /// One or two sentences on what the lesson teaches.
    pub summary: String,
    /// The bundled sample project the lesson starts from, by name.
    pub project: String,
    /// Edits applied to the sample's files before the first step.
    #[serde(default)]
    pub setup: Vec<Edit>,
    pub steps: Vec<Step>,
}

/// Replaces the one occurrence of `find` in the file `path` with `replace`,
/// or, without `find`, writes `replace` as the whole file.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub path: String,
    #[serde(default)]
    pub find: Option<String>,
    pub replace: String,
}

/// One step of a lesson: its instructions, a hint, and the check that
/// passes once it is done.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: String,
    /// The instructions, in paragraphs separated by a blank line. Text
    /// between backquotes is shown as code.
    pub text: String,
    #[serde(default)]
    pub hint: Option<String>,
    pub check: Check,
    /// The user's actions that pass the check, for the lessons' own tests.
    /// The page does not show them.
    #[serde(default)]
    pub solution: Option<Solution>,
}

/// The condition that completes a step, checked against [`Facts`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// The file `path` is open in the editor.
    OpenFile { path: String },
    /// The main view is `editor`, `lineage` or `compare`.
    View { view: String },
    /// The column `model.column` is selected for lineage.
    Select { model: String, column: String },
    /// The current branch is not `main`.
    OnBranch,
    /// The model exists, has no error (of `code`, when given), and still
    /// outputs `columns`; with `model` left out, the whole project has no
    /// error.
    NoErrors {
        #[serde(default)]
        model: Option<String>,
        #[serde(default)]
        code: Option<String>,
        #[serde(default)]
        columns: Vec<String>,
    },
    /// The model compiles with no error and reads each of `reads`.
    Model {
        name: String,
        #[serde(default)]
        reads: Vec<String>,
    },
    /// The model of the current branch outputs `column`, of type `type`
    /// when given. With `branch = true` the current branch must not be `main`.
    Column {
        model: String,
        column: String,
        #[serde(default, rename = "type")]
        ty: Option<String>,
        #[serde(default)]
        branch: bool,
    },
    /// The file `path` of the branch `branch` contains `text`, compared
    /// with runs of white space read as one space.
    FileContains {
        branch: String,
        path: String,
        text: String,
    },
    /// The model's sidecar states an invariant on `column`.
    Invariant { model: String, column: String },
    /// The model's sidecar declares a data test of `type` on `column`.
    Test {
        model: String,
        #[serde(rename = "type")]
        test_type: String,
        column: String,
    },
    /// The latest run of the current branch built the current files with
    /// no failure and, with `tests = true`, at least one data test ran and
    /// every one passed.
    RunPassed {
        #[serde(default)]
        tests: bool,
    },
    /// The latest run of the current branch built the current files and a
    /// data test of `model` failed.
    TestFailed { model: String },
    /// Every one of `checks` passes.
    All { checks: Vec<Check> },
    /// A question answered in the lesson panel: the answer picked is
    /// `choices[correct]`.
    Answer {
        question: String,
        choices: Vec<String>,
        correct: usize,
    },
}

/// The user's actions that pass a step, applied by the lessons' tests.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Solution {
    /// Creates a branch of this name from the current one and switches to it.
    pub branch: Option<String>,
    /// Edits of the current branch's files.
    pub edits: Vec<Edit>,
    pub open: Option<String>,
    pub view: Option<String>,
    /// `model.column` to select.
    pub select: Option<String>,
    pub answer: Option<usize>,
    /// Runs the current branch: `passed` or `failed`, the outcome the
    /// step expects of its data tests.
    pub run: Option<String>,
    /// Promotes the current branch into its parent and switches to it.
    pub promote: bool,
}

/// The outcome of the latest run of the current branch, as the checks read it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunFacts {
    /// The run finished and built the files the branch has now.
    pub current: bool,
    /// Steps DuckDB rejected or did not build.
    pub failures: usize,
    pub tests_passed: usize,
    /// The models of the data tests that failed or could not run.
    pub tests_failed: Vec<String>,
}

/// A snapshot of the page, read by [`Check::passes`].
pub struct Facts<'a> {
    pub workspace: &'a Workspace,
    pub branch: &'a str,
    /// The compilation of the current branch's files.
    pub compilation: &'a Compilation,
    pub open_path: Option<&'a str>,
    /// `editor`, `lineage` or `compare`.
    pub view: &'a str,
    /// The column selected for lineage, as (model, column).
    pub selected: Option<(&'a str, &'a str)>,
    pub run: RunFacts,
    /// The choice picked for the current step's question, if any.
    pub answer: Option<usize>,
}

/// The error of a lesson file that cannot be read, or of a lesson whose
/// setup does not fit its sample.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError(pub String);

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LessonError {}

/// Reads one lesson file. `name` is the file's name, for the message.
pub fn parse(name: &str, text: &str) -> Result<Lesson, LessonError> {
    if text.len() > MAX_LESSON_BYTES {
        return Err(LessonError(format!(
            "{name}: the file has {} bytes, more than the {MAX_LESSON_BYTES} a lesson may have",
            text.len()
        )));
    }
    let lesson: Lesson =
        toml::from_str(text).map_err(|error| LessonError(format!("{name}: {error}")))?;
    lesson
        .validate()
        .map_err(|message| LessonError(format!("{name}: {message}")))?;
    Ok(lesson)
}

impl Lesson {
    fn validate(&self) -> Result<(), String> {
        let id_ok = !self.id.is_empty()
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err(format!(
                "the id `{}` may hold only lowercase letters, digits and `-`",
                self.id
            ));
        }
        if self.steps.is_empty() {
            return Err("the lesson has no step".to_string());
        }
        for (index, step) in self.steps.iter().enumerate() {
            if let Check::Answer {
                choices, correct, ..
            } = &step.check
            {
                if *correct >= choices.len() {
                    return Err(format!(
                        "step {}: `correct` is {correct}, but there are {} choices, numbered from 0",
                        index + 1,
                        choices.len()
                    ));
                }
            }
        }
        Ok(())
    }

    /// Returns the files the lesson starts from: the sample's with the
    /// setup edits applied.
    pub fn start_files(&self, sample: &ProjectFiles) -> Result<ProjectFiles, LessonError> {
        let mut files = sample.clone();
        for edit in &self.setup {
            apply_edit(&mut files, edit)
                .map_err(|message| LessonError(format!("lesson {}: {message}", self.id)))?;
        }
        Ok(files)
    }
}

/// Applies one edit to `files`. A `find` text must occur exactly once, so
/// that a sample changed under a lesson is caught rather than edited in
/// the wrong place.
pub fn apply_edit(files: &mut ProjectFiles, edit: &Edit) -> Result<(), String> {
    let Some(find) = &edit.find else {
        files.insert(edit.path.clone(), edit.replace.clone());
        return Ok(());
    };
    let Some(text) = files.get_mut(&edit.path) else {
        return Err(format!("the file {} does not exist", edit.path));
    };
    match text.matches(find.as_str()).count() {
        1 => {
            *text = text.replacen(find.as_str(), &edit.replace, 1);
            Ok(())
        }
        0 => Err(format!("{} does not contain {find:?}", edit.path)),
        count => Err(format!(
            "{} contains {find:?} {count} times, not once",
            edit.path
        )),
    }
}

impl Check {
    /// Returns true when the page's state passes the check.
    pub fn passes(&self, facts: &Facts) -> bool {
        match self {
            Check::OpenFile { path } => facts.open_path == Some(path.as_str()),
            Check::View { view } => facts.view == view,
            Check::Select { model, column } => facts.selected.is_some_and(|(m, c)| {
                m.eq_ignore_ascii_case(model) && c.eq_ignore_ascii_case(column)
            }),
            Check::OnBranch => facts.branch != MAIN,
            Check::NoErrors {
                model: None, code, ..
            } => !facts
                .compilation
                .diagnostics
                .iter()
                .any(|d| is_error(d, code.as_deref())),
            Check::NoErrors {
                model: Some(model),
                code,
                columns,
            } => model_without(facts.compilation, model, code.as_deref()).is_some_and(|found| {
                columns.iter().all(|name| {
                    found
                        .columns
                        .iter()
                        .any(|column| column.name.eq_ignore_ascii_case(name))
                })
            }),
            Check::Model { name, reads } => model_without_errors(facts.compilation, name)
                .is_some_and(|model| {
                    reads.iter().all(|read| {
                        model
                            .depends_on
                            .iter()
                            .any(|dep| dep.eq_ignore_ascii_case(read))
                    })
                }),
            Check::Column {
                model,
                column,
                ty,
                branch,
            } => {
                if *branch && facts.branch == MAIN {
                    return false;
                }
                let Some(model) = model_without_errors(facts.compilation, model) else {
                    return false;
                };
                model.columns.iter().any(|found| {
                    found.name.eq_ignore_ascii_case(column)
                        && ty
                            .as_ref()
                            .is_none_or(|ty| found.ty.eq_ignore_ascii_case(ty))
                })
            }
            Check::FileContains { branch, path, text } => facts
                .workspace
                .branch(branch)
                .ok()
                .and_then(|branch| branch.file(path))
                .is_some_and(|file| squash_space(file).contains(&squash_space(text))),
            Check::Invariant { model, column } => {
                facts.compilation.model(model).is_some_and(|model| {
                    model.config.invariants.iter().any(|stated| {
                        stated
                            .column
                            .as_deref()
                            .is_some_and(|c| c.eq_ignore_ascii_case(column))
                    })
                })
            }
            Check::Test {
                model,
                test_type,
                column,
            } => {
                facts.compilation.model(model).is_some_and(|model| {
                    model.config.tests.iter().any(|test| {
                        test.kind().as_str() == test_type && test_reads(&test.rule, column)
                    })
                })
            }
            Check::RunPassed { tests } => {
                let run = &facts.run;
                run.current
                    && run.failures == 0
                    && run.tests_failed.is_empty()
                    && (!tests || run.tests_passed > 0)
            }
            Check::TestFailed { model } => {
                facts.run.current
                    && facts
                        .run
                        .tests_failed
                        .iter()
                        .any(|failed| failed.eq_ignore_ascii_case(model))
            }
            Check::All { checks } => checks.iter().all(|check| check.passes(facts)),
            Check::Answer { correct, .. } => facts.answer == Some(*correct),
        }
    }

    /// Returns what the page checks, in words, shown under the step.
    pub fn describe(&self) -> String {
        match self {
            Check::OpenFile { path } => format!("{path} is open in the editor"),
            Check::View { view } => format!("the {view} view is shown"),
            Check::Select { model, column } => format!("{model}.{column} is selected"),
            Check::OnBranch => "you are on a branch other than main".to_string(),
            Check::NoErrors {
                model,
                code,
                columns,
            } => {
                let error = match code {
                    Some(code) => format!("no {code} error"),
                    None => "no error".to_string(),
                };
                let mut text = match model {
                    Some(model) => format!("{model} has {error}"),
                    None => format!("the project has {error}"),
                };
                if !columns.is_empty() {
                    text.push_str(&format!(" and still outputs {}", columns.join(", ")));
                }
                text
            }
            Check::Model { name, reads } if reads.is_empty() => {
                format!("the model {name} exists with no error")
            }
            Check::Model { name, reads } => format!(
                "the model {name} exists with no error and reads {}",
                reads.join(", ")
            ),
            Check::Column {
                model,
                column,
                ty,
                branch,
            } => {
                let mut text = format!("{model} outputs {column}");
                if let Some(ty) = ty {
                    text.push_str(&format!(" of type {ty}"));
                }
                if *branch {
                    text.push_str(" on a branch");
                }
                text
            }
            Check::FileContains { branch, path, text } => {
                format!("{path} on {branch} contains `{text}`")
            }
            Check::Invariant { model, column } => {
                format!("{model}'s sidecar states an invariant on {column}")
            }
            Check::Test {
                model,
                test_type,
                column,
            } => format!("{model} has a {test_type} test on {column}"),
            Check::RunPassed { tests: false } => {
                "the latest run built every model of the current files".to_string()
            }
            Check::RunPassed { tests: true } => {
                "the latest run built every model and its data tests passed".to_string()
            }
            Check::TestFailed { model } => {
                format!("a data test of {model} failed in the latest run")
            }
            Check::All { checks } => checks
                .iter()
                .map(Check::describe)
                .collect::<Vec<_>>()
                .join(", and "),
            Check::Answer { .. } => "the right answer is picked".to_string(),
        }
    }
}

/// Returns the model when it exists and none of its diagnostics is an error.
fn model_without_errors<'c>(
    compilation: &'c Compilation,
    name: &str,
) -> Option<&'c crate::output::Model> {
    model_without(compilation, name, None)
}

/// Returns true for an error diagnostic, of `code` when given.
fn is_error(diagnostic: &crate::Diagnostic, code: Option<&str>) -> bool {
    diagnostic.severity == Severity::Error && code.is_none_or(|code| diagnostic.code == code)
}

/// Returns the model when it exists and none of its diagnostics is an
/// error (of `code`, when given).
fn model_without<'c>(
    compilation: &'c Compilation,
    name: &str,
    code: Option<&str>,
) -> Option<&'c crate::output::Model> {
    let model = compilation.model(name)?;
    let has_error = compilation.diagnostics.iter().any(|d| {
        is_error(d, code)
            && (d.file == model.file
                || d.model
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case(&model.name)))
    });
    (!has_error).then_some(model)
}

/// Returns true when a test rule is about `column`: its column, one of
/// its key columns, or a name in its expression.
fn test_reads(rule: &TestRule, column: &str) -> bool {
    let same = |name: &str| name.eq_ignore_ascii_case(column);
    match rule {
        TestRule::NotNull { column }
        | TestRule::AcceptedValues { column, .. }
        | TestRule::Relationships { column, .. } => same(column),
        TestRule::Unique { columns } => columns.iter().any(|c| same(c)),
        TestRule::Expression { expression } => expression
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(same),
        TestRule::RowCountRange { .. } => false,
    }
}

fn squash_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
