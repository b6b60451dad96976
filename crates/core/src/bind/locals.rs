//! The tables inside one model: its CTEs and the subqueries of its FROM
//! clauses. While a model is bound, a column read from one of them has the
//! local table as its origin, so lineage can show the path through it.
//! When the model is done, every origin is followed through its local
//! tables to the upstream models and sources, which is what the model's
//! column lineage and filters name.
//!
//! Origins that cannot be followed at all, because they read a table that
//! did not resolve, carry an `UNRESOLVED` origin with the reason instead.

use std::collections::BTreeMap;

use super::query::Binder;
use super::{column_key, BoundColumn, Indirect, Origins};
use crate::output::EdgeKind;

/// Table names of local tables start with this character, which no SQL
/// name contains.
const LOCAL: char = '\u{1}';

/// The table of an origin that stands for a reason instead of a column.
pub(crate) const UNRESOLVED: &str = "\u{0}?";

/// The kind of a local table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LocalKind {
    Cte,
    Subquery,
}

/// A CTE or a FROM subquery of the model being bound.
#[derive(Clone, Debug)]
pub(crate) struct LocalTable {
    pub name: String,
    pub kind: LocalKind,
    /// Its columns, with origins one step up: upstream columns or columns
    /// of other local tables.
    pub columns: Vec<BoundColumn>,
}

/// Returns the local table an origin's table names, if it names one.
pub(crate) fn local_index(table: &str) -> Option<usize> {
    table.strip_prefix(LOCAL)?.parse().ok()
}

/// Returns the origin key of an unresolved reason.
pub(crate) fn unresolved(reason: String) -> Origins {
    Origins::from([(column_key(UNRESOLVED, reason), EdgeKind::Identity)])
}

impl Binder<'_> {
    /// Adds a local table and returns its columns as they are read from it:
    /// each has the local column as its only origin.
    pub(super) fn add_local(
        &mut self,
        name: &str,
        kind: LocalKind,
        columns: Vec<BoundColumn>,
    ) -> (usize, Vec<BoundColumn>) {
        let index = self.locals.len();
        self.locals.push(LocalTable {
            name: name.to_string(),
            kind,
            columns: columns
                .iter()
                .filter(|c| !c.is_unknown_rest())
                .cloned()
                .collect(),
        });
        (index, read_from_local(index, columns))
    }

    /// Replaces a local table's columns, for a recursive CTE whose final
    /// columns are known only after its recursive part is bound.
    pub(super) fn update_local(
        &mut self,
        index: usize,
        columns: Vec<BoundColumn>,
    ) -> Vec<BoundColumn> {
        self.locals[index].columns = columns
            .iter()
            .filter(|c| !c.is_unknown_rest())
            .cloned()
            .collect();
        read_from_local(index, columns)
    }
}

/// Returns the columns of local table `index` as a FROM item reads them.
fn read_from_local(index: usize, columns: Vec<BoundColumn>) -> Vec<BoundColumn> {
    let table = format!("{LOCAL}{index}");
    columns
        .into_iter()
        .map(|column| {
            if column.is_unknown_rest() {
                return column;
            }
            BoundColumn {
                origins: Origins::from([(
                    column_key(table.as_str(), std::sync::Arc::clone(&column.name)),
                    EdgeKind::Identity,
                )]),
                ..column
            }
        })
        .collect()
}

/// Follows origins through local tables to upstream columns, keeping the
/// strongest kind on each path.
pub(crate) struct Resolver<'l> {
    locals: &'l [LocalTable],
    memo: BTreeMap<(usize, String), Origins>,
    /// True once every local column is in `memo`.
    warmed: bool,
}

impl<'l> Resolver<'l> {
    pub(crate) fn new(locals: &'l [LocalTable]) -> Resolver<'l> {
        Resolver {
            locals,
            memo: BTreeMap::new(),
            warmed: false,
        }
    }

    pub(crate) fn resolve(&mut self, origins: &Origins) -> Origins {
        self.warm();
        let mut visiting = Vec::new();
        self.resolve_inner(origins, &mut visiting)
    }

    /// Resolves every local column, the first local table first. A local
    /// table reads only tables bound before it, which have lower indexes,
    /// so each column finds the ones it reads in the memo and the
    /// recursion stays one level deep. Resolved on demand instead, a chain
    /// of 5,000 CTEs recursed 5,000 levels and overflowed the page's stack.
    fn warm(&mut self) {
        if self.warmed {
            return;
        }
        self.warmed = true;
        let locals = self.locals;
        for (index, table) in locals.iter().enumerate() {
            for column in &table.columns {
                self.column(index, &column.name, &mut Vec::new());
            }
        }
    }

    fn resolve_inner(&mut self, origins: &Origins, visiting: &mut Vec<(usize, String)>) -> Origins {
        if origins
            .keys()
            .all(|(table, _)| local_index(table).is_none())
        {
            return origins.clone();
        }
        let mut out = Vec::with_capacity(origins.len());
        for (key, kind) in origins {
            let (table, column) = key;
            let Some(index) = local_index(table) else {
                out.push((key.clone(), *kind));
                continue;
            };
            for (key, inner) in &self.column(index, column, visiting) {
                out.push((key.clone(), (*kind).max(*inner)));
            }
        }
        Origins::strongest(out)
    }

    /// Returns the upstream origins of one local column.
    fn column(
        &mut self,
        index: usize,
        column: &str,
        visiting: &mut Vec<(usize, String)>,
    ) -> Origins {
        let key = (index, column.to_string());
        if let Some(found) = self.memo.get(&key) {
            return found.clone();
        }
        // A recursive CTE reads itself; that adds no upstream column.
        if visiting.contains(&key) {
            return Origins::new();
        }
        let Some(origins) = self
            .locals
            .get(index)
            .and_then(|table| table.columns.iter().find(|c| &*c.name == column))
            .map(|c| c.origins.clone())
        else {
            return Origins::new();
        };
        visiting.push(key.clone());
        let mut resolved = self.resolve_inner(&origins, visiting);
        visiting.pop();
        // The recursive step of a recursive CTE reads the column itself,
        // as `a * 2` from `r`: every upstream column then also reaches the
        // column through that step, with its kind.
        let table = format!("{LOCAL}{index}");
        if let Some(step) = origins.get(&column_key(table, column)) {
            resolved = resolved.raised(*step);
        }
        if visiting.is_empty() {
            self.memo.insert(key, resolved.clone());
        }
        resolved
    }

    /// Follows indirect inputs through local tables: a filter on a CTE
    /// column is a filter on the upstream columns behind it.
    pub(crate) fn resolve_indirect(&mut self, indirect: &Indirect) -> Indirect {
        let mut out = Indirect::new();
        for (key, kinds) in indirect {
            let origins = Origins::from([(key.clone(), EdgeKind::Identity)]);
            for (upstream, _) in &self.resolve(&origins) {
                out.entry(upstream.clone())
                    .or_default()
                    .extend(kinds.iter().copied());
            }
        }
        out
    }
}
