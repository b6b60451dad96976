//! A model explained from its compiled form and its lineage: grain, the
//! tables it reads, joins, filters, aggregations, computed and
//! pass-through columns, and how all that relates to the stated intent.
//! Deterministic: the same project always gives the same text.

use serde::{Deserialize, Serialize};

use super::shape::{self, Keys, KeysMemo, QueryShape, ReadKind};
use crate::output::{Column, Compilation, EdgeKind, Model, ParentTable};
use crate::text::LineIndex;

/// What an [`Explanation`] section is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Grain,
    Reads,
    Joins,
    Filters,
    Aggregations,
    Computed,
    PassThrough,
    Intent,
}

impl SectionKind {
    fn title(self) -> &'static str {
        match self {
            SectionKind::Grain => "Grain",
            SectionKind::Reads => "Reads",
            SectionKind::Joins => "Joins",
            SectionKind::Filters => "Filters",
            SectionKind::Aggregations => "Aggregations",
            SectionKind::Computed => "Computed columns",
            SectionKind::PassThrough => "Pass-through columns",
            SectionKind::Intent => "Intent",
        }
    }
}

/// One statement about the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// The statement as a sentence.
    pub text: String,
    /// The output columns it is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// The SQL it describes: an expression, a join condition, a filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// The CTE or subquery it happens in; `None` for the main query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// A group of facts of one kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    pub title: String,
    pub facts: Vec<Fact>,
}

/// A readable account of one model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub model: String,
    pub intent: Option<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    /// Sections in a fixed order; a section with no facts is left out.
    pub sections: Vec<Section>,
}

impl Explanation {
    /// Returns the section of a kind, when the model has facts of it.
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|section| section.kind == kind)
    }

    /// Renders the explanation as plain text: a heading per section and a
    /// line per fact.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.model);
        for (label, value) in [
            ("intent", &self.intent),
            ("description", &self.description),
            ("owner", &self.owner),
        ] {
            if let Some(value) = value {
                out.push_str(&format!("  {label}: {value}\n"));
            }
        }
        for section in &self.sections {
            out.push_str(&format!("\n{}:\n", section.title));
            for fact in &section.facts {
                out.push_str(&format!("  - {}\n", fact.text));
            }
        }
        out
    }
}

/// Explains `model`; `None` when the project has no model of that name.
/// `memo` keeps the keys of the models upstream for the next call.
pub fn explain(compilation: &Compilation, model: &str, memo: &mut KeysMemo) -> Option<Explanation> {
    let model = compilation.model(model)?;
    let keys = shape::upstream_keys(compilation, model, memo);
    let shape = shape::model_shape(compilation, model, &keys);
    let mut sections = vec![
        (SectionKind::Grain, grain_facts(model, shape.as_ref())),
        (
            SectionKind::Reads,
            read_facts(compilation, model, shape.as_ref()),
        ),
        (SectionKind::Joins, join_facts(shape.as_ref())),
        (SectionKind::Filters, filter_facts(shape.as_ref())),
    ];
    let (aggregations, computed, pass_through) = column_facts(model);
    sections.push((SectionKind::Aggregations, aggregations));
    sections.push((SectionKind::Computed, computed));
    sections.push((SectionKind::PassThrough, pass_through));
    sections.push((SectionKind::Intent, intent_facts(model, shape.as_ref())));
    Some(Explanation {
        model: model.name.clone(),
        intent: model.config.intent.clone(),
        description: model.config.description.clone(),
        owner: model.config.owner.clone(),
        sections: sections
            .into_iter()
            .filter(|(_, facts)| !facts.is_empty())
            .map(|(kind, facts)| Section {
                kind,
                title: kind.title().to_string(),
                facts,
            })
            .collect(),
    })
}

fn fact(text: String) -> Fact {
    Fact {
        text,
        columns: Vec::new(),
        sql: None,
        scope: None,
    }
}

fn in_scope(scope: &Option<String>) -> String {
    match scope {
        Some(name) => format!(" (in `{name}`)"),
        None => String::new(),
    }
}

/// The grain the model has by construction, as a sentence part.
fn inferred_grain(shape: Option<&QueryShape>) -> Option<Vec<String>> {
    shape.and_then(|shape| shape.keys.smallest().cloned())
}

