//! Branch actions on the state: switch, create, rename, reset, delete,
//! import into a new branch, and the promote dialog. Each action that
//! touches DuckDB (dropping a schema, copying tables) has already done so
//! when it reaches the reducer, which then changes the files.

use std::collections::BTreeMap;
use std::rc::Rc;

use rocky_core::archive::Imported;
use rocky_core::branch::plan::RunRecord;
use rocky_core::branch::{Resolution, MAIN};
use rocky_core::ProjectFiles;

use super::{AppState, MainView, Results};
use crate::branch_names::import_branch_name;
use crate::components::compile_status::plural;
use crate::project_archive::{import_files, DbtReport};
use crate::promote::{self, PromoteDialog, PromoteInput};

/// A dialog of a branch action.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    /// Asks for the name of a branch forked from the current one.
    NewBranch {
        error: Option<String>,
    },
    /// Asks for the current branch's new name.
    RenameBranch {
        error: Option<String>,
    },
    /// Asks before the current branch drops its changes.
    ConfirmReset,
    /// Asks before the current branch and its schema are deleted.
    ConfirmDelete {
        error: Option<String>,
    },
    Promote(Box<PromoteDialog>),
}

impl Dialog {
    /// Returns the `data-kind` value of the contract.
    pub fn kind(&self) -> &'static str {
        match self {
            Dialog::NewBranch { .. } => "create",
            Dialog::RenameBranch { .. } => "rename",
            Dialog::ConfirmReset => "reset",
            Dialog::ConfirmDelete { .. } => "delete",
            Dialog::Promote(_) => "promote",
        }
    }
}

/// The outcome of a branch action, an import or an export, shown above
/// the editor until the next one or until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            is_error: false,
        }
    }

    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            is_error: true,
        }
    }
}

pub enum BranchAction {
    /// Shows another branch.
    Switch(String),
    /// Forks a branch from the current one and shows it.
    Create(String),
    /// Renames the current branch; the caller dropped its schema.
    Rename(String),
    /// Forks the current branch again from its parent's files.
    Reset,
    /// Deletes a branch; the caller dropped its schema.
    Delete(String),
    /// An asynchronous step of the open dialog's action failed.
    Failed(String),
    /// Forks a branch from the current one with the files of an imported
    /// .zip named `file_name`.
    Import {
        file_name: String,
        imported: Imported,
        /// For a dbt project, the importer's report; its files are then
        /// already in the Rocky layout.
        dbt: Option<DbtReport>,
    },
}

pub enum PromoteAction {
    /// Opens the promote dialog of the current branch.
    Open,
    SetSide {
        path: String,
        side: Resolution,
    },
    /// The user confirmed, or took back, the blockers.
    Confirm(bool),
    Started,
    /// Copying the tables failed and was rolled back.
    Failed(String),
    /// The tables were copied, with the parent's new record, or there were
    /// none to copy (`None`); the files follow.
    Finished {
        record: Option<RunRecord>,
    },
}

impl AppState {
    pub(super) fn apply_branch(&mut self, action: BranchAction) {
        match action {
            BranchAction::Switch(name) => self.switch_branch(&name),
            BranchAction::Create(name) => {
                let parent = self.branch.clone();
                match Rc::make_mut(&mut self.workspace).create(&name, &parent) {
                    Ok(branch) => {
                        let name = branch.name.clone();
                        if let Some(path) = &self.open_path {
                            self.open_paths.insert(name.clone(), path.clone());
                        }
                        self.dialog = None;
                        self.notice = None;
                        self.save.changed();
                        self.switch_branch(&name);
                    }
                    Err(error) => {
                        self.dialog = Some(Dialog::NewBranch {
                            error: Some(error.to_string()),
                        })
                    }
                }
            }
            BranchAction::Rename(new_name) => {
                let old = self.branch.clone();
                match Rc::make_mut(&mut self.workspace).rename(&old, &new_name) {
                    Ok(()) => {
                        let name = self
                            .workspace
                            .branch(&new_name)
                            .map(|b| b.name.clone())
                            .unwrap_or(new_name);
                        // The caller dropped the old schema, and with it
                        // every object the record lists.
                        self.runs.remove(&old);
                        self.branch = name.clone();
                        self.dialog = None;
                        self.notice = Some(super::Notice::info(format!(
                            "Renamed `{old}` to `{name}`; its next run builds into the schema {}",
                            rocky_core::branch::schema_of(&name)
                        )));
                        self.save.changed();
                    }
                    Err(error) => {
                        // The schema is gone even so, and so are its objects.
                        self.runs.remove(&old);
                        self.dialog = Some(Dialog::RenameBranch {
                            error: Some(error.to_string()),
                        });
                    }
                }
            }
            BranchAction::Reset => {
                let name = self.branch.clone();
                match Rc::make_mut(&mut self.workspace).reset(&name) {
                    Ok(()) => {
                        self.dialog = None;
                        let parent = self.parent().unwrap_or(MAIN).to_string();
                        self.notice = Some(Notice::info(format!(
                            "Reset `{name}` to the files of `{parent}`"
                        )));
                        self.save.changed();
                        self.reload_files();
                    }
                    Err(error) => {
                        self.dialog = None;
                        self.notice = Some(Notice::error(error.to_string()));
                    }
                }
            }
            BranchAction::Delete(name) => {
                match Rc::make_mut(&mut self.workspace).delete(&name) {
                    Ok(deleted) => {
                        self.runs.remove(&deleted.name);
                        self.open_paths.remove(&deleted.name);
                        self.dialog = None;
                        self.notice = Some(Notice::info(format!(
                            "Deleted the branch `{}` and its schema {}",
                            deleted.name,
                            deleted.schema()
                        )));
                        self.save.changed();
                        if deleted.name == self.branch {
                            let parent = deleted.parent.unwrap_or_else(|| MAIN.to_string());
                            // The deleted branch's open file goes nowhere.
                            self.open_path = None;
                            self.switch_branch(&parent);
                        }
                    }
                    Err(error) => {
                        self.dialog = Some(Dialog::ConfirmDelete {
                            error: Some(error.to_string()),
                        })
                    }
                }
            }
            BranchAction::Failed(message) => self.show_dialog_error(message),
            BranchAction::Import {
                file_name,
                imported,
                dbt,
            } => self.import(&file_name, imported, dbt),
        }
    }

