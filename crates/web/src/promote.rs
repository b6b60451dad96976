//! The checks before a promote of the current branch into its parent. They
//! list what the promote writes, the files both sides changed, and the
//! statements that copy the branch's tables. They also list what should
//! stop it: compile errors, failing `error` tests, breaking changes, and
//! targets the last run did not build. The dialog shows them, and the user
//! picks a side for each conflicting file and confirms the rest.

use std::collections::BTreeMap;

use rocky_core::branch::plan::{plan_branch, plan_promote, Action, PromotePlan, RunRecord};
use rocky_core::branch::{Conflict, FileChange, Resolution, Workspace};
use rocky_core::compare::compare;
use rocky_core::{compile, Compilation, ProjectFiles, Severity};

use crate::components::compile_status::plural;
use crate::test_results::TestOutcome;

/// A reason not to promote, which the user may confirm past.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// Models with error diagnostics, with the error count.
    CompileErrors { count: usize, models: Vec<String> },
    /// `error` tests that failed in the branch's latest run.
    FailingTests { tests: Vec<String> },
    /// Breaking changes against the parent, each as core's reason.
    Breaking { changes: Vec<String> },
    /// Targets whose tables the branch's latest run did not build, so the
    /// promote writes the files only.
    NotBuilt { targets: Vec<String> },
}

impl Blocker {
    /// Returns the `data-kind` value of the contract.
    pub fn kind(&self) -> &'static str {
        match self {
            Blocker::CompileErrors { .. } => "compile-errors",
            Blocker::FailingTests { .. } => "failing-tests",
            Blocker::Breaking { .. } => "breaking",
            Blocker::NotBuilt { .. } => "not-built",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Blocker::CompileErrors { count, models } => format!(
                "{} in {}",
                plural(*count, "compile error"),
                models.join(", ")
            ),
            Blocker::FailingTests { tests } => format!(
                "{} failed in the latest run: {}",
                plural(tests.len(), "error test"),
                tests.join(", ")
            ),
            Blocker::Breaking { changes } => format!(
                "{}: {}",
                plural(changes.len(), "breaking change"),
                changes.join("; ")
            ),
            Blocker::NotBuilt { targets } => format!(
                "the latest run did not build {}, so only the files are promoted and the \
                 parent's tables stay as they are until it runs",
                targets.join(", ")
            ),
        }
    }
}

/// The promote dialog's content and choices.
#[derive(Clone, Debug, PartialEq)]
pub struct PromoteDialog {
    pub branch: String,
    pub parent: String,
    /// The revisions of both branches when the dialog was prepared; a
    /// promote of other revisions is rejected.
    pub branch_revision: u64,
    pub parent_revision: u64,
    /// The branch's changed files.
    pub changes: Vec<FileChange>,
    /// Files both sides changed since the fork.
    pub conflicts: Vec<Conflict>,
    /// The side the user picked for each conflicting file.
    pub resolutions: BTreeMap<String, Resolution>,
    pub blockers: Vec<Blocker>,
    /// True once the user confirmed the blockers.
    pub confirmed: bool,
    /// The statements that copy the branch's tables into the parent, or
    /// why they are not copied. Once every conflict has a side, it leaves
    /// out the tables that the parent's side of a file defines otherwise.
    pub tables: Result<PromotePlan, String>,
    /// The plan before any side was picked, which `tables` is cut from.
    pub all_tables: Option<PromotePlan>,
    /// True while the statements run.
    pub running: bool,
    pub error: Option<String>,
}

impl PromoteDialog {
    /// Returns the conflicting files that have no side yet.
    pub fn unresolved(&self) -> Vec<&str> {
        self.conflicts
            .iter()
            .filter(|c| !self.resolutions.contains_key(&c.path))
            .map(|c| c.path.as_str())
            .collect()
    }

    /// Returns true when the promote can go ahead.
    pub fn can_submit(&self) -> bool {
        !self.running
            && !self.changes.is_empty()
            && self.unresolved().is_empty()
            && (self.blockers.is_empty() || self.confirmed)
    }
}

/// The inputs of the checks: one branch, its parent, and their runs in
/// this page.
pub struct PromoteInput<'a> {
    pub workspace: &'a Workspace,
    pub branch: &'a str,
    pub files: &'a ProjectFiles,
    pub compilation: &'a Compilation,
    pub record: Option<&'a RunRecord>,
    /// The files the branch's latest run built, if it ran.
    pub run_files: Option<&'a ProjectFiles>,
    pub tests: &'a [TestOutcome],
    pub parent_record: Option<&'a RunRecord>,
}

