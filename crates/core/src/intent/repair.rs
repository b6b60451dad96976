//! Fix-its for downstream models that an upstream column change broke.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Span;
use crate::ProjectFiles;

/// One replacement in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// A proposed change to one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixIt {
    pub path: String,
    pub model: String,
    pub description: String,
    pub edits: Vec<TextEdit>,
    pub text: String,
    pub diff: String,
    pub verified: bool,
}

/// Returns the verified fix-its for the models the branch breaks.
// TODO: not implemented yet, so both functions return no fix-its.
pub fn repair(parent: &ProjectFiles, branch: &ProjectFiles) -> Vec<FixIt> {
    repair_all(parent, branch)
        .into_iter()
        .filter(|f| f.verified)
        .collect()
}

/// Returns every fix-it, verified or not.
pub fn repair_all(parent: &ProjectFiles, branch: &ProjectFiles) -> Vec<FixIt> {
    let _ = (parent, branch);
    Vec::new()
}