fn grain_facts(model: &Model, shape: Option<&QueryShape>) -> Vec<Fact> {
    let mut facts = Vec::new();
    let inferred = inferred_grain(shape);
    let declared = &model.config.grain;
    if !declared.is_empty() {
        let mut text = format!("one row per {} (declared grain)", declared.join(", "));
        match shape.map(|s| s.keys.covered_by(declared)) {
            Some(Some(true)) => text.push_str("; unique by construction"),
            Some(Some(false)) => text.push_str("; NOT unique by construction"),
            _ => text.push_str("; uniqueness not provable from the SQL"),
        }
        facts.push(Fact {
            columns: declared.clone(),
            ..fact(text)
        });
    }
    for stated in &model.config.invariants {
        if let super::Invariant::OneRowPer { columns } = &stated.invariant {
            facts.push(Fact {
                columns: columns.clone(),
                ..fact(format!(
                    "one row per {} (stated invariant)",
                    columns.join(", ")
                ))
            });
        }
    }
    for test in &model.config.tests {
        if let crate::output::TestRule::Unique { columns } = &test.rule {
            if test.filter.is_none() && declared.is_empty() {
                facts.push(Fact {
                    columns: columns.clone(),
                    ..fact(format!(
                        "one row per {} (declared by the test `{}`)",
                        columns.join(", "),
                        test.name
                    ))
                });
            }
        }
    }
    match inferred {
        Some(key) if key.is_empty() => facts.push(fact(
            "at most one row (an aggregate with no GROUP BY)".to_string(),
        )),
        Some(key) => facts.push(Fact {
            columns: key.clone(),
            ..fact(format!("one row per {} (by construction)", key.join(", ")))
        }),
        None if facts.is_empty() => facts.push(fact(
            "no grain is declared and none follows from the SQL".to_string(),
        )),
        None => {}
    }
    if let Some(Keys::Known { lost, .. }) = shape.map(|s| &s.keys) {
        for reason in lost {
            facts.push(fact(format!("a key is lost: {reason}")));
        }
    }
    facts
}

fn read_facts(compilation: &Compilation, model: &Model, shape: Option<&QueryShape>) -> Vec<Fact> {
    let mut facts = Vec::new();
    for name in &model.depends_on {
        let text = if compilation.model(name).is_some() {
            format!("model `{name}`")
        } else if let Some(source) = compilation.source(name) {
            format!("source `{}`", source.name)
        } else {
            format!("`{name}`, which is no model or source")
        };
        facts.push(fact(text));
    }
    for select in shape.map(|s| s.selects.as_slice()).unwrap_or(&[]) {
        let Some(scope) = &select.scope else { continue };
        let tables: Vec<String> = select
            .from
            .iter()
            .chain(select.joins.iter().map(|j| &j.table))
            .map(|read| match read.kind {
                ReadKind::Cte => format!("`{}`", read.name),
                ReadKind::Model => format!("model `{}`", read.name),
                ReadKind::Source => format!("source `{}`", read.name),
                _ => format!("`{}`", read.name),
            })
            .collect();
        let mut text = format!("`{scope}` reads {}", tables.join(", "));
        if !select.group_by.is_empty() {
            text.push_str(&format!(" grouped by {}", select.group_by.join(", ")));
        }
        if select.distinct {
            text.push_str(" with DISTINCT");
        }
        facts.push(Fact {
            scope: Some(scope.clone()),
            ..fact(text)
        });
    }
    facts
}

fn join_facts(shape: Option<&QueryShape>) -> Vec<Fact> {
    let mut facts = Vec::new();
    for select in shape.map(|s| s.selects.as_slice()).unwrap_or(&[]) {
        for join in &select.joins {
            let mut text = format!("{} `{}`", join.kind, join.table.name);
            if let Some(alias) = &join.table.alias {
                text.push_str(&format!(" as `{alias}`"));
            }
            match &join.condition {
                Some(condition) => text.push_str(&format!(" on {condition}")),
                None => text.push_str(" with no condition"),
            }
            if !join.keys.is_empty() {
                let keys: Vec<String> = join
                    .keys
                    .iter()
                    .map(|(a, b)| format!("{a} = {b}"))
                    .collect();
                text.push_str(&format!("; keys {}", keys.join(" and ")));
            }
            if join.can_multiply {
                text.push_str("; can match several rows per left row");
            }
            text.push_str(&in_scope(&select.scope));
            facts.push(Fact {
                sql: join.condition.clone(),
                scope: select.scope.clone(),
                ..fact(text)
            });
        }
    }
    facts
}

fn filter_facts(shape: Option<&QueryShape>) -> Vec<Fact> {
    let mut facts = Vec::new();
    for select in shape.map(|s| s.selects.as_slice()).unwrap_or(&[]) {
        for (clause, condition) in &select.filters {
            facts.push(Fact {
                sql: Some(condition.clone()),
                scope: select.scope.clone(),
                ..fact(format!("{clause} {condition}{}", in_scope(&select.scope)))
            });
        }
    }
    facts
}

