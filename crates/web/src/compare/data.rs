//! The data section: which models can be compared row by row, on which
//! key, and the reading of the data diff's query results.
//!
//! A model's rows can be compared only when both sides' last runs built
//! it, since the queries read the tables those runs left in DuckDB. The
//! key comes from the model's sidecar through
//! [`rocky_core::compare::row_key`]; without one the user picks the key
//! columns, because a guessed key would pair unrelated rows.

use rocky_core::branch::plan::RunRecord;
use rocky_core::compare::{row_key, Comparison, DataDiff, ModelStatus};
use rocky_core::{Column, Compilation, Model};

use super::CompareSide;
use crate::bridge::QueryResult;

/// The rows each sample query returns at most.
pub const SAMPLE_LIMIT: usize = 10;

/// Returns the message that names the sides that have not run yet, or
/// `None` when both sides have run.
pub fn missing_runs_text(
    parent: &CompareSide,
    branch: &CompareSide,
    lost_database: bool,
) -> Option<String> {
    if lost_database && (parent.record.is_none() || branch.record.is_none()) {
        return Some(format!(
            "DuckDB started a new database, so no branch has tables: run {} and {} to compare data.",
            parent.name, branch.name
        ));
    }
    let text = match (&parent.record, &branch.record) {
        (Some(_), Some(_)) => return None,
        (None, Some(_)) => format!("{} has not run yet", parent.name),
        (Some(_), None) => format!("{} has not run yet", branch.name),
        (None, None) => format!("neither {} nor {} has run yet", parent.name, branch.name),
    };
    Some(format!("Run both branches to compare data: {text}."))
}

/// Returns the `data-missing` value: `parent`, `branch` or `both`, or
/// `None` when both sides have run.
pub fn missing_runs(parent: &CompareSide, branch: &CompareSide) -> Option<&'static str> {
    match (&parent.record, &branch.record) {
        (Some(_), Some(_)) => None,
        (None, Some(_)) => Some("parent"),
        (Some(_), None) => Some("branch"),
        (None, None) => Some("both"),
    }
}

/// A model's table in one side's last run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideTable {
    /// The quoted, schema-qualified name to query.
    pub relation: String,
    /// True when the last build of it failed, so the table is the one an
    /// earlier run left.
    pub stale: bool,
    /// The parent's relation this one is a view over, when the run reused
    /// the parent's table.
    pub reused_from: Option<String>,
}

/// The reason one side's table of a model cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// The side has not run in this database.
    NotRun,
    /// The side's last run has no table for the model.
    NotBuilt,
}

/// Finds `model`'s table in a side's run record.
pub fn side_table(record: Option<&RunRecord>, model: &str) -> Result<SideTable, Unavailable> {
    let record = record.ok_or(Unavailable::NotRun)?;
    let object = record
        .objects
        .get(&model.to_ascii_lowercase())
        .filter(|object| object.is_model)
        .ok_or(Unavailable::NotBuilt)?;
    Ok(SideTable {
        relation: object.relation.clone(),
        stale: object.fingerprint.is_empty(),
        reused_from: object.reused_from.clone(),
    })
}

/// The origin of a model's default key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOrigin {
    /// The `grain` of the branch's sidecar.
    Grain,
    /// A `unique` test of the branch's sidecar.
    UniqueTest,
    /// The parent's sidecar, because the branch's names no key.
    ParentSidecar,
}

impl KeyOrigin {
    pub fn describe(self) -> &'static str {
        match self {
            KeyOrigin::Grain => "the sidecar's grain",
            KeyOrigin::UniqueTest => "the sidecar's unique test",
            KeyOrigin::ParentSidecar => "the parent's sidecar",
        }
    }
}

/// A key that a sidecar names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultKey {
    pub columns: Vec<String>,
    pub origin: KeyOrigin,
}

