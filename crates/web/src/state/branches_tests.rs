//! Unit tests of the branch actions, the promote dialog's outcome and the
//! save state, run natively on a small project.

use std::rc::Rc;

use rocky_core::archive::Imported;
use rocky_core::branch::plan::plan_branch;
use rocky_core::branch::{FileStatus, Resolution, MAIN};
use rocky_core::{compile, ProjectFiles};
use yew::Reducible;

use super::*;
use crate::session::SavedSession;
use crate::state::run_events::LOST_DATABASE;
use crate::state::{Action, AppState, MainView, RunEvent, RunPhase};
use crate::storage::SaveError;

fn files(entries: &[(&str, &str)]) -> ProjectFiles {
    entries
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}

fn project() -> ProjectFiles {
    files(&[
        ("rocky.toml", "[project]\nname = \"demo\"\n"),
        ("sources/raw.sql", "CREATE TABLE raw (id INTEGER);"),
        ("models/a.sql", "select id from raw"),
        ("models/b.sql", "select id from a"),
    ])
}

fn fresh() -> AppState {
    AppState::new(project(), SavedSession::new(project()))
}

fn reduce(state: AppState, action: Action) -> AppState {
    Rc::unwrap_or_clone(Rc::new(state).reduce(action))
}

fn branch(state: AppState, action: BranchAction) -> AppState {
    reduce(state, Action::Branch(action))
}

fn edit(branch: &str, path: &str, text: &str) -> Action {
    Action::Edit {
        branch: branch.to_string(),
        path: path.to_string(),
        text: text.to_string(),
    }
}

fn open(path: &str) -> Action {
    Action::Open {
        path: path.to_string(),
        select: None,
    }
}

/// `main` with a branch `feature` forked from it, shown.
fn with_feature() -> AppState {
    branch(fresh(), BranchAction::Create("feature".to_string()))
}

#[test]
fn create_forks_and_switches() {
    let state = with_feature();
    assert_eq!(state.branch, "feature");
    assert_eq!(state.parent(), Some(MAIN));
    assert_eq!(*state.files, project());
    assert_eq!(state.dialog, None);
    assert_eq!(state.open_path.as_deref(), Some("models/a.sql"));
    assert!(state.save.revision > 0, "a new branch is saved");
}

#[test]
fn invalid_name_stays_in_dialog() {
    let state = reduce(
        fresh(),
        Action::ShowDialog(Some(Dialog::NewBranch { error: None })),
    );
    let state = branch(state, BranchAction::Create("1st".to_string()));
    assert_eq!(state.branch, MAIN);
    let Some(Dialog::NewBranch { error: Some(error) }) = &state.dialog else {
        panic!("no error in the dialog: {:?}", state.dialog);
    };
    assert_eq!(
        error,
        "invalid branch name `1st`: it must start with a letter"
    );
    assert_eq!(state.workspace.branches().len(), 1);
}

#[test]
fn edit_on_branch_leaves_parent() {
    let state = with_feature();
    let state = reduce(state, edit("feature", "models/a.sql", "select 2 as id"));
    assert_eq!(state.files["models/a.sql"], "select 2 as id");
    assert_eq!(
        state.file_status("models/a.sql"),
        Some(FileStatus::Modified)
    );
    assert_eq!(state.file_status("models/b.sql"), None);
    assert_eq!(
        state.workspace.files(MAIN).unwrap()["models/a.sql"],
        "select id from raw"
    );
    let state = branch(state, BranchAction::Switch(MAIN.to_string()));
    assert_eq!(state.files["models/a.sql"], "select id from raw");
    assert_eq!(state.file_status("models/a.sql"), None);
    assert_eq!(state.edited_count(), 0, "main has no edits");
}

#[test]
fn switch_keeps_each_open_file() {
    let state = with_feature();
    let state = reduce(state, open("models/b.sql"));
    let state = branch(state, BranchAction::Switch(MAIN.to_string()));
    let state = reduce(state, open("rocky.toml"));
    let state = branch(state, BranchAction::Switch("FEATURE".to_string()));
    assert_eq!(state.branch, "feature");
    assert_eq!(state.open_path.as_deref(), Some("models/b.sql"));
    let state = branch(state, BranchAction::Switch(MAIN.to_string()));
    assert_eq!(state.open_path.as_deref(), Some("rocky.toml"));
    let json = state.session_json().unwrap();
    let saved = SavedSession::from_json(&json).unwrap();
    assert_eq!(saved.open_paths["feature"], "models/b.sql");
    assert_eq!(saved.open_paths[MAIN], "rocky.toml");
    assert_eq!(saved.branch, MAIN);
}