/// The text of the expression that defines `column`, following plain
/// copies through the model's CTEs and subqueries, and the CTE it sits in.
/// `index` is the [`LineIndex`] of `model.sql`, built once per model by the
/// caller: building it per column made a model of 10,000 columns take
/// seconds.
pub(crate) fn defining_expression(
    model: &Model,
    index: &LineIndex,
    column: &Column,
) -> Option<(String, Option<String>)> {
    let mut current = column;
    let mut scope: Option<String> = None;
    for _ in 0..=model.internal.len() {
        let text = current.definition.and_then(|span| {
            let start = index.offset(span.start)?;
            let end = index.offset(span.end)?;
            model.sql.get(start..end).map(str::to_string)
        });
        let is_copy = current.parents.len() == 1
            && current.parents[0].kind == EdgeKind::Identity
            && matches!(current.parents[0].table, ParentTable::Internal(_));
        if !is_copy {
            return text.map(|text| (text, scope));
        }
        let parent = &current.parents[0];
        let ParentTable::Internal(position) = parent.table else {
            return None;
        };
        let table = model.internal.get(position)?;
        current = table
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&parent.column))?;
        scope = Some(table.name.clone());
    }
    None
}

/// Returns the strongest kind on a column's lineage, `None` with none.
fn strongest(column: &Column) -> Option<EdgeKind> {
    column.lineage.iter().map(|edge| edge.kind).max()
}

fn column_facts(model: &Model) -> (Vec<Fact>, Vec<Fact>, Vec<Fact>) {
    let (mut aggregations, mut computed, mut pass_through) = (Vec::new(), Vec::new(), Vec::new());
    let index = LineIndex::new(&model.sql);
    for column in &model.columns {
        let expression = defining_expression(model, &index, column);
        let inputs: Vec<String> = column
            .lineage
            .iter()
            .map(|edge| format!("{}.{}", edge.model, edge.column))
            .collect();
        let from = if inputs.is_empty() {
            String::new()
        } else {
            format!(" from {}", inputs.join(", "))
        };
        let scope = expression.as_ref().and_then(|(_, scope)| scope.clone());
        let sql = expression.as_ref().map(|(text, _)| text.clone());
        let shown = sql.clone().unwrap_or_else(|| "an expression".to_string());
        let base = Fact {
            columns: vec![column.name.clone()],
            sql: sql.clone(),
            scope: scope.clone(),
            ..fact(String::new())
        };
        match strongest(column) {
            Some(EdgeKind::Aggregation) => aggregations.push(Fact {
                text: format!("`{}` = {shown}{from}{}", column.name, in_scope(&scope)),
                ..base
            }),
            Some(EdgeKind::Identity) if column.lineage.len() == 1 => {
                let edge = &column.lineage[0];
                let renamed = if edge.column.eq_ignore_ascii_case(&column.name) {
                    String::new()
                } else {
                    format!(", renamed from `{}`", edge.column)
                };
                pass_through.push(Fact {
                    text: format!(
                        "`{}` from {}.{}{renamed}",
                        column.name, edge.model, edge.column
                    ),
                    ..base
                });
            }
            _ => {
                let note = if column.unresolved.is_empty() {
                    String::new()
                } else {
                    format!("; lineage unknown: {}", column.unresolved.join("; "))
                };
                computed.push(Fact {
                    text: format!(
                        "`{}` = {shown}{from}{}{note}",
                        column.name,
                        in_scope(&scope)
                    ),
                    ..base
                });
            }
        }
    }
    (aggregations, computed, pass_through)
}

/// Lowercase words of a text, for matching it against column names.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Words that name the same thing in column names and in prose, each
/// mapped to one spelling: `most_recent_order` and "latest order" both
/// read as `latest order`.
const SYNONYMS: &[(&str, &str)] = &[
    ("most_recent", "latest"),
    ("last", "latest"),
    ("newest", "latest"),
    ("recent", "latest"),
    ("earliest", "first"),
    ("oldest", "first"),
    ("number_of", "count"),
    ("num", "count"),
    ("total", "sum"),
    ("amounts", "amount"),
];

/// Words left out when a column name is matched against the intent.
const STOP_WORDS: &[&str] = &["of", "the", "a", "an", "per", "by", "and"];

/// Returns the words of a column name or of prose in one form: lowercase,
/// singular, with [`SYNONYMS`] applied and stop words left out.
fn normalized_words(words: &[String]) -> Vec<String> {
    let mut joined = words.join("_");
    for (from, to) in SYNONYMS.iter().filter(|(from, _)| from.contains('_')) {
        joined = joined.replace(from, to);
    }
    joined
        .split('_')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(|w| {
            let w = SYNONYMS
                .iter()
                .find(|(from, _)| *from == w)
                .map_or(w, |(_, to)| to);
            w.strip_suffix('s')
                .filter(|stem| stem.len() > 2)
                .unwrap_or(w)
                .to_string()
        })
        .collect()
}

