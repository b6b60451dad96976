//! The shape of a model's query, read from its SQL: per SELECT (the main
//! query, each CTE and FROM subquery) the tables it reads, its joins with
//! their keys, its filters, GROUP BY keys and DISTINCT; and the column
//! sets that are unique by construction.
//!
//! "Unique by construction" is decided conservatively, from the SQL and
//! the upstream models' declared keys alone, never from data:
//! - an upstream model's keys are its `grain`, the columns of each `unique`
//!   test of error severity with no `where`, and its own keys by
//!   construction; a source table has none known;
//! - `GROUP BY` plain keys that are all selected make those columns a key;
//!   DISTINCT makes all selected columns one; an aggregate with no GROUP
//!   BY gives at most one row;
//! - an INNER or LEFT join (and SEMI, ANTI) keeps the left side's keys when
//!   its ON equalities (or USING columns) cover a key of the right side;
//!   when the right side's keys are known and none is covered the join can
//!   match several rows, so only a left key together with a right key stays
//!   unique; any other join, or a side with unknown keys, makes the keys
//!   unknown;
//! - WHERE, HAVING, QUALIFY, ORDER BY and LIMIT only remove rows;
//! - a key survives a SELECT list when each of its columns is selected
//!   as a plain column (renamed or not, or through `*`);
//! - anything else (set operations, GROUP BY ALL, ROLLUP, UNNEST,
//!   table functions, PIVOT) makes the keys unknown.
//!
//! Unknown keys never produce a warning; known keys that do not cover a
//! declared grain do (W0016).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sqlparser::ast::{
    BinaryOperator, Distinct, Expr, GroupByExpr, Join, JoinConstraint, JoinOperator, Query, Select,
    SelectItem, SelectItemQualifiedWildcardKind, SetExpr, Statement, TableFactor,
};

use crate::output::{Compilation, Model, TestRule, TestSeverity};

/// Column sets that are unique by construction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Keys {
    /// Each set identifies a row; an empty set means at most one row.
    /// `lost` says why a key of an input did not survive, for messages.
    Known {
        sets: Vec<Vec<String>>,
        lost: Vec<String>,
    },
    /// The analysis cannot tell which columns identify a row.
    Unknown,
}

impl Keys {
    fn known(sets: Vec<Vec<String>>) -> Keys {
        Keys::Known {
            sets,
            lost: Vec::new(),
        }
    }

    /// Returns true when some key is a subset of `columns`.
    pub(crate) fn covered_by(&self, columns: &[String]) -> Option<bool> {
        match self {
            Keys::Unknown => None,
            Keys::Known { sets, .. } => Some(sets.iter().any(|set| {
                set.iter()
                    .all(|c| columns.iter().any(|g| g.eq_ignore_ascii_case(c)))
            })),
        }
    }

    /// Returns the smallest key, when one is known.
    pub(crate) fn smallest(&self) -> Option<&Vec<String>> {
        match self {
            Keys::Known { sets, .. } => sets.iter().min_by_key(|set| set.len()),
            Keys::Unknown => None,
        }
    }
}

/// Where a SELECT reads a table from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReadKind {
    Cte,
    Model,
    Source,
    Subquery,
    Other,
}

/// A table a SELECT reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TableRead {
    pub name: String,
    pub alias: Option<String>,
    pub kind: ReadKind,
}

/// A join of a SELECT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct JoinShape {
    /// The join type as SQL writes it, such as `LEFT JOIN`.
    pub kind: String,
    pub table: TableRead,
    /// The ON condition as SQL, or `USING (a, b)`.
    pub condition: Option<String>,
    /// The columns the ON equalities (or USING) compare, as written.
    pub keys: Vec<(String, String)>,
    /// True when the right side's keys are known and the join keys cover
    /// none of them, so a left row can match several rows.
    pub can_multiply: bool,
}

/// One SELECT of a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SelectShape {
    /// The CTE or subquery name; `None` for the model's main query.
    pub scope: Option<String>,
    pub from: Vec<TableRead>,
    pub joins: Vec<JoinShape>,
    /// (clause, condition): `WHERE`, `HAVING` or `QUALIFY`.
    pub filters: Vec<(&'static str, String)>,
    pub group_by: Vec<String>,
    pub distinct: bool,
}