/// Returns the key that the branch's sidecar of `branch` names, else the
/// parent's sidecar of `parent`, or `None` when neither names one.
pub fn default_key(parent: Option<&Model>, branch: &Model) -> Option<DefaultKey> {
    if let Some(columns) = row_key(branch) {
        let origin = if branch.config.grain.is_empty() {
            KeyOrigin::UniqueTest
        } else {
            KeyOrigin::Grain
        };
        return Some(DefaultKey { columns, origin });
    }
    let columns = row_key(parent?)?;
    Some(DefaultKey {
        columns,
        origin: KeyOrigin::ParentSidecar,
    })
}

/// A model whose rows the data section compares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataTarget {
    pub model: String,
    /// True when the model did not change itself and is listed because a
    /// change upstream reaches its columns.
    pub downstream: bool,
    pub parent: Result<SideTable, Unavailable>,
    pub branch: Result<SideTable, Unavailable>,
    pub default_key: Option<DefaultKey>,
    /// The columns on both sides, in the branch's order: the choices of
    /// the key picker.
    pub key_choices: Vec<String>,
}

impl DataTarget {
    /// Returns both relations when both sides have the model's table.
    pub fn relations(&self) -> Option<(&SideTable, &SideTable)> {
        Some((self.parent.as_ref().ok()?, self.branch.as_ref().ok()?))
    }

    /// Returns the reason the rows cannot be compared, naming the sides,
    /// or `None` when they can.
    pub fn unavailable_text(&self, parent: &str, branch: &str) -> Option<String> {
        let reason = |side: &Result<SideTable, Unavailable>, name: &str| match side {
            Ok(_) => None,
            Err(Unavailable::NotRun) => Some(format!("{name} has not run yet")),
            Err(Unavailable::NotBuilt) => {
                Some(format!("{name}'s last run did not build {}", self.model))
            }
        };
        let reasons: Vec<String> = [reason(&self.parent, parent), reason(&self.branch, branch)]
            .into_iter()
            .flatten()
            .collect();
        if reasons.is_empty() {
            return None;
        }
        Some(format!(
            "Run both branches to compare data: {}.",
            reasons.join(", and ")
        ))
    }
}

/// Lists the models on both sides whose rows may differ. The modified
/// ones come first, in the comparison's order, then the models their
/// changes reach downstream. Last come the models that read a source table
/// whose declaration or CSV file changed, because the comparison does not
/// count such a change as a model's.
pub fn data_targets(
    comparison: &Comparison,
    parent: &CompareSide,
    branch: &CompareSide,
) -> Vec<DataTarget> {
    let changed = comparison
        .models
        .iter()
        .filter(|change| change.status == ModelStatus::Modified)
        .map(|change| (change.model.as_str(), false));
    let downstream = comparison
        .affected_models
        .iter()
        .map(|model| (model.as_str(), true));
    let source_readers = readers_of_changed_sources(comparison, &branch.compilation);
    let from_sources = source_readers.iter().map(|model| (model.as_str(), true));
    let mut targets: Vec<DataTarget> = Vec::new();
    for (name, is_downstream) in changed.chain(downstream).chain(from_sources) {
        if targets.iter().any(|t| t.model.eq_ignore_ascii_case(name)) {
            continue;
        }
        let (Some(before), Some(after)) = (
            parent.compilation.model(name),
            branch.compilation.model(name),
        ) else {
            continue;
        };
        targets.push(DataTarget {
            model: after.name.clone(),
            downstream: is_downstream,
            parent: side_table(parent.record.as_deref(), name),
            branch: side_table(branch.record.as_deref(), name),
            default_key: default_key(Some(before), after),
            key_choices: shared_columns(&before.columns, &after.columns),
        });
    }
    targets
}