    /// Puts `message` into the open dialog, or into a notice without one.
    fn show_dialog_error(&mut self, message: String) {
        match &mut self.dialog {
            Some(Dialog::NewBranch { error })
            | Some(Dialog::RenameBranch { error })
            | Some(Dialog::ConfirmDelete { error }) => *error = Some(message),
            Some(Dialog::Promote(dialog)) => {
                dialog.running = false;
                dialog.error = Some(message);
            }
            Some(Dialog::ConfirmReset) | None => {
                self.dialog = None;
                self.notice = Some(Notice::error(message));
            }
        }
    }

    pub(super) fn switch_branch(&mut self, name: &str) {
        let Ok(target) = self.workspace.branch(name).map(|b| b.name.clone()) else {
            self.notice = Some(Notice::error(format!("branch `{name}` not found")));
            return;
        };
        if target == self.branch {
            return;
        }
        if let Some(path) = self.open_path.take() {
            self.open_paths.insert(self.branch.clone(), path);
        }
        self.open_path = self.open_paths.remove(&target);
        self.branch = target;
        self.selected = None;
        self.results = Results::Empty;
        // Another branch's files may parse where these do not.
        self.parsed_models = BTreeMap::new();
        if self.main_view == MainView::Compare && self.parent().is_none() {
            self.main_view = MainView::Editor;
        }
        self.save.changed();
        self.reload_files();
    }

    fn import(&mut self, file_name: &str, imported: Imported, dbt: Option<DbtReport>) {
        let (files, skipped) = import_files(imported);
        if files.is_empty() {
            let why = dbt.map_or_else(
                || "the archive has no project files".to_string(),
                |report| report.describe(),
            );
            self.notice = Some(Notice::error(format!(
                "Importing {file_name} failed: {why}; nothing was changed"
            )));
            return;
        }
        match self.import_branch(file_name, &files) {
            Ok(name) => {
                let mut text = format!(
                    "Imported {file_name} into the new branch `{name}`, forked from `{}`: {} files",
                    self.branch,
                    files.len()
                );
                if let Some(report) = &dbt {
                    text.push_str(&format!("; {}", report.describe()));
                }
                if !skipped.is_empty() {
                    let entries: Vec<String> = skipped
                        .iter()
                        .map(|(entry, reason)| format!("{entry} ({reason})"))
                        .collect();
                    text.push_str(&format!("; skipped {}", entries.join(", ")));
                }
                self.save.changed();
                self.switch_branch(&name);
                self.notice = Some(Notice::info(text));
            }
            Err(message) => {
                self.notice = Some(Notice::error(format!(
                    "Importing {file_name} failed: {message}; nothing was changed"
                )));
            }
        }
    }

    /// Forks a branch from the current one whose files are `files`, on a
    /// copy of the workspace that replaces it only when every step worked.
    fn import_branch(&mut self, file_name: &str, files: &ProjectFiles) -> Result<String, String> {
        let mut workspace = (*self.workspace).clone();
        let name = import_branch_name(file_name, &workspace)
            .ok_or_else(|| "every branch name made from the file name is taken".to_string())?;
        let parent = self.branch.clone();
        workspace
            .create(&name, &parent)
            .map_err(|error| error.to_string())?;
        let before = workspace.files(&name).map_err(|error| error.to_string())?;
        for (path, text) in files {
            workspace
                .write(&name, path, text)
                .map_err(|error| error.to_string())?;
        }
        for path in before.keys().filter(|path| !files.contains_key(*path)) {
            workspace
                .remove_file(&name, path)
                .map_err(|error| error.to_string())?;
        }
        self.workspace = Rc::new(workspace);
        if let Some(path) = self.open_path.clone().filter(|p| files.contains_key(p)) {
            self.open_paths.insert(name.clone(), path);
        }
        Ok(name)
    }

