//! The bundled lessons, the user's progress through them, and the facts a
//! step's check reads from the app state.
//!
//! Progress is kept in localStorage under [`PROGRESS_KEY`], as JSON that
//! maps each lesson's id to the number of steps done. A lesson's project is
//! saved like a shared one, in its own IndexedDB record `lesson:<id>`, so a
//! lesson never touches the user's own project.

use std::collections::BTreeMap;
use std::rc::Rc;

use rocky_core::lessons::{parse, Facts, Lesson, RunFacts};
use rocky_core::ProjectFiles;
use serde::{Deserialize, Serialize};

use crate::sample::{sample_project, LESSON_FILES, RETAIL_FILES};
use crate::state::{AppState, RunPhase};
use crate::test_results::TestStatus;

/// The localStorage key of the progress through the lessons.
pub const PROGRESS_KEY: &str = "rocky-playground:lessons";

/// The fragment prefix that opens a lesson: `#lesson=<id>`.
pub const FRAGMENT_PREFIX: &str = "lesson=";

thread_local! {
    static LESSONS: Rc<Vec<Lesson>> = Rc::new(read_lessons());
}

/// Reads the bundled lesson files, in file name order. A file that does
/// not parse is left out with a console error; the core tests keep the
/// bundled ones valid.
fn read_lessons() -> Vec<Lesson> {
    LESSON_FILES
        .iter()
        .filter(|(path, _)| path.ends_with(".toml"))
        .filter_map(|(path, text)| match parse(path, text) {
            Ok(lesson) => Some(lesson),
            Err(error) => {
                gloo::console::error!(format!("a bundled lesson cannot be read: {error}"));
                None
            }
        })
        .collect()
}

/// Returns every bundled lesson, in order.
pub fn all() -> Rc<Vec<Lesson>> {
    LESSONS.with(Rc::clone)
}

/// Returns the lesson with this id.
pub fn find(id: &str) -> Option<Lesson> {
    all().iter().find(|lesson| lesson.id == id).cloned()
}

/// Returns the lesson after `id`, if there is one.
pub fn next_after(id: &str) -> Option<Lesson> {
    let lessons = all();
    let index = lessons.iter().position(|lesson| lesson.id == id)?;
    lessons.get(index + 1).cloned()
}

/// Returns the bundled sample project called `name`.
pub fn sample_named(name: &str) -> Option<ProjectFiles> {
    match name {
        "jaffle_shop" => Some(sample_project()),
        "retail" => Some(
            RETAIL_FILES
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string()))
                .collect(),
        ),
        _ => None,
    }
}

/// Returns the files a lesson starts from, or why it cannot start.
pub fn start_files(lesson: &Lesson) -> Result<ProjectFiles, String> {
    let sample = sample_named(&lesson.project).ok_or_else(|| {
        format!(
            "the lesson {} needs the sample project {}, which this build does not bundle",
            lesson.id, lesson.project
        )
    })?;
    lesson
        .start_files(&sample)
        .map_err(|error| error.to_string())
}

/// Returns the lesson id a URL fragment names, as in `#lesson=branches`.
pub fn fragment_lesson(fragment: &str) -> Option<&str> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment
        .strip_prefix(FRAGMENT_PREFIX)
        .filter(|id| !id.is_empty())
}

/// Returns the IndexedDB record of a lesson's project.
pub fn session_key(id: &str) -> String {
    format!("lesson:{id}")
}

/// How far the user got in each lesson: the number of steps done, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: BTreeMap<String, usize>,
}