/// Returns true when the intent names the column: its name, every word
/// of its name in any order (`first_order` in "first and latest order
/// date", `number_of_orders` in "order count" through [`SYNONYMS`]), or
/// its stem without an `_id` suffix (`customer_id` as "customer").
fn mentions(intent_words: &[String], column: &str) -> bool {
    let column = column.to_ascii_lowercase();
    if intent_words.contains(&column) {
        return true;
    }
    let intent = normalized_words(intent_words);
    let parts: Vec<String> = column.split('_').map(str::to_string).collect();
    let column_words = normalized_words(&parts);
    if !column_words.is_empty() && column_words.iter().all(|w| intent.contains(w)) {
        return true;
    }
    let stem = column.strip_suffix("_id").unwrap_or("");
    !stem.is_empty()
        && normalized_words(&[stem.to_string()])
            .iter()
            .all(|w| intent.contains(w))
}

fn intent_facts(model: &Model, shape: Option<&QueryShape>) -> Vec<Fact> {
    let Some(intent) = &model.config.intent else {
        return vec![fact(
            "no intent is stated; add `intent = \"...\"` to the sidecar".to_string(),
        )];
    };
    let intent_words = words(intent);
    let mut facts = Vec::new();
    let (named, unnamed): (Vec<&Column>, Vec<&Column>) = model
        .columns
        .iter()
        .partition(|column| mentions(&intent_words, &column.name));
    if !named.is_empty() {
        let names: Vec<String> = named.iter().map(|c| c.name.clone()).collect();
        facts.push(Fact {
            columns: names.clone(),
            ..fact(format!(
                "the intent names output columns {}",
                names.join(", ")
            ))
        });
    }
    if !unnamed.is_empty() {
        let names: Vec<String> = unnamed.iter().map(|c| c.name.clone()).collect();
        facts.push(Fact {
            columns: names.clone(),
            ..fact(format!("the intent does not name {}", names.join(", ")))
        });
    }
    // Identifiers with an underscore read as column names.
    for word in intent_words.iter().filter(|w| w.contains('_')) {
        if !model
            .columns
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(word))
        {
            facts.push(fact(format!(
                "the intent mentions `{word}`, which the model does not output"
            )));
        }
    }
    // "row per order", "each customer", "every order": the row the intent
    // describes, against the grain. An explicit "row per" or "row for
    // each" comes first, since "every" and "per" also describe other
    // things ("every later model ... one row per order").
    let grain = if !model.config.grain.is_empty() {
        model.config.grain.clone()
    } else if let Some(columns) = stated_unique(model) {
        columns
    } else {
        inferred_grain(shape).unwrap_or_default()
    };
    let is_marker = |w: &str| matches!(w, "per" | "each" | "every");
    let noun_after = |i: usize| {
        intent_words
            .get(i + 1)
            .filter(|w| is_marker(&intent_words[i]) && !STOP_WORDS.contains(&w.as_str()))
    };
    let explicit = (0..intent_words.len()).find_map(|i| {
        let after_row = i > 0 && intent_words[i - 1] == "row";
        let after_row_for = i > 1 && intent_words[i - 2] == "row" && intent_words[i - 1] == "for";
        noun_after(i).filter(|_| after_row || after_row_for)
    });
    let row_noun = explicit.or_else(|| (0..intent_words.len()).find_map(noun_after));
    if let Some(noun) = row_noun {
        let matched = grain
            .iter()
            .find(|g| mentions(std::slice::from_ref(noun), g));
        let text = match (matched, grain.is_empty()) {
            (Some(column), _) => {
                format!("the intent describes a row per {noun}, and the grain is {column}")
            }
            (None, true) => {
                format!("the intent describes a row per {noun}, but the model has no known grain")
            }
            (None, false) => format!(
                "the intent describes a row per {noun}, but the grain is {}",
                grain.join(", ")
            ),
        };
        facts.push(fact(text));
    }
    facts
}

/// Returns the columns of the model's first `one row per` invariant, or
/// of its first `unique` test with no `where`: the grain it states
/// without a `grain` key.
fn stated_unique(model: &Model) -> Option<Vec<String>> {
    let from_invariant =
        model
            .config
            .invariants
            .iter()
            .find_map(|stated| match &stated.invariant {
                super::Invariant::OneRowPer { columns } => Some(columns.clone()),
                _ => None,
            });
    from_invariant.or_else(|| {
        model.config.tests.iter().find_map(|test| match &test.rule {
            crate::output::TestRule::Unique { columns } if test.filter.is_none() => {
                Some(columns.clone())
            }
            _ => None,
        })
    })
}