    pub(super) fn apply_promote(&mut self, action: PromoteAction) {
        match action {
            PromoteAction::Open => self.open_promote(),
            PromoteAction::SetSide { path, side } => {
                let Some(Dialog::Promote(mut dialog)) = self.dialog.take() else {
                    return;
                };
                if dialog.conflicts.iter().any(|c| c.path == path) {
                    dialog.resolutions.insert(path, side);
                    self.restrict_promote_tables(&mut dialog);
                }
                self.dialog = Some(Dialog::Promote(dialog));
            }
            PromoteAction::Confirm(confirmed) => {
                if let Some(Dialog::Promote(dialog)) = &mut self.dialog {
                    dialog.confirmed = confirmed;
                }
            }
            PromoteAction::Started => {
                if let Some(Dialog::Promote(dialog)) = &mut self.dialog {
                    dialog.running = true;
                    dialog.error = None;
                }
            }
            PromoteAction::Failed(message) => self.show_dialog_error(message),
            PromoteAction::Finished { record } => self.finish_promote(record),
        }
    }

    /// Cuts the dialog's table copies to those that match the parent's
    /// files after the promote, once every conflict has a side: a table
    /// of a file where the parent keeps its side is the parent's to build.
    fn restrict_promote_tables(&self, dialog: &mut crate::promote::PromoteDialog) {
        let Some(all) = dialog.all_tables.clone() else {
            return;
        };
        if !dialog.unresolved().is_empty() {
            dialog.tables = Ok(all);
            return;
        }
        let mut workspace = (*self.workspace).clone();
        let merged = workspace
            .promote(&dialog.branch, &dialog.resolutions)
            .ok()
            .and_then(|_| workspace.files(&dialog.parent).ok());
        let record = self.run_of(&dialog.branch).record.as_ref();
        let (Some(merged), Some(record)) = (merged, record) else {
            dialog.tables = Ok(all);
            return;
        };
        let parent_record = self.run_of(&dialog.parent).record.as_ref();
        dialog.tables = Ok(rocky_core::branch::plan::restrict_promote(
            all,
            &dialog.branch,
            record,
            &merged,
            parent_record,
        ));
    }

    fn open_promote(&mut self) {
        if self.needs_compile() {
            // The checks must see the files as typed.
            self.recompile();
        }
        let entry = self.current_run();
        let parent_record = self
            .parent()
            .and_then(|parent| self.run_of(parent).record.as_ref());
        let input = PromoteInput {
            workspace: &self.workspace,
            branch: &self.branch,
            files: &self.files,
            compilation: &self.compilation,
            record: entry.record.as_ref(),
            run_files: entry.files.as_deref(),
            tests: &entry.tests,
            parent_record,
        };
        match promote::prepare(&input) {
            Ok(dialog) => {
                self.notice = None;
                self.dialog = Some(Dialog::Promote(Box::new(dialog)));
            }
            Err(message) => self.notice = Some(Notice::error(message)),
        }
    }

    fn finish_promote(&mut self, record: Option<RunRecord>) {
        let Some(Dialog::Promote(dialog)) = self.dialog.clone() else {
            return;
        };
        if let Some(record) = record.clone() {
            // The tables are copied whatever happens to the files, and the
            // record must list what DuckDB has.
            let parent = self.runs.entry(dialog.parent.clone()).or_default();
            parent.record = Some(record);
            parent.run.plan_executed = true;
            parent.run.finished_runs = parent.run.finished_runs.wrapping_add(1);
        }
        let revisions = (
            self.workspace.branch(&dialog.branch).map(|b| b.revision),
            self.workspace.branch(&dialog.parent).map(|b| b.revision),
        );
        if revisions != (Ok(dialog.branch_revision), Ok(dialog.parent_revision)) {
            self.show_dialog_error(format!(
                "`{}` or `{}` changed while the promote ran, so no file was written; open Promote again",
                dialog.branch, dialog.parent
            ));
            return;
        }
        match Rc::make_mut(&mut self.workspace).promote(&dialog.branch, &dialog.resolutions) {
            Ok(promoted) => {
                let tables = match &record {
                    Some(_) => match &dialog.tables {
                        Ok(plan) => match plan.promoted.len() + plan.dropped.len() {
                            0 => "no table changes".to_string(),
                            1 => "1 table or view copied".to_string(),
                            count => format!("{count} tables and views copied"),
                        },
                        Err(_) => "tables copied".to_string(),
                    },
                    None => format!("no table copied; run `{}` to build it", dialog.parent),
                };
                self.dialog = None;
                self.save.changed();
                self.open_paths
                    .entry(dialog.parent.clone())
                    .or_insert_with(|| self.open_path.clone().unwrap_or_default());
                self.switch_branch(&dialog.parent);
                self.notice = Some(Notice::info(format!(
                    "Promoted `{}` into `{}`: {} written, {tables}",
                    dialog.branch,
                    promoted.parent,
                    plural(promoted.files.len(), "file")
                )));
            }
            Err(error) => self.show_dialog_error(error.to_string()),
        }
    }
}

#[cfg(test)]
#[path = "branches_tests.rs"]
mod tests;
