//! The lessons under `lessons/`: each file parses, its setup fits its
//! sample, and following each step's solution passes that step's check,
//! which does not pass before. Questions are checked against the compiler:
//! the choice a lesson marks right is what the lineage gives.
//!
//! Runs are not executed here; a step that runs the project only needs the
//! project to have no error. The browser tests run them in DuckDB.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use rocky_core::branch::{Workspace, MAIN};
use rocky_core::lessons::{apply_edit, parse, Check, Facts, Lesson, RunFacts, Solution};
use rocky_core::lineage::ColumnGraph;
use rocky_core::{compile, Compilation, ProjectFiles, Severity};

mod common;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lessons() -> Vec<Lesson> {
    let mut paths: Vec<PathBuf> = fs::read_dir(root().join("lessons"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            parse(&name, &fs::read_to_string(path).unwrap()).unwrap()
        })
        .collect()
}

fn sample(project: &str) -> ProjectFiles {
    common::read_folder(&root().join("sample").join(project))
}

/// The page as a lesson's checks see it, driven by solutions.
struct Page {
    workspace: Workspace,
    branch: String,
    compilation: Compilation,
    open_path: Option<String>,
    view: String,
    selected: Option<(String, String)>,
    run: RunFacts,
    answer: Option<usize>,
}

impl Page {
    fn new(files: ProjectFiles) -> Page {
        let compilation = compile(&files);
        Page {
            workspace: Workspace::new(files),
            branch: MAIN.to_string(),
            compilation,
            open_path: None,
            view: "editor".into(),
            selected: None,
            run: RunFacts::default(),
            answer: None,
        }
    }

    fn passes(&self, check: &Check) -> bool {
        check.passes(&Facts {
            workspace: &self.workspace,
            branch: &self.branch,
            compilation: &self.compilation,
            open_path: self.open_path.as_deref(),
            view: &self.view,
            selected: self
                .selected
                .as_ref()
                .map(|(m, c)| (m.as_str(), c.as_str())),
            run: self.run.clone(),
            answer: self.answer,
        })
    }

    fn recompile(&mut self) {
        self.compilation = compile(&self.workspace.files(&self.branch).unwrap());
        // Edited files are no longer what the latest run built.
        self.run.current = false;
    }

    fn errors(&self) -> Vec<String> {
        self.compilation
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {}: {}", d.code, d.file, d.message))
            .collect()
    }

    fn follow(&mut self, solution: &Solution, check: &Check, what: &str) {
        if let Some(name) = &solution.branch {
            self.workspace.create(name, &self.branch).unwrap();
            self.branch = name.clone();
            self.recompile();
        }
        if !solution.edits.is_empty() {
            let mut files = self.workspace.files(&self.branch).unwrap();
            for edit in &solution.edits {
                apply_edit(&mut files, edit).unwrap_or_else(|e| panic!("{what}: {e}"));
                self.workspace
                    .write(&self.branch, &edit.path, &files[&edit.path])
                    .unwrap();
            }
            self.recompile();
        }
        if let Some(path) = &solution.open {
            assert!(
                self.workspace
                    .files(&self.branch)
                    .unwrap()
                    .contains_key(path),
                "{what}: {path} does not exist"
            );
            self.open_path = Some(path.clone());
        }
        if let Some(view) = &solution.view {
            self.view = view.clone();
        }
        if let Some(column) = &solution.select {
            let (model, column) = column.split_once('.').unwrap();
            let graph = ColumnGraph::build(&self.compilation);
            assert!(
                graph.find(model, column).is_some(),
                "{what}: the graph has no column {model}.{column} to select"
            );
            self.selected = Some((model.to_string(), column.to_string()));
        }
        if let Some(answer) = solution.answer {
            self.answer = Some(answer);
        }
        if let Some(outcome) = &solution.run {
            assert_eq!(
                self.errors(),
                Vec::<String>::new(),
                "{what}: a run needs no error"
            );
            let tests: usize = self
                .compilation
                .models
                .iter()
                .map(|m| m.config.tests.len())
                .sum();
            self.run = match outcome.as_str() {
                "passed" => RunFacts {
                    current: true,
                    failures: 0,
                    tests_passed: tests,
                    tests_failed: Vec::new(),
                },
                "failed" => {
                    let Check::TestFailed { model } = check else {
                        panic!("{what}: only a test_failed step expects a failing run");
                    };
                    RunFacts {
                        current: true,
                        failures: 0,
                        tests_passed: tests - 1,
                        tests_failed: vec![model.clone()],
                    }
                }
                other => panic!("{what}: unknown run outcome {other}"),
            };
        }
        if solution.promote {
            let parent = self
                .workspace
                .branch(&self.branch)
                .unwrap()
                .parent
                .clone()
                .unwrap();
            self.workspace
                .promote(&self.branch, &BTreeMap::new())
                .unwrap();
            self.branch = parent;
            self.recompile();
        }
    }
}

#[test]
fn at_least_five_lessons_on_two_samples() {
    let lessons = lessons();
    assert!(lessons.len() >= 5, "{} lessons", lessons.len());
    let ids: BTreeSet<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids.len(), lessons.len(), "two lessons share an id");
    let projects: BTreeSet<&str> = lessons.iter().map(|l| l.project.as_str()).collect();
    assert_eq!(projects, BTreeSet::from(["jaffle_shop", "retail"]));
    for lesson in &lessons {
        assert!(
            lesson.steps.len() >= 3,
            "{} has {} steps",
            lesson.id,
            lesson.steps.len()
        );
    }
}

