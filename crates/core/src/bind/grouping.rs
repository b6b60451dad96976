//! Checks of aggregation: columns outside GROUP BY and aggregates or
//! window functions where DuckDB does not allow them.

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Ident, Select, SelectItem,
    Spanned,
};

use super::catalog;
use super::functions::{kind_of, FunctionKind};
use super::query::Binder;
use super::scope::Scope;

/// What an expression calls, outside subqueries.
#[derive(Default)]
struct Calls {
    aggregate: Option<sqlparser::tokenizer::Span>,
    window: Option<sqlparser::tokenizer::Span>,
}

fn is_aggregate_call(function: &sqlparser::ast::Function) -> bool {
    let name = function
        .name
        .0
        .last()
        .map(|p| p.to_string().to_ascii_lowercase())
        .unwrap_or_default();
    function.over.is_none()
        && (kind_of(&name) == FunctionKind::Aggregate || catalog::is_aggregate(&name))
}

/// The direct subexpressions of an expression, leaving out subqueries,
/// whose columns belong to another scope.
fn children(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::BinaryOp { left, right, .. } => vec![left, right],
        Expr::UnaryOp { expr, .. }
        | Expr::Nested(expr)
        | Expr::Cast { expr, .. }
        | Expr::IsNull(expr)
        | Expr::IsNotNull(expr)
        | Expr::IsTrue(expr)
        | Expr::IsNotTrue(expr)
        | Expr::IsFalse(expr)
        | Expr::IsNotFalse(expr)
        | Expr::IsUnknown(expr)
        | Expr::IsNotUnknown(expr)
        | Expr::Extract { expr, .. }
        | Expr::Ceil { expr, .. }
        | Expr::Floor { expr, .. }
        | Expr::Collate { expr, .. } => vec![expr],
        Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => vec![a, b],
        Expr::Between {
            expr, low, high, ..
        } => vec![expr, low, high],
        Expr::Like { expr, pattern, .. }
        | Expr::ILike { expr, pattern, .. }
        | Expr::SimilarTo { expr, pattern, .. }
        | Expr::RLike { expr, pattern, .. } => vec![expr, pattern],
        Expr::In { expr, target, .. } => {
            let mut list = vec![expr.as_ref()];
            if let sqlparser::ast::InTarget::List(items) = target {
                list.extend(items.iter());
            }
            list
        }
        Expr::Substring {
            expr,
            substring_from,
            substring_for,
            ..
        } => {
            let mut list = vec![expr.as_ref()];
            list.extend(substring_from.iter().map(|e| e.as_ref()));
            list.extend(substring_for.iter().map(|e| e.as_ref()));
            list
        }
        Expr::Trim {
            expr, trim_what, ..
        } => {
            let mut list = vec![expr.as_ref()];
            list.extend(trim_what.iter().map(|e| e.as_ref()));
            list
        }
        Expr::Position { expr, r#in } => vec![expr, r#in],
        Expr::AtTimeZone {
            timestamp,
            time_zone,
        } => vec![timestamp, time_zone],
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            let mut list: Vec<&Expr> = operand.iter().map(|e| e.as_ref()).collect();
            for when in conditions {
                list.push(&when.condition);
                list.push(&when.result);
            }
            list.extend(else_result.iter().map(|e| e.as_ref()));
            list
        }
        Expr::Function(function) => {
            let mut list = Vec::new();
            if let FunctionArguments::List(args) = &function.args {
                for arg in &args.args {
                    if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                    | FunctionArg::Named {
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    } = arg
                    {
                        list.push(e);
                    }
                }
            }
            if let Some(sqlparser::ast::WindowType::WindowSpec(spec)) = &function.over {
                list.extend(spec.partition_by.iter());
                list.extend(spec.order_by.iter().map(|o| &o.expr));
            }
            list
        }
        Expr::Array(array) => array.elem.iter().collect(),
        Expr::Tuple(items) => items.iter().collect(),
        Expr::CompoundFieldAccess { root, .. } => vec![root],
        Expr::Interval(interval) => vec![&interval.value],
        _ => Vec::new(),
    }
}

/// True when the expression has an aggregate call outside any window.
pub(super) fn has_aggregate(expr: &Expr) -> bool {
    let mut calls = Calls::default();
    find_calls(expr, &mut calls);
    calls.aggregate.is_some()
}

fn find_calls(expr: &Expr, calls: &mut Calls) {
    if let Expr::Function(function) = expr {
        if is_aggregate_call(function) {
            calls.aggregate.get_or_insert(function.name.span());
            return;
        }
        if function.over.is_some() {
            calls.window.get_or_insert(function.name.span());
        }
    }
    for child in children(expr) {
        find_calls(child, calls);
    }
}