impl Progress {
    /// Reads the progress from localStorage; none when it is missing or
    /// cannot be read.
    pub fn load() -> Progress {
        let text = web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .and_then(|storage| storage.get_item(PROGRESS_KEY).ok().flatten());
        text.and_then(|text| Progress::from_json(&text))
            .unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Option<Progress> {
        serde_json::from_str(text).ok()
    }

    /// Writes the progress to localStorage. Returns false when the browser
    /// rejected the write, as a private window may; the progress then lasts only as
    /// long as the page.
    pub fn save(&self) -> bool {
        let Ok(json) = serde_json::to_string(self) else {
            return false;
        };
        web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .is_some_and(|storage| storage.set_item(PROGRESS_KEY, &json).is_ok())
    }

    /// Returns the number of steps done in the lesson `id`.
    pub fn steps_done(&self, id: &str) -> usize {
        self.done.get(id).copied().unwrap_or(0)
    }

    /// Returns the progress with `steps` steps of `id` done.
    pub fn with(&self, id: &str, steps: usize) -> Progress {
        let mut next = self.clone();
        next.done.insert(id.to_string(), steps);
        next
    }
}

/// Returns the facts of the current branch's latest run that the checks read.
pub fn run_facts(state: &AppState) -> RunFacts {
    let entry = state.current_run();
    let finished = matches!(entry.run.phase, RunPhase::Done | RunPhase::Failed);
    let mut tests_passed = 0;
    let mut tests_failed = Vec::new();
    for outcome in &entry.tests {
        match outcome.status {
            TestStatus::Passed => tests_passed += 1,
            TestStatus::Pending => {}
            _ => tests_failed.push(outcome.test.model.clone()),
        }
    }
    RunFacts {
        current: finished && entry.run.plan_executed && !state.edited_since_run(),
        failures: entry.run.failures.len() + entry.run.skipped.len(),
        tests_passed,
        tests_failed,
    }
}

/// Returns true when the check of `lesson`'s step `step` passes in `state`,
/// with `answer` the choice picked for it.
pub fn step_passes(lesson: &Lesson, step: usize, state: &AppState, answer: Option<usize>) -> bool {
    let Some(step) = lesson.steps.get(step) else {
        return false;
    };
    // A compile that has not caught up with the latest edit could pass a
    // check the text no longer does.
    if state.compiled_edit_count != state.edit_count {
        return false;
    }
    let facts = Facts {
        workspace: &state.workspace,
        branch: &state.branch,
        compilation: &state.compilation,
        open_path: state.open_path.as_deref(),
        view: state.main_view.as_str(),
        selected: state
            .selected
            .as_ref()
            .map(|selected| (selected.model.as_str(), selected.column.as_str())),
        run: run_facts(state),
        answer,
    };
    step.check.passes(&facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_lesson_starts() {
        let lessons = all();
        assert!(lessons.len() >= 5);
        for lesson in lessons.iter() {
            let files = start_files(lesson).unwrap();
            assert!(files.contains_key("rocky.toml"), "{}", lesson.id);
        }
    }

    #[test]
    fn fragment_names_a_lesson() {
        assert_eq!(fragment_lesson("#lesson=branches"), Some("branches"));
        assert_eq!(fragment_lesson("lesson=type-errors"), Some("type-errors"));
        assert_eq!(fragment_lesson("#lesson="), None);
        assert_eq!(fragment_lesson("#share=r2.x"), None);
    }

    #[test]
    fn progress_round_trips_and_ignores_damage() {
        let progress = Progress::default().with("branches", 3);
        let json = serde_json::to_string(&progress).unwrap();
        assert_eq!(Progress::from_json(&json), Some(progress.clone()));
        assert_eq!(progress.steps_done("branches"), 3);
        assert_eq!(progress.steps_done("other"), 0);
        assert_eq!(Progress::from_json("{not json"), None);
    }

    #[test]
    fn step_fails_on_stale_compile() {
        let lesson = find("models-and-dag").unwrap();
        let mut state = AppState::new_unsaved(start_files(&lesson).unwrap());
        state.open_path = Some("models/stg_orders.sql".into());
        assert!(step_passes(&lesson, 0, &state, None));
        state.edit_count += 1;
        assert!(!step_passes(&lesson, 0, &state, None));
    }
}
