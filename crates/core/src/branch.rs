//! Branches of a project: named, copy-on-write sets of files.
//!
//! A branch other than `main` forks from a parent branch: it keeps the
//! parent's files as they were at the fork (its base) and its own changes
//! over them, so later edits of the parent do not show through. Promoting
//! a branch writes its changes into the parent, file by file, and stops at
//! every file that both sides changed since the fork until the user picks
//! a side. The store does no IO: the page saves it as JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ProjectFiles;

pub mod plan;

/// The name of the branch every workspace starts with.
pub const MAIN: &str = "main";
/// The maximum length of a branch name, so that its schema name stays
/// readable.
pub const MAX_NAME_CHARS: usize = 40;

/// All branches of one project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// Branches by name. Names are compared without case.
    branches: BTreeMap<String, Branch>,
}

/// One branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub name: String,
    /// The branch this one forked from; `None` for `main`.
    pub parent: Option<String>,
    /// The parent's revision at the fork or at the last reset or promote.
    pub forked_at: u64,
    /// Counts the changes made to this branch's files, starting at 0.
    pub revision: u64,
    /// The files at the fork.
    base: ProjectFiles,
    /// Files written since the fork, by path; `None` for a deleted file.
    changes: BTreeMap<String, Option<String>>,
}

/// The kind of change of a file against the branch's base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Added,
    Modified,
    Deleted,
}

/// A changed file of a branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    pub path: String,
    pub status: FileStatus,
}

/// A file that both a branch and its parent changed since the fork, with
/// the three versions; `None` where the file does not exist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub path: String,
    pub base: Option<String>,
    /// The branch's version.
    pub ours: Option<String>,
    /// The parent's current version.
    pub theirs: Option<String>,
}

/// The side a conflicting file takes on promote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The branch's version replaces the parent's.
    Ours,
    /// The parent keeps its version.
    Theirs,
}

/// The result of a promote: the parent and the files written into it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promoted {
    pub parent: String,
    /// The files written into the parent, with how they differ from the
    /// parent's previous version.
    pub files: Vec<FileChange>,
}

/// A branch operation that was rejected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum BranchError {
    NotFound {
        name: String,
        suggestion: Option<String>,
    },
    AlreadyExists {
        name: String,
    },
    InvalidName {
        name: String,
        reason: String,
    },
    /// `main` cannot be renamed, deleted, reset or promoted.
    Main {
        operation: String,
    },
    /// The branch has branches of its own, which would lose their parent.
    HasChildren {
        name: String,
        children: Vec<String>,
    },
    /// A promote met files that both sides changed and that have no
    /// resolution yet.
    Conflicts {
        conflicts: Vec<Conflict>,
    },
    InvalidPath {
        path: String,
        reason: String,
    },
}

impl fmt::Display for BranchError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BranchError::NotFound { name, suggestion } => {
                write!(formatter, "branch `{name}` not found")?;
                match suggestion {
                    Some(similar) => write!(formatter, "; did you mean `{similar}`?"),
                    None => Ok(()),
                }
            }
            BranchError::AlreadyExists { name } => {
                write!(formatter, "a branch named `{name}` already exists")
            }
            BranchError::InvalidName { name, reason } => {
                write!(formatter, "invalid branch name `{name}`: {reason}")
            }
            BranchError::Main { operation } => {
                write!(formatter, "`{MAIN}` cannot be {operation}")
            }
            BranchError::HasChildren { name, children } => write!(
                formatter,
                "branch `{name}` has branches forked from it ({}); delete or promote them first",
                children.join(", ")
            ),
            BranchError::Conflicts { conflicts } => {
                let paths: Vec<&str> = conflicts.iter().map(|c| c.path.as_str()).collect();
                write!(
                    formatter,
                    "both the branch and its parent changed {}; pick a side for each file",
                    paths.join(", ")
                )
            }
            BranchError::InvalidPath { path, reason } => {
                write!(formatter, "invalid file path `{path}`: {reason}")
            }
        }
    }
}

impl std::error::Error for BranchError {}

