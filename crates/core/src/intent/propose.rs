//! Data tests proposed from what a model states and computes: its grain,
//! its invariants, the keys it joins on and the fixed values its CASE
//! expressions produce. Each proposal carries the `[[tests]]` block to
//! append to the sidecar; [`apply_proposal`] appends it.

use serde::{Deserialize, Serialize};
use sqlparser::ast::{Expr, SelectItem, SetExpr, Statement, Value};

use super::explain::defining_expression;
use super::shape::{self, KeysMemo, ReadKind};
use super::vocabulary::Invariant;
use crate::output::{ColumnTest, Compilation, Model, TestRule, TestValue};
use crate::text::LineIndex;

/// A data test Rocky proposes for a model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposedTest {
    pub model: String,
    pub rule: TestRule,
    /// The name the test reports under.
    pub name: String,
    /// The `[[tests]]` block to append to the sidecar, ending in a newline.
    pub toml: String,
    /// Why the test is proposed, such as "the grain is customer_id".
    pub reason: String,
    /// True when the sidecar already has an equivalent test, with no
    /// `where`; such a proposal needs no action.
    pub exists: bool,
}

/// Proposes tests for `model`, one per distinct rule, in the order of the
/// rules: grain, invariants, join keys, CASE values. Empty when the
/// project has no model of that name.
/// `memo` keeps the keys of the models upstream for the next call.
pub fn propose_tests(
    compilation: &Compilation,
    model: &str,
    memo: &mut KeysMemo,
) -> Vec<ProposedTest> {
    let Some(model) = compilation.model(model) else {
        return Vec::new();
    };
    let mut proposals = Proposals {
        model,
        list: Vec::new(),
    };
    let keys = shape::upstream_keys(compilation, model, memo);
    let shape = shape::model_shape(compilation, model, &keys);
    let grain = if model.config.grain.is_empty() {
        shape
            .as_ref()
            .and_then(|s| s.keys.smallest().cloned())
            .filter(|key| !key.is_empty())
            .map(|key| (key, "by construction"))
    } else {
        Some((model.config.grain.clone(), "declared"))
    };
    if let Some((columns, how)) = grain {
        let columns: Vec<String> = columns.iter().map(|c| proposals.output_name(c)).collect();
        let reason = format!("the grain ({how}) is {}", columns.join(", "));
        proposals.add(
            TestRule::Unique {
                columns: columns.clone(),
            },
            &reason,
        );
        for column in columns {
            proposals.add(TestRule::NotNull { column }, &reason);
        }
    }
    for stated in &model.config.invariants {
        // An invariant the column's type cannot meet (W0017) would give a
        // test that does not compile or fails at run time.
        let unfit = stated.column.as_ref().is_some_and(|name| {
            model
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
                .is_some_and(|c| {
                    super::drift::type_problem(&stated.invariant, &stated.phrase, name, &c.ty)
                        .is_some()
                })
        });
        if unfit {
            continue;
        }
        let reason = format!("the invariant \"{}\"", stated.phrase.trim());
        let column = stated.column.as_ref().map(|c| proposals.output_name(c));
        let rule = match (&stated.invariant, column) {
            (Invariant::OneRowPer { columns }, _) => TestRule::Unique {
                columns: columns.iter().map(|c| proposals.output_name(c)).collect(),
            },
            (Invariant::NotEmpty, _) => TestRule::RowCountRange {
                min: Some(1),
                max: None,
            },
            (Invariant::NotNull, Some(column)) => TestRule::NotNull { column },
            (Invariant::Unique, Some(column)) => TestRule::Unique {
                columns: vec![column],
            },
            (Invariant::NeverNegative, Some(column)) => TestRule::Expression {
                expression: format!("{} >= 0", sql_name(&column)),
            },
            (Invariant::ValuesIn { values }, Some(column)) => TestRule::AcceptedValues {
                column,
                values: values.clone(),
                quote: true,
            },
            (
                Invariant::References {
                    model,
                    column: field,
                },
                Some(column),
            ) => TestRule::Relationships {
                column,
                to: model.clone(),
                field: field.clone(),
            },
            _ => continue,
        };
        proposals.add(rule, &reason);
    }
    if let Some(shape) = &shape {
        join_proposals(compilation, &keys, shape, &mut proposals);
    }
    case_proposals(&mut proposals);
    proposals.list
}

struct Proposals<'a> {
    model: &'a Model,
    list: Vec<ProposedTest>,
}