/// Lists the models of `branch` that read, directly or through other
/// models, a source table whose declaring file or CSV file is among the
/// comparison's changed files, in build order.
fn readers_of_changed_sources(comparison: &Comparison, branch: &Compilation) -> Vec<String> {
    let changed = |path: &str| comparison.files.iter().any(|file| file.path == path);
    let mut reached: Vec<String> = branch
        .sources
        .iter()
        .filter(|source| changed(&source.file) || source.data.as_deref().is_some_and(changed))
        .map(|source| source.name.clone())
        .collect();
    let mut readers = Vec::new();
    // Models come in build order, so one pass reaches every reader.
    for model in &branch.models {
        let reads_reached = model
            .depends_on
            .iter()
            .any(|name| reached.iter().any(|r| r.eq_ignore_ascii_case(name)));
        if reads_reached {
            reached.push(model.name.clone());
            readers.push(model.name.clone());
        }
    }
    readers
}

fn shared_columns(parent: &[Column], branch: &[Column]) -> Vec<String> {
    branch
        .iter()
        .filter(|c| parent.iter().any(|p| p.name.eq_ignore_ascii_case(&c.name)))
        .map(|c| c.name.clone())
        .collect()
}

/// Adds `column` to the picked key, or removes it when it is there,
/// keeping the order of `choices`.
pub fn toggle_key(picked: &[String], column: &str, choices: &[String]) -> Vec<String> {
    let was_picked = picked.iter().any(|c| c.eq_ignore_ascii_case(column));
    choices
        .iter()
        .filter(|choice| {
            let this = choice.eq_ignore_ascii_case(column);
            let in_picked = picked.iter().any(|c| c.eq_ignore_ascii_case(choice));
            if this {
                !was_picked
            } else {
                in_picked
            }
        })
        .cloned()
        .collect()
}

/// Reads a relation's columns from the result of `DESCRIBE relation`.
pub fn describe_columns(result: &QueryResult) -> Result<Vec<Column>, String> {
    let index = |name: &str| {
        result
            .columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| format!("DESCRIBE returned no `{name}` column"))
    };
    let (name_at, type_at) = (index("column_name")?, index("column_type")?);
    let mut columns = Vec::new();
    for row in &result.rows {
        let value = |at: usize| row.get(at).cloned().flatten();
        let (Some(name), Some(ty)) = (value(name_at), value(type_at)) else {
            return Err("DESCRIBE returned a row without a column name or type".to_string());
        };
        columns.push(Column {
            name,
            ty,
            ..Column::default()
        });
    }
    Ok(columns)
}

/// The match count of one compared column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMatch {
    pub column: String,
    /// Rows on both sides where the column's values are equal.
    pub matches: u64,
}

/// The one row of [`DataDiff::summary`], read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSummary {
    pub parent_rows: u64,
    pub branch_rows: u64,
    pub only_in_parent: u64,
    pub only_in_branch: u64,
    pub in_both: u64,
    pub changed: u64,
    /// One per compared column, in [`DataDiff::compared`]'s order.
    pub matches: Vec<ColumnMatch>,
}

/// Reads the summary query's result, whose columns `diff` names.
pub fn read_summary(diff: &DataDiff, result: &QueryResult) -> Result<DataSummary, String> {
    let row = match result.rows.as_slice() {
        [row] => row,
        rows => {
            return Err(format!(
                "the summary query returned {} rows instead of 1",
                rows.len()
            ))
        }
    };
    let count = |name: &str| -> Result<u64, String> {
        let at = result
            .columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| format!("the summary query returned no `{name}` column"))?;
        let value = row.get(at).cloned().flatten().unwrap_or_default();
        value
            .parse::<u64>()
            .map_err(|_| format!("the summary's `{name}` is `{value}`, not a count"))
    };
    let names = &diff.summary_columns;
    let mut matches = Vec::new();
    for (column, name) in diff.compared.iter().zip(&names.matches) {
        matches.push(ColumnMatch {
            column: column.clone(),
            matches: count(name)?,
        });
    }
    Ok(DataSummary {
        parent_rows: count(&names.parent_rows)?,
        branch_rows: count(&names.branch_rows)?,
        only_in_parent: count(&names.only_in_parent)?,
        only_in_branch: count(&names.only_in_branch)?,
        in_both: count(&names.in_both)?,
        changed: count(&names.changed)?,
        matches,
    })
}

