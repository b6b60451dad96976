//! The statements that build a compiled project in DuckDB.

use serde::{Deserialize, Serialize};

use crate::compile::quote_ident;
use crate::diagnostic::Span;
use crate::output::{Compilation, Model, SourceTable};
use crate::text::LineIndex;

/// One statement to run, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStep {
    /// The model or source table this step builds.
    pub target: String,
    /// True when `target` is a model, false for a source table.
    pub is_model: bool,
    pub sql: String,
}

/// Lists the statements that create every source table, load its rows, and
/// build every model in topological order. CSV files are read by their
/// project-relative path, so the caller registers them under that name.
/// A model's SQL follows `CREATE ... AS` on the same line, so the line
/// numbers in DuckDB's errors are the model file's. Only source names
/// written without their schema are rewritten, so `orders` reads the
/// declared source `raw.orders`.
pub fn run_plan(compilation: &Compilation) -> Vec<RunStep> {
    let mut steps = Vec::new();
    let mut schemas: Vec<String> = Vec::new();
    for source in &compilation.sources {
        let parts: Vec<&str> = source.name.split('.').collect();
        if parts.len() > 1 {
            let schema = parts[..parts.len() - 1]
                .iter()
                .map(|p| quote_ident(p))
                .collect::<Vec<_>>()
                .join(".");
            if !schemas.contains(&schema) {
                steps.push(RunStep {
                    target: source.name.clone(),
                    is_model: false,
                    sql: format!("CREATE SCHEMA IF NOT EXISTS {schema}"),
                });
                schemas.push(schema);
            }
        }
        steps.extend(source_steps(source));
    }
    for model in &compilation.models {
        let kind = if model.config.strategy == "view" {
            "VIEW"
        } else {
            "TABLE"
        };
        steps.push(RunStep {
            target: model.name.clone(),
            is_model: true,
            sql: format!(
                "CREATE OR REPLACE {kind} {} AS {}",
                quote_ident(&model.name),
                runnable_sql(model)
            ),
        });
    }
    steps
}

pub(crate) fn source_steps(source: &SourceTable) -> Vec<RunStep> {
    let name = source
        .name
        .split('.')
        .map(quote_ident)
        .collect::<Vec<_>>()
        .join(".");
    let columns: Vec<String> = source
        .columns
        .iter()
        .map(|c| {
            let ty = if c.ty == "UNKNOWN" {
                "VARCHAR"
            } else {
                c.ty.as_str()
            };
            format!(
                "{} {ty}{}",
                quote_ident(&c.name),
                if c.not_null { " NOT NULL" } else { "" }
            )
        })
        .collect();
    let step = |sql: String| RunStep {
        target: source.name.clone(),
        is_model: false,
        sql,
    };
    let mut steps = vec![step(format!(
        "CREATE OR REPLACE TABLE {name} ({})",
        columns.join(", ")
    ))];
    if let Some(data) = &source.data {
        steps.push(step(format!(
            "COPY {name} FROM '{}' (HEADER, DELIMITER ',')",
            data.replace('\'', "''")
        )));
    }
    steps.extend(source.seed_statements.iter().cloned().map(step));
    steps
}

/// Returns the model's SQL with each source name that needs its schema
/// replaced by the quoted build name, and without a trailing semicolon so
/// the SQL nests in CREATE.
fn runnable_sql(model: &Model) -> String {
    with_table_names(model, &model.table_refs)
}

/// Returns the model's SQL with the text at each span replaced, and
/// without a trailing semicolon.
pub(crate) fn with_table_names(model: &Model, names: &[(Span, String)]) -> String {
    let index = LineIndex::new(&model.sql);
    let mut edits: Vec<(usize, usize, &str)> = names
        .iter()
        .filter_map(|(span, name)| {
            Some((
                index.offset(span.start)?,
                index.offset(span.end)?,
                name.as_str(),
            ))
        })
        .filter(|(start, end, _)| start < end)
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut sql = model.sql.clone();
    let mut last_start = usize::MAX;
    for (start, end, name) in edits {
        // Overlapping spans would corrupt the text; keep the first edit.
        if end > last_start || end > sql.len() {
            continue;
        }
        sql.replace_range(start..end, name);
        last_start = start;
    }
    let trimmed = sql.trim_end();
    trimmed.strip_suffix(';').unwrap_or(trimmed).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compile, ProjectFiles};

    fn project(files: &[(&str, &str)]) -> ProjectFiles {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn plan_builds_sources_then_models() {
        let files = project(&[
            ("rocky.toml", "[project]\nname = \"p\"\n"),
            (
                "sources/raw.sql",
                "CREATE TABLE raw.orders (id INTEGER NOT NULL, amount DECIMAL(10,2));",
            ),
            ("data/orders.csv", "id,amount\n1,2.50\n"),
            (
                "models/totals.sql",
                "SELECT sum(amount) AS total FROM orders;\n",
            ),
            ("models/report.sql", "select total from totals"),
        ]);
        let compilation = compile(&files);
        assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
        let steps = run_plan(&compilation);
        let sql: Vec<&str> = steps.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql[0], "CREATE SCHEMA IF NOT EXISTS \"raw\"");
        assert_eq!(sql[1], "CREATE OR REPLACE TABLE \"raw\".\"orders\" (\"id\" INTEGER NOT NULL, \"amount\" DECIMAL(10,2))");
        assert_eq!(
            sql[2],
            "COPY \"raw\".\"orders\" FROM 'data/orders.csv' (HEADER, DELIMITER ',')"
        );
        assert_eq!(sql[3], "CREATE OR REPLACE TABLE \"totals\" AS SELECT sum(amount) AS total FROM \"raw\".\"orders\"");
        assert_eq!(
            sql[4],
            "CREATE OR REPLACE TABLE \"report\" AS select total from totals"
        );
    }
}
