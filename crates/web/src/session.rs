//! The saved form of the page's work: the workspace of branches, the
//! current branch and each branch's open file. The app writes it to
//! IndexedDB as one JSON text, so a save replaces the whole session at
//! once and a reload never reads half of one.

use std::collections::BTreeMap;

use rocky_core::branch::{Workspace, MAIN};
use rocky_core::ProjectFiles;
use serde::{Deserialize, Serialize};

/// The version of the saved JSON. A session of another version is not
/// read, and the page then keeps its edits in memory only, so that a
/// newer page's session is never overwritten by an older page.
pub const SESSION_VERSION: u32 = 1;

/// Everything a reload restores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSession {
    pub version: u32,
    pub workspace: Workspace,
    /// The branch shown.
    pub branch: String,
    /// The open file of each branch, by branch name.
    pub open_paths: BTreeMap<String, String>,
}

/// The edits that the page's earlier version kept in localStorage, one key
/// per file, and the open file's path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LegacyEdits {
    /// Saved text by project path.
    pub files: BTreeMap<String, String>,
    pub open_path: Option<String>,
}

impl SavedSession {
    /// Creates a session whose `main` contains `files`, with nothing open.
    pub fn new(files: ProjectFiles) -> SavedSession {
        SavedSession {
            version: SESSION_VERSION,
            workspace: Workspace::new(files),
            branch: MAIN.to_string(),
            open_paths: BTreeMap::new(),
        }
    }

    /// Creates the first session of a browser from the bundled sample and
    /// the edits an earlier version of the page left in localStorage.
    /// Edits of paths the sample lacks are dropped, because they belong
    /// to an older sample, as the earlier version dropped them too.
    pub fn migrate(sample: ProjectFiles, legacy: &LegacyEdits) -> SavedSession {
        let mut session = SavedSession::new(sample.clone());
        for (path, text) in &legacy.files {
            if sample.contains_key(path) {
                // The path is one of the sample's, so the write cannot be
                // rejected for its path; an error would only drop the edit.
                let _ = session.workspace.write(MAIN, path, text);
            }
        }
        if let Some(path) = legacy
            .open_path
            .as_ref()
            .filter(|p| sample.contains_key(*p))
        {
            session.open_paths.insert(MAIN.to_string(), path.clone());
        }
        session
    }

    pub fn to_json(&self) -> Result<String, String> {
        serde_json::to_string(self)
            .map_err(|error| format!("serializing the session failed: {error}"))
    }

    /// Reads a saved session, rejecting one of another version and one
    /// whose current branch does not exist.
    pub fn from_json(text: &str) -> Result<SavedSession, String> {
        #[derive(Deserialize)]
        struct Versioned {
            version: u32,
        }
        let versioned: Versioned = serde_json::from_str(text)
            .map_err(|error| format!("the saved session is not valid JSON: {error}"))?;
        if versioned.version != SESSION_VERSION {
            return Err(format!(
                "the saved session has version {}, and this page reads version {SESSION_VERSION}",
                versioned.version
            ));
        }
        let mut session: SavedSession = serde_json::from_str(text)
            .map_err(|error| format!("the saved session is invalid: {error}"))?;
        match session.workspace.branch(&session.branch) {
            Ok(branch) => session.branch = branch.name.clone(),
            Err(_) => session.branch = MAIN.to_string(),
        }
        session
            .workspace
            .branch(MAIN)
            .map_err(|_| "the saved session has no main branch".to_string())?;
        Ok(session)
    }
}

/// Writes the JSON of a session from its parts, as [`SavedSession`] does,
/// without copying the workspace first.
pub fn session_json(
    workspace: &Workspace,
    branch: &str,
    open_paths: &BTreeMap<String, String>,
) -> Result<String, String> {
    #[derive(Serialize)]
    struct SessionRef<'a> {
        version: u32,
        workspace: &'a Workspace,
        branch: &'a str,
        open_paths: &'a BTreeMap<String, String>,
    }
    let session = SessionRef {
        version: SESSION_VERSION,
        workspace,
        branch,
        open_paths,
    };
    serde_json::to_string(&session)
        .map_err(|error| format!("serializing the session failed: {error}"))
}

/// A file whose text in the page differs from the latest saved session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsavedFile {
    pub branch: String,
    pub path: String,
}