#[test]
fn switch_to_unknown_branch_is_a_notice() {
    let state = branch(fresh(), BranchAction::Switch("nope".to_string()));
    assert_eq!(state.branch, MAIN);
    assert!(state.notice.as_ref().is_some_and(|n| n.is_error));
}

#[test]
fn compare_view_only_on_branch() {
    let state = reduce(fresh(), Action::ShowView(MainView::Compare));
    assert_eq!(state.main_view, MainView::Editor);
    let state = reduce(with_feature(), Action::ShowView(MainView::Compare));
    assert_eq!(state.main_view, MainView::Compare);
    let state = branch(state, BranchAction::Switch(MAIN.to_string()));
    assert_eq!(state.main_view, MainView::Editor);
}

/// Runs `branch` once with the plan's record, as the runner reports it.
fn ran(state: AppState, name: &str) -> AppState {
    let files = state.workspace.files(name).unwrap();
    let compilation = compile(&files);
    let parent = state
        .workspace
        .branch(name)
        .unwrap()
        .parent
        .clone()
        .and_then(|parent| state.run_of(&parent).record.clone());
    let previous = state.run_of(name).record.clone();
    let plan = plan_branch(
        name,
        &files,
        &compilation,
        previous.as_ref(),
        parent.as_ref(),
    );
    let mut state = state;
    for event in [
        RunEvent::Started,
        RunEvent::Planned(plan.items.clone()),
        RunEvent::Recorded(plan.record.clone()),
        RunEvent::Finished(crate::run::RunSummary::default()),
    ] {
        state = reduce(
            state,
            Action::Run {
                branch: name.to_string(),
                event,
            },
        );
    }
    state
}

#[test]
fn run_of_other_branch_goes_to_it() {
    let state = with_feature();
    let state = ran(state, MAIN);
    assert!(state.run_of(MAIN).record.is_some());
    assert!(state.current_run().record.is_none(), "feature did not run");
    assert_eq!(state.relation_of("a"), None);
    let state = ran(state, "feature");
    assert_eq!(
        state.relation_of("a").as_deref(),
        Some("\"branch_feature\".\"a\"")
    );
}

#[test]
fn lost_database_clears_every_branch_record() {
    let state = ran(ran(with_feature(), MAIN), "feature");
    assert!(state.relation_of("a").is_some());
    let state = reduce(
        state,
        Action::Run {
            branch: "feature".to_string(),
            event: RunEvent::DatabaseLost,
        },
    );
    assert!(state.run_of(MAIN).record.is_none());
    assert!(state.run_of("feature").record.is_none());
    assert!(!state.run_of(MAIN).run.plan_executed);
    assert!(!state.current_run().run.plan_executed);
    assert_eq!(state.relation_of("a"), None);
    // The other branch no longer shows its run as done.
    let main = state.run_of(MAIN);
    assert_eq!(main.run.phase, RunPhase::Idle);
    assert_eq!(main.run.message, LOST_DATABASE);
    assert!(main.tests.is_empty());
    assert!(state.tables_lost);
    // A run that records its tables ends it.
    let state = ran(state, MAIN);
    assert!(!state.tables_lost);
}

#[test]
fn lost_database_keeps_run_in_progress() {
    let state = ran(with_feature(), MAIN);
    let state = reduce(
        state,
        Action::Run {
            branch: MAIN.to_string(),
            event: RunEvent::Started,
        },
    );
    let state = reduce(
        state,
        Action::Run {
            branch: MAIN.to_string(),
            event: RunEvent::DatabaseLost,
        },
    );
    let main = state.run_of(MAIN);
    assert_eq!(main.run.phase, RunPhase::Loading);
    assert!(main.record.is_none());
    assert!(
        main.files.is_some(),
        "the run's snapshot of its files is kept"
    );
}