/// Returns true when the branch must run before a promote can copy its
/// tables: it never ran, its files changed since, or a run would build or
/// reuse something, as after its parent ran again. Targets whose latest
/// build failed or that compile errors block do not count, since running
/// again would not build them.
pub fn needs_run(input: &PromoteInput) -> bool {
    let Some(record) = input.record else {
        return true;
    };
    if input.run_files != Some(input.files) {
        return true;
    }
    let plan = plan_branch(
        input.branch,
        input.files,
        input.compilation,
        Some(record),
        input.parent_record,
    );
    plan.items.iter().any(|item| match item.action {
        Action::Reuse { .. } | Action::Drop => true,
        Action::Build => record
            .objects
            .get(&item.name.to_ascii_lowercase())
            .is_none_or(|object| !object.fingerprint.is_empty()),
        Action::Keep | Action::Blocked => false,
    })
}

/// Prepares the promote dialog of `input.branch` into its parent, or
/// returns why there is nothing to promote.
pub fn prepare(input: &PromoteInput) -> Result<PromoteDialog, String> {
    let workspace = input.workspace;
    let branch = workspace.branch(input.branch).map_err(|e| e.to_string())?;
    let parent_name = branch
        .parent
        .clone()
        .ok_or_else(|| format!("`{}` has no parent to promote into", branch.name))?;
    let parent = workspace.branch(&parent_name).map_err(|e| e.to_string())?;
    let conflicts = workspace
        .conflicts(&branch.name)
        .map_err(|e| e.to_string())?;
    let parent_files = parent.files();
    let parent_compilation = compile(&parent_files);

    let mut blockers = Vec::new();
    let mut error_models: Vec<String> = Vec::new();
    let mut errors = 0;
    for diagnostic in &input.compilation.diagnostics {
        if diagnostic.severity != Severity::Error {
            continue;
        }
        errors += 1;
        let name = diagnostic
            .model
            .clone()
            .unwrap_or_else(|| diagnostic.file.clone());
        if !error_models.contains(&name) {
            error_models.push(name);
        }
    }
    if errors > 0 {
        blockers.push(Blocker::CompileErrors {
            count: errors,
            models: error_models,
        });
    }
    let failing: Vec<String> = input
        .tests
        .iter()
        .filter(|outcome| outcome.fails_run())
        .map(|outcome| outcome.test.name.clone())
        .collect();
    if !failing.is_empty() {
        blockers.push(Blocker::FailingTests { tests: failing });
    }
    let comparison = compare(
        &parent_files,
        &parent_compilation,
        input.files,
        input.compilation,
    );
    let breaking: Vec<String> = comparison
        .models
        .iter()
        .flat_map(|model| model.breaking.iter().map(|b| b.reason.clone()))
        .collect();
    if comparison.breaking > 0 {
        blockers.push(Blocker::Breaking { changes: breaking });
    }

    let tables = match input.record {
        None => Err("the branch has not run in this page".to_string()),
        Some(record) => plan_promote(
            &branch.name,
            input.files,
            input.compilation,
            record,
            &parent_name,
            input.parent_record,
        )
        .map_err(|error| {
            let rocky_core::branch::plan::PromoteError::NotRun { stale } = &error;
            blockers.push(Blocker::NotBuilt {
                targets: stale.clone(),
            });
            error.to_string()
        }),
    };
    if input.record.is_none() {
        blockers.push(Blocker::NotBuilt {
            targets: vec!["any table".to_string()],
        });
    }
    Ok(PromoteDialog {
        branch: branch.name.clone(),
        parent: parent_name,
        branch_revision: branch.revision,
        parent_revision: parent.revision,
        changes: branch.changed_files(),
        conflicts,
        resolutions: BTreeMap::new(),
        blockers,
        confirmed: false,
        all_tables: tables.as_ref().ok().cloned(),
        tables,
        running: false,
        error: None,
    })
}