/// The shape of a whole model.
#[derive(Clone, Debug)]
pub(crate) struct QueryShape {
    pub selects: Vec<SelectShape>,
    /// The keys of the model's output by construction.
    pub keys: Keys,
}

/// Names of DuckDB aggregates that make a SELECT with no GROUP BY return
/// one row. Others are left to the binder, so the keys stay conservative.
const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "min",
    "max",
    "avg",
    "mean",
    "any_value",
    "first",
    "last",
    "string_agg",
    "list",
    "array_agg",
    "median",
    "mode",
    "bool_and",
    "bool_or",
    "count_star",
];

/// Returns the keys, declared or by construction, of each model that
/// `model` reads, directly or through other models, keyed by lowercase
/// model name. Only those are parsed again: for every model of a project
/// of 5,000, each explanation took a second.
pub(crate) fn upstream_keys(
    compilation: &Compilation,
    model: &Model,
    memo: &mut KeysMemo,
) -> HashMap<String, Keys> {
    let by_name: HashMap<String, &Model> = compilation
        .models
        .iter()
        .map(|model| (model.name.to_ascii_lowercase(), model.as_ref()))
        .collect();
    let mut upstream = HashSet::new();
    let mut pending: Vec<String> = model
        .depends_on
        .iter()
        .map(|name| name.to_ascii_lowercase())
        .collect();
    while let Some(name) = pending.pop() {
        if let Some(read) = by_name.get(&name) {
            if upstream.insert(name) {
                pending.extend(read.depends_on.iter().map(|n| n.to_ascii_lowercase()));
            }
        }
    }
    // The compilation lists models upstream first, so the keys of what a
    // model reads are known before its own.
    let mut keys = HashMap::new();
    for read in &compilation.models {
        let name = read.name.to_ascii_lowercase();
        if upstream.contains(&name) {
            let found = memo.keys_of(read, &keys, || {
                let own =
                    model_shape(compilation, read, &keys).map_or(Keys::Unknown, |shape| shape.keys);
                with_declared(read, own)
            });
            keys.insert(name, found);
        }
    }
    keys
}

/// The keys found for models, kept from one explanation to the next so
/// that an edit parses again only the models whose keys can change.
///
/// A model's keys depend on its compiled form and on the keys of the
/// models it reads, so an entry is valid while the compile keeps the same
/// shared model and those keys are equal.
#[derive(Debug, Default)]
pub struct KeysMemo {
    models: HashMap<String, Remembered>,
}

#[derive(Debug)]
struct Remembered {
    model: Arc<Model>,
    reads: Vec<Option<Keys>>,
    keys: Keys,
}

impl KeysMemo {
    /// Returns the keys of `model`, remembered or found by `find`, where
    /// `known` contains the keys of the models it reads.
    fn keys_of(
        &mut self,
        model: &Arc<Model>,
        known: &HashMap<String, Keys>,
        find: impl FnOnce() -> Keys,
    ) -> Keys {
        let reads: Vec<Option<Keys>> = model
            .depends_on
            .iter()
            .map(|name| known.get(&name.to_ascii_lowercase()).cloned())
            .collect();
        let name = model.name.to_ascii_lowercase();
        if let Some(kept) = self.models.get(&name) {
            if Arc::ptr_eq(&kept.model, model) && kept.reads == reads {
                return kept.keys.clone();
            }
        }
        let keys = find();
        self.models.insert(
            name,
            Remembered {
                model: Arc::clone(model),
                reads,
                keys: keys.clone(),
            },
        );
        keys
    }

    /// Forgets the models `compilation` no longer has, so the memo of a
    /// long session does not keep them.
    pub fn retain_models_of(&mut self, compilation: &Compilation) {
        let names: HashSet<String> = compilation
            .models
            .iter()
            .map(|model| model.name.to_ascii_lowercase())
            .collect();
        self.models.retain(|name, _| names.contains(name));
    }
}