/// Normalized text of an expression, for matching it with a GROUP BY key.
fn key_text(expr: &Expr) -> String {
    let text = match expr {
        Expr::Nested(inner) => return key_text(inner),
        Expr::CompoundIdentifier(parts) => {
            parts.last().map(|p| p.value.clone()).unwrap_or_default()
        }
        other => other.to_string(),
    };
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

impl Binder<'_> {
    /// Reports aggregates and window functions in WHERE and GROUP BY, and
    /// columns of a grouped SELECT that are neither grouped nor aggregated.
    pub(crate) fn check_grouping(&mut self, select: &Select, scope: &Scope) {
        if let Some(selection) = &select.selection {
            let mut calls = Calls::default();
            find_calls(selection, &mut calls);
            if let Some(span) = calls.aggregate {
                self.error(
                    "E0206",
                    self.call_extent(span),
                    "WHERE cannot contain aggregates".to_string(),
                    Some("move this condition to HAVING".to_string()),
                );
            }
            if let Some(span) = calls.window {
                self.error(
                    "E0206",
                    self.call_extent(span),
                    "WHERE cannot contain window functions".to_string(),
                    Some("filter on a window function with QUALIFY".to_string()),
                );
            }
        }
        let GroupByExpr::Expressions(group_exprs, _) = &select.group_by else {
            return;
        };
        for expr in group_exprs {
            let mut calls = Calls::default();
            find_calls(expr, &mut calls);
            if let Some(span) = calls.aggregate {
                self.error(
                    "E0206",
                    self.call_extent(span),
                    "GROUP BY cannot contain aggregates".to_string(),
                    Some("group by the column itself and aggregate in the SELECT list".to_string()),
                );
            }
        }

        let items: Vec<(Option<&str>, &Expr)> = select
            .projection
            .iter()
            .filter_map(|item| match item {
                SelectItem::UnnamedExpr(e) => Some((None, e)),
                SelectItem::ExprWithAlias { expr, alias } => {
                    Some((Some(alias.value.as_str()), expr))
                }
                _ => None,
            })
            .collect();
        let mut aggregated = select.having.is_some() || !group_exprs.is_empty();
        if !aggregated {
            let mut calls = Calls::default();
            for (_, expr) in &items {
                find_calls(expr, &mut calls);
            }
            aggregated = calls.aggregate.is_some();
        }
        if !aggregated {
            return;
        }

        // Keys: each GROUP BY expression, with ordinals and select aliases
        // replaced by the select item they name.
        let mut keys: Vec<String> = Vec::new();
        // ROLLUP, CUBE and GROUPING SETS list their keys in groups.
        let flattened: Vec<&Expr> = group_exprs
            .iter()
            .flat_map(|expr| match expr {
                Expr::Rollup(sets) | Expr::Cube(sets) | Expr::GroupingSets(sets) => {
                    sets.iter().flatten().collect()
                }
                other => vec![other],
            })
            .collect();
        for expr in flattened {
            let named = match expr {
                Expr::Value(v) => match &v.value {
                    sqlparser::ast::Value::Number(n, _) => n
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| items.get(i.wrapping_sub(1)))
                        .map(|(_, e)| *e),
                    _ => None,
                },
                Expr::Identifier(ident)
                    if !self.is_current_column(std::slice::from_ref(ident), scope) =>
                {
                    items
                        .iter()
                        .find(|(alias, _)| {
                            alias.is_some_and(|a| a.eq_ignore_ascii_case(&ident.value))
                        })
                        .map(|(_, e)| *e)
                }
                _ => None,
            };
            keys.push(key_text(named.unwrap_or(expr)));
        }

        let mut reported: Vec<String> = Vec::new();
        let mut check = |binder: &mut Self, expr: &Expr| {
            let mut loose = Vec::new();
            binder.ungrouped(expr, &keys, scope, &mut loose);
            for (name, span) in loose {
                let lower = name.to_ascii_lowercase();
                if reported.contains(&lower) {
                    continue;
                }
                reported.push(lower);
                binder.error(
                    "E0205",
                    span,
                    format!("column `{name}` must appear in GROUP BY or be used in an aggregate function"),
                    Some(format!("add `{name}` to GROUP BY, or aggregate it, for example `any_value({name})`")),
                );
            }
        };
        for (_, expr) in &items {
            check(self, expr);
        }
        if let Some(having) = &select.having {
            check(self, having);
        }
    }

    /// Collects the column references of `expr` that are neither inside an
    /// aggregate nor part of a GROUP BY key.
    fn ungrouped(
        &self,
        expr: &Expr,
        keys: &[String],
        scope: &Scope,
        out: &mut Vec<(String, sqlparser::tokenizer::Span)>,
    ) {
        if keys.contains(&key_text(expr)) {
            return;
        }
        match expr {
            Expr::Identifier(ident) => {
                if self.is_current_column(std::slice::from_ref(ident), scope) {
                    out.push((ident.value.clone(), ident.span));
                }
            }
            Expr::CompoundIdentifier(parts) => {
                if self.is_current_column(parts, scope) {
                    let name = parts.last().map(|p| p.value.clone()).unwrap_or_default();
                    let span = parts[0].span.union(&parts[parts.len() - 1].span);
                    out.push((name, span));
                }
            }
            Expr::Function(function) if is_aggregate_call(function) => {}
            other => {
                for child in children(other) {
                    self.ungrouped(child, keys, scope, out);
                }
            }
        }
    }

    /// True when the name is a column of this SELECT's own FROM items.
    fn is_current_column(&self, parts: &[Ident], scope: &Scope) -> bool {
        let Some((column, qualifier)) = parts.split_last() else {
            return false;
        };
        let has = |relation: &super::scope::Relation| {
            relation
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&column.value))
        };
        match qualifier {
            [] => scope.relations.iter().any(has),
            _ => {
                let qualifier: Vec<String> = qualifier.iter().map(|q| q.value.clone()).collect();
                scope.relations.iter().any(|r| {
                    let matches = if qualifier.len() == 1 {
                        r.name.eq_ignore_ascii_case(&qualifier[0])
                    } else {
                        r.parts.ends_with(&qualifier)
                    };
                    matches && has(r)
                })
            }
        }
    }
}