#[test]
fn rename_moves_branch_and_drops_record() {
    let state = ran(with_feature(), "feature");
    let state = reduce(state, open("models/b.sql"));
    let state = branch(state, BranchAction::Rename("topic".to_string()));
    assert_eq!(state.branch, "topic");
    assert!(state.workspace.branch("feature").is_err());
    assert!(state.current_run().record.is_none());
    assert_eq!(state.open_path.as_deref(), Some("models/b.sql"));
    assert!(state
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("branch_topic")));
}

#[test]
fn rename_main_rejected_in_dialog() {
    let state = reduce(
        fresh(),
        Action::ShowDialog(Some(Dialog::RenameBranch { error: None })),
    );
    let state = branch(state, BranchAction::Rename("trunk".to_string()));
    assert_eq!(state.branch, MAIN);
    assert!(matches!(
        state.dialog,
        Some(Dialog::RenameBranch { error: Some(_) })
    ));
}

#[test]
fn reset_forks_again_from_parent() {
    let state = with_feature();
    let state = reduce(state, edit("feature", "models/a.sql", "select 2 as id"));
    let state = reduce(state, edit(MAIN, "models/b.sql", "select 3 as id"));
    let state = branch(state, BranchAction::Reset);
    assert_eq!(state.files["models/a.sql"], "select id from raw");
    assert_eq!(state.files["models/b.sql"], "select 3 as id");
    assert_eq!(state.file_status("models/a.sql"), None);
}

#[test]
fn delete_current_switches_to_parent() {
    let state = ran(with_feature(), "feature");
    let state = branch(state, BranchAction::Delete("feature".to_string()));
    assert_eq!(state.branch, MAIN);
    assert!(!state.runs.contains_key("feature"));
    assert_eq!(state.workspace.branches().len(), 1);
    assert!(state
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("branch_feature")));
}

#[test]
fn delete_with_children_rejected() {
    let state = with_feature();
    let state = branch(state, BranchAction::Create("child".to_string()));
    let state = branch(state, BranchAction::Switch("feature".to_string()));
    let state = reduce(
        state,
        Action::ShowDialog(Some(Dialog::ConfirmDelete { error: None })),
    );
    let state = branch(state, BranchAction::Delete("feature".to_string()));
    assert!(state.workspace.branch("feature").is_ok());
    assert!(matches!(
        &state.dialog,
        Some(Dialog::ConfirmDelete { error: Some(error) }) if error.contains("child")
    ));
}

#[test]
fn import_makes_branch_with_changes() {
    let mut imported = project();
    imported.insert("models/c.sql".to_string(), "select id from b".to_string());
    imported.remove("models/b.sql");
    imported.insert(
        "models/b.sql".to_string(),
        "select id + 1 as id from a".to_string(),
    );
    imported.remove("sources/raw.sql");
    imported.insert(
        "sources/raw.sql".to_string(),
        "CREATE TABLE raw (id INTEGER);".to_string(),
    );
    imported.insert("build.sql".to_string(), "-- generated".to_string());
    imported.remove("rocky.toml");
    let state = branch(
        fresh(),
        BranchAction::Import {
            file_name: "demo-feature.zip".to_string(),
            imported: Imported {
                files: imported,
                skipped: vec![(
                    "__MACOSX/x".to_string(),
                    "a file of macOS's archive tool".to_string(),
                )],
            },
            dbt: None,
        },
    );
    assert_eq!(state.branch, "demo-feature");
    assert_eq!(state.parent(), Some(MAIN));
    assert_eq!(state.file_status("models/c.sql"), Some(FileStatus::Added));
    assert_eq!(
        state.file_status("models/b.sql"),
        Some(FileStatus::Modified)
    );
    assert_eq!(state.deleted_paths(), vec!["rocky.toml".to_string()]);
    assert!(!state.files.contains_key("build.sql"));
    let notice = state.notice.clone().unwrap();
    assert!(!notice.is_error);
    assert!(notice.text.contains("build.sql"), "{}", notice.text);
    assert!(notice.text.contains("__MACOSX/x"), "{}", notice.text);
    assert_eq!(state.workspace.files(MAIN).unwrap(), project());
}

