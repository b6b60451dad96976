//! Type-checks data tests inside `compile`, after every model is bound:
//! the columns and tables a test names, then its generated SELECT, bound
//! against the same catalog as the models. Diagnostics point into the
//! sidecar: at the character of `expression` or `where` where the binder
//! found the problem, or at the value the SQL came from.

use std::collections::HashMap;

use sqlparser::dialect::DuckDbDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::{build_query, quote_parts, Builder, TestQuery};
use crate::bind::{bind_model, Catalog};
use crate::compile::{parse_model, quote_ident, sidecar_path};
use crate::diagnostic::{Diagnostic, Span};
use crate::output::{ColumnTest, Model, ModelConfig, TestRule, TestValue};
use crate::project::ModelInput;
use crate::text::{closest, LineIndex};
use crate::types::Type;

/// The recursion limit of the parse that checks a fragment is one
/// expression; `parse_statements` has already rejected deeper nesting.
const RECURSION_LIMIT: usize = 48;

/// Checks the tests of every model. `complete[i]` is true when every
/// column of `models[i]` is known, so a column it lacks is an error.
pub(crate) fn check_tests(
    models: &[std::sync::Arc<Model>],
    complete: &[bool],
    catalog: &dyn Catalog,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut names: HashMap<String, &str> = HashMap::new();
    for (model, complete) in models.iter().zip(complete) {
        if model.config.tests.is_empty() {
            continue;
        }
        let sidecar = sidecar_path(&model.file);
        for test in &model.config.tests {
            let checker = TestChecker {
                model,
                test,
                sidecar: &sidecar,
                catalog,
                complete: *complete,
            };
            checker.check(diagnostics);
            match names.get(&test.name.to_ascii_lowercase()) {
                Some(other) => diagnostics.push(
                    Diagnostic::warning(
                        "W0013",
                        &sidecar,
                        test.spans.value("name"),
                        format!(
                            "test name `{}` is also the name of a test of `{other}`",
                            test.name
                        ),
                    )
                    .with_model(&model.name)
                    .with_help("set a `name` that no other test has"),
                ),
                None => {
                    names.insert(test.name.to_ascii_lowercase(), &model.name);
                }
            }
        }
    }
}

struct TestChecker<'a> {
    model: &'a Model,
    test: &'a ColumnTest,
    sidecar: &'a str,
    catalog: &'a dyn Catalog,
    complete: bool,
}