impl Workspace {
    /// Creates a workspace whose `main` branch contains `files`.
    pub fn new(files: ProjectFiles) -> Workspace {
        let main = Branch {
            name: MAIN.to_string(),
            parent: None,
            forked_at: 0,
            revision: 0,
            base: files,
            changes: BTreeMap::new(),
        };
        Workspace {
            branches: BTreeMap::from([(MAIN.to_string(), main)]),
        }
    }

    /// Returns the branches, `main` first and the others by name.
    pub fn branches(&self) -> Vec<&Branch> {
        let mut all: Vec<&Branch> = self.branches.values().collect();
        all.sort_by_key(|branch| (branch.name != MAIN, branch.name.to_ascii_lowercase()));
        all
    }

    /// Returns the branch named `name`, in any case.
    pub fn branch(&self, name: &str) -> Result<&Branch, BranchError> {
        self.branches
            .get(&key(name))
            .ok_or_else(|| self.not_found(name))
    }

    fn branch_mut(&mut self, name: &str) -> Result<&mut Branch, BranchError> {
        if !self.branches.contains_key(&key(name)) {
            return Err(self.not_found(name));
        }
        Ok(self.branches.get_mut(&key(name)).expect("checked above"))
    }

    fn not_found(&self, name: &str) -> BranchError {
        let names: Vec<&str> = self.branches.values().map(|b| b.name.as_str()).collect();
        BranchError::NotFound {
            name: name.to_string(),
            suggestion: crate::text::closest(name, names).map(str::to_string),
        }
    }

    /// Returns the current files of a branch.
    pub fn files(&self, name: &str) -> Result<ProjectFiles, BranchError> {
        Ok(self.branch(name)?.files())
    }

    /// Forks a new branch named `name` from `parent`'s current files.
    pub fn create(&mut self, name: &str, parent: &str) -> Result<&Branch, BranchError> {
        check_name(name)?;
        if self.branches.contains_key(&key(name)) {
            return Err(BranchError::AlreadyExists {
                name: name.to_string(),
            });
        }
        let parent = self.branch(parent)?;
        let branch = Branch {
            name: name.to_string(),
            parent: Some(parent.name.clone()),
            forked_at: parent.revision,
            revision: 0,
            base: parent.files(),
            changes: BTreeMap::new(),
        };
        self.branches.insert(key(name), branch);
        Ok(&self.branches[&key(name)])
    }

    /// Renames a branch, and the parent of every branch forked from it.
    pub fn rename(&mut self, name: &str, new_name: &str) -> Result<(), BranchError> {
        let old = self.branch(name)?.name.clone();
        if old == MAIN {
            return Err(BranchError::Main {
                operation: "renamed".into(),
            });
        }
        check_name(new_name)?;
        if key(new_name) != key(&old) && self.branches.contains_key(&key(new_name)) {
            return Err(BranchError::AlreadyExists {
                name: new_name.to_string(),
            });
        }
        let mut branch = self.branches.remove(&key(&old)).expect("found above");
        branch.name = new_name.to_string();
        self.branches.insert(key(new_name), branch);
        for child in self.branches.values_mut() {
            if child.parent.as_deref().is_some_and(|p| key(p) == key(&old)) {
                child.parent = Some(new_name.to_string());
            }
        }
        Ok(())
    }

    /// Deletes a branch and its files. A branch with branches of its own
    /// is kept, so that none loses its parent.
    pub fn delete(&mut self, name: &str) -> Result<Branch, BranchError> {
        let branch = self.branch(name)?;
        if branch.name == MAIN {
            return Err(BranchError::Main {
                operation: "deleted".into(),
            });
        }
        let children = self.children(&branch.name);
        if !children.is_empty() {
            return Err(BranchError::HasChildren {
                name: branch.name.clone(),
                children,
            });
        }
        Ok(self.branches.remove(&key(name)).expect("found above"))
    }