/// Adds a model's declared keys (grain, unique tests) to its keys.
pub(crate) fn with_declared(model: &Model, own: Keys) -> Keys {
    let mut declared = Vec::new();
    if !model.config.grain.is_empty() {
        declared.push(lower(&model.config.grain));
    }
    for test in &model.config.tests {
        if let TestRule::Unique { columns } = &test.rule {
            if test.severity == TestSeverity::Error && test.filter.is_none() {
                declared.push(lower(columns));
            }
        }
    }
    match own {
        Keys::Known { mut sets, lost } => {
            sets.extend(declared);
            Keys::Known { sets, lost }
        }
        Keys::Unknown if declared.is_empty() => Keys::Unknown,
        Keys::Unknown => Keys::known(declared),
    }
}

fn lower(columns: &[String]) -> Vec<String> {
    columns.iter().map(|c| c.to_ascii_lowercase()).collect()
}

/// Parses a model's SQL again and reads its shape. `None` for a model
/// that does not parse or is a PIVOT statement.
pub(crate) fn model_shape(
    compilation: &Compilation,
    model: &Model,
    upstream: &HashMap<String, Keys>,
) -> Option<QueryShape> {
    let prepared = crate::dialect::prepare(&model.sql);
    if prepared.pivot_statement {
        return None;
    }
    let mut statements = crate::parse::parse_statements(&prepared.sql, &model.file).ok()?;
    if statements.len() != 1 {
        return None;
    }
    let Statement::Query(query) = statements.remove(0) else {
        return None;
    };
    Some(query_shape(compilation, &query, upstream))
}

/// Reads the shape of a model's parsed query, as `model_shape` does
/// without parsing it again.
pub(crate) fn query_shape(
    compilation: &Compilation,
    query: &Query,
    upstream: &HashMap<String, Keys>,
) -> QueryShape {
    let mut walker = Walker {
        compilation,
        upstream,
        ctes: HashMap::new(),
        selects: Vec::new(),
    };
    let keys = walker.query(query, None);
    QueryShape {
        selects: walker.selects,
        keys,
    }
}

struct Walker<'a> {
    compilation: &'a Compilation,
    upstream: &'a HashMap<String, Keys>,
    /// Keys of the CTEs seen so far, by lowercase name.
    ctes: HashMap<String, Keys>,
    selects: Vec<SelectShape>,
}

/// Keys of a FROM clause: sets of (table alias, column), all lowercase.
type ScopeKeys = Option<Vec<Vec<(String, String)>>>;

