//! Checks of what a sidecar states against what the model computes:
//! grain and invariant columns the model does not output (W0015), a
//! grain that is not unique by construction (W0016, see `shape` for the
//! rules), and invariants the column's type cannot meet (W0017).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::facts::SidecarFacts;
use super::shape::{self, Keys};
use super::vocabulary::Invariant;
use crate::diagnostic::{Diagnostic, Span};
use crate::output::{Compilation, Model, TestValue};
use crate::types::Type;

/// A model's sidecar path and what the sidecar states.
pub(crate) type ModelFacts = Arc<(String, SidecarFacts)>;

/// Reports the W0014 to W0017 findings of every sidecar.
///
/// `facts` contains each model's sidecar path and facts, in the order of
/// `compilation.models`, and `fact_diagnostics` what reading them
/// reported. `queries` contains each model's parsed query in that order, so
/// the shapes are read without parsing the models again. Models whose
/// sidecar states nothing to check are skipped.
pub(crate) fn check(
    compilation: &mut Compilation,
    facts: &[ModelFacts],
    fact_diagnostics: Vec<Diagnostic>,
    queries: &[Option<&sqlparser::ast::Query>],
) {
    let mut diagnostics = fact_diagnostics;
    let failed: HashSet<String> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.model.as_ref().map(|m| m.to_ascii_lowercase()))
        .collect();
    let broken = |model: &Model| {
        (!failed.is_empty() && failed.contains(&model.name.to_ascii_lowercase()))
            || model.columns.iter().any(|c| c.ty == "UNKNOWN")
    };
    // The models with something to check, and not broken.
    let checked: Vec<bool> = compilation
        .models
        .iter()
        .zip(facts)
        .map(|(model, facts)| states_facts(model, &facts.1) && !broken(model))
        .collect();
    let needed = shapes_needed(compilation, facts, &checked);
    // Keys come in model order, so each model's upstream keys are there.
    let mut keys: HashMap<String, Keys> = HashMap::new();
    let mut own_keys: Vec<Keys> = Vec::with_capacity(needed.len());
    for ((model, &needed), query) in compilation.models.iter().zip(&needed).zip(queries) {
        if !needed {
            own_keys.push(Keys::Unknown);
            continue;
        }
        let own = query.map_or(Keys::Unknown, |query| {
            shape::query_shape(compilation, query, &keys).keys
        });
        keys.insert(
            model.name.to_ascii_lowercase(),
            shape::with_declared(model, own.clone()),
        );
        own_keys.push(own);
    }
    for (i, (model, facts)) in compilation.models.iter().zip(facts).enumerate() {
        if !checked[i] {
            continue;
        }
        let checker = Checker {
            compilation,
            model,
            path: &facts.0,
            facts: &facts.1,
        };
        checker.unknown_columns(&mut diagnostics);
        checker.uniqueness(&own_keys[i], &mut diagnostics);
        checker.types(&mut diagnostics);
    }
    compilation.diagnostics.extend(diagnostics);
}

/// True when the model has a grain, or its sidecar grain entries or
/// invariants, which are all the checks read.
fn states_facts(model: &Model, facts: &SidecarFacts) -> bool {
    !model.config.grain.is_empty() || !facts.grain_spans.is_empty() || !facts.invariants.is_empty()
}

/// Marks the models whose keys the uniqueness check needs: those that
/// state a grain or a one-row-per invariant, and every model they read,
/// directly or not. The others' shapes are not read.
fn shapes_needed(compilation: &Compilation, facts: &[ModelFacts], checked: &[bool]) -> Vec<bool> {
    let mut needed = vec![false; compilation.models.len()];
    let mut stack: Vec<usize> = compilation
        .models
        .iter()
        .zip(facts)
        .enumerate()
        .filter(|(i, (model, facts))| {
            checked[*i]
                && (!model.config.grain.is_empty()
                    || facts
                        .1
                        .invariants
                        .iter()
                        .any(|i| matches!(i.invariant, Invariant::OneRowPer { .. })))
        })
        .map(|(i, _)| i)
        .collect();
    if stack.is_empty() {
        return needed;
    }
    let index: HashMap<String, usize> = compilation
        .models
        .iter()
        .enumerate()
        .map(|(i, model)| (model.name.to_ascii_lowercase(), i))
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut needed[i], true) {
            continue;
        }
        let reads = compilation.models[i]
            .table_uses
            .iter()
            .filter(|read| read.is_model)
            .filter_map(|read| index.get(&read.name.to_ascii_lowercase()));
        stack.extend(reads.filter(|&&j| !needed[j]));
    }
    needed
}

struct Checker<'a> {
    compilation: &'a Compilation,
    model: &'a Model,
    path: &'a str,
    facts: &'a SidecarFacts,
}