impl TestChecker<'_> {
    fn check(&self, diagnostics: &mut Vec<Diagnostic>) {
        let before = diagnostics.len();
        self.check_columns(diagnostics);
        self.check_target(diagnostics);
        self.check_values(diagnostics);
        for (key, text) in self.sql_texts() {
            if let Err(diagnostic) = self.parse_fragment(&key, text) {
                diagnostics.push(diagnostic);
            }
        }
        // Binding a test whose names are wrong would report them again.
        if diagnostics.len() > before {
            return;
        }
        let table_name = |name: &str| self.table_name(name);
        let query = build_query(&self.model.name, self.test, &table_name);
        let bound = self.bind(&query, diagnostics);
        if bound {
            for key in ["where", "expression"] {
                self.check_boolean(key, diagnostics);
            }
        }
    }

    /// Reports columns of the model that the test names and the model
    /// does not output (W0010).
    fn check_columns(&self, diagnostics: &mut Vec<Diagnostic>) {
        if !self.complete {
            return;
        }
        let named: Vec<(String, &String)> = match &self.test.rule {
            TestRule::NotNull { column }
            | TestRule::AcceptedValues { column, .. }
            | TestRule::Relationships { column, .. } => vec![("column".to_string(), column)],
            TestRule::Unique { columns } => columns
                .iter()
                .enumerate()
                .map(|(position, column)| (format!("columns[{position}]"), column))
                .collect(),
            TestRule::Expression { .. } | TestRule::RowCountRange { .. } => Vec::new(),
        };
        let columns: Vec<&str> = self.model.columns.iter().map(|c| c.name.as_str()).collect();
        for (key, column) in named {
            let message = format!(
                "the `{}` test names column `{column}`, which `{}` does not output",
                self.test.kind().as_str(),
                self.model.name
            );
            diagnostics.extend(self.missing_column(
                &key,
                column,
                &self.model.name,
                &columns,
                message,
            ));
        }
    }

    /// Reports a relationships test's `to` that names no table (W0009),
    /// and a `field` that table does not have (W0010).
    fn check_target(&self, diagnostics: &mut Vec<Diagnostic>) {
        let TestRule::Relationships { to, field, .. } = &self.test.rule else {
            return;
        };
        let Some(table) = self.catalog.lookup(&name_parts(to), "") else {
            let names = self.catalog.table_names();
            let help = match closest(to, names.iter().map(String::as_str)) {
                Some(similar) => format!("did you mean `{similar}`?"),
                None => "name a model or a declared source of this project".to_string(),
            };
            diagnostics.push(
                Diagnostic::warning(
                    "W0009",
                    self.sidecar,
                    self.test.spans.value("to"),
                    format!("the `relationships` test names `{to}`, which is no model or source"),
                )
                .with_model(&self.model.name)
                .with_help(help),
            );
            return;
        };
        let Some(columns) = &table.columns else {
            return;
        };
        let names: Vec<&str> = columns.iter().map(|(name, _, _)| &**name).collect();
        let message = format!(
            "the `relationships` test names field `{field}`, which `{}` does not have",
            table.name
        );
        diagnostics.extend(self.missing_column("field", field, &table.name, &names, message));
    }

    /// Reports quoted accepted values DuckDB cannot compare with the
    /// column (E0201): DuckDB casts a VARCHAR column to a number to
    /// compare it with a number, which fails on the first other string,
    /// and casts a string to the type of a numeric column.
    fn check_values(&self, diagnostics: &mut Vec<Diagnostic>) {
        let TestRule::AcceptedValues {
            column,
            values,
            quote: true,
        } = &self.test.rule
        else {
            return;
        };
        let Some(ty) = self
            .model
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(column))
            .and_then(|c| Type::from_name(&c.ty))
        else {
            return;
        };
        for (position, value) in values.iter().enumerate() {
            let (value_type, help) = match value {
                TestValue::String(text)
                    if ty.is_numeric() && text.trim().parse::<f64>().is_err() =>
                {
                    (
                        "VARCHAR",
                        format!("`{column}` holds numbers; write the value as a number"),
                    )
                }
                TestValue::Integer(_) | TestValue::Float(_) if ty == Type::Varchar => (
                    "a number",
                    format!("`{column}` holds strings; write the value in quotes"),
                ),
                TestValue::Boolean(_) if ty == Type::Varchar => (
                    "BOOLEAN",
                    format!("`{column}` holds strings; write the value in quotes"),
                ),
                _ => continue,
            };
            diagnostics.push(
                Diagnostic::error(
                    "E0201",
                    self.sidecar,
                    self.test.spans.value(&format!("values[{position}]")),
                    format!("accepted value is {value_type}, but column `{column}` is {ty}"),
                )
                .with_model(&self.model.name)
                .with_help(help),
            );
        }
    }

    /// Returns a W0010 diagnostic with `message` when `table`'s `columns`
    /// lack `column`.
    fn missing_column(
        &self,
        key: &str,
        column: &str,
        table: &str,
        columns: &[&str],
        message: String,
    ) -> Option<Diagnostic> {
        if columns.iter().any(|c| c.eq_ignore_ascii_case(column)) {
            return None;
        }
        let help = match closest(column, columns.iter().copied()) {
            Some(similar) => format!("did you mean `{similar}`?"),
            None => {
                let listed: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
                format!("`{table}` has {}", listed.join(", "))
            }
        };
        Some(
            Diagnostic::warning("W0010", self.sidecar, self.test.spans.value(key), message)
                .with_model(&self.model.name)
                .with_help(help),
        )
    }

    /// Returns the values written as SQL text, by key.
    fn sql_texts(&self) -> Vec<(String, &str)> {
        let mut texts = Vec::new();
        if let Some(filter) = &self.test.filter {
            texts.push(("where".to_string(), filter.as_str()));
        }
        match &self.test.rule {
            TestRule::Expression { expression } => {
                texts.push(("expression".to_string(), expression.as_str()));
            }
            TestRule::AcceptedValues {
                values,
                quote: false,
                ..
            } => {
                for (position, value) in values.iter().enumerate() {
                    if let TestValue::String(text) = value {
                        texts.push((format!("values[{position}]"), text.as_str()));
                    }
                }
            }
            _ => {}
        }
        texts
    }

    /// Checks that a value written as SQL is one expression.
    fn parse_fragment(&self, key: &str, text: &str) -> Result<(), Diagnostic> {
        const PREFIX: &str = "SELECT ";
        let wrapped = TestQuery {
            sql: format!("{PREFIX}{text}"),
            pieces: vec![super::Piece {
                range: PREFIX.len()..PREFIX.len() + text.len(),
                key: key.to_string(),
                verbatim: true,
            }],
        };
        let prepared = crate::dialect::prepare(&wrapped.sql);
        crate::parse::parse_statements(&prepared.sql, self.sidecar)
            .map_err(|diagnostic| self.relocate(diagnostic, &wrapped))?;
        let fragment = crate::dialect::prepare(text).sql;
        let one_expression = Parser::new(&DuckDbDialect {})
            .with_recursion_limit(RECURSION_LIMIT)
            .try_with_sql(&fragment)
            .and_then(|mut parser| {
                parser.parse_expr()?;
                Ok(parser.peek_token().token == Token::EOF)
            })
            .unwrap_or(false);
        if one_expression {
            return Ok(());
        }
        Err(Diagnostic::error(
            "E0001",
            self.sidecar,
            self.test.spans.value(key),
            format!("`{}` must be one SQL expression", base_key(key)),
        )
        .with_model(&self.model.name)
        .with_help("write a condition such as `amount >= 0`, without SELECT, FROM, commas or `;`"))
    }

    /// Binds the test's query and reports its diagnostics in the sidecar.
    /// Returns true when binding found no error.
    fn bind(&self, query: &TestQuery, diagnostics: &mut Vec<Diagnostic>) -> bool {
        let input = self.input(&query.sql);
        let reported = match parse_model(&input) {
            Ok(parsed) => {
                bind_model(&parsed, &query.sql, self.catalog, self.sidecar, "").diagnostics
            }
            Err(diagnostic) => vec![diagnostic],
        };
        let mut clean = true;
        for diagnostic in reported {
            clean &= !diagnostic.is_error();
            diagnostics.push(self.relocate(diagnostic, query));
        }
        clean
    }

    /// Reports an `expression` or `where` whose type is known and is not
    /// BOOLEAN (E0207).
    fn check_boolean(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) {
        let text = match (key, &self.test.rule) {
            ("where", _) => self.test.filter.as_deref(),
            ("expression", TestRule::Expression { expression }) => Some(expression.as_str()),
            _ => None,
        };
        let Some(text) = text else { return };
        let table_name = |name: &str| self.table_name(name);
        let mut probe = Builder {
            sql: String::new(),
            pieces: Vec::new(),
            table_name: &table_name,
        };
        probe
            .push("SELECT ")
            .condition(text, key)
            .push(" AS \"value\" FROM ");
        if key == "where" {
            probe.table(&self.model.name, None);
        } else {
            probe.rows(&self.model.name, self.test, None);
        }
        let Ok(parsed) = parse_model(&self.input(&probe.sql)) else {
            return;
        };
        let analysis = bind_model(&parsed, &probe.sql, self.catalog, self.sidecar, "");
        let Some(ty) = analysis.columns.first().map(|column| &column.ty) else {
            return;
        };
        if matches!(ty, Type::Boolean | Type::Null) || ty.is_unknown() {
            return;
        }
        diagnostics.push(
            Diagnostic::error(
                "E0207",
                self.sidecar,
                self.test.spans.value(key),
                format!(
                    "the `{key}` of test `{}` is {ty}, not BOOLEAN",
                    self.test.name
                ),
            )
            .with_model(&self.model.name)
            .with_help("write a condition, such as `amount >= 0` or `status IS NOT NULL`"),
        );
    }

    fn input(&self, sql: &str) -> ModelInput {
        ModelInput {
            name: self.model.name.clone(),
            file: self.sidecar.to_string(),
            sql: sql.to_string(),
            config: ModelConfig::default(),
            sidecar: None,
        }
    }

    /// Returns the quoted name the catalog resolves `name` to, so the
    /// generated SQL binds to the same tables as the models.
    fn table_name(&self, name: &str) -> String {
        match self.catalog.lookup(&name_parts(name), "") {
            Some(table) if table.is_model => quote_ident(&table.name),
            Some(table) => quote_parts(&table.name),
            None => quote_parts(name),
        }
    }

    /// Moves a diagnostic about the generated SQL to the sidecar: its span
    /// to the value the SQL came from, or to the entry.
    fn relocate(&self, diagnostic: Diagnostic, query: &TestQuery) -> Diagnostic {
        let index = LineIndex::new(&query.sql);
        let primary = self
            .sidecar_span(diagnostic.span, query, &index)
            .unwrap_or(self.test.spans.entry);
        let mut moved = Diagnostic {
            file: self.sidecar.to_string(),
            model: Some(self.model.name.clone()),
            span: primary,
            labels: Vec::new(),
            ..diagnostic.clone()
        };
        for label in diagnostic.labels {
            if let Some(span) = self.sidecar_span(label.span, query, &index) {
                if span != primary {
                    moved = moved.with_label(span, label.message);
                }
            }
        }
        moved
    }

    /// Maps a span of the generated SQL to the sidecar, when it starts in
    /// a piece that comes from a sidecar value.
    fn sidecar_span(&self, span: Span, query: &TestQuery, index: &LineIndex) -> Option<Span> {
        let start = index.offset(span.start)?;
        let end = index.offset(span.end).unwrap_or(start).max(start);
        let piece = query
            .pieces
            .iter()
            .find(|piece| piece.range.contains(&start))?;
        let chars = self.test.spans.chars.get(&piece.key);
        let (true, Some(chars)) = (piece.verbatim, chars) else {
            return Some(self.test.spans.value(&piece.key));
        };
        let text = query.sql.get(piece.range.clone())?;
        let position = |offset: usize| {
            let relative = offset.clamp(piece.range.start, piece.range.end) - piece.range.start;
            let count = text.get(..relative)?.chars().count();
            chars.get(count).copied()
        };
        Some(Span {
            start: position(start)?,
            end: position(end)?,
        })
    }
}

/// Splits a table name at its dots, as the catalog looks names up.
fn name_parts(name: &str) -> Vec<String> {
    name.split('.').map(str::to_string).collect()
}

/// Returns a key without its array position: `values[2]` → `values`.
fn base_key(key: &str) -> &str {
    key.split('[').next().unwrap_or(key)
}
