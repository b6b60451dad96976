//! What the state knows about saving the session: which change a save
//! covers, the latest saved workspace, and the error of the latest attempt.

use std::rc::Rc;

use rocky_core::branch::Workspace;

use crate::session::{unsaved_files, UnsavedFile};
use crate::storage::SaveError;

#[derive(Clone, Debug)]
pub struct SaveState {
    /// Counts the changes to what a save writes: edits, branch actions and
    /// the open files. The save hook saves when it moves.
    pub revision: u64,
    /// The revision of the latest save that worked, or 0 for the session
    /// as loaded.
    pub saved_revision: u64,
    /// The workspace as the latest save that worked wrote it, or as it was
    /// loaded.
    pub saved: Rc<Workspace>,
    /// The error of the latest save, until a save works.
    pub error: Option<SaveError>,
    /// Why nothing is saved in this page: the saved session could not be
    /// read, and writing would replace it. `None` while saving is on.
    pub disabled: Option<String>,
    /// True while edits of the earlier version are still in localStorage;
    /// the first save that works removes them.
    pub legacy_pending: bool,
    /// True when the user chose to keep this tab's version over the one
    /// another tab saved: the next save replaces it.
    pub overwrite: bool,
    /// True once the user chose to load the version another tab saved:
    /// the page reloads, and nothing of this tab is saved or kept.
    pub leaving: bool,
}

impl SaveState {
    pub fn new(saved: Rc<Workspace>) -> SaveState {
        SaveState {
            revision: 0,
            saved_revision: 0,
            saved,
            error: None,
            disabled: None,
            legacy_pending: false,
            overwrite: false,
            leaving: false,
        }
    }

    /// Records a change that the next save writes.
    pub fn changed(&mut self) {
        self.revision = self.revision.wrapping_add(1);
    }

    /// Returns true when the latest change is saved.
    pub fn is_saved(&self) -> bool {
        self.saved_revision == self.revision
    }

    /// Applies the outcome of saving `workspace` at `revision`. A success
    /// clears the error even when newer changes are waiting, since their
    /// own save follows; a failure keeps the latest saved workspace.
    pub fn apply_saved(
        &mut self,
        revision: u64,
        workspace: Rc<Workspace>,
        result: Result<(), SaveError>,
    ) {
        match result {
            Ok(()) => {
                // Saves finish in the order they started, but a late
                // success must not move the saved revision back.
                if revision >= self.saved_revision {
                    self.saved_revision = revision;
                    self.saved = workspace;
                }
                self.error = None;
                self.overwrite = false;
            }
            Err(error) => self.error = Some(error),
        }
    }

    /// Lists the files whose text is only in this page: changed since the
    /// latest save that worked, while saves fail or saving is off. Lists
    /// nothing while saves work.
    pub fn unsaved(&self, current: &Workspace) -> Vec<UnsavedFile> {
        if self.error.is_none() && self.disabled.is_none() {
            return Vec::new();
        }
        unsaved_files(&self.saved, current)
    }
}
