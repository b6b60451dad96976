//! The queries of a key-based data diff between a model's table on the
//! parent and on the branch: row counts, rows only on one side, changed
//! rows, the match rate of each column, and sample rows.
//!
//! Rows are matched on the key with `IS NOT DISTINCT FROM`, so NULL keys
//! match each other, and values are compared the same way, so NULL equals
//! NULL. A column whose type differs between the sides is compared as it
//! is when both types are numbers, or both dates or timestamps, since
//! DuckDB compares those exactly, and as text otherwise.

use serde::{Deserialize, Serialize};

use crate::compile::quote_ident;
use crate::output::Column;

/// The queries of one data diff. Each returns one result set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataDiff {
    /// One row whose columns [`SummaryColumns`] names.
    pub summary: String,
    pub summary_columns: SummaryColumns,
    /// The key values that occur more than once: per side its first
    /// `limit` keys with their row counts, and in `duplicated_keys` how many
    /// keys of that side occur more than once.
    pub duplicate_keys: String,
    /// Rows of the parent whose key the branch lacks.
    pub only_in_parent: String,
    /// Rows of the branch whose key the parent lacks.
    pub only_in_branch: String,
    /// Rows on both sides with a value that differs: the key, then each
    /// compared column's parent and branch values.
    pub changed: String,
    pub key: Vec<String>,
    /// The non-key columns on both sides, in the branch's order.
    pub compared: Vec<String>,
    /// The columns on one side only, which are not compared.
    pub only_in_parent_columns: Vec<String>,
    pub only_in_branch_columns: Vec<String>,
}

/// The result columns of [`DataDiff::summary`], in order: six counts and
/// then, per compared column, the rows on both sides where it matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryColumns {
    pub parent_rows: String,
    pub branch_rows: String,
    pub only_in_parent: String,
    pub only_in_branch: String,
    pub in_both: String,
    pub changed: String,
    /// `match_0`, `match_1`, ... for the compared columns in order.
    pub matches: Vec<String>,
}

/// A data diff that cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum DataDiffError {
    /// No key: the model has no `unique` test or grain to match rows on.
    NoKey,
    /// A key column is missing on one side.
    MissingKeyColumn { column: String, side: String },
}

impl std::fmt::Display for DataDiffError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DataDiffError::NoKey => write!(
                formatter,
                "no key to match rows on; add a `unique` test to the model's sidecar or pick key columns"
            ),
            DataDiffError::MissingKeyColumn { column, side } => {
                write!(formatter, "key column `{column}` is missing on the {side}")
            }
        }
    }
}

impl std::error::Error for DataDiffError {}

