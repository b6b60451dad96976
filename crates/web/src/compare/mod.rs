//! The pure logic of the branch compare view: what its code, schema,
//! impact and data sections show, computed from core's
//! [`Comparison`](rocky_core::compare::Comparison) and the two sides' run
//! records, so that it has native unit tests. The component in
//! `components/compare_view.rs` renders it and runs the data queries.

use std::rc::Rc;

use rocky_core::branch::plan::RunRecord;
use rocky_core::compare::{compare, Comparison};
use rocky_core::{Compilation, ProjectFiles};

pub mod code;
pub mod data;
pub mod impact;
pub mod schema;

#[cfg(test)]
mod tests;

/// One side of a comparison: a branch's name, files and compilation, and
/// the record of its last run in the page's database, if it ran.
#[derive(Clone, Debug)]
pub struct CompareSide {
    pub name: String,
    pub files: Rc<ProjectFiles>,
    pub compilation: Rc<Compilation>,
    pub record: Option<Rc<RunRecord>>,
}

/// Two sides are equal when they have the same name, the same files and
/// record (the same `Rc` or equal values) and the same compilation `Rc`.
/// The compilation is compared by pointer only, because comparing two of
/// them is as slow as comparing their projects, so the caller must keep
/// one `Rc` per compile for the view not to compare the sides again on
/// every render.
impl PartialEq for CompareSide {
    fn eq(&self, other: &Self) -> bool {
        let same_record = match (&self.record, &other.record) {
            (None, None) => true,
            (Some(a), Some(b)) => Rc::ptr_eq(a, b) || a == b,
            _ => false,
        };
        self.name == other.name
            && Rc::ptr_eq(&self.compilation, &other.compilation)
            && (Rc::ptr_eq(&self.files, &other.files) || self.files == other.files)
            && same_record
    }
}

/// Compares the branch side with the parent side.
pub fn compare_sides(parent: &CompareSide, branch: &CompareSide) -> Comparison {
    compare(
        &parent.files,
        &parent.compilation,
        &branch.files,
        &branch.compilation,
    )
}

/// Returns `1 noun` or `N nouns`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Returns the branch's file that defines the model `name`, if the branch
/// has the model.
pub fn model_file(branch: &Compilation, name: &str) -> Option<String> {
    branch
        .model(name)
        .map(|model| model.file.clone())
        .filter(|file| !file.is_empty())
}