#[test]
fn import_of_invalid_path_changes_nothing() {
    let mut imported = project();
    imported.insert("models//x.sql".to_string(), "select 1".to_string());
    let before = fresh();
    let state = branch(
        before.clone(),
        BranchAction::Import {
            file_name: "bad.zip".to_string(),
            imported: Imported {
                files: imported,
                skipped: Vec::new(),
            },
            dbt: None,
        },
    );
    assert_eq!(state.branch, MAIN);
    assert_eq!(state.workspace, before.workspace);
    let notice = state.notice.unwrap();
    assert!(notice.is_error);
    assert!(
        notice.text.contains("nothing was changed"),
        "{}",
        notice.text
    );
}

#[test]
fn import_of_converted_dbt_project_reports_it() {
    let mut dbt = ProjectFiles::new();
    dbt.insert("shop/dbt_project.yml".into(), "name: shop\n".into());
    dbt.insert("shop/seeds/raw.csv".into(), "id\n1\n".into());
    dbt.insert(
        "shop/models/a.sql".into(),
        "select id from {{ ref('raw') }}\n".into(),
    );
    let (imported, report) = crate::project_archive::import_natively(&dbt).into_import(Vec::new());

    let state = branch(
        fresh(),
        BranchAction::Import {
            file_name: "shop".to_string(),
            imported,
            dbt: Some(report),
        },
    );
    assert_eq!(state.branch, "shop");
    assert_eq!(state.files["models/a.sql"], "select id from raw\n");
    assert!(state.files.contains_key("sources/raw.sql"));

    let notice = state.notice.clone().unwrap();
    assert!(!notice.is_error, "{}", notice.text);
    assert!(
        notice
            .text
            .contains("converted a dbt project: 1 models, 1 seeds as sources"),
        "{}",
        notice.text
    );
}

/// `feature` changes `a`, both ran, and the promote dialog is open.
fn promoting() -> AppState {
    let state = ran(fresh(), MAIN);
    let state = branch(state, BranchAction::Create("feature".to_string()));
    let state = reduce(
        state,
        edit("feature", "models/a.sql", "select id * 2 as id from raw"),
    );
    let state = reduce(state, Action::Compile);
    let state = ran(state, "feature");
    reduce(state, Action::Promote(PromoteAction::Open))
}

#[test]
fn promote_dialog_plans_copies() {
    let state = promoting();
    let Some(Dialog::Promote(dialog)) = &state.dialog else {
        panic!("no promote dialog: {:?}", state.notice);
    };
    assert_eq!(dialog.parent, MAIN);
    assert!(dialog.blockers.is_empty(), "{:?}", dialog.blockers);
    let plan = dialog.tables.as_ref().expect("the tables are planned");
    assert_eq!(plan.promoted, vec!["a", "b"]);
    assert!(dialog.can_submit());
}

#[test]
fn promote_finish_writes_parent() {
    let state = promoting();
    let Some(Dialog::Promote(dialog)) = state.dialog.clone() else {
        panic!("no promote dialog");
    };
    let record = dialog.tables.clone().unwrap().record;
    let state = reduce(
        state,
        Action::Promote(PromoteAction::Finished {
            record: Some(record.clone()),
        }),
    );
    assert_eq!(state.branch, MAIN);
    assert_eq!(state.dialog, None);
    assert_eq!(state.files["models/a.sql"], "select id * 2 as id from raw");
    assert_eq!(state.run_of(MAIN).record.as_ref(), Some(&record));
    assert!(state.notice.as_ref().is_some_and(|n| !n.is_error));
    let feature = state.workspace.branch("feature").unwrap();
    assert!(feature.changed_files().is_empty(), "the branch forks again");
}

