//! The state the page starts from: the session saved in IndexedDB, the
//! edits an earlier version left in localStorage, a generated project, or
//! a project opened from a share link.
//!
//! A shared project is kept apart from the user's own. It is saved under
//! its own IndexedDB record, `shared:<hash of the link>`, so opening a link
//! never writes over the user's work. Reloading the link keeps the edits
//! made to the shared project.

use std::rc::Rc;

use rocky_core::branch::MAIN;
use rocky_core::share::{decode_fragment, is_share_fragment, DecodedLink, SharedProject};
use rocky_core::ProjectFiles;

use crate::lessons;
use crate::sample::sample_project;
use crate::session::SavedSession;
use crate::state::{AppState, ColumnRef, MainView, SharedOrigin};
use crate::storage::{self, SaveError, OWN_SESSION_KEY};

/// The page's starting state, read before the app renders.
#[derive(Clone, Debug)]
pub struct Startup {
    /// The bundled project, or the generated one.
    pub sample: ProjectFiles,
    pub session: SavedSession,
    /// False for a generated project, which is never saved.
    pub persist: bool,
    /// The error reading IndexedDB gave when it has none to give.
    pub error: Option<SaveError>,
    /// The reason saving is off in this page.
    pub disabled: Option<String>,
    /// True when the session contains edits migrated from localStorage, which
    /// the first save writes to IndexedDB.
    pub migrated: bool,
    /// The IndexedDB record the session is saved under.
    pub session_key: String,
    /// Set when the project comes from a share link.
    pub shared: Option<SharedOrigin>,
    /// The share link's selection: the open file, the column and the view.
    pub link_view: Option<SharedProject>,
    /// The reason the share link or lesson in the URL could not be opened,
    /// as a sentence. The page then opens the user's own project, untouched.
    pub link_error: Option<String>,
    /// The id of the lesson whose project this is.
    pub lesson: Option<String>,
    /// The message of the crash that stopped this tab's last page load: the
    /// page then opens with compiling paused.
    pub crash: Option<String>,
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
    /// Starts the saved `session` of the project bundled as `sample`,
    /// under the user's own IndexedDB record.
    fn saved(sample: ProjectFiles, session: SavedSession) -> Startup {
        Startup {
            session,
            sample,
            persist: true,
            error: None,
            disabled: None,
            migrated: false,
            session_key: OWN_SESSION_KEY.to_string(),
            shared: None,
            link_view: None,
            link_error: None,
            lesson: None,
            crash: None,
        }
    }

    /// Starts a project that is never saved, such as a generated one.
    pub fn unsaved(files: ProjectFiles) -> Startup {
        Startup {
            persist: false,
            ..Startup::saved(files.clone(), SavedSession::new(files))
        }
    }

    /// Starts the embedded view of a shared project: never saved, and
    /// nothing of the user's own work is read.
    pub fn embedded(link: DecodedLink, fragment: &str) -> Startup {
        let session = shared_session(&link.project);
        Startup {
            sample: link.project.files.clone(),
            session,
            shared: Some(SharedOrigin {
                fragment: fragment.to_string(),
            }),
            link_view: Some(link.project),
            ..Startup::unsaved(ProjectFiles::new())
        }
    }

    /// Returns the app state to start with.
    pub fn state(&self) -> AppState {
        let mut state = AppState::starting(
            self.sample.clone(),
            self.session.clone(),
            self.crash.clone(),
        );
        if self.persist {
            state.save.error = self.error.clone();
            state.save.disabled = self.disabled.clone();
            state.save.legacy_pending = self.migrated;
            if self.migrated {
                // The migrated edits are saved right away.
                state.save.changed();
            }
        } else {
            state.persist = false;
        }
        state.session_key = self.session_key.clone();
        state.shared = self.shared.clone();
        if let Some(view) = &self.link_view {
            apply_link_view(&mut state, view);
        }
        if let Some(message) = &self.link_error {
            state.notice = Some(crate::state::Notice {
                text: format!("{message}. Your own project is shown, unchanged."),
                is_error: true,
            });
        }
        state
    }
}

/// Opens what a share link selects: its file, its column and its view.
fn apply_link_view(state: &mut AppState, view: &SharedProject) {
    if let Some(path) = view
        .open_path
        .as_ref()
        .filter(|p| state.files.contains_key(*p))
    {
        state.open_path = Some(path.clone());
    }
    if let (Some(model), Some(column)) = (&view.model, &view.column) {
        state.selected = Some(ColumnRef {
            model: model.clone(),
            column: column.clone(),
        });
    }
    state.main_view = match view.view.as_deref() {
        Some("lineage") => MainView::Lineage,
        Some("compare") if state.parent().is_some() => MainView::Compare,
        _ => MainView::Editor,
    };
}

