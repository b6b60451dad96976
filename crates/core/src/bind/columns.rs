//! DuckDB's `COLUMNS(...)` in a select item: the item is repeated once per
//! matching column of the FROM clause, with `COLUMNS(...)` standing for
//! that column. The selector is `*` (with EXCLUDE, REPLACE or RENAME), a
//! regular expression matched anywhere in the name, case-sensitively, a
//! list of names, or a lambda over the name (`c -> c LIKE 'a%'`). Each
//! result is named after its column, or by the item's alias, where `\1`
//! stands for a capture group of the regular expression.

use sqlparser::ast::{
    BinaryOperator, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    LambdaFunction, OneOrManyWithParens, UnaryOperator, Value, WildcardAdditionalOptions,
};
use sqlparser::tokenizer::Span as SqlSpan;

use super::query::{star_candidates, Binder};
use super::scope::Scope;
use super::BoundColumn;
use crate::text::closest;

/// The selector of a `COLUMNS(...)` call.
enum Selector<'a> {
    /// `*` with its options, or `t.*` with the table's name.
    Star(Option<&'a WildcardAdditionalOptions>, Option<String>),
    Regex(String),
    Names(Vec<String>),
    Lambda(&'a LambdaFunction),
}

impl Binder<'_> {
    /// Expands a select item that contains `COLUMNS(...)`; `None` when it
    /// has none.
    pub(super) fn expand_columns(
        &mut self,
        expr: &Expr,
        alias: Option<&Ident>,
        scope: &Scope,
    ) -> Option<Vec<BoundColumn>> {
        let call = find_columns_call(expr)?;
        let span = call
            .name
            .0
            .first()
            .map_or(SqlSpan::empty(), sqlparser::ast::Spanned::span);
        let call_span = self.call_extent(sqlparser::ast::Spanned::span(&call.name));
        let Some(selector) = selector(call) else {
            self.error(
                "E0204",
                call_span,
                "COLUMNS takes `*`, a regular expression, a list of names or a lambda".to_string(),
                Some("for example `COLUMNS('^amount_')` or `COLUMNS(* EXCLUDE (id))`".to_string()),
            );
            return Some(Vec::new());
        };
        let candidates = star_candidates(scope);
        let opaque = candidates.iter().any(|(_, c)| c.is_unknown_rest());
        let known: Vec<&(Option<String>, BoundColumn)> = candidates
            .iter()
            .filter(|(_, c)| !c.is_unknown_rest())
            .collect();

        // Which candidates match, with the capture groups of a regex match.
        let mut matched: Vec<(Option<String>, BoundColumn, Vec<String>)> = Vec::new();
        match &selector {
            Selector::Star(options, table) => {
                let columns: Vec<BoundColumn> = known
                    .iter()
                    .filter(|(q, _)| match (table, q) {
                        (Some(table), Some(q)) => q.eq_ignore_ascii_case(table),
                        (Some(_), None) => false,
                        (None, _) => true,
                    })
                    .map(|(_, c)| c.clone())
                    .collect();
                let options = options.cloned().unwrap_or_default();
                let selected = self.apply_wildcard_options(columns, &options, scope);
                if std::ptr::eq(call_expr(expr), expr) {
                    // `COLUMNS(*)` alone is `*`, REPLACE and RENAME included.
                    let mut columns = rename_all(selected, alias, &[]);
                    if opaque {
                        columns.push(BoundColumn::unknown_rest());
                    }
                    return Some(columns);
                }
                for column in selected {
                    let qualifier = known
                        .iter()
                        .find(|(_, c)| c.name.eq_ignore_ascii_case(&column.name))
                        .and_then(|(q, _)| q.clone());
                    matched.push((qualifier, column, Vec::new()));
                }
            }
            Selector::Regex(pattern) => {
                let regex = match regex_lite::Regex::new(pattern) {
                    Ok(regex) => regex,
                    Err(error) => {
                        self.error(
                            "E0204",
                            call_span,
                            format!("COLUMNS has an invalid regular expression: {error}"),
                            None,
                        );
                        return Some(Vec::new());
                    }
                };
                for (qualifier, column) in &known {
                    if let Some(captures) = regex.captures(&column.name) {
                        let groups = captures
                            .iter()
                            .map(|g| g.map_or(String::new(), |g| g.as_str().to_string()))
                            .collect();
                        matched.push((qualifier.clone(), column.clone(), groups));
                    }
                }
            }
            Selector::Names(names) => {
                for name in names {
                    match known
                        .iter()
                        .find(|(_, c)| c.name.eq_ignore_ascii_case(name))
                    {
                        Some((qualifier, column)) => {
                            matched.push((qualifier.clone(), column.clone(), Vec::new()))
                        }
                        None if opaque => {}
                        None => {
                            let help = closest(name, known.iter().map(|(_, c)| &*c.name))
                                .map(|s| format!("did you mean `{s}`?"));
                            self.error(
                                "E0101",
                                call_span,
                                format!("COLUMNS names column `{name}`, which is not in scope"),
                                help,
                            );
                        }
                    }
                }
            }
            Selector::Lambda(lambda) => {
                let param = match &lambda.params {
                    OneOrManyWithParens::One(p) => p.name.value.clone(),
                    OneOrManyWithParens::Many(ps) if ps.len() == 1 => ps[0].name.value.clone(),
                    OneOrManyWithParens::Many(_) => String::new(),
                };
                for (qualifier, column) in &known {
                    match name_predicate(&lambda.body, &param, &column.name) {
                        Some(true) => matched.push((qualifier.clone(), column.clone(), Vec::new())),
                        Some(false) => {}
                        None => {
                            self.warning(
                                "W0106",
                                call_span,
                                "Rocky cannot evaluate this COLUMNS lambda; its columns are unknown"
                                    .to_string(),
                                Some("use LIKE, ILIKE, =, IN, starts_with, ends_with, contains or regexp_matches on the name".to_string()),
                            );
                            return Some(vec![BoundColumn::unknown_rest()]);
                        }
                    }
                }
            }
        }
        if matched.is_empty() && !opaque {
            let names: Vec<String> = known.iter().map(|(_, c)| c.name.to_string()).collect();
            self.error(
                "E0101",
                call_span,
                "COLUMNS matches no column".to_string(),
                Some(format!("columns in scope: {}", names.join(", "))),
            );
        }

        let whole = std::ptr::eq(call_expr(expr), expr);
        let mut columns = Vec::new();
        for (qualifier, column, groups) in matched {
            let mut bound = if whole {
                column.clone()
            } else {
                let replacement = column_reference(qualifier.as_deref(), &column.name, span);
                let substituted = substitute(expr, &replacement);
                let info = self.bind_expr(&substituted, scope);
                BoundColumn {
                    name: column.name.clone(),
                    ty: info.ty,
                    origins: info.origins,
                    not_null: info.not_null,
                    definition: None,
                }
            };
            bound.name = match alias {
                Some(alias) => expand_groups(&alias.value, &groups).into(),
                None => column.name.clone(),
            };
            columns.push(bound);
        }
        if opaque {
            columns.push(BoundColumn::unknown_rest());
        }
        Some(columns)
    }
}