    /// Drops a branch's changes and forks it again from its parent's
    /// current files.
    pub fn reset(&mut self, name: &str) -> Result<(), BranchError> {
        let branch = self.branch(name)?;
        let Some(parent) = branch.parent.clone() else {
            return Err(BranchError::Main {
                operation: "reset".into(),
            });
        };
        let parent = self.branch(&parent)?;
        let (files, revision) = (parent.files(), parent.revision);
        let branch = self.branch_mut(name)?;
        branch.base = files;
        branch.changes.clear();
        branch.forked_at = revision;
        branch.revision += 1;
        Ok(())
    }

    /// Writes a file of a branch. Writing a file back to its text at the
    /// fork removes the change.
    pub fn write(&mut self, name: &str, path: &str, text: &str) -> Result<(), BranchError> {
        check_path(path)?;
        let branch = self.branch_mut(name)?;
        if branch.file(path) == Some(text) {
            return Ok(());
        }
        if branch.base.get(path).map(String::as_str) == Some(text) {
            branch.changes.remove(path);
        } else {
            branch
                .changes
                .insert(path.to_string(), Some(text.to_string()));
        }
        branch.revision += 1;
        Ok(())
    }

    /// Deletes a file of a branch. Deleting a missing file changes nothing.
    pub fn remove_file(&mut self, name: &str, path: &str) -> Result<(), BranchError> {
        let branch = self.branch_mut(name)?;
        if branch.file(path).is_none() {
            return Ok(());
        }
        if branch.base.contains_key(path) {
            branch.changes.insert(path.to_string(), None);
        } else {
            branch.changes.remove(path);
        }
        branch.revision += 1;
        Ok(())
    }

    /// Lists the branches forked from `name`.
    pub fn children(&self, name: &str) -> Vec<String> {
        self.branches
            .values()
            .filter(|b| b.parent.as_deref().is_some_and(|p| key(p) == key(name)))
            .map(|b| b.name.clone())
            .collect()
    }

    /// Lists the files that both the branch and its parent changed since
    /// the fork, with different results.
    pub fn conflicts(&self, name: &str) -> Result<Vec<Conflict>, BranchError> {
        let branch = self.branch(name)?;
        let Some(parent) = &branch.parent else {
            return Ok(Vec::new());
        };
        let parent = self.branch(parent)?;
        let mut conflicts = Vec::new();
        for (path, ours) in &branch.changes {
            let base = branch.base.get(path);
            let theirs = parent.file(path);
            let parent_moved = base.map(String::as_str) != theirs;
            if parent_moved && ours.as_deref() != theirs {
                conflicts.push(Conflict {
                    path: path.clone(),
                    base: base.cloned(),
                    ours: ours.clone(),
                    theirs: theirs.map(str::to_string),
                });
            }
        }
        Ok(conflicts)
    }

    /// Writes a branch's changes into its parent and forks the branch again
    /// from the result. A file that both changed takes the side
    /// `resolutions` gives it; without one the promote is rejected with the
    /// conflicts and nothing changes. Files only the parent changed keep
    /// the parent's version.
    pub fn promote(
        &mut self,
        name: &str,
        resolutions: &BTreeMap<String, Resolution>,
    ) -> Result<Promoted, BranchError> {
        let branch = self.branch(name)?;
        let Some(parent_name) = branch.parent.clone() else {
            return Err(BranchError::Main {
                operation: "promoted".into(),
            });
        };
        let unresolved: Vec<Conflict> = self
            .conflicts(name)?
            .into_iter()
            .filter(|c| !resolutions.contains_key(&c.path))
            .collect();
        if !unresolved.is_empty() {
            return Err(BranchError::Conflicts {
                conflicts: unresolved,
            });
        }
        let conflicting: BTreeSet<String> =
            self.conflicts(name)?.into_iter().map(|c| c.path).collect();
        let changes: Vec<(String, Option<String>)> = branch
            .changes
            .iter()
            .filter(|(path, _)| {
                !conflicting.contains(*path) || resolutions.get(*path) == Some(&Resolution::Ours)
            })
            .map(|(path, text)| (path.clone(), text.clone()))
            .collect();
        let mut written = Vec::new();
        for (path, text) in changes {
            let before = self.branch(&parent_name)?.file(&path).map(str::to_string);
            if before == text {
                continue;
            }
            let status = match (&before, &text) {
                (None, _) => FileStatus::Added,
                (Some(_), None) => FileStatus::Deleted,
                (Some(_), Some(_)) => FileStatus::Modified,
            };
            match &text {
                Some(text) => self.write(&parent_name, &path, text)?,
                None => self.remove_file(&parent_name, &path)?,
            }
            written.push(FileChange { path, status });
        }
        self.reset(name)?;
        Ok(Promoted {
            parent: parent_name,
            files: written,
        })
    }
}

