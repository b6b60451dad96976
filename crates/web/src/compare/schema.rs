//! The schema section: per changed model, its column changes and whether
//! its own SQL changed or only something upstream of it.

use rocky_core::compare::{ColumnChange, Comparison, ModelChange, ModelStatus};

/// One row of a model's column changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnRow {
    pub column: String,
    /// The `data-change` value: `added`, `removed`, `retyped` or
    /// `redefined`.
    pub change: &'static str,
    /// The type or expression before; `None` for an added column.
    pub from: Option<String>,
    /// The type or expression after; `None` for a removed column.
    pub to: Option<String>,
}

/// The reason a model differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Its own SQL differs (always the case for an added or removed model).
    OwnSql,
    /// Only models upstream of it changed, listed by name. The list is
    /// empty when no changed model reaches it, such as when only its
    /// sidecar changed.
    Upstream(Vec<String>),
}

/// The schema changes of one model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaEntry {
    pub model: String,
    pub status: ModelStatus,
    pub cause: Cause,
    pub columns: Vec<ColumnRow>,
}

/// Returns the `data-status` value of a model: `added`, `removed` or
/// `modified`.
pub fn status_name(status: ModelStatus) -> &'static str {
    match status {
        ModelStatus::Added => "added",
        ModelStatus::Removed => "removed",
        ModelStatus::Modified => "modified",
    }
}

/// Returns a column change as a row of the schema table.
pub fn column_row(change: &ColumnChange) -> ColumnRow {
    let column = change.column().to_string();
    match change {
        ColumnChange::Added { ty, .. } => ColumnRow {
            column,
            change: "added",
            from: None,
            to: Some(ty.clone()),
        },
        ColumnChange::Removed { ty, .. } => ColumnRow {
            column,
            change: "removed",
            from: Some(ty.clone()),
            to: None,
        },
        ColumnChange::Retyped { from, to, .. } => ColumnRow {
            column,
            change: "retyped",
            from: Some(from.clone()),
            to: Some(to.clone()),
        },
        ColumnChange::Redefined { from, to, .. } => ColumnRow {
            column,
            change: "redefined",
            from: from.clone(),
            to: to.clone(),
        },
    }
}

/// Lists the schema entry of every changed model, in the comparison's
/// order.
pub fn schema_entries(comparison: &Comparison) -> Vec<SchemaEntry> {
    comparison
        .models
        .iter()
        .map(|change| SchemaEntry {
            model: change.model.clone(),
            status: change.status,
            cause: cause_of(comparison, change),
            columns: change.columns.iter().map(column_row).collect(),
        })
        .collect()
}

/// Finds what made `change` differ: its own SQL, or the changed models
/// whose downstream reaches it.
fn cause_of(comparison: &Comparison, change: &ModelChange) -> Cause {
    if change.sql_changed {
        return Cause::OwnSql;
    }
    let upstream = comparison
        .models
        .iter()
        .filter(|other| other.sql_changed)
        .filter(|other| {
            other
                .affected_models
                .iter()
                .any(|model| model.eq_ignore_ascii_case(&change.model))
        })
        .map(|other| other.model.clone())
        .collect();
    Cause::Upstream(upstream)
}