impl Checker<'_> {
    fn has_column(&self, name: &str) -> bool {
        self.model
            .columns
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(name))
    }

    fn warning(&self, code: &str, span: Span, message: String, help: String) -> Diagnostic {
        Diagnostic::warning(code, self.path, span, message)
            .with_model(&self.model.name)
            .with_help(help)
    }

    fn missing(&self, what: &str, column: &str, span: Span) -> Diagnostic {
        let names = self.model.columns.iter().map(|c| c.name.as_str());
        let help = match crate::text::closest(column, names) {
            Some(similar) => format!("did you mean `{similar}`?"),
            None => format!(
                "the model outputs {}",
                self.model
                    .columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.warning(
            "W0015",
            span,
            format!(
                "{what} names `{column}`, which model `{}` does not output",
                self.model.name
            ),
            help,
        )
    }

    fn unknown_columns(&self, diagnostics: &mut Vec<Diagnostic>) {
        for (column, span) in &self.facts.grain_spans {
            if !self.has_column(column) {
                diagnostics.push(self.missing("`grain`", column, *span));
            }
        }
        let mut reported = Vec::new();
        for stated in &self.facts.invariants {
            if let Some(column) = &stated.column {
                if !self.has_column(column) && !reported.contains(column) {
                    reported.push(column.clone());
                    let span = self
                        .facts
                        .column_spans
                        .iter()
                        .find(|(name, _)| name == column)
                        .map_or(stated.span, |(_, span)| *span);
                    diagnostics.push(self.missing("an invariant", column, span));
                }
            }
            match &stated.invariant {
                Invariant::OneRowPer { columns } => {
                    for column in columns.iter().filter(|c| !self.has_column(c)) {
                        diagnostics.push(self.missing("an invariant", column, stated.span));
                    }
                }
                Invariant::References { model, column } => {
                    if let Some(problem) = self.reference_problem(model, column) {
                        diagnostics.push(
                            self.warning(
                                "W0015",
                                stated.span,
                                problem,
                                "name a model or source of the project and one of its columns"
                                    .to_string(),
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn reference_problem(&self, table: &str, column: &str) -> Option<String> {
        let columns: Vec<&str> = match (
            self.compilation.model(table),
            self.compilation.source(table),
        ) {
            (Some(model), _) => model.columns.iter().map(|c| c.name.as_str()).collect(),
            (None, Some(source)) => source.columns.iter().map(|c| c.name.as_str()).collect(),
            (None, None) => {
                return Some(format!(
                    "an invariant references `{table}`, which is no model or source"
                ))
            }
        };
        (!columns.iter().any(|c| c.eq_ignore_ascii_case(column))).then(|| {
            format!("an invariant references `{table}.{column}`, but `{table}` has no column `{column}`")
        })
    }

    /// Reports a stated grain that the model's keys by construction do not
    /// cover, when those keys are known.
    fn uniqueness(&self, own: &Keys, diagnostics: &mut Vec<Diagnostic>) {
        let Keys::Known { lost, .. } = own else {
            return;
        };
        let mut stated: Vec<(Vec<String>, Span, &str)> = Vec::new();
        if !self.model.config.grain.is_empty() {
            let span = self
                .facts
                .grain_spans
                .first()
                .map(|(_, s)| *s)
                .unwrap_or_default();
            stated.push((self.model.config.grain.clone(), span, "the grain"));
        }
        for invariant in &self.facts.invariants {
            if let Invariant::OneRowPer { columns } = &invariant.invariant {
                stated.push((columns.clone(), invariant.span, "the invariant"));
            }
        }
        for (columns, span, what) in stated {
            if columns.iter().any(|c| !self.has_column(c)) {
                continue;
            }
            if own.covered_by(&columns) == Some(false) {
                let why = if lost.is_empty() {
                    String::new()
                } else {
                    format!(": {}", lost.join("; "))
                };
                diagnostics.push(self.warning(
                    "W0016",
                    span,
                    format!(
                        "{what} one row per {} is not unique by construction{why}",
                        columns.join(", ")
                    ),
                    "group by those columns, join on a key of the joined table, or correct the stated grain".to_string(),
                ));
            }
        }
    }

    fn types(&self, diagnostics: &mut Vec<Diagnostic>) {
        for stated in &self.facts.invariants {
            let Some(column) = &stated.column else {
                continue;
            };
            let Some(output) = self
                .model
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(column))
            else {
                continue;
            };
            let problem = type_problem(&stated.invariant, &stated.phrase, column, &output.ty);
            if let Some(problem) = problem {
                diagnostics.push(self.warning(
                    "W0017",
                    stated.span,
                    format!("invariant does not fit the column's type: {problem}"),
                    "change the invariant, or cast the column in the model".to_string(),
                ));
            }
        }
    }
}

/// Returns why an invariant on `column`, of the type named `ty`, cannot
/// hold or cannot be tested: "never negative" on a column that is no number
/// or interval, and `values in (...)` whose values are of another kind than
/// the column (strings on a number, numbers or booleans on text, anything
/// but booleans on a BOOLEAN, strings that are no ISO date or time on a
/// date or time). `None` when it fits or the type is unknown.
pub(super) fn type_problem(
    invariant: &Invariant,
    phrase: &str,
    column: &str,
    ty: &str,
) -> Option<String> {
    let parsed = Type::from_name(ty)?;
    if parsed.is_unknown() {
        return None;
    }
    match invariant {
        Invariant::NeverNegative if !(parsed.is_numeric() || ty == "INTERVAL") => Some(format!(
            "\"{}\" needs a number, but `{column}` is {ty}",
            phrase.trim()
        )),
        Invariant::ValuesIn { values } => {
            let kind = |value: &TestValue| match value {
                TestValue::String(_) => "strings",
                TestValue::Integer(_) | TestValue::Float(_) => "numbers",
                TestValue::Boolean(_) => "booleans",
            };
            let temporal = ty.starts_with("DATE") || ty.starts_with("TIME");
            values.iter().find_map(|value| {
                let fits = match value {
                    TestValue::String(text) if temporal => is_iso_temporal(text),
                    TestValue::String(_) => !parsed.is_numeric() && ty != "BOOLEAN",
                    TestValue::Integer(_) | TestValue::Float(_) => parsed.is_numeric(),
                    TestValue::Boolean(_) => ty == "BOOLEAN",
                };
                (!fits).then(|| format!("the values are {}, but `{column}` is {ty}", kind(value)))
            })
        }
        _ => None,
    }
}

/// Returns true for text DuckDB casts to a date, time or timestamp: it
/// starts with digits, `-` and `:` only, such as `2024-01-31`.
fn is_iso_temporal(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.starts_with(|c: char| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || "-:. T+Z".contains(c))
}