/// Returns the session of a freshly opened shared project: its files in
/// `main`, and the shared branch, when it has another name, forked from
/// it with the same files so that the page shows the link's branch name.
pub fn shared_session(project: &SharedProject) -> SavedSession {
    let mut session = SavedSession::new(project.files.clone());
    let branch = project.branch.trim();
    if !branch.is_empty() && branch != MAIN && session.workspace.create(branch, MAIN).is_ok() {
        session.branch = branch.to_string();
    }
    if let Some(path) = &project.open_path {
        session
            .open_paths
            .insert(session.branch.clone(), path.clone());
    }
    session
}

/// Returns the IndexedDB record of a shared project: `shared:` and a
/// 64-bit FNV-1a hash of the link's payload, so each link has its own.
pub fn shared_session_key(fragment: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in fragment.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("shared:{hash:016x}")
}

/// Reads the page's URL fragment and starts from it: a share link opens
/// its project (saved apart from the user's own), any other fragment or
/// none opens the user's own saved session. A link that cannot be read
/// opens the user's own project with the error in a notice.
///
/// After a crash in this tab the page opens with compiling paused.
pub async fn load(hash: &str) -> Startup {
    Startup {
        crash: crate::bridge::last_crash(),
        ..load_fragment(hash).await
    }
}

async fn load_fragment(hash: &str) -> Startup {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    if let Some(id) = lessons::fragment_lesson(fragment) {
        return load_lesson(id).await;
    }
    if !is_share_fragment(fragment) {
        return load_own().await;
    }
    match decode_fragment(fragment) {
        Ok(link) => load_shared(fragment, link).await,
        Err(error) => {
            gloo::console::warn!(format!("opening the share link failed: {error}"));
            Startup {
                link_error: Some(format!("The share link could not be opened: {error}")),
                ..load_own().await
            }
        }
    }
}

/// Prefers the copy the page kept in localStorage at its last unload over
/// what IndexedDB read: that copy is written only while changes were not
/// yet saved, so it is the newer one. This page takes the copy over, and
/// its next save that works removes it. Should another tab have saved
/// since the copy was made, that save shows the conflict notice first.
fn with_unload_copy(
    loaded: Result<Option<String>, SaveError>,
    key: &str,
) -> Result<Option<String>, SaveError> {
    let Some(copy) = storage::read_unload_copy(key) else {
        return loaded;
    };
    if SavedSession::from_json(&copy).is_err() {
        gloo::console::warn!(
            "the session kept at the last unload could not be read; it is ignored"
        );
        storage::clear_unload_copy(key);
        return loaded;
    }
    // A failed read keeps its handling: the page then never saves over
    // what it could not read.
    let same = matches!(&loaded, Ok(Some(saved)) if *saved == copy);
    let loaded = loaded.map(|_| Some(copy));
    if loaded.is_ok() {
        if let Some(owner) = storage::unload_owner(key) {
            // A revision past the copy's and its tab's saves in flight is
            // another tab's save, unless IndexedDB has the copy's own text.
            // This page's first save must then meet it as a conflict.
            let saved = crate::bridge::storage_revision(key);
            let revision = owner.revision.filter(|_| !same && owner.behind(saved));
            if let Some(revision) = revision {
                crate::bridge::storage_assume_revision(key, revision);
            }
            storage::adopt_unload_copy(key, &owner);
        }
    }
    loaded
}

/// Opens a shared project: the session saved for this link when the user
/// opened it before, else the link's project as it is.
async fn load_shared(fragment: &str, link: DecodedLink) -> Startup {
    let key = shared_session_key(fragment);
    let loaded = storage::load_session(&key).await;
    let saved = match with_unload_copy(loaded, &key) {
        Ok(Some(json)) => SavedSession::from_json(&json).ok(),
        _ => None,
    };
    let reopened = saved.is_some();
    let session = saved.unwrap_or_else(|| shared_session(&link.project));
    Startup {
        session_key: key,
        shared: Some(SharedOrigin {
            fragment: fragment.to_string(),
        }),
        // A reopened link keeps where the user left it.
        link_view: (!reopened).then_some(link.project.clone()),
        ..Startup::saved(link.project.files, session)
    }
}

/// Opens a lesson's project: the session saved for the lesson when the
/// user started it before, else the lesson's starting files. An unknown
/// lesson opens the user's own project with the error in a notice.
async fn load_lesson(id: &str) -> Startup {
    let start = lessons::find(id)
        .ok_or_else(|| format!("there is no lesson called {id}"))
        .and_then(|lesson| lessons::start_files(&lesson));
    let files = match start {
        Ok(files) => files,
        Err(message) => {
            gloo::console::warn!(format!("opening the lesson failed: {message}"));
            return Startup {
                link_error: Some(format!("The lesson could not be opened: {message}")),
                ..load_own().await
            };
        }
    };
    let key = lessons::session_key(id);
    let loaded = storage::load_session(&key).await;
    let session = match with_unload_copy(loaded, &key) {
        Ok(Some(json)) => SavedSession::from_json(&json).ok(),
        _ => None,
    }
    .unwrap_or_else(|| SavedSession::new(files.clone()));
    Startup {
        session_key: key,
        lesson: Some(id.to_string()),
        ..Startup::saved(files, session)
    }
}

