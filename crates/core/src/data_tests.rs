//! Data tests: the `[[tests]]` entries of model sidecars, compiled to
//! SELECTs that return the failing rows. A test passes when its query
//! returns no rows. docs/data-tests.md lists the SQL of each kind.
//!
//! `sidecar` reads the entries, `check` type-checks the generated queries
//! inside `compile`, and this module writes the SQL.

pub(crate) mod check;
pub(crate) mod sidecar;

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::compile::quote_ident;
use crate::diagnostic::{Position, Span};
use crate::output::{ColumnTest, Compilation, Model, TestKind, TestRule, TestSeverity, TestValue};

/// A data test compiled to SQL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataTest {
    pub name: String,
    pub kind: TestKind,
    /// The model whose sidecar declares the test.
    pub model: String,
    pub severity: TestSeverity,
    /// A SELECT that returns the failing rows.
    pub sql: String,
}

/// Compiles each test of `model` to SQL. `table_name` maps the name of a
/// model or source, as the test writes it, to the quoted name to read, so
/// a caller can read the tables of another schema.
/// [`default_table_name`] gives the names [`crate::run_plan`] builds.
pub fn compile_tests(model: &Model, table_name: impl Fn(&str) -> String) -> Vec<DataTest> {
    model
        .config
        .tests
        .iter()
        .map(|test| DataTest {
            name: test.name.clone(),
            kind: test.kind(),
            model: model.name.clone(),
            severity: test.severity,
            sql: build_query(&model.name, test, &table_name).sql,
        })
        .collect()
}

/// Compiles the tests of every model, reading the tables `run_plan` builds.
pub fn project_tests(compilation: &Compilation) -> Vec<DataTest> {
    let table_name = default_table_name(compilation);
    compilation
        .models
        .iter()
        .flat_map(|model| compile_tests(model, &table_name))
        .collect()
}

/// Returns the quoted name `run_plan` builds a model or source under: a
/// model by its name, a source by its declared name (`"raw"."orders"` for
/// `orders`). Any other name is quoted part by part as written.
pub fn default_table_name(compilation: &Compilation) -> impl Fn(&str) -> String + '_ {
    move |name| {
        if let Some(model) = compilation.model(name) {
            return quote_ident(&model.name);
        }
        match compilation.source(name) {
            Some(source) => quote_parts(&source.name),
            None => quote_parts(name),
        }
    }
}

/// Quotes each dot-separated part of a name.
pub(crate) fn quote_parts(name: &str) -> String {
    name.split('.')
        .map(quote_ident)
        .collect::<Vec<_>>()
        .join(".")
}

/// Derives a test's name from its kind, model and columns, as dbt does:
/// `unique_customers_customer_id`.
pub(crate) fn default_name(model: &str, rule: &TestRule) -> String {
    let parts: Vec<String> = match rule {
        TestRule::NotNull { column } | TestRule::AcceptedValues { column, .. } => {
            vec![column.clone()]
        }
        TestRule::Unique { columns } => columns.clone(),
        TestRule::Relationships { column, to, field } => {
            vec![column.clone(), String::new(), to.clone(), field.clone()]
        }
        // NOTE: a long expression is cut to 40 characters of its name, so
        // two long expressions that start alike need a `name`.
        TestRule::Expression { expression } => {
            vec![name_part(expression).chars().take(40).collect()]
        }
        TestRule::RowCountRange { .. } => Vec::new(),
    };
    let mut name = format!("{}_{}", rule.kind().as_str(), name_part(model));
    for part in parts {
        name.push('_');
        name.push_str(&name_part(&part));
    }
    name
}

/// Returns `text` in lower case with each run of other characters than
/// ASCII letters, digits and `_` replaced by one `_`.
fn name_part(text: &str) -> String {
    let mut part = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            part.push(c.to_ascii_lowercase());
        } else if !part.ends_with('_') {
            part.push('_');
        }
    }
    part.trim_matches('_').to_string()
}