impl Walker<'_> {
    fn query(&mut self, query: &Query, scope: Option<String>) -> Keys {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                let name = cte.alias.name.value.clone();
                let keys = self.query(&cte.query, Some(name.clone()));
                self.ctes.insert(name.to_ascii_lowercase(), keys);
            }
        }
        self.set_expr(&query.body, scope)
    }

    fn set_expr(&mut self, body: &SetExpr, scope: Option<String>) -> Keys {
        match body {
            SetExpr::Select(select) => self.select(select, scope),
            SetExpr::Query(query) => self.query(query, scope),
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr(left, scope.clone());
                self.set_expr(right, scope);
                Keys::Unknown
            }
            _ => Keys::Unknown,
        }
    }

    fn select(&mut self, select: &Select, scope: Option<String>) -> Keys {
        let mut shape = SelectShape {
            scope,
            from: Vec::new(),
            joins: Vec::new(),
            filters: Vec::new(),
            group_by: Vec::new(),
            distinct: matches!(select.distinct, Some(Distinct::Distinct)),
        };
        let mut lost = Vec::new();
        let mut scope_keys: ScopeKeys = if select.from.is_empty() {
            Some(vec![Vec::new()])
        } else {
            None
        };
        for (position, table) in select.from.iter().enumerate() {
            let (read, keys) = self.factor(&table.relation);
            shape.from.push(read);
            scope_keys = if position == 0 {
                keys
            } else {
                lost.push("a comma join pairs every row with every row".to_string());
                cross(scope_keys, keys)
            };
            for join in &table.joins {
                let (joined, keys) = self.join(join, scope_keys, &mut lost);
                shape.joins.push(joined);
                scope_keys = keys;
            }
        }
        for (clause, condition) in [
            ("WHERE", &select.selection),
            ("HAVING", &select.having),
            ("QUALIFY", &select.qualify),
        ] {
            if let Some(condition) = condition {
                shape.filters.push((clause, condition.to_string()));
            }
        }
        let keys = match &select.group_by {
            GroupByExpr::Expressions(exprs, modifiers) if !exprs.is_empty() => {
                shape.group_by = exprs.iter().map(ToString::to_string).collect();
                if modifiers.is_empty() {
                    group_keys(select, exprs)
                } else {
                    Keys::Unknown
                }
            }
            GroupByExpr::All(_) => {
                shape.group_by = vec!["ALL".to_string()];
                Keys::Unknown
            }
            _ if has_aggregate(select) => Keys::known(vec![Vec::new()]),
            _ if shape.distinct => distinct_keys(select),
            _ => project(select, scope_keys, lost),
        };
        self.selects.push(shape);
        keys
    }

    /// Reads one FROM item: what it is and its keys by (alias, column).
    fn factor(&mut self, factor: &TableFactor) -> (TableRead, ScopeKeys) {
        match factor {
            TableFactor::Table {
                name, alias, args, ..
            } => {
                let written = name.to_string();
                let parts = crate::project::name_parts(name);
                let last = parts.last().cloned().unwrap_or_default();
                let alias_name = alias.as_ref().map(|a| a.name.value.clone());
                let visible = alias_name.clone().unwrap_or_else(|| last.clone());
                let (kind, keys) = if args.is_some() {
                    (ReadKind::Other, Keys::Unknown)
                } else if parts.len() == 1 && self.ctes.contains_key(&last.to_ascii_lowercase()) {
                    let keys = self.ctes[&last.to_ascii_lowercase()].clone();
                    (ReadKind::Cte, keys)
                } else if let Some(keys) = self.upstream.get(&written.to_ascii_lowercase()) {
                    // Models come in order, so a model read by its own name
                    // has its keys here; this skips a scan of every model.
                    (ReadKind::Model, keys.clone())
                } else if let Some(model) = self.compilation.model(&written) {
                    let keys = self
                        .upstream
                        .get(&model.name.to_ascii_lowercase())
                        .cloned()
                        .unwrap_or(Keys::Unknown);
                    (ReadKind::Model, keys)
                } else if self.compilation.source(&written).is_some() {
                    (ReadKind::Source, Keys::Unknown)
                } else {
                    (ReadKind::Other, Keys::Unknown)
                };
                let read = TableRead {
                    name: written,
                    alias: alias_name,
                    kind,
                };
                (read, qualify(&visible, &keys))
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                let alias_name = alias.as_ref().map(|a| a.name.value.clone());
                let visible = alias_name
                    .clone()
                    .unwrap_or_else(|| "unnamed_subquery".to_string());
                let keys = self.query(subquery, Some(visible.clone()));
                let read = TableRead {
                    name: visible.clone(),
                    alias: alias_name,
                    kind: ReadKind::Subquery,
                };
                (read, qualify(&visible, &keys))
            }
            other => {
                let read = TableRead {
                    name: other.to_string(),
                    alias: None,
                    kind: ReadKind::Other,
                };
                (read, None)
            }
        }
    }

    fn join(
        &mut self,
        join: &Join,
        left: ScopeKeys,
        lost: &mut Vec<String>,
    ) -> (JoinShape, ScopeKeys) {
        let (read, right) = self.factor(&join.relation);
        let right_alias = read
            .alias
            .clone()
            .unwrap_or_else(|| {
                read.name
                    .rsplit('.')
                    .next()
                    .unwrap_or(&read.name)
                    .to_string()
            })
            .to_ascii_lowercase();
        let (kind, constraint, preserving) = match &join.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => ("JOIN", Some(c), true),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("LEFT JOIN", Some(c), true),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("RIGHT JOIN", Some(c), false),
            JoinOperator::FullOuter(c) => ("FULL JOIN", Some(c), false),
            JoinOperator::CrossJoin(c) => ("CROSS JOIN", Some(c), false),
            JoinOperator::Semi(c) | JoinOperator::LeftSemi(c) => ("SEMI JOIN", Some(c), true),
            JoinOperator::Anti(c) | JoinOperator::LeftAnti(c) => ("ANTI JOIN", Some(c), true),
            JoinOperator::AsOf { constraint, .. } => ("ASOF JOIN", Some(constraint), false),
            _ => ("JOIN", None, false),
        };
        let semi = matches!(kind, "SEMI JOIN" | "ANTI JOIN");
        let (condition, keys) = match constraint {
            Some(JoinConstraint::On(expr)) => (Some(expr.to_string()), equalities(expr)),
            Some(JoinConstraint::Using(columns)) => {
                let names: Vec<String> = columns.iter().map(ToString::to_string).collect();
                let pairs = names.iter().map(|n| (n.clone(), n.clone())).collect();
                (Some(format!("USING ({})", names.join(", "))), pairs)
            }
            _ => (None, Vec::new()),
        };
        // The right side's columns the equalities compare.
        let right_columns: Vec<String> = keys
            .iter()
            .filter_map(|(a, b)| {
                side_column(a, &right_alias)
                    .or_else(|| side_column(b, &right_alias))
                    .or_else(|| {
                        (condition.as_deref().is_some_and(|c| c.starts_with("USING")))
                            .then(|| a.to_ascii_lowercase())
                    })
            })
            .collect();
        let at_most_one = right.as_ref().map(|sets| {
            sets.iter()
                .any(|set| set.iter().all(|(_, column)| right_columns.contains(column)))
        });
        let can_multiply = !semi && at_most_one == Some(false);
        let keys_after = match (preserving, at_most_one) {
            (true, _) if semi => left,
            (true, Some(true)) => left,
            (true, Some(false)) => {
                lost.push(format!(
                    "the {kind} to `{}` can match several of its rows for one row",
                    read.name
                ));
                cross(left, right)
            }
            _ => {
                lost.push(format!(
                    "the {kind} to `{}` is not analyzed for uniqueness",
                    read.name
                ));
                None
            }
        };
        let shape = JoinShape {
            kind: kind.to_string(),
            table: read,
            condition,
            keys,
            can_multiply,
        };
        (shape, keys_after)
    }
}