/// Lists the files of `current` whose text differs from `saved`, by branch
/// and path. A branch that `saved` lacks lists the files it changed since
/// its fork. Deleted files are not listed, since they have no text to
/// download.
pub fn unsaved_files(saved: &Workspace, current: &Workspace) -> Vec<UnsavedFile> {
    let mut unsaved = Vec::new();
    for branch in current.branches() {
        let paths: Vec<String> = match saved.branch(&branch.name) {
            Ok(before) => {
                let (before, now) = (before.files(), branch.files());
                now.iter()
                    .filter(|(path, text)| before.get(*path) != Some(*text))
                    .map(|(path, _)| path.clone())
                    .collect()
            }
            Err(_) => branch
                .changed_files()
                .into_iter()
                .filter(|change| branch.file(&change.path).is_some())
                .map(|change| change.path)
                .collect(),
        };
        unsaved.extend(paths.into_iter().map(|path| UnsavedFile {
            branch: branch.name.clone(),
            path,
        }));
    }
    unsaved
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ProjectFiles {
        [
            ("rocky.toml", "[project]\nname = \"p\"\n"),
            ("models/a.sql", "select 1 as x"),
        ]
        .into_iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
    }

    #[test]
    fn session_round_trips() {
        let mut session = SavedSession::new(sample());
        session.workspace.create("feature", MAIN).unwrap();
        session
            .workspace
            .write("feature", "models/a.sql", "select 2 as x")
            .unwrap();
        session.branch = "feature".to_string();
        session
            .open_paths
            .insert("feature".to_string(), "models/a.sql".to_string());
        let json = session.to_json().unwrap();
        assert_eq!(SavedSession::from_json(&json), Ok(session));
    }

    #[test]
    fn other_version_rejected() {
        let mut session = SavedSession::new(sample());
        session.version = SESSION_VERSION + 1;
        let json = session.to_json().unwrap();
        let error = SavedSession::from_json(&json).unwrap_err();
        assert!(error.contains("version 2"), "{error}");
    }

    #[test]
    fn invalid_json_rejected() {
        let error = SavedSession::from_json("{\"version\": 1").unwrap_err();
        assert!(
            error.starts_with("the saved session is not valid JSON"),
            "{error}"
        );
        let error = SavedSession::from_json("{\"version\": 1}").unwrap_err();
        assert!(error.starts_with("the saved session is invalid"), "{error}");
    }

    #[test]
    fn missing_current_branch_falls_back_to_main() {
        let mut session = SavedSession::new(sample());
        session.branch = "gone".to_string();
        let json = session.to_json().unwrap();
        assert_eq!(SavedSession::from_json(&json).unwrap().branch, MAIN);
    }

    #[test]
    fn migration_keeps_sample_paths() {
        let legacy = LegacyEdits {
            files: BTreeMap::from([
                ("models/a.sql".to_string(), "select 3 as x".to_string()),
                ("models/old.sql".to_string(), "select 4 as y".to_string()),
            ]),
            open_path: Some("models/a.sql".to_string()),
        };
        let session = SavedSession::migrate(sample(), &legacy);
        let main = session.workspace.files(MAIN).unwrap();
        assert_eq!(main["models/a.sql"], "select 3 as x");
        assert!(!main.contains_key("models/old.sql"));
        assert_eq!(session.open_paths[MAIN], "models/a.sql");
        let changes = session.workspace.branch(MAIN).unwrap().changed_files();
        assert_eq!(changes.len(), 1);
    }

    #[test]
    fn migration_drops_unknown_open_path() {
        let legacy = LegacyEdits {
            files: BTreeMap::new(),
            open_path: Some("models/old.sql".to_string()),
        };
        let session = SavedSession::migrate(sample(), &legacy);
        assert!(session.open_paths.is_empty());
    }

    #[test]
    fn unsaved_lists_changed_and_new_branch_files() {
        let saved = Workspace::new(sample());
        let mut current = saved.clone();
        current
            .write(MAIN, "models/a.sql", "select 5 as x")
            .unwrap();
        current.create("feature", MAIN).unwrap();
        current
            .write("feature", "models/b.sql", "select 6 as y")
            .unwrap();
        current.remove_file("feature", "models/a.sql").unwrap();
        let unsaved = unsaved_files(&saved, &current);
        assert_eq!(
            unsaved,
            vec![
                UnsavedFile {
                    branch: MAIN.to_string(),
                    path: "models/a.sql".to_string()
                },
                UnsavedFile {
                    branch: "feature".to_string(),
                    path: "models/b.sql".to_string()
                },
            ]
        );
        assert!(unsaved_files(&current, &current).is_empty());
    }
}