/// Where a test's sidecar writes each of its values.
#[derive(Clone, Debug, Default)]
pub(crate) struct TestSpans {
    /// The `[[tests]]` header, or the inline table.
    pub entry: Span,
    /// The span of each value by key; array items as `values[2]`.
    pub values: BTreeMap<String, Span>,
    /// For strings of SQL text (`expression`, `where`, unquoted `values`):
    /// the position of each character of the value in the sidecar, and
    /// the position just past the last one.
    pub chars: BTreeMap<String, Vec<Position>>,
}

impl TestSpans {
    /// Returns the span of a value, or the entry's when it has none.
    pub(crate) fn value(&self, key: &str) -> Span {
        self.values.get(key).copied().unwrap_or(self.entry)
    }
}

/// A piece of the generated SQL that comes from a sidecar value.
#[derive(Clone, Debug)]
pub(crate) struct Piece {
    /// Byte range in the generated SQL.
    pub range: Range<usize>,
    /// The key of the value in [`TestSpans`].
    pub key: String,
    /// True when the piece is the value's text as written, so positions
    /// inside it map to characters of the value.
    pub verbatim: bool,
}

/// A test's SQL and where its pieces come from.
pub(crate) struct TestQuery {
    pub sql: String,
    pub pieces: Vec<Piece>,
}

/// Appends SQL text and records which pieces come from sidecar values.
struct Builder<'a> {
    sql: String,
    pieces: Vec<Piece>,
    table_name: &'a dyn Fn(&str) -> String,
}

impl Builder<'_> {
    fn push(&mut self, text: &str) -> &mut Self {
        self.sql.push_str(text);
        self
    }

    /// Appends `text`, recorded as coming from the value at `key`.
    fn piece(&mut self, text: &str, key: &str, verbatim: bool) -> &mut Self {
        let start = self.sql.len();
        self.sql.push_str(text);
        self.pieces.push(Piece {
            range: start..self.sql.len(),
            key: key.to_string(),
            verbatim,
        });
        self
    }

    fn ident(&mut self, name: &str, key: &str) -> &mut Self {
        self.piece(&quote_ident(name), key, false)
    }

    /// Appends `qualifier."column"`, recorded as coming from the value at `key`.
    fn qualified(&mut self, qualifier: &str, column: &str, key: &str) -> &mut Self {
        let text = format!("{}.{}", quote_ident(qualifier), quote_ident(column));
        self.piece(&text, key, false)
    }

    fn table(&mut self, name: &str, key: Option<&str>) -> &mut Self {
        let quoted = (self.table_name)(name);
        match key {
            Some(key) => self.piece(&quoted, key, false),
            None => self.push(&quoted),
        }
    }

    /// Appends a SQL condition written in the sidecar, in parentheses. A
    /// line break ends a `--` comment in it before the closing parenthesis.
    fn condition(&mut self, text: &str, key: &str) -> &mut Self {
        self.push("(").piece(text, key, true);
        if text.contains("--") {
            self.push("\n");
        }
        self.push(")")
    }

    /// Appends an accepted value: a SQL literal, or with `quote = false`
    /// a string as SQL text.
    fn value(&mut self, value: &TestValue, quote: bool, key: &str) -> &mut Self {
        match value {
            TestValue::String(text) if !quote => self.piece(text, key, true),
            TestValue::String(text) => {
                self.piece(&format!("'{}'", text.replace('\'', "''")), key, false)
            }
            TestValue::Integer(number) => self.piece(&number.to_string(), key, false),
            TestValue::Float(number) if number.is_finite() => {
                self.piece(&format!("{number:?}"), key, false)
            }
            TestValue::Float(number) => {
                let text = if number.is_nan() {
                    "nan"
                } else if *number > 0.0 {
                    "inf"
                } else {
                    "-inf"
                };
                self.piece(&format!("CAST('{text}' AS DOUBLE)"), key, false)
            }
            TestValue::Boolean(flag) => {
                self.piece(if *flag { "TRUE" } else { "FALSE" }, key, false)
            }
        }
    }

    /// Appends the rows the test reads: the model's table, or with a
    /// `where` filter a subquery of it, named `alias`.
    fn rows(&mut self, model: &str, test: &ColumnTest, alias: Option<&str>) -> &mut Self {
        match &test.filter {
            Some(filter) => self
                .push("(SELECT * FROM ")
                .table(model, None)
                .push(" WHERE ")
                .condition(filter, "where")
                .push(") AS ")
                .push(&quote_ident(alias.unwrap_or(model))),
            None => {
                self.table(model, None);
                match alias {
                    Some(alias) => self.push(" AS ").push(&quote_ident(alias)),
                    None => self,
                }
            }
        }
    }
}