/// Returns the column of `written` (`alias.column`) when `alias` qualifies it.
fn side_column(written: &str, alias: &str) -> Option<String> {
    let (qualifier, column) = written.rsplit_once('.')?;
    let qualifier = qualifier.rsplit('.').next().unwrap_or(qualifier);
    qualifier
        .trim_matches('"')
        .eq_ignore_ascii_case(alias)
        .then(|| column.trim_matches('"').to_ascii_lowercase())
}

/// Qualifies the keys of a table with its visible name.
fn qualify(alias: &str, keys: &Keys) -> ScopeKeys {
    match keys {
        Keys::Known { sets, .. } => Some(
            sets.iter()
                .map(|set| {
                    set.iter()
                        .map(|c| (alias.to_ascii_lowercase(), c.to_ascii_lowercase()))
                        .collect()
                })
                .collect(),
        ),
        Keys::Unknown => None,
    }
}

/// Keys of a join that pairs rows: a left key together with a right key.
fn cross(left: ScopeKeys, right: ScopeKeys) -> ScopeKeys {
    let (left, right) = (left?, right?);
    let mut sets = Vec::new();
    for l in &left {
        for r in &right {
            let mut set = l.clone();
            set.extend(r.iter().cloned());
            sets.push(set);
        }
    }
    Some(sets)
}

/// The `a = b` pairs of a conjunction of equalities between columns.
fn equalities(expr: &Expr) -> Vec<(String, String)> {
    match expr {
        Expr::Nested(inner) => equalities(inner),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            let mut pairs = equalities(left);
            pairs.extend(equalities(right));
            pairs
        }
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } if is_column(left) && is_column(right) => vec![(left.to_string(), right.to_string())],
        _ => Vec::new(),
    }
}

fn is_column(expr: &Expr) -> bool {
    matches!(expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
}

/// The (qualifier, column) of a plain column reference, lowercase.
fn column_of(expr: &Expr) -> Option<(Option<String>, String)> {
    match expr {
        Expr::Identifier(ident) => Some((None, ident.value.to_ascii_lowercase())),
        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
            let column = parts.last()?.value.to_ascii_lowercase();
            let table = parts.get(parts.len() - 2)?.value.to_ascii_lowercase();
            Some((Some(table), column))
        }
        Expr::Nested(inner) => column_of(inner),
        _ => None,
    }
}