impl Proposals<'_> {
    /// The output column's name as the model spells it.
    fn output_name(&self, column: &str) -> String {
        self.model
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(column))
            .map_or_else(|| column.to_string(), |c| c.name.clone())
    }

    fn add(&mut self, rule: TestRule, reason: &str) {
        if self.list.iter().any(|p| same_rule(&p.rule, &rule)) {
            return;
        }
        let exists = self
            .model
            .config
            .tests
            .iter()
            .any(|test| test.filter.is_none() && same_rule(&test.rule, &rule));
        let mut name = ColumnTest::new(&self.model.name, rule.clone()).name;
        let taken = |name: &str| self.model.config.tests.iter().any(|t| t.name == name);
        let named = !exists && taken(&name);
        if named {
            let mut number = 2;
            while taken(&format!("{name}_{number}")) {
                number += 1;
            }
            name = format!("{name}_{number}");
        }
        let toml = render(&rule, named.then_some(name.as_str()));
        self.list.push(ProposedTest {
            model: self.model.name.clone(),
            rule,
            name,
            toml,
            reason: reason.to_string(),
            exists,
        });
    }
}

fn lower(columns: &[String]) -> Vec<String> {
    let mut columns: Vec<String> = columns.iter().map(|c| c.to_ascii_lowercase()).collect();
    columns.sort();
    columns
}

/// Returns true when two rules check the same thing.
fn same_rule(a: &TestRule, b: &TestRule) -> bool {
    let same = |x: &str, y: &str| x.eq_ignore_ascii_case(y);
    match (a, b) {
        (TestRule::NotNull { column: x }, TestRule::NotNull { column: y }) => same(x, y),
        (TestRule::Unique { columns: x }, TestRule::Unique { columns: y }) => lower(x) == lower(y),
        (
            TestRule::AcceptedValues {
                column: c1,
                values: v1,
                quote: q1,
            },
            TestRule::AcceptedValues {
                column: c2,
                values: v2,
                quote: q2,
            },
        ) => {
            let key = |values: &[TestValue]| {
                let mut keys: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
                keys.sort();
                keys
            };
            same(c1, c2) && q1 == q2 && key(v1) == key(v2)
        }
        (
            TestRule::Relationships {
                column: c1,
                to: t1,
                field: f1,
            },
            TestRule::Relationships {
                column: c2,
                to: t2,
                field: f2,
            },
        ) => same(c1, c2) && same(t1, t2) && same(f1, f2),
        (TestRule::Expression { expression: x }, TestRule::Expression { expression: y }) => {
            let squash = |e: &str| {
                e.split_whitespace()
                    .collect::<String>()
                    .to_ascii_lowercase()
            };
            squash(x) == squash(y)
        }
        (
            TestRule::RowCountRange { min: a1, max: b1 },
            TestRule::RowCountRange { min: a2, max: b2 },
        ) => a1 == a2 && b1 == b2,
        _ => false,
    }
}

/// Renders a TOML string, escaped as TOML requires.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn render_value(value: &TestValue) -> String {
    match value {
        TestValue::Boolean(flag) => flag.to_string(),
        TestValue::Integer(number) => number.to_string(),
        TestValue::Float(number) => format!("{number:?}"),
        TestValue::String(text) => quoted(text),
    }
}

/// Renders a rule as a `[[tests]]` block.
fn render(rule: &TestRule, name: Option<&str>) -> String {
    let mut out = format!("[[tests]]\ntype = \"{}\"\n", rule.kind().as_str());
    match rule {
        TestRule::NotNull { column } => out.push_str(&format!("column = {}\n", quoted(column))),
        TestRule::Unique { columns } if columns.len() == 1 => {
            out.push_str(&format!("column = {}\n", quoted(&columns[0])))
        }
        TestRule::Unique { columns } => {
            let items: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
            out.push_str(&format!("columns = [{}]\n", items.join(", ")));
        }
        TestRule::AcceptedValues {
            column,
            values,
            quote,
        } => {
            let items: Vec<String> = values.iter().map(render_value).collect();
            out.push_str(&format!(
                "column = {}\nvalues = [{}]\n",
                quoted(column),
                items.join(", ")
            ));
            if !quote {
                out.push_str("quote = false\n");
            }
        }
        TestRule::Relationships { column, to, field } => out.push_str(&format!(
            "column = {}\nto = {}\nfield = {}\n",
            quoted(column),
            quoted(to),
            quoted(field)
        )),
        TestRule::Expression { expression } => {
            out.push_str(&format!("expression = {}\n", quoted(expression)))
        }
        TestRule::RowCountRange { min, max } => {
            if let Some(min) = min {
                out.push_str(&format!("min = {min}\n"));
            }
            if let Some(max) = max {
                out.push_str(&format!("max = {max}\n"));
            }
        }
    }
    if let Some(name) = name {
        out.push_str(&format!("name = {}\n", quoted(name)));
    }
    out
}