/// Reads the user's own saved session. Without one, it migrates the
/// edits of the earlier version's localStorage into `main`. When the saved
/// session cannot be read, saving is turned off, so that the page never
/// replaces work it could not read.
async fn load_own() -> Startup {
    let sample = sample_project();
    let fresh = |error: Option<SaveError>, disabled: Option<String>| {
        let legacy = storage::load_legacy_edits();
        let migrated = !legacy.files.is_empty() && disabled.is_none();
        Startup {
            error,
            disabled,
            migrated,
            ..Startup::saved(
                sample.clone(),
                SavedSession::migrate(sample.clone(), &legacy),
            )
        }
    };
    let loaded = storage::load_session(OWN_SESSION_KEY).await;
    match with_unload_copy(loaded, OWN_SESSION_KEY) {
        Ok(Some(json)) => match SavedSession::from_json(&json) {
            Ok(session) => Startup::saved(sample.clone(), session),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn project(branch: &str) -> SharedProject {
        let files: ProjectFiles = [
            ("rocky.toml", "[project]\nname = \"demo\"\n"),
            (
                "sources/raw.sql",
                "CREATE TABLE raw (id INTEGER, name VARCHAR);",
            ),
            ("models/a.sql", "select id, name from raw"),
            ("models/b.sql", "select id from a"),
        ]
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
        SharedProject {
            files,
            branch: branch.to_string(),
            open_path: Some("models/b.sql".into()),
            model: Some("a".into()),
            column: Some("name".into()),
            view: Some("lineage".into()),
        }
    }

    fn shared_startup(project: SharedProject, link_view: bool) -> Startup {
        Startup {
            session_key: shared_session_key("share=r2.x"),
            shared: Some(SharedOrigin {
                fragment: "share=r2.x".into(),
            }),
            link_view: link_view.then_some(project.clone()),
            ..Startup::saved(project.files.clone(), shared_session(&project))
        }
    }

    #[test]
    fn shared_branch_is_shown() {
        let session = shared_session(&project("feature"));
        assert_eq!(session.branch, "feature");
        let names: Vec<&str> = session
            .workspace
            .branches()
            .iter()
            .map(|b| b.name.as_str())
            .collect();
        assert_eq!(names, ["main", "feature"]);
        assert_eq!(
            session.workspace.files("feature").unwrap(),
            project("feature").files
        );
        assert_eq!(session.open_paths["feature"], "models/b.sql");

        let session = shared_session(&project("main"));
        assert_eq!(session.branch, "main");
        assert_eq!(session.workspace.branches().len(), 1);
        // A name core rejects keeps the files in main.
        assert_eq!(shared_session(&project("1 bad")).branch, "main");
    }

    #[test]
    fn link_view_selects_column_and_view() {
        let state = shared_startup(project("feature"), true).state();
        assert_eq!(state.branch, "feature");
        assert_eq!(state.open_path.as_deref(), Some("models/b.sql"));
        assert_eq!(
            state.selected,
            Some(ColumnRef {
                model: "a".into(),
                column: "name".into()
            })
        );
        assert_eq!(state.main_view, MainView::Lineage);
        assert!(state.persist);
        assert!(state.session_key.starts_with("shared:"));
        assert!(state.shared.is_some());
    }

    #[test]
    fn session_keys_differ_per_link() {
        let a = shared_session_key("share=r2.abc");
        assert_eq!(a, shared_session_key("share=r2.abc"));
        assert_ne!(a, shared_session_key("share=r2.abd"));
        assert_eq!(a.len(), "shared:".len() + 16);
        assert_ne!(a, OWN_SESSION_KEY);
    }

    #[test]
    fn link_error_becomes_notice() {
        let mut startup = Startup::unsaved(project("main").files);
        startup.link_error = Some("The share link could not be opened: the link is damaged".into());
        let state = startup.state();
        let notice = state.notice.expect("a notice");
        assert!(notice.is_error);
        assert_eq!(
            notice.text,
            "The share link could not be opened: the link is damaged. Your own project is shown, unchanged."
        );
        assert!(state.shared.is_none());
    }

    #[test]
    fn embedded_is_never_saved() {
        let fragment = rocky_core::share::fragment(&project("feature"), true);
        let link = decode_fragment(&fragment).unwrap();
        let state = Startup::embedded(link, &fragment).state();
        assert!(!state.persist);
        assert_eq!(state.branch, "feature");
        assert_eq!(
            state.selected.as_ref().map(|s| s.column.as_str()),
            Some("name")
        );
    }
}