/// The output name of a SELECT item, when it has one.
fn output_name(item: &SelectItem) -> Option<String> {
    match item {
        SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.to_ascii_lowercase()),
        SelectItem::UnnamedExpr(expr) => column_of(expr).map(|(_, column)| column),
        _ => None,
    }
}

fn group_keys(select: &Select, exprs: &[Expr]) -> Keys {
    let mut key = Vec::new();
    for expr in exprs {
        let written = expr.to_string().to_ascii_lowercase();
        // A position (`GROUP BY 1`) names a SELECT item.
        let by_position = written
            .parse::<usize>()
            .ok()
            .and_then(|n| select.projection.get(n.checked_sub(1)?))
            .and_then(output_name);
        let by_expr = select.projection.iter().find_map(|item| {
            let (item_expr, name) = match item {
                SelectItem::UnnamedExpr(e) => (e, output_name(item)?),
                SelectItem::ExprWithAlias { expr, alias } => {
                    (expr, alias.value.to_ascii_lowercase())
                }
                _ => return None,
            };
            let same = item_expr.to_string().eq_ignore_ascii_case(&written)
                || name == written
                || column_of(item_expr)
                    .zip(column_of(expr))
                    .is_some_and(|(a, b)| {
                        a.1 == b.1 && (a.0.is_none() || b.0.is_none() || a.0 == b.0)
                    });
            same.then_some(name)
        });
        let wildcard = select
            .projection
            .iter()
            .any(|item| matches!(item, SelectItem::Wildcard(_)));
        match by_position.or(by_expr) {
            Some(name) => key.push(name),
            None if wildcard => match column_of(expr) {
                Some((_, column)) => key.push(column),
                None => return Keys::Unknown,
            },
            None => {
                return Keys::Known {
                    sets: Vec::new(),
                    lost: vec![format!("the GROUP BY key `{expr}` is not selected")],
                }
            }
        }
    }
    Keys::known(vec![key])
}

fn distinct_keys(select: &Select) -> Keys {
    let names: Option<Vec<String>> = select.projection.iter().map(output_name).collect();
    match names {
        Some(names) => Keys::known(vec![names]),
        None => Keys::Unknown,
    }
}

fn has_aggregate(select: &Select) -> bool {
    select.projection.iter().any(|item| {
        let expr = match item {
            SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => expr,
            _ => return false,
        };
        match expr {
            Expr::Function(function) => {
                let name = function.name.to_string().to_ascii_lowercase();
                function.over.is_none() && AGGREGATES.contains(&name.as_str())
            }
            _ => false,
        }
    })
}

/// Maps the FROM clause's keys through the SELECT list.
fn project(select: &Select, keys: ScopeKeys, mut lost: Vec<String>) -> Keys {
    let Some(sets) = keys else {
        return Keys::Unknown;
    };
    let mut survived = Vec::new();
    for set in &sets {
        let mapped: Option<Vec<String>> = set
            .iter()
            .map(|(table, column)| selected_as(select, table, column))
            .collect();
        match mapped {
            Some(names) if !survived.contains(&names) => survived.push(names),
            Some(_) => {}
            None => {
                let columns: Vec<&str> = set.iter().map(|(_, c)| c.as_str()).collect();
                lost.push(format!("the key ({}) is not selected", columns.join(", ")));
            }
        }
    }
    Keys::Known {
        sets: survived,
        lost,
    }
}