#[test]
fn promote_after_parent_moved_writes_no_file() {
    let state = promoting();
    let record = match &state.dialog {
        Some(Dialog::Promote(dialog)) => dialog.tables.clone().unwrap().record,
        _ => panic!("no promote dialog"),
    };
    let state = reduce(state, edit(MAIN, "models/b.sql", "select 7 as id"));
    let state = reduce(
        state,
        Action::Promote(PromoteAction::Finished {
            record: Some(record.clone()),
        }),
    );
    assert_eq!(state.branch, "feature");
    assert_eq!(
        state.workspace.files(MAIN).unwrap()["models/a.sql"],
        "select id from raw"
    );
    assert_eq!(
        state.run_of(MAIN).record.as_ref(),
        Some(&record),
        "the copied tables are recorded"
    );
    let Some(Dialog::Promote(dialog)) = &state.dialog else {
        panic!("the dialog closed");
    };
    assert!(dialog.error.as_ref().is_some_and(|e| e.contains("changed")));
}

#[test]
fn promote_failure_keeps_everything() {
    let state = promoting();
    let before = state.workspace.clone();
    let state = reduce(state, Action::Promote(PromoteAction::Started));
    let state = reduce(
        state,
        Action::Promote(PromoteAction::Failed("copying a failed".to_string())),
    );
    assert_eq!(state.workspace, before);
    let Some(Dialog::Promote(dialog)) = &state.dialog else {
        panic!("the dialog closed");
    };
    assert!(!dialog.running);
    assert_eq!(dialog.error.as_deref(), Some("copying a failed"));
}

#[test]
fn conflict_side_set_in_dialog() {
    let state = ran(fresh(), MAIN);
    let state = branch(state, BranchAction::Create("feature".to_string()));
    let state = reduce(
        state,
        edit("feature", "models/b.sql", "select id as x from a"),
    );
    let state = reduce(state, edit(MAIN, "models/b.sql", "select id as y from a"));
    let state = reduce(state, Action::Compile);
    let state = ran(state, "feature");
    let state = reduce(state, Action::Promote(PromoteAction::Open));
    let state = reduce(
        state,
        Action::Promote(PromoteAction::SetSide {
            path: "models/b.sql".to_string(),
            side: Resolution::Theirs,
        }),
    );
    let Some(Dialog::Promote(dialog)) = &state.dialog else {
        panic!("no promote dialog");
    };
    assert_eq!(dialog.conflicts.len(), 1);
    assert_eq!(dialog.resolutions["models/b.sql"], Resolution::Theirs);
    assert!(dialog.unresolved().is_empty());
}

#[test]
fn reset_sample_drops_branches() {
    let state = ran(with_feature(), MAIN);
    let state = reduce(state, edit("feature", "models/a.sql", "select 2 as id"));
    assert_eq!(state.branch_count(), 1);
    let state = reduce(state, Action::ResetSample);
    assert_eq!(state.branch, MAIN);
    assert_eq!(state.branch_count(), 0);
    assert!(state.run_of(MAIN).record.is_some(), "main's tables stay");
    assert_eq!(*state.files, project());
}

#[test]
fn save_state_tracks_failures() {
    let state = fresh();
    assert!(state.save.is_saved());
    let state = reduce(state, edit(MAIN, "models/a.sql", "select 2 as id"));
    assert!(!state.save.is_saved());
    let revision = state.save.revision;
    let workspace = Rc::clone(&state.workspace);
    let state = reduce(
        state,
        Action::Saved {
            revision,
            workspace: Rc::clone(&workspace),
            result: Err(SaveError::QuotaExceeded),
        },
    );
    assert_eq!(state.save.error, Some(SaveError::QuotaExceeded));
    let unsaved = state.save.unsaved(&state.workspace);
    assert_eq!(unsaved.len(), 1);
    assert_eq!(unsaved[0].path, "models/a.sql");
    // The next change retries; its success clears the error.
    let state = reduce(state, edit(MAIN, "models/a.sql", "select 3 as id"));
    let revision = state.save.revision;
    let workspace = Rc::clone(&state.workspace);
    let state = reduce(
        state,
        Action::Saved {
            revision,
            workspace,
            result: Ok(()),
        },
    );
    assert!(state.save.is_saved());
    assert_eq!(state.save.error, None);
    assert!(state.save.unsaved(&state.workspace).is_empty());
}