/// Writes the SQL of one test of `model`.
pub(crate) fn build_query(
    model: &str,
    test: &ColumnTest,
    table_name: &dyn Fn(&str) -> String,
) -> TestQuery {
    let mut b = Builder {
        sql: String::new(),
        pieces: Vec::new(),
        table_name,
    };
    match &test.rule {
        TestRule::NotNull { column } => {
            b.push("SELECT * FROM ")
                .rows(model, test, None)
                .push(" WHERE ")
                .ident(column, "column")
                .push(" IS NULL");
        }
        TestRule::Unique { columns } => {
            b.push("SELECT ");
            push_column_list(&mut b, columns);
            b.push(", count(*) AS \"n_records\" FROM ")
                .rows(model, test, None);
            if let [column] = columns.as_slice() {
                b.push(" WHERE ")
                    .ident(column, "columns[0]")
                    .push(" IS NOT NULL");
            }
            b.push(" GROUP BY ");
            push_column_list(&mut b, columns);
            b.push(" HAVING count(*) > 1");
        }
        TestRule::AcceptedValues {
            column,
            values,
            quote,
        } => {
            b.push("SELECT ")
                .ident(column, "column")
                .push(", count(*) AS \"n_records\" FROM ")
                .rows(model, test, None)
                .push(" WHERE ")
                .ident(column, "column")
                .push(" NOT IN (");
            for (position, value) in values.iter().enumerate() {
                if position > 0 {
                    b.push(", ");
                }
                b.value(value, *quote, &format!("values[{position}]"));
            }
            b.push(") GROUP BY ").ident(column, "column");
        }
        TestRule::Relationships { column, to, field } => {
            b.push("SELECT * FROM ")
                .rows(model, test, Some("child"))
                .push(" WHERE ")
                .qualified("child", column, "column")
                .push(" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ")
                .table(to, Some("to"))
                .push(" AS \"parent\" WHERE ")
                .qualified("parent", field, "field")
                .push(" = ")
                .qualified("child", column, "column")
                .push(")");
        }
        TestRule::Expression { expression } => {
            b.push("SELECT * FROM ")
                .rows(model, test, None)
                .push(" WHERE NOT ")
                .condition(expression, "expression");
        }
        TestRule::RowCountRange { min, max } => {
            b.push("SELECT \"row_count\" FROM (SELECT count(*) AS \"row_count\" FROM ")
                .rows(model, test, None)
                .push(") AS \"counted\" WHERE ");
            let mut bounds = Vec::new();
            if let Some(min) = min {
                bounds.push(("min", format!("\"row_count\" < {min}")));
            }
            if let Some(max) = max {
                bounds.push(("max", format!("\"row_count\" > {max}")));
            }
            if bounds.is_empty() {
                // The sidecar reader rejects a range without bounds; an
                // empty range fails no row count.
                b.push("FALSE");
            }
            for (position, (key, bound)) in bounds.iter().enumerate() {
                if position > 0 {
                    b.push(" OR ");
                }
                b.piece(bound, key, false);
            }
        }
    }
    TestQuery {
        sql: b.sql,
        pieces: b.pieces,
    }
}

fn push_column_list(b: &mut Builder, columns: &[String]) {
    for (position, column) in columns.iter().enumerate() {
        if position > 0 {
            b.push(", ");
        }
        b.ident(column, &format!("columns[{position}]"));
    }
}
