//! The state the page starts from: the session saved in IndexedDB, the
//! edits an earlier version left in localStorage, or a generated project.

use std::rc::Rc;

use rocky_core::ProjectFiles;

use crate::sample::sample_project;
use crate::session::SavedSession;
use crate::state::AppState;
use crate::storage::{self, SaveError};

/// What the page starts with, read before the app renders.
#[derive(Clone, Debug)]
pub struct Startup {
    /// The bundled project, or the generated one.
    pub sample: ProjectFiles,
    pub session: SavedSession,
    /// False for a generated project, which is never saved.
    pub persist: bool,
    /// The error reading IndexedDB gave when it has none to give.
    pub error: Option<SaveError>,
    /// Why saving is off in this page.
    pub disabled: Option<String>,
    /// True when the session holds edits migrated from localStorage, which
    /// the first save writes to IndexedDB.
    pub migrated: bool,
}

/// Props-friendly handle: two are equal when they are the same startup.
#[derive(Clone, Debug)]
pub struct StartupHandle(pub Rc<Startup>);

impl PartialEq for StartupHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Startup {
    /// Starts a project that is never saved, such as a generated one.
    pub fn unsaved(files: ProjectFiles) -> Startup {
        Startup {
            session: SavedSession::new(files.clone()),
            sample: files,
            persist: false,
            error: None,
            disabled: None,
            migrated: false,
        }
    }

    /// Returns the app state to start with.
    pub fn state(&self) -> AppState {
        if !self.persist {
            return AppState::new_unsaved(self.sample.clone());
        }
        let mut state = AppState::new(self.sample.clone(), self.session.clone());
        state.save.error = self.error.clone();
        state.save.disabled = self.disabled.clone();
        state.save.legacy_pending = self.migrated;
        if self.migrated {
            // The migrated edits are saved right away.
            state.save.changed();
        }
        state
    }
}

/// Reads the saved session. Without one, it migrates the edits of the
/// earlier version's localStorage into `main`. When the saved session
/// cannot be read, saving is turned off, so that the page never replaces
/// work it could not read.
pub async fn load() -> Startup {
    let sample = sample_project();
    let fresh = |error: Option<SaveError>, disabled: Option<String>| {
        let legacy = storage::load_legacy_edits();
        let migrated = !legacy.files.is_empty() && disabled.is_none();
        Startup {
            session: SavedSession::migrate(sample.clone(), &legacy),
            sample: sample.clone(),
            persist: true,
            error,
            disabled,
            migrated,
        }
    };
    match storage::load_session().await {
        Ok(Some(json)) => match SavedSession::from_json(&json) {
            Ok(session) => Startup {
                session,
                sample: sample.clone(),
                persist: true,
                error: None,
                disabled: None,
                migrated: false,
            },
            Err(message) => {
                gloo::console::error!(format!("reading the saved session failed: {message}"));
                fresh(
                    None,
                    Some(format!(
                        "The work saved in this browser could not be read ({message}), so this \
                         page keeps its changes in memory only and leaves the saved copy as it is"
                    )),
                )
            }
        },
        Ok(None) => fresh(None, None),
        Err(error @ SaveError::Unavailable(_)) => {
            gloo::console::warn!(format!("the page cannot save: {error}"));
            fresh(Some(error), None)
        }
        Err(error) => {
            gloo::console::warn!(format!("reading the saved session failed: {error}"));
            fresh(
                None,
                Some(format!(
                    "The work saved in this browser could not be read ({error}), so this page \
                     keeps its changes in memory only and leaves the saved copy as it is"
                )),
            )
        }
    }
}