/// Returns the lines of a small diff of `old` against `new`, each with
/// `-`, `+` or a space, through core's line diff.
pub fn diff_lines(old: Option<&str>, new: Option<&str>) -> Vec<String> {
    let diff = rocky_core::compare::diff_text(old.unwrap_or(""), new.unwrap_or(""));
    diff.unified()
        .lines()
        .filter(|line| !line.starts_with("@@"))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use rocky_core::branch::plan::plan_branch;
    use rocky_core::branch::MAIN;

    use super::*;

    const STG_PAYMENTS: &str = "models/stg_payments.sql";

    struct Setup {
        workspace: Workspace,
        main_record: RunRecord,
    }

    /// Returns the sample with `main` run and `feature` forked from it, or
    /// `None` when this build bundles no sample.
    fn setup() -> Option<Setup> {
        let sample = crate::sample::sample_project();
        if sample.is_empty() {
            return None;
        }
        let compilation = compile(&sample);
        let main = plan_branch(MAIN, &sample, &compilation, None, None);
        let mut workspace = Workspace::new(sample);
        workspace.create("feature", MAIN).unwrap();
        Some(Setup {
            workspace,
            main_record: main.record,
        })
    }

    fn in_cents(workspace: &mut Workspace) {
        let sql = workspace.files("feature").unwrap()[STG_PAYMENTS]
            .replace("amount / 100 as amount", "amount as amount");
        workspace.write("feature", STG_PAYMENTS, &sql).unwrap();
    }

    fn prepared(setup: &Setup, ran: bool, tests: &[TestOutcome]) -> (bool, PromoteDialog) {
        let files = setup.workspace.files("feature").unwrap();
        let compilation = compile(&files);
        let plan = plan_branch(
            "feature",
            &files,
            &compilation,
            None,
            Some(&setup.main_record),
        );
        let input = PromoteInput {
            workspace: &setup.workspace,
            branch: "feature",
            files: &files,
            compilation: &compilation,
            record: ran.then_some(&plan.record),
            run_files: ran.then_some(&files),
            tests,
            parent_record: Some(&setup.main_record),
        };
        (needs_run(&input), prepare(&input).unwrap())
    }

    #[test]
    fn unrun_branch_needs_run() {
        let Some(mut setup) = setup() else { return };
        in_cents(&mut setup.workspace);
        let (needs, dialog) = prepared(&setup, false, &[]);
        assert!(needs);
        assert!(dialog.tables.is_err());
        assert!(dialog.blockers.iter().any(|b| b.kind() == "not-built"));
    }

    #[test]
    fn retyped_amount_is_breaking() {
        let Some(mut setup) = setup() else { return };
        in_cents(&mut setup.workspace);
        let (needs, dialog) = prepared(&setup, true, &[]);
        assert!(!needs);
        let kinds: Vec<&str> = dialog.blockers.iter().map(Blocker::kind).collect();
        assert_eq!(kinds, vec!["breaking"], "{:?}", dialog.blockers);
        assert!(dialog.blockers[0]
            .describe()
            .contains("stg_payments.amount"));
        let plan = dialog.tables.as_ref().unwrap();
        let mut promoted = plan.promoted.clone();
        promoted.sort();
        assert_eq!(promoted, vec!["customers", "orders", "stg_payments"]);
        assert!(!dialog.can_submit(), "the breaking change is not confirmed");
        let confirmed = PromoteDialog {
            confirmed: true,
            ..dialog
        };
        assert!(confirmed.can_submit());
    }

    #[test]
    fn conflicts_need_a_side() {
        let Some(mut setup) = setup() else { return };
        in_cents(&mut setup.workspace);
        setup
            .workspace
            .write(MAIN, STG_PAYMENTS, "select 1 as amount")
            .unwrap();
        let (_, dialog) = prepared(&setup, true, &[]);
        assert_eq!(dialog.conflicts.len(), 1);
        assert_eq!(dialog.unresolved(), vec![STG_PAYMENTS]);
        let mut dialog = PromoteDialog {
            confirmed: true,
            ..dialog
        };
        assert!(!dialog.can_submit());
        dialog
            .resolutions
            .insert(STG_PAYMENTS.to_string(), Resolution::Theirs);
        assert!(dialog.can_submit());
    }

    #[test]
    fn compile_errors_block() {
        let Some(mut setup) = setup() else { return };
        setup
            .workspace
            .write(
                "feature",
                STG_PAYMENTS,
                "select no_such_column from raw_payments",
            )
            .unwrap();
        let (needs, dialog) = prepared(&setup, true, &[]);
        assert!(!needs, "a run cannot build a model with errors");
        let blocker = dialog
            .blockers
            .iter()
            .find(|b| b.kind() == "compile-errors")
            .expect("no compile-errors blocker");
        assert!(blocker.describe().contains("stg_payments"), "{blocker:?}");
        assert!(
            dialog.tables.is_err(),
            "the blocked models cannot be copied"
        );
    }

    #[test]
    fn unchanged_branch_has_nothing_to_promote() {
        let Some(setup) = setup() else { return };
        let (_, dialog) = prepared(&setup, true, &[]);
        assert!(dialog.changes.is_empty());
        assert!(!dialog.can_submit());
    }

    #[test]
    fn conflict_diff_marks_lines() {
        let lines = diff_lines(Some("a\nb\n"), Some("a\nc\n"));
        assert!(lines.contains(&"-b".to_string()), "{lines:?}");
        assert!(lines.contains(&"+c".to_string()), "{lines:?}");
        assert!(lines.contains(&" a".to_string()), "{lines:?}");
    }
}