impl Branch {
    /// Returns the branch's current files.
    pub fn files(&self) -> ProjectFiles {
        let mut files = self.base.clone();
        for (path, text) in &self.changes {
            match text {
                Some(text) => files.insert(path.clone(), text.clone()),
                None => files.remove(path),
            };
        }
        files
    }

    /// Returns the current text of one file.
    pub fn file(&self, path: &str) -> Option<&str> {
        match self.changes.get(path) {
            Some(text) => text.as_deref(),
            None => self.base.get(path).map(String::as_str),
        }
    }

    /// Returns the text of a file at the fork.
    pub fn base_file(&self, path: &str) -> Option<&str> {
        self.base.get(path).map(String::as_str)
    }

    /// Lists the files changed since the fork, by path.
    pub fn changed_files(&self) -> Vec<FileChange> {
        self.changes
            .iter()
            .map(|(path, text)| FileChange {
                path: path.clone(),
                status: match (self.base.contains_key(path), text) {
                    (false, _) => FileStatus::Added,
                    (true, None) => FileStatus::Deleted,
                    (true, Some(_)) => FileStatus::Modified,
                },
            })
            .collect()
    }

    /// Returns the DuckDB schema this branch's models are built in:
    /// DuckDB's default `main` for `main`, `branch_<name>` for the others.
    pub fn schema(&self) -> String {
        schema_of(&self.name)
    }
}

/// Returns the DuckDB schema of the branch named `name`.
pub fn schema_of(name: &str) -> String {
    if key(name) == MAIN {
        MAIN.to_string()
    } else {
        format!("branch_{}", key(name))
    }
}

/// Returns the key of a branch name: names that differ only in case or in
/// `-` against `_` are one branch, since they map to one schema.
fn key(name: &str) -> String {
    name.to_ascii_lowercase().replace('-', "_")
}

/// Checks a new branch name: a letter, then letters, digits, `_` or `-`.
fn check_name(name: &str) -> Result<(), BranchError> {
    let invalid = |reason: &str| {
        Err(BranchError::InvalidName {
            name: name.to_string(),
            reason: reason.to_string(),
        })
    };
    if name.is_empty() {
        return invalid("the name is empty");
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return invalid(&format!("longer than {MAX_NAME_CHARS} characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return invalid("it must start with a letter");
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return invalid(&format!(
            "`{bad}` is not allowed; use letters, digits, `_` and `-`"
        ));
    }
    if key(name) == MAIN {
        return Err(BranchError::AlreadyExists {
            name: name.to_string(),
        });
    }
    Ok(())
}

/// Checks a file path: relative, `/`-separated, with no `.` or `..` part.
pub(crate) fn check_path(path: &str) -> Result<(), BranchError> {
    let invalid = |reason: &str| {
        Err(BranchError::InvalidPath {
            path: path.to_string(),
            reason: reason.to_string(),
        })
    };
    if path.is_empty() {
        return invalid("the path is empty");
    }
    if path.starts_with('/') || path.contains('\\') {
        return invalid("use a relative path with `/` between folders");
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return invalid("a path part is empty, `.` or `..`");
    }
    // A text-direction mark would make the file list show another name
    // than the file has, and a control character is no file name.
    if let Some(c) = path
        .chars()
        .find(|&c| c.is_control() || is_direction_mark(c))
    {
        return invalid(&format!(
            "the path contains the control or text-direction character U+{:04X}",
            u32::from(c)
        ));
    }
    Ok(())
}

/// Returns true for Unicode's bidirectional marks, embeddings, overrides
/// and isolates.
fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