/// Returns `matches` of `total` as a percentage with one decimal, such as
/// `2.7 %`. The rounding never shows 100 % for a column with a mismatch,
/// nor 0 % for one with a match. `None` when no row is on both sides.
pub fn match_rate_text(matches: u64, total: u64) -> Option<String> {
    if total == 0 {
        return None;
    }
    let matches = matches.min(total);
    if matches == total {
        return Some("100 %".to_string());
    }
    if matches == 0 {
        return Some("0 %".to_string());
    }
    // Tenths of a percent, rounded, then kept inside (0, 1000).
    let tenths = ((matches as f64 / total as f64) * 1000.0).round() as u64;
    let tenths = tenths.clamp(1, 999);
    Some(format!("{}.{} %", tenths / 10, tenths % 10))
}

/// The kinds of sample rows the data section shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleKind {
    OnlyInParent,
    OnlyInBranch,
    Changed,
}

impl SampleKind {
    pub const ALL: [SampleKind; 3] = [
        SampleKind::OnlyInParent,
        SampleKind::OnlyInBranch,
        SampleKind::Changed,
    ];

    /// Returns the `data-kind` value.
    pub fn as_str(self) -> &'static str {
        match self {
            SampleKind::OnlyInParent => "only-in-parent",
            SampleKind::OnlyInBranch => "only-in-branch",
            SampleKind::Changed => "changed",
        }
    }

    /// Returns the sample's title, naming the sides.
    pub fn title(self, parent: &str, branch: &str) -> String {
        match self {
            SampleKind::OnlyInParent => format!("Rows only in {parent}"),
            SampleKind::OnlyInBranch => format!("Rows only in {branch}"),
            SampleKind::Changed => "Changed rows".to_string(),
        }
    }

    /// Returns the query of this sample.
    pub fn query(self, diff: &DataDiff) -> &str {
        match self {
            SampleKind::OnlyInParent => &diff.only_in_parent,
            SampleKind::OnlyInBranch => &diff.only_in_branch,
            SampleKind::Changed => &diff.changed,
        }
    }

    /// Returns this sample's row count in the summary.
    pub fn count(self, summary: &DataSummary) -> u64 {
        match self {
            SampleKind::OnlyInParent => summary.only_in_parent,
            SampleKind::OnlyInBranch => summary.only_in_branch,
            SampleKind::Changed => summary.changed,
        }
    }
}

/// Marks the cells of one row of the changed-rows sample whose parent
/// and branch values differ. The row is the key's `key_columns` values,
/// then a parent and a branch value per compared column, as
/// [`DataDiff::changed`] selects them. Two values are equal when both are
/// NULL, their text is the same, or both are numbers of equal value, so
/// that `0.0` and `0` of a retyped column match as the summary counts them.
pub fn differing_cells(row: &[Option<String>], key_columns: usize) -> Vec<bool> {
    let mut marks = vec![false; row.len()];
    let mut at = key_columns;
    while at + 1 < row.len() {
        let differs = !same_value(row[at].as_deref(), row[at + 1].as_deref());
        marks[at] = differs;
        marks[at + 1] = differs;
        at += 2;
    }
    marks
}

fn same_value(parent: Option<&str>, branch: Option<&str>) -> bool {
    match (parent, branch) {
        (None, None) => true,
        (Some(a), Some(b)) if a == b => true,
        (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        },
        _ => false,
    }
}

/// Returns the SQL that lists a relation's columns.
pub fn describe_sql(relation: &str) -> String {
    format!("DESCRIBE {relation}")
}

/// Tells whether a picked or default key is usable: it has a column and
/// every column is on both sides.
pub fn key_is_complete(key: &[String], choices: &[String]) -> bool {
    !key.is_empty()
        && key
            .iter()
            .all(|k| choices.iter().any(|c| c.eq_ignore_ascii_case(k)))
}