#[test]
fn conflict_waits_for_a_choice() {
    let state = reduce(fresh(), edit(MAIN, "models/a.sql", "select 2 as id"));
    let revision = state.save.revision;
    let workspace = Rc::clone(&state.workspace);
    let state = reduce(
        state,
        Action::Saved {
            revision,
            workspace,
            result: Err(SaveError::from_name("ConflictError", "another tab saved")),
        },
    );
    assert_eq!(state.save.error, Some(SaveError::Conflict));
    assert!(!state.save.overwrite);

    // Keeping this tab's version asks the next save to overwrite.
    let state = reduce(state, Action::OverwriteOtherTab);
    assert!(state.save.overwrite);
    assert!(state.save.revision > revision, "no save follows the choice");
    let revision = state.save.revision;
    let workspace = Rc::clone(&state.workspace);
    let state = reduce(
        state,
        Action::Saved {
            revision,
            workspace,
            result: Ok(()),
        },
    );
    assert!(!state.save.overwrite, "later saves would overwrite too");
    assert_eq!(state.save.error, None);

    let state = reduce(state, Action::TakeOtherTab);
    assert!(state.save.leaving);
}

#[test]
fn saving_off_lists_changes_since_load() {
    let mut state = fresh();
    state.save.disabled = Some("the saved session has version 99".to_string());
    assert!(state.save.unsaved(&state.workspace).is_empty());
    let state = reduce(state, edit("main", "models/b.sql", "select 2 as id"));
    let unsaved = state.save.unsaved(&state.workspace);
    assert_eq!(unsaved.len(), 1);
    assert_eq!(unsaved[0].path, "models/b.sql");
}

#[test]
fn late_save_does_not_move_back() {
    let state = reduce(fresh(), edit(MAIN, "models/a.sql", "select 2 as id"));
    let first = (state.save.revision, Rc::clone(&state.workspace));
    let state = reduce(state, edit(MAIN, "models/a.sql", "select 3 as id"));
    let second = (state.save.revision, Rc::clone(&state.workspace));
    let state = reduce(
        state,
        Action::Saved {
            revision: second.0,
            workspace: second.1,
            result: Ok(()),
        },
    );
    let state = reduce(
        state,
        Action::Saved {
            revision: first.0,
            workspace: first.1,
            result: Ok(()),
        },
    );
    assert!(state.save.is_saved());
    assert_eq!(
        state.save.saved.files(MAIN).unwrap()["models/a.sql"],
        "select 3 as id"
    );
}

#[test]
fn write_file_creates_missing_file() {
    let state = fresh();
    let ignored = reduce(
        state.clone(),
        edit(MAIN, "models/a.toml", "grain = [\"id\"]\n"),
    );
    assert!(!ignored.files.contains_key("models/a.toml"));

    let write = Action::WriteFile {
        branch: MAIN.to_string(),
        path: "models/a.toml".to_string(),
        text: "grain = [\"id\"]\n".to_string(),
    };
    let state = reduce(reduce(state, write), Action::Compile);
    assert_eq!(state.files["models/a.toml"], "grain = [\"id\"]\n");
    assert_eq!(state.file_status("models/a.toml"), Some(FileStatus::Added));
    assert_eq!(state.compilation.model("a").unwrap().config.grain, ["id"]);
}

#[test]
fn sidecar_gets_completion_info() {
    let state = fresh();
    let write = Action::WriteFile {
        branch: MAIN.to_string(),
        path: "models/a.toml".to_string(),
        text: "invariants = [\"\"]\n".to_string(),
    };
    let state = reduce(reduce(state, write), Action::Compile);
    let info = state.editor_model_info("models/a.toml").unwrap();
    assert_eq!(info.text, "invariants = [\"\"]\n");
    let sidecar = info.sidecar.unwrap();
    assert_eq!(sidecar.model, "a");
    assert_eq!(sidecar.columns.len(), 1);
    assert_eq!(sidecar.columns[0].name, "id");
    let one_row = sidecar
        .vocabulary
        .iter()
        .find(|entry| entry.phrase.starts_with("one row per"))
        .unwrap();
    assert_eq!(one_row.insert, "one row per ");
    assert_eq!(one_row.scope, "model");
    assert!(sidecar.keys.iter().any(|key| key.name == "intent"));
    assert!(state
        .editor_model_info("models/b.sql")
        .unwrap()
        .sidecar
        .is_none());
    assert!(state.editor_model_info("models/none.toml").is_none());
}