/// Writes the queries that diff the `parent` and `branch` relations
/// (quoted, schema-qualified names), whose columns are `parent_columns`
/// and `branch_columns`, matching rows on `key`. Sample queries return at
/// most `limit` rows, ordered by the key.
pub fn data_diff(
    parent: &str,
    branch: &str,
    parent_columns: &[Column],
    branch_columns: &[Column],
    key: &[String],
    limit: usize,
) -> Result<DataDiff, DataDiffError> {
    if key.is_empty() {
        return Err(DataDiffError::NoKey);
    }
    let find = |columns: &[Column], name: &str| {
        columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .cloned()
    };
    let mut key_names = Vec::new();
    for column in key {
        for (columns, side) in [(parent_columns, "parent"), (branch_columns, "branch")] {
            if find(columns, column).is_none() {
                return Err(DataDiffError::MissingKeyColumn {
                    column: column.clone(),
                    side: side.to_string(),
                });
            }
        }
        key_names.push(find(branch_columns, column).expect("checked above").name);
    }
    let is_key = |name: &str| key_names.iter().any(|k| k.eq_ignore_ascii_case(name));
    // (name, the type both sides are cast to when their types differ)
    let compared: Vec<(String, Option<&str>)> = branch_columns
        .iter()
        .filter(|c| !is_key(&c.name))
        .filter_map(|c| {
            let old = find(parent_columns, &c.name)?;
            // DuckDB compares two numbers, or two dates and timestamps,
            // exactly as they are; anything else is compared as text.
            let comparable = (is_numeric(&old.ty) && is_numeric(&c.ty))
                || (is_temporal(&old.ty) && is_temporal(&c.ty));
            let cast = (old.ty != c.ty && !comparable).then_some("VARCHAR");
            Some((c.name.clone(), cast))
        })
        .collect();
    let one_side = |from: &[Column], other: &[Column]| -> Vec<String> {
        from.iter()
            .filter(|c| find(other, &c.name).is_none())
            .map(|c| c.name.clone())
            .collect()
    };

    let join = key_names
        .iter()
        .map(|k| format!("p.{0} IS NOT DISTINCT FROM b.{0}", quote_ident(k)))
        .collect::<Vec<_>>()
        .join(" AND ");
    let same = |(name, cast): &(String, Option<&str>)| {
        let quoted = quote_ident(name);
        match cast {
            Some(ty) => {
                format!("CAST(p.{quoted} AS {ty}) IS NOT DISTINCT FROM CAST(b.{quoted} AS {ty})")
            }
            None => format!("p.{quoted} IS NOT DISTINCT FROM b.{quoted}"),
        }
    };
    let all_same = if compared.is_empty() {
        "TRUE".to_string()
    } else {
        compared.iter().map(same).collect::<Vec<_>>().join(" AND ")
    };
    let order = key_names
        .iter()
        .map(|k| quote_ident(k))
        .collect::<Vec<_>>()
        .join(", ");
    let key_list = |alias: &str| {
        key_names
            .iter()
            .map(|k| format!("{alias}.{}", quote_ident(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };

    let mut summary = format!(
        "WITH p AS (SELECT *, TRUE AS \"__rocky_row\" FROM {parent}), \
         b AS (SELECT *, TRUE AS \"__rocky_row\" FROM {branch}), \
         joined AS (SELECT p.\"__rocky_row\" AS in_parent, b.\"__rocky_row\" AS in_branch"
    );
    for (index, column) in compared.iter().enumerate() {
        summary.push_str(&format!(", {} AS same_{index}", same(column)));
    }
    summary.push_str(&format!(
        ", {all_same} AS same_all FROM p FULL OUTER JOIN b ON {join}) \
         SELECT (SELECT count(*) FROM {parent}) AS parent_rows, \
         (SELECT count(*) FROM {branch}) AS branch_rows, \
         count(*) FILTER (WHERE in_branch IS NULL) AS only_in_parent, \
         count(*) FILTER (WHERE in_parent IS NULL) AS only_in_branch, \
         count(*) FILTER (WHERE in_parent AND in_branch) AS in_both, \
         count(*) FILTER (WHERE in_parent AND in_branch AND NOT same_all) AS changed"
    ));
    let mut matches = Vec::new();
    for index in 0..compared.len() {
        summary.push_str(&format!(
            ", count(*) FILTER (WHERE in_parent AND in_branch AND same_{index}) AS match_{index}"
        ));
        matches.push(format!("match_{index}"));
    }
    summary.push_str(" FROM joined");

    let keys = key_names
        .iter()
        .map(|k| quote_ident(k))
        .collect::<Vec<_>>()
        .join(", ");
    // Each side's first `limit` duplicated keys, with how many keys of that
    // side are duplicated in all.
    let duplicate_keys = format!(
        "SELECT side, {keys}, rows, count(*) OVER (PARTITION BY side) AS duplicated_keys FROM (\
         SELECT 'parent' AS side, {keys}, count(*) AS rows FROM {parent} GROUP BY {keys} HAVING count(*) > 1 \
         UNION ALL \
         SELECT 'branch' AS side, {keys}, count(*) AS rows FROM {branch} GROUP BY {keys} HAVING count(*) > 1) \
         QUALIFY row_number() OVER (PARTITION BY side ORDER BY {keys}) <= {limit} \
         ORDER BY side, {keys}"
    );
    let only_in = |from: &str, other: &str| {
        format!(
            "SELECT * FROM {from} AS p WHERE NOT EXISTS (SELECT 1 FROM {other} AS b WHERE {join}) \
             ORDER BY {order} LIMIT {limit}"
        )
    };
    let mut changed_columns = vec![key_list("p")];
    for (name, _) in &compared {
        let quoted = quote_ident(name);
        changed_columns.push(format!(
            "p.{quoted} AS {}, b.{quoted} AS {}",
            quote_ident(&format!("{name} (parent)")),
            quote_ident(&format!("{name} (branch)"))
        ));
    }
    let changed = format!(
        "SELECT {} FROM {parent} AS p JOIN {branch} AS b ON {join} WHERE NOT ({all_same}) \
         ORDER BY {} LIMIT {limit}",
        changed_columns.join(", "),
        key_list("p")
    );
    Ok(DataDiff {
        summary,
        summary_columns: SummaryColumns {
            parent_rows: "parent_rows".into(),
            branch_rows: "branch_rows".into(),
            only_in_parent: "only_in_parent".into(),
            only_in_branch: "only_in_branch".into(),
            in_both: "in_both".into(),
            changed: "changed".into(),
            matches,
        },
        duplicate_keys,
        only_in_parent: only_in(parent, branch),
        // The branch's rows are aliased `p` so that one join condition
        // serves both directions.
        only_in_branch: only_in(branch, parent),
        changed,
        key: key_names.clone(),
        compared: compared.into_iter().map(|(name, _)| name).collect(),
        only_in_parent_columns: one_side(parent_columns, branch_columns),
        only_in_branch_columns: one_side(branch_columns, parent_columns),
    })
}

/// Tells whether a DuckDB type, as DESCRIBE prints it, is a number.
fn is_numeric(ty: &str) -> bool {
    let base = ty.split('(').next().unwrap_or(ty).trim();
    matches!(
        base,
        "TINYINT"
            | "SMALLINT"
            | "INTEGER"
            | "BIGINT"
            | "HUGEINT"
            | "UTINYINT"
            | "USMALLINT"
            | "UINTEGER"
            | "UBIGINT"
            | "UHUGEINT"
            | "FLOAT"
            | "DOUBLE"
            | "DECIMAL"
    )
}

/// Tells whether a DuckDB type is a date or a timestamp, which DuckDB
/// compares with each other exactly.
fn is_temporal(ty: &str) -> bool {
    ty == "DATE" || ty.starts_with("TIMESTAMP")
}
