//! The column lineage view's logic, kept apart from its components so it
//! runs in native tests: tables and their neighbours, highlights, search,
//! the view's reducer and its pan and zoom.

pub mod definitions;
pub mod export;
pub mod highlight;
pub mod scene;
pub mod search;
pub mod tables;
pub mod view;
pub mod viewport;

use std::rc::Rc;

use rocky_core::{ColumnGraph, Compilation};

use crate::lineage::tables::ProjectTables;

/// A compile's column graph and its tables, built once per compile and
/// shared by the view's components.
#[derive(Debug, Default)]
pub struct LineageData {
    pub graph: ColumnGraph,
    pub tables: ProjectTables,
}

impl LineageData {
    pub fn build(compilation: &Compilation) -> LineageData {
        let graph = ColumnGraph::build(compilation);
        let tables = ProjectTables::build(&graph);
        LineageData { graph, tables }
    }
}

/// A handle on [`LineageData`]; two handles are equal when they share the
/// same build, which is what props need.
#[derive(Clone, Debug, Default)]
pub struct SharedLineage(pub Rc<LineageData>);

impl PartialEq for SharedLineage {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedLineage {
    type Target = LineageData;

    fn deref(&self) -> &LineageData {
        &self.0
    }
}