#[test]
fn each_lesson_can_be_followed() {
    for lesson in lessons() {
        let files = lesson
            .start_files(&sample(&lesson.project))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut page = Page::new(files);
        for (index, step) in lesson.steps.iter().enumerate() {
            let what = format!("{} step {} ({})", lesson.id, index + 1, step.title);
            assert!(
                !page.passes(&step.check),
                "{what}: the check passes before the step is done"
            );
            let solution = step
                .solution
                .as_ref()
                .unwrap_or_else(|| panic!("{what} has no solution"));
            page.follow(solution, &step.check, &what);
            assert!(
                page.passes(&step.check),
                "{what}: the check does not pass after its solution; errors: {:?}",
                page.errors()
            );
            // A question's answer belongs to its step.
            page.answer = None;
        }
        assert_eq!(
            page.errors(),
            Vec::<String>::new(),
            "{} ends with errors",
            lesson.id
        );
    }
}

#[test]
fn type_errors_lesson_start_errors() {
    let lesson = lessons()
        .into_iter()
        .find(|l| l.id == "type-errors")
        .unwrap();
    let compilation = compile(&lesson.start_files(&sample(&lesson.project)).unwrap());
    let mut codes: Vec<&str> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code.as_str())
        .collect();
    codes.sort();
    assert_eq!(codes, ["E0101", "E0201", "E0205"]);
    let unknown = compilation
        .diagnostics
        .iter()
        .find(|d| d.code == "E0101")
        .unwrap();
    assert_eq!(
        unknown.help.as_deref(),
        Some("did you mean `days_to_return`?")
    );
}

/// Returns the choice a question step marks right.
fn right_answer(lesson: &Lesson, title: &str) -> String {
    let step = lesson.steps.iter().find(|s| s.title == title).unwrap();
    let Check::Answer {
        choices, correct, ..
    } = &step.check
    else {
        panic!("{title} is no question");
    };
    choices[*correct].clone()
}

fn lesson(id: &str) -> Lesson {
    lessons().into_iter().find(|l| l.id == id).unwrap()
}

#[test]
fn dag_question_matches_the_dependencies() {
    let lesson = lesson("models-and-dag");
    let compilation = compile(&sample(&lesson.project));
    let reads = &compilation.model("customer_segments").unwrap().depends_on;
    assert_eq!(reads, &vec![right_answer(&lesson, "Read a dependency")]);
}

#[test]
fn lineage_questions_match_the_graph() {
    let lesson = lesson("column-lineage");
    let compilation = compile(&sample(&lesson.project));
    let graph = ColumnGraph::build(&compilation);

    let revenue = graph.find("monthly_revenue", "revenue").unwrap();
    let sources: BTreeSet<String> = graph
        .upstream(revenue)
        .sources
        .iter()
        .map(|&index| graph.node(graph.id(index).unwrap()).table.clone())
        .collect();
    let tables: Vec<&str> = sources.iter().map(String::as_str).collect();
    assert_eq!(
        right_answer(&lesson, "Find where revenue comes from"),
        tables.join(" and ")
    );

    let reason = graph.find("raw_returns", "reason").unwrap();
    let reached = graph.downstream(reason).models;
    let marts: Vec<&String> = reached
        .iter()
        .filter(|model| !model.starts_with("stg_") && !model.starts_with("int_"))
        .collect();
    assert_eq!(marts, [&right_answer(&lesson, "Read the blast radius")]);
}

#[test]
fn setup_that_does_not_fit_is_an_error() {
    let text = r#"
id = "broken"
title = "Broken"
summary = "A setup edit that finds nothing."
project = "retail"

[[setup]]
path = "models/orders.sql"
find = "no such text"
replace = "x"

[[steps]]
title = "One"
text = "Do it."
check = { kind = "on_branch" }
"#;
    let lesson = parse("broken.toml", text).unwrap();
    let error = lesson.start_files(&sample("retail")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "lesson broken: models/orders.sql does not contain \"no such text\""
    );
}

#[test]
fn invalid_lesson_files_are_errors() {
    let base = "title = \"T\"\nsummary = \"S\"\nproject = \"retail\"\n";
    let bad_id = format!("id = \"Bad Id\"\n{base}[[steps]]\ntitle = \"a\"\ntext = \"b\"\ncheck = {{ kind = \"on_branch\" }}\n");
    assert!(parse("a.toml", &bad_id)
        .unwrap_err()
        .to_string()
        .contains("lowercase letters"));
    let no_steps = format!("id = \"x\"\n{base}steps = []\n");
    assert_eq!(
        parse("b.toml", &no_steps).unwrap_err().to_string(),
        "b.toml: the lesson has no step"
    );
    let bad_answer = format!(
        "id = \"x\"\n{base}[[steps]]\ntitle = \"a\"\ntext = \"b\"\ncheck = {{ kind = \"answer\", question = \"q\", choices = [\"a\"], correct = 1 }}\n"
    );
    assert!(parse("c.toml", &bad_answer)
        .unwrap_err()
        .to_string()
        .contains("there are 1 choices"));
    let unknown_check = format!(
        "id = \"x\"\n{base}[[steps]]\ntitle = \"a\"\ntext = \"b\"\ncheck = {{ kind = \"telepathy\" }}\n"
    );
    assert!(parse("d.toml", &unknown_check)
        .unwrap_err()
        .to_string()
        .starts_with("d.toml: "));
    let huge = "#".repeat(rocky_core::lessons::MAX_LESSON_BYTES + 1);
    assert!(parse("e.toml", &huge)
        .unwrap_err()
        .to_string()
        .contains("more than"));
}