/// Renames every column to the alias, when there is one.
fn rename_all(
    columns: Vec<BoundColumn>,
    alias: Option<&Ident>,
    groups: &[String],
) -> Vec<BoundColumn> {
    columns
        .into_iter()
        .map(|mut column| {
            if let Some(alias) = alias {
                column.name = expand_groups(&alias.value, groups).into();
            }
            column
        })
        .collect()
}

/// Replaces `\1`...`\9` in an alias by the regex capture groups.
fn expand_groups(alias: &str, groups: &[String]) -> String {
    let mut out = String::new();
    let mut chars = alias.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
                chars.next();
                out.push_str(groups.get(digit as usize).map_or("", String::as_str));
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The first `COLUMNS(...)` call in an expression, searching the shapes a
/// select item puts around it: calls, operators, casts, CASE, parentheses.
fn find_columns_call(expr: &Expr) -> Option<&Function> {
    match call_expr(expr) {
        Expr::Function(function) if is_columns(function) => Some(function),
        _ => None,
    }
}

/// The `COLUMNS(...)` expression inside `expr`, or `expr` itself when it
/// has none.
fn call_expr(expr: &Expr) -> &Expr {
    fn find(expr: &Expr) -> Option<&Expr> {
        match expr {
            Expr::Function(function) if is_columns(function) => Some(expr),
            Expr::Function(function) => match &function.args {
                FunctionArguments::List(list) => list.args.iter().find_map(|arg| match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                    | FunctionArg::Named {
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    } => find(e),
                    _ => None,
                }),
                _ => None,
            },
            Expr::BinaryOp { left, right, .. } => find(left).or_else(|| find(right)),
            Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::Cast { expr, .. }
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr) => find(expr),
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => operand
                .as_deref()
                .and_then(find)
                .or_else(|| {
                    conditions
                        .iter()
                        .find_map(|w| find(&w.condition).or_else(|| find(&w.result)))
                })
                .or_else(|| else_result.as_deref().and_then(find)),
            Expr::Between {
                expr, low, high, ..
            } => find(expr).or_else(|| find(low)).or_else(|| find(high)),
            _ => None,
        }
    }
    find(expr).unwrap_or(expr)
}