/// Returns the output name of `table.column` when the SELECT list selects
/// it as a plain column.
fn selected_as(select: &Select, table: &str, column: &str) -> Option<String> {
    select.projection.iter().find_map(|item| match item {
        SelectItem::Wildcard(options) => {
            let excluded = options
                .opt_exclude
                .as_ref()
                .is_some_and(|exclude| exclude.to_string().to_ascii_lowercase().contains(column));
            (!excluded).then(|| column.to_string())
        }
        SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), _) => {
            let qualifier = crate::project::name_parts(name)
                .last()?
                .to_ascii_lowercase();
            (qualifier == table).then(|| column.to_string())
        }
        SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
            let (qualifier, name) = column_of(expr)?;
            let matches = name == column && qualifier.as_ref().is_none_or(|q| q == table);
            matches.then(|| output_name(item).unwrap_or(name))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::{compile, ProjectFiles};

    fn read_folder(root: &Path) -> ProjectFiles {
        let mut files = ProjectFiles::new();
        let mut pending = vec![root.to_path_buf()];
        while let Some(folder) = pending.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    let relative = path.strip_prefix(root).unwrap().to_string_lossy();
                    files.insert(relative.replace('\\', "/"), text);
                }
            }
        }
        files
    }

    /// Returns the keys of every model of the project, computed in the
    /// compilation's order.
    fn every_model_keys(compilation: &Compilation) -> HashMap<String, Keys> {
        let mut keys = HashMap::new();
        for model in &compilation.models {
            let own = model_shape(compilation, model, &keys).map_or(Keys::Unknown, |s| s.keys);
            keys.insert(model.name.to_ascii_lowercase(), with_declared(model, own));
        }
        keys
    }

    #[test]
    fn upstream_keys_match_whole_project() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample");
        for sample in ["jaffle_shop", "retail"] {
            let compilation = compile(&read_folder(&root.join(sample)));
            assert!(compilation.models.len() >= 3, "{sample}");
            let every = every_model_keys(&compilation);
            let mut known = 0;
            for model in &compilation.models {
                let upstream = upstream_keys(&compilation, model, &mut KeysMemo::default());
                assert!(upstream.len() < compilation.models.len(), "{}", model.name);
                let from_upstream = model_shape(&compilation, model, &upstream).map(|s| s.keys);
                let from_every = model_shape(&compilation, model, &every).map(|s| s.keys);
                assert_eq!(from_upstream, from_every, "{sample}: {}", model.name);
                known += usize::from(matches!(from_every, Some(Keys::Known { .. })));
            }
            assert!(known > 0, "{sample} has no model with known keys");
        }
    }
}

#[cfg(test)]
mod memo_tests {
    use super::*;
    use crate::{Compiler, ProjectFiles};

    fn project(per_customer: &str) -> ProjectFiles {
        [
            ("rocky.toml", "[project]\nname = \"memo\"\n"),
            (
                "sources/raw.sql",
                "CREATE TABLE raw_orders (id INTEGER, customer_id INTEGER, amount DOUBLE);",
            ),
            ("models/per_customer.sql", per_customer),
            (
                "models/mid.sql",
                "SELECT customer_id, amount FROM per_customer",
            ),
            ("models/top.sql", "SELECT customer_id, amount FROM mid"),
        ]
        .into_iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
    }

    #[test]
    fn memo_follows_upstream_edit() {
        let mut compiler = Compiler::default();
        let mut memo = KeysMemo::default();
        let grouped = compiler.compile(&project(
            "SELECT customer_id, sum(amount) AS amount FROM raw_orders GROUP BY customer_id",
        ));
        let top = grouped.model("top").unwrap();
        let keys = upstream_keys(&grouped, top, &mut memo);
        let by_customer = Keys::known(vec![vec!["customer_id".to_string()]]);
        assert_eq!(keys["per_customer"], by_customer);
        assert_eq!(keys["mid"], by_customer);

        // The same columns without GROUP BY: the compile keeps `mid` as it
        // was, but what it reads no longer has a key, so neither has it.
        let plain = compiler.compile(&project(
            "SELECT customer_id, CAST(amount AS DOUBLE) AS amount FROM raw_orders",
        ));
        assert!(Arc::ptr_eq(
            model_of(&grouped, "mid"),
            model_of(&plain, "mid")
        ));
        let remembered = upstream_keys(&plain, plain.model("top").unwrap(), &mut memo);
        let fresh = upstream_keys(
            &plain,
            plain.model("top").unwrap(),
            &mut KeysMemo::default(),
        );
        assert_eq!(remembered, fresh);
        assert_eq!(remembered["per_customer"], Keys::Unknown);
        assert_eq!(remembered["mid"], Keys::Unknown);
    }

    fn model_of<'a>(compilation: &'a Compilation, name: &str) -> &'a Arc<Model> {
        compilation.models.iter().find(|m| m.name == name).unwrap()
    }
}