/// Appends an accepted proposal's block to the sidecar text, keeping the
/// rest of the text byte for byte. Returns an error when the result would
/// not be valid TOML, such as when the sidecar writes `tests` as an
/// inline array.
pub fn apply_proposal(sidecar: &str, proposal: &ProposedTest) -> Result<String, String> {
    let mut text = sidecar.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&proposal.toml);
    match text.parse::<toml::Table>() {
        Ok(_) => Ok(text),
        Err(error) => Err(format!(
            "appending the test makes the sidecar invalid TOML: {}",
            error.message().trim()
        )),
    }
}

/// Proposes a relationships test for each output column that the model
/// joins to a unique column of another model.
fn join_proposals(
    compilation: &Compilation,
    keys: &std::collections::HashMap<String, shape::Keys>,
    shape: &shape::QueryShape,
    proposals: &mut Proposals,
) {
    for select in &shape.selects {
        for join in &select.joins {
            if join.table.kind != ReadKind::Model {
                continue;
            }
            let Some(target) = compilation.model(&join.table.name) else {
                continue;
            };
            let alias = join
                .table
                .alias
                .clone()
                .unwrap_or_else(|| join.table.name.clone())
                .to_ascii_lowercase();
            for (a, b) in &join.keys {
                let (mine, theirs) = if qualifier(b).as_deref() == Some(alias.as_str()) {
                    (a, b)
                } else if qualifier(a).as_deref() == Some(alias.as_str()) {
                    (b, a)
                } else {
                    continue;
                };
                let field = column_part(theirs);
                let unique = keys
                    .get(&target.name.to_ascii_lowercase())
                    .is_some_and(|k| k.covered_by(std::slice::from_ref(&field)) == Some(true));
                let column = column_part(mine);
                let output = proposals
                    .model
                    .columns
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(&column))
                    .map(|c| c.name.clone());
                if let (true, Some(column)) = (unique, output) {
                    let reason = format!(
                        "the model joins `{column}` to `{}.{field}`, a unique column",
                        target.name
                    );
                    let rule = TestRule::Relationships {
                        column,
                        to: target.name.clone(),
                        field: target
                            .columns
                            .iter()
                            .find(|c| c.name.eq_ignore_ascii_case(&field))
                            .map_or(field.clone(), |c| c.name.clone()),
                    };
                    proposals.add(rule, &reason);
                }
            }
        }
    }
}

/// A column name as SQL text: bare when it is a plain lowercase
/// identifier, quoted otherwise.
fn sql_name(column: &str) -> String {
    let plain = column
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && column.chars().next().is_some_and(|c| !c.is_ascii_digit());
    if plain {
        column.to_string()
    } else {
        crate::compile::quote_ident(column)
    }
}

fn qualifier(written: &str) -> Option<String> {
    let (qualifier, _) = written.rsplit_once('.')?;
    let last = qualifier.rsplit('.').next().unwrap_or(qualifier);
    Some(last.trim_matches('"').to_ascii_lowercase())
}

fn column_part(written: &str) -> String {
    written
        .rsplit('.')
        .next()
        .unwrap_or(written)
        .trim_matches('"')
        .to_ascii_lowercase()
}

/// Proposes accepted_values for each output column defined by a CASE
/// whose every result is a string literal.
fn case_proposals(proposals: &mut Proposals) {
    let model = proposals.model;
    let index = LineIndex::new(&model.sql);
    for column in &model.columns {
        let Some((text, _)) = defining_expression(model, &index, column) else {
            continue;
        };
        let Some(values) = case_literals(&text) else {
            continue;
        };
        let reason = format!(
            "`{}` is a CASE over the fixed values {}",
            column.name,
            values.join(", ")
        );
        let rule = TestRule::AcceptedValues {
            column: column.name.clone(),
            values: values.into_iter().map(TestValue::String).collect(),
            quote: true,
        };
        proposals.add(rule, &reason);
    }
}

/// Returns the string literals a CASE expression produces, in order and
/// without repeats, when it produces nothing else (NULL aside).
fn case_literals(text: &str) -> Option<Vec<String>> {
    let mut statements = crate::parse::parse_statements(&format!("SELECT {text}"), "").ok()?;
    let Statement::Query(query) = statements.pop()? else {
        return None;
    };
    let SetExpr::Select(select) = *query.body else {
        return None;
    };
    let expr = match select.projection.first()? {
        SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => expr,
        _ => return None,
    };
    let Expr::Case {
        conditions,
        else_result,
        ..
    } = expr
    else {
        return None;
    };
    let mut values = Vec::new();
    let results = conditions
        .iter()
        .map(|when| &when.result)
        .chain(else_result.as_deref());
    for result in results {
        let Expr::Value(value) = result else {
            return None;
        };
        match &value.value {
            Value::SingleQuotedString(text) => {
                if !values.contains(text) {
                    values.push(text.clone());
                }
            }
            Value::Null => {}
            _ => return None,
        }
    }
    (!values.is_empty()).then_some(values)
}