fn is_columns(function: &Function) -> bool {
    function.name.0.len() == 1
        && function
            .name
            .0
            .first()
            .is_some_and(|p| p.to_string().eq_ignore_ascii_case("columns"))
}

/// Reads the argument of `COLUMNS(...)`.
fn selector(function: &Function) -> Option<Selector<'_>> {
    let FunctionArguments::List(list) = &function.args else {
        return None;
    };
    let [FunctionArg::Unnamed(arg)] = list.args.as_slice() else {
        return None;
    };
    match arg {
        FunctionArgExpr::Wildcard => Some(Selector::Star(None, None)),
        FunctionArgExpr::WildcardWithOptions(options) => Some(Selector::Star(Some(options), None)),
        FunctionArgExpr::QualifiedWildcard(name) => Some(Selector::Star(
            None,
            name.0
                .last()
                .map(|part| part.to_string().trim_matches('"').to_string()),
        )),
        FunctionArgExpr::Expr(Expr::Value(value)) => match &value.value {
            Value::SingleQuotedString(pattern) => Some(Selector::Regex(pattern.clone())),
            _ => None,
        },
        FunctionArgExpr::Expr(Expr::Array(array)) => array
            .elem
            .iter()
            .map(|e| match e {
                Expr::Value(v) => match &v.value {
                    Value::SingleQuotedString(name) => Some(name.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(Selector::Names),
        FunctionArgExpr::Expr(Expr::Lambda(lambda)) => Some(Selector::Lambda(lambda)),
        _ => None,
    }
}

/// `column` or `qualifier.column`, quoted, located at `span`.
fn column_reference(qualifier: Option<&str>, column: &str, span: SqlSpan) -> Expr {
    let ident = |value: &str| Ident {
        value: value.to_string(),
        quote_style: Some('"'),
        span,
    };
    match qualifier {
        Some(qualifier) => Expr::CompoundIdentifier(vec![ident(qualifier), ident(column)]),
        None => Expr::Identifier(ident(column)),
    }
}

/// Returns `expr` with every `COLUMNS(...)` call replaced by `replacement`.
fn substitute(expr: &Expr, replacement: &Expr) -> Expr {
    if let Expr::Function(function) = expr {
        if is_columns(function) {
            return replacement.clone();
        }
    }
    let mut out = expr.clone();
    let sub = |e: &mut Expr| *e = substitute(e, replacement);
    match &mut out {
        Expr::Function(function) => {
            if let FunctionArguments::List(list) = &mut function.args {
                for arg in &mut list.args {
                    if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                    | FunctionArg::Named {
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    } = arg
                    {
                        sub(e);
                    }
                }
            }
        }
        Expr::BinaryOp { left, right, .. } => {
            sub(left);
            sub(right);
        }
        Expr::UnaryOp { expr, .. }
        | Expr::Nested(expr)
        | Expr::IsNull(expr)
        | Expr::IsNotNull(expr)
        | Expr::Cast { expr, .. } => sub(expr),
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            if let Some(operand) = operand {
                sub(operand);
            }
            for when in conditions {
                sub(&mut when.condition);
                sub(&mut when.result);
            }
            if let Some(otherwise) = else_result {
                sub(otherwise);
            }
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            sub(expr);
            sub(low);
            sub(high);
        }
        _ => {}
    }
    out
}

/// Evaluates a COLUMNS lambda's body for one column name. `None` when the
/// body uses something other than the supported name tests.
fn name_predicate(body: &Expr, param: &str, name: &str) -> Option<bool> {
    let text = |e: &Expr| name_text(e, param, name);
    match body {
        Expr::Nested(inner) => name_predicate(inner, param, name),
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => name_predicate(expr, param, name).map(|b| !b),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::And => {
                Some(name_predicate(left, param, name)? && name_predicate(right, param, name)?)
            }
            BinaryOperator::Or => {
                Some(name_predicate(left, param, name)? || name_predicate(right, param, name)?)
            }
            BinaryOperator::Eq => Some(text(left)? == text(right)?),
            BinaryOperator::NotEq => Some(text(left)? != text(right)?),
            _ => None,
        },
        Expr::Like {
            negated,
            expr,
            pattern,
            ..
        } => Some(like(&text(expr)?, &text(pattern)?, false) != *negated),
        Expr::ILike {
            negated,
            expr,
            pattern,
            ..
        } => Some(like(&text(expr)?, &text(pattern)?, true) != *negated),
        Expr::In {
            expr,
            target: sqlparser::ast::InTarget::List(list),
            negated,
            ..
        } => {
            let value = text(expr)?;
            let mut found = false;
            for item in list {
                found |= text(item)? == value;
            }
            Some(found != *negated)
        }
        Expr::Function(function) => {
            let called = function.name.to_string().to_ascii_lowercase();
            let args = plain_args(function)?;
            let [first, second] = args.as_slice() else {
                return None;
            };
            let (value, needle) = (text(first)?, text(second)?);
            match called.as_str() {
                "starts_with" | "prefix" => Some(value.starts_with(&needle)),
                "ends_with" | "suffix" => Some(value.ends_with(&needle)),
                "contains" => Some(value.contains(&needle)),
                "regexp_matches" => regex_lite::Regex::new(&needle)
                    .ok()
                    .map(|r| r.is_match(&value)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The text of a string expression in a COLUMNS lambda: the parameter, a
/// literal, or `lower`/`upper` of one.
fn name_text(expr: &Expr, param: &str, name: &str) -> Option<String> {
    match expr {
        Expr::Identifier(ident) if ident.value.eq_ignore_ascii_case(param) => {
            Some(name.to_string())
        }
        Expr::Value(value) => match &value.value {
            Value::SingleQuotedString(text) => Some(text.clone()),
            _ => None,
        },
        Expr::Nested(inner) => name_text(inner, param, name),
        Expr::Function(function) => {
            let called = function.name.to_string().to_ascii_lowercase();
            let args = plain_args(function)?;
            let [arg] = args.as_slice() else {
                return None;
            };
            let value = name_text(arg, param, name)?;
            match called.as_str() {
                "lower" | "lcase" => Some(value.to_lowercase()),
                "upper" | "ucase" => Some(value.to_uppercase()),
                _ => None,
            }
        }
        _ => None,
    }
}

fn plain_args(function: &Function) -> Option<Vec<&Expr>> {
    let FunctionArguments::List(list) = &function.args else {
        return None;
    };
    list.args
        .iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
            _ => None,
        })
        .collect()
}

/// A test of a column name.
pub(super) type NameTest = Box<dyn Fn(&str) -> bool>;

/// Returns a test of column names for `* LIKE 'pattern'` and its kin:
/// `like`, `ilike`, `glob` (`*` and `?`) or `similar` (a regular
/// expression that must match the whole name). `None` for an invalid
/// regular expression.
pub(super) fn name_matcher(operator: &str, pattern: &str) -> Option<NameTest> {
    let pattern = pattern.to_string();
    match operator {
        "ilike" => Some(Box::new(move |name| like(name, &pattern, true))),
        "glob" => {
            let translated: String = pattern
                .chars()
                .map(|c| match c {
                    '*' => '%',
                    '?' => '_',
                    other => other,
                })
                .collect();
            Some(Box::new(move |name| like(name, &translated, false)))
        }
        "similar" => {
            let regex = regex_lite::Regex::new(&format!("^(?:{pattern})$")).ok()?;
            Some(Box::new(move |name| regex.is_match(name)))
        }
        _ => Some(Box::new(move |name| like(name, &pattern, false))),
    }
}

/// SQL LIKE: `%` matches any run of characters, `_` one character.
fn like(value: &str, pattern: &str, ignore_case: bool) -> bool {
    let (value, pattern): (Vec<char>, Vec<char>) = if ignore_case {
        (
            value.to_lowercase().chars().collect(),
            pattern.to_lowercase().chars().collect(),
        )
    } else {
        (value.chars().collect(), pattern.chars().collect())
    };
    // Classic two-pointer match with backtracking to the last `%`.
    let (mut v, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while v < value.len() {
        if p < pattern.len() && (pattern[p] == '_' || pattern[p] == value[v]) {
            v += 1;
            p += 1;
        } else if p < pattern.len() && pattern[p] == '%' {
            star = Some((p, v));
            p += 1;
        } else if let Some((star_p, star_v)) = star {
            p = star_p + 1;
            v = star_v + 1;
            star = Some((star_p, star_v + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '%')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns() {
        assert!(like("amount", "a%", false));
        assert!(like("amount", "%oun%", false));
        assert!(like("amount", "a_ount", false));
        assert!(!like("Amount", "a%", false));
        assert!(like("Amount", "a%", true));
        assert!(!like("amount", "b%", false));
        assert!(like("", "%", false));
    }

    #[test]
    fn alias_groups() {
        let groups = vec!["a_x".to_string(), "a".to_string(), "x".to_string()];
        assert_eq!(expand_groups("\\2_\\1", &groups), "x_a");
        assert_eq!(expand_groups("plain", &groups), "plain");
    }
}
