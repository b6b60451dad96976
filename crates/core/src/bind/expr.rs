//! Binding of expressions: name resolution, type inference and origins.

use sqlparser::ast::{
    BinaryOperator, DateTimeField, Expr, Ident, Spanned, UnaryOperator, Value, WindowSpec,
};

use super::functions::{return_type, unify};
use super::operators::loses_precision_in;
use super::query::{list_or_none, Binder};
use super::scope::{Resolution, Scope};
use super::{span_of, BoundColumn, Origins};
use crate::output::{ColumnRef, ColumnUse, EdgeKind, IndirectKind};
use crate::text::closest;
use crate::types::{Type, MAX_DECIMAL_WIDTH};

/// What binding an expression produced.
#[derive(Clone, Debug)]
pub(crate) struct ExprInfo {
    pub ty: Type,
    /// Columns that feed the value.
    pub origins: Origins,
    /// The value of an integer literal, which DuckDB types by its size.
    pub literal: Option<i128>,
    /// The column's name as defined, when the expression is a bare column.
    pub column_name: Option<String>,
    /// True for a string literal, which takes the type of what it meets.
    pub string_literal: bool,
    /// True when the value can never be NULL.
    pub not_null: bool,
}

impl ExprInfo {
    /// Sets whether the value can be NULL.
    fn with_not_null(mut self, not_null: bool) -> ExprInfo {
        self.not_null = not_null;
        self
    }

    pub(super) fn of(ty: Type) -> ExprInfo {
        ExprInfo {
            ty,
            origins: Origins::new(),
            literal: None,
            column_name: None,
            string_literal: false,
            not_null: false,
        }
    }

    fn derived(ty: Type, origins: Origins) -> ExprInfo {
        ExprInfo {
            ty,
            origins: origins.raised(EdgeKind::Transformation),
            literal: None,
            column_name: None,
            string_literal: false,
            not_null: false,
        }
    }
}

impl Binder<'_> {
    pub(crate) fn bind_expr(&mut self, expr: &Expr, scope: &Scope) -> ExprInfo {
        self.bind_expr_with(expr, scope, false)
    }

    /// Binds an expression; `aliases_first` makes select-list aliases win
    /// over FROM columns, as they do in ORDER BY.
    pub(crate) fn bind_expr_with(
        &mut self,
        expr: &Expr,
        scope: &Scope,
        aliases_first: bool,
    ) -> ExprInfo {
        let bind = |binder: &mut Self, e: &Expr| binder.bind_expr_with(e, scope, aliases_first);
        match expr {
            Expr::Identifier(ident) => self.resolve_column(&[], ident, scope, aliases_first),
            Expr::CompoundIdentifier(parts) => match parts.split_last() {
                Some((column, qualifier)) => {
                    self.resolve_column(qualifier, column, scope, aliases_first)
                }
                None => ExprInfo::of(Type::Unknown),
            },
            Expr::Nested(inner) => bind(self, inner),
            Expr::Value(value) => literal(&value.value),
            Expr::TypedString(typed) => {
                ExprInfo::of(Type::from_sql(&typed.data_type).unwrap_or(Type::Unknown))
                    .with_not_null(true)
            }
            Expr::Interval(interval) => {
                let value = bind(self, &interval.value);
                ExprInfo::of(Type::Interval).with_not_null(value.not_null)
            }
            Expr::BinaryOp { .. } => self.bind_binary_chain(expr, scope, aliases_first),
            Expr::UnaryOp { op, expr: inner } => {
                let mut info = bind(self, inner);
                match op {
                    UnaryOperator::Not => {
                        ExprInfo::derived(Type::Boolean, info.origins).with_not_null(info.not_null)
                    }
                    UnaryOperator::Minus => {
                        info.literal = info.literal.and_then(|v| v.checked_neg());
                        info.column_name = None;
                        info.origins = info.origins.raised(EdgeKind::Transformation);
                        info
                    }
                    _ => info,
                }
            }
            Expr::Cast {
                expr: inner,
                data_type,
                kind,
                ..
            } => {
                let info = bind(self, inner);
                let ty = Type::from_sql(data_type).unwrap_or_else(|| {
                    let double_colon = matches!(kind, sqlparser::ast::CastKind::DoubleColon);
                    let type_span = self.cast_type_span(expr.span(), double_colon);
                    if let Some((width, scale)) = crate::types::invalid_decimal(data_type) {
                        self.error(
                            "E0208",
                            type_span,
                            format!("type `{data_type}` is invalid: DECIMAL({width},{scale}) needs a width from 1 to 38 and a scale from 0 to the width"),
                            Some("write DECIMAL(width,scale) with scale <= width, as in DECIMAL(12,2)".to_string()),
                        );
                        return Type::Unknown;
                    }
                    self.warning(
                        "W0103",
                        type_span,
                        format!("type `{data_type}` is not known to Rocky"),
                        None,
                    );
                    Type::Unknown
                });
                // A failed CAST is an error; a failed TRY_CAST is NULL, and so
                // is a cast of the JSON value `null`.
                let strict = matches!(
                    kind,
                    sqlparser::ast::CastKind::Cast | sqlparser::ast::CastKind::DoubleColon
                ) && info.ty != Type::Json;
                ExprInfo::derived(ty, info.origins).with_not_null(info.not_null && strict)
            }
            Expr::Function(_) => self.bind_function(expr, scope, aliases_first),
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let mut condition_origins = Origins::new();
                if let Some(operand) = operand {
                    condition_origins = bind(self, operand).origins;
                }
                let mut results = Vec::new();
                let mut result_exprs = Vec::new();
                for when in conditions {
                    let condition = bind(self, &when.condition);
                    condition_origins.merge(&condition.origins);
                    results.push(bind(self, &when.result));
                    result_exprs.push(&when.result);
                }
                if let Some(otherwise) = else_result {
                    results.push(bind(self, otherwise));
                    result_exprs.push(otherwise.as_ref());
                }
                // Conditions decide which branch is taken, not the value itself.
                self.add_indirect(&condition_origins, IndirectKind::Conditional);
                let types = value_types(&results);
                let mixed = self.check_mixing(
                    &results,
                    &result_exprs,
                    "the branches of this CASE",
                    expr.span(),
                );
                let ty = if mixed {
                    Some(Type::Unknown)
                } else {
                    unify(&types)
                };
                if let Some(ty) = &ty {
                    self.check_lossy(&results, &result_exprs, ty, "the branches of this CASE");
                }
                let ty = ty.unwrap_or_else(|| {
                    let listed = types
                        .iter()
                        .map(Type::to_string)
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.error(
                        "E0201",
                        expr.span(),
                        format!(
                            "the branches of this CASE have types with no common type: {listed}"
                        ),
                        Some("cast the branches to one type".to_string()),
                    );
                    Type::Unknown
                });
                let mut origins = Origins::new();
                for result in &results {
                    origins.merge(&result.origins);
                }
                // Without ELSE, a row no branch matches is NULL.
                let not_null = else_result.is_some() && results.iter().all(|r| r.not_null);
                ExprInfo::derived(ty, origins).with_not_null(not_null)
            }
            Expr::IsNull(inner)
            | Expr::IsNotNull(inner)
            | Expr::IsTrue(inner)
            | Expr::IsNotTrue(inner)
            | Expr::IsFalse(inner)
            | Expr::IsNotFalse(inner)
            | Expr::IsUnknown(inner)
            | Expr::IsNotUnknown(inner) => {
                let info = bind(self, inner);
                ExprInfo::derived(Type::Boolean, info.origins).with_not_null(true)
            }
            Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => {
                let mut origins = bind(self, a).origins;
                origins.merge(&bind(self, b).origins);
                ExprInfo::derived(Type::Boolean, origins).with_not_null(true)
            }
            Expr::Between {
                expr: inner,
                low,
                high,
                ..
            } => {
                let values = [bind(self, inner), bind(self, low), bind(self, high)];
                let exprs = [inner.as_ref(), low.as_ref(), high.as_ref()];
                self.check_mixing(&values, &exprs, "BETWEEN", expr.span());
                let mut origins = Origins::new();
                for value in &values {
                    origins.merge(&value.origins);
                }
                let not_null = values.iter().all(|v| v.not_null);
                ExprInfo::derived(Type::Boolean, origins).with_not_null(not_null)
            }
            Expr::Like {
                expr: inner,
                pattern,
                ..
            }
            | Expr::ILike {
                expr: inner,
                pattern,
                ..
            }
            | Expr::SimilarTo {
                expr: inner,
                pattern,
                ..
            }
            | Expr::RLike {
                expr: inner,
                pattern,
                ..
            } => {
                let value = bind(self, inner);
                let pattern = bind(self, pattern);
                let mut origins = value.origins;
                origins.merge(&pattern.origins);
                ExprInfo::derived(Type::Boolean, origins)
                    .with_not_null(value.not_null && pattern.not_null)
            }
            Expr::In {
                expr: inner,
                target,
                ..
            } => {
                let value = bind(self, inner);
                let origins = value.origins;
                match target {
                    sqlparser::ast::InTarget::List(list) => {
                        let mut origins = origins;
                        let mut not_null = value.not_null;
                        for item in list {
                            let item = bind(self, item);
                            not_null &= item.not_null;
                            origins.merge(&item.origins);
                        }
                        ExprInfo::derived(Type::Boolean, origins).with_not_null(not_null)
                    }
                    sqlparser::ast::InTarget::Subquery(query) => {
                        // The subquery's column feeds the result like the
                        // left side does: a WHERE makes both filters, a
                        // select item computes from both.
                        let columns = self.bind_query(query, Some(scope));
                        let mut origins = origins;
                        for column in &columns {
                            origins.merge(&column.origins);
                        }
                        ExprInfo::derived(Type::Boolean, origins)
                    }
                    sqlparser::ast::InTarget::Unnest(list) => {
                        let mut origins = origins;
                        origins.merge(&bind(self, list).origins);
                        ExprInfo::derived(Type::Boolean, origins)
                    }
                    _ => ExprInfo::derived(Type::Boolean, origins),
                }
            }
            Expr::Exists { subquery, .. } => {
                // Whether a row exists depends on the columns the subquery
                // filters and joins on, not on what it selects. They feed
                // the result: a WHERE makes them filters again, a select
                // item computes from them.
                let outer = std::mem::take(&mut self.filters);
                let _ = self.bind_query(subquery, Some(scope));
                let inner = std::mem::replace(&mut self.filters, outer);
                let origins: Origins = inner
                    .into_keys()
                    .map(|key| (key, EdgeKind::Transformation))
                    .collect();
                ExprInfo::derived(Type::Boolean, origins).with_not_null(true)
            }
            Expr::Subquery(query) => {
                let columns = self.bind_query(query, Some(scope));
                match columns.into_iter().next() {
                    Some(first) => ExprInfo {
                        ty: first.ty,
                        origins: first.origins,
                        literal: None,
                        column_name: None,
                        string_literal: false,
                        not_null: false,
                    },
                    None => ExprInfo::of(Type::Unknown),
                }
            }
            Expr::Extract {
                field, expr: inner, ..
            } => {
                let info = bind(self, inner);
                let ty = match field {
                    DateTimeField::Epoch => Type::Double,
                    _ => Type::BigInt,
                };
                // A part of the date `infinity` is NULL.
                ExprInfo::derived(ty, info.origins)
            }
            Expr::Substring {
                expr: inner,
                substring_from,
                substring_for,
                ..
            } => {
                let info = bind(self, inner);
                let mut args = vec![info.clone()];
                for part in substring_from.iter().chain(substring_for.iter()) {
                    args.push(bind(self, part));
                }
                let ty = match self.check_named_call(expr.span(), expr, "substring", &args) {
                    Some(_) => Type::Varchar,
                    None => Type::Unknown,
                };
                let not_null = args.iter().all(|a| a.not_null);
                ExprInfo::derived(ty, info.origins).with_not_null(not_null)
            }
            Expr::Trim {
                expr: inner,
                trim_what,
                trim_characters,
                ..
            } => {
                let info = bind(self, inner);
                let mut args = vec![info.clone()];
                for part in trim_what
                    .iter()
                    .map(|b| b.as_ref())
                    .chain(trim_characters.iter().flatten())
                {
                    args.push(bind(self, part));
                }
                let ty = match self.check_named_call(expr.span(), expr, "trim", &args) {
                    Some(_) => Type::Varchar,
                    None => Type::Unknown,
                };
                let not_null = args.iter().all(|a| a.not_null);
                ExprInfo::derived(ty, info.origins).with_not_null(not_null)
            }
            Expr::Position { expr: inner, r#in } => {
                let needle = bind(self, inner);
                let haystack = bind(self, r#in);
                let mut origins = needle.origins;
                origins.merge(&haystack.origins);
                ExprInfo::derived(Type::BigInt, origins)
                    .with_not_null(needle.not_null && haystack.not_null)
            }
            Expr::Ceil { expr: inner, .. } | Expr::Floor { expr: inner, .. } => {
                let info = bind(self, inner);
                let ty = return_type("ceil", std::slice::from_ref(&info.ty), None)
                    .unwrap_or(Type::Unknown);
                ExprInfo::derived(ty, info.origins).with_not_null(info.not_null)
            }
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => {
                let info = bind(self, timestamp);
                let zone = bind(self, time_zone);
                let ty = match info.ty {
                    Type::TimestampTz => Type::Timestamp,
                    Type::Unknown => Type::Unknown,
                    _ => Type::TimestampTz,
                };
                ExprInfo::derived(ty, info.origins).with_not_null(info.not_null && zone.not_null)
            }
            Expr::Collate { expr: inner, .. } => bind(self, inner),
            Expr::Array(array) => {
                let items: Vec<ExprInfo> = array.elem.iter().map(|e| bind(self, e)).collect();
                // `[1, 'a']` is INTEGER[]: string literals take the type they meet.
                let types = value_types(&items);
                let mut origins = Origins::new();
                for item in &items {
                    origins.merge(&item.origins);
                }
                ExprInfo::derived(
                    Type::List(Box::new(unify(&types).unwrap_or(Type::Unknown))),
                    origins,
                )
                .with_not_null(true)
            }
            Expr::Dictionary(fields) => {
                let mut origins = Origins::new();
                let mut struct_fields = Vec::new();
                for field in fields {
                    let info = bind(self, &field.value);
                    origins.merge(&info.origins);
                    struct_fields.push((field.key.value.clone(), info.ty));
                }
                ExprInfo::derived(Type::Struct(struct_fields), origins).with_not_null(true)
            }
            Expr::CompoundFieldAccess { root, access_chain } => {
                let info = bind(self, root);
                let mut ty = info.ty.clone();
                for access in access_chain {
                    use sqlparser::ast::{AccessExpr as A, Subscript as S};
                    ty = match (access, ty) {
                        (
                            A::Dot(Expr::Identifier(field)),
                            Type::Struct(fields) | Type::Union(fields),
                        ) => fields
                            .into_iter()
                            .find(|(name, _)| name.eq_ignore_ascii_case(&field.value))
                            .map_or(Type::Unknown, |(_, t)| t),
                        // A slice keeps the list; a slice of a fixed ARRAY is a LIST.
                        (A::Subscript(S::Slice { .. }), Type::Array(element, _)) => {
                            Type::List(element)
                        }
                        (A::Subscript(S::Slice { .. }), ty @ (Type::List(_) | Type::Varchar)) => ty,
                        (
                            A::Subscript(S::Index { .. }),
                            Type::List(element) | Type::Array(element, _),
                        ) => *element,
                        (A::Subscript(_), Type::Varchar) => Type::Varchar,
                        (A::Subscript(_), Type::Map(_, value)) => *value,
                        _ => Type::Unknown,
                    };
                }
                ExprInfo::derived(ty, info.origins)
            }
            Expr::Tuple(items) => {
                // `(a, b)` is `row(a, b)`: a STRUCT with unnamed fields.
                let mut origins = Origins::new();
                let mut fields = Vec::new();
                for item in items {
                    let info = bind(self, item);
                    origins.merge(&info.origins);
                    fields.push((String::new(), info.ty));
                }
                ExprInfo::derived(Type::Struct(fields), origins).with_not_null(true)
            }
            Expr::Wildcard(_) | Expr::QualifiedWildcard(..) => ExprInfo::of(Type::Unknown),
            Expr::Rollup(sets) | Expr::Cube(sets) | Expr::GroupingSets(sets) => {
                let mut origins = Origins::new();
                for item in sets.iter().flatten() {
                    origins.merge(&bind(self, item).origins);
                }
                ExprInfo::derived(Type::Unknown, origins)
            }
            Expr::AnyOp { left, right, .. } | Expr::AllOp { left, right, .. } => {
                let mut origins = bind(self, left).origins;
                origins.merge(&bind(self, right).origins);
                ExprInfo::derived(Type::Boolean, origins)
            }
            Expr::Map(map) => {
                let mut origins = Origins::new();
                let (mut keys, mut values) = (Vec::new(), Vec::new());
                for entry in &map.entries {
                    let key = bind(self, &entry.key);
                    let value = bind(self, &entry.value);
                    origins.merge(&key.origins);
                    origins.merge(&value.origins);
                    keys.push(key.ty);
                    values.push(value.ty);
                }
                let ty = match (unify(&keys), unify(&values)) {
                    (Some(k), Some(v)) if !map.entries.is_empty() => {
                        Type::Map(Box::new(k), Box::new(v))
                    }
                    _ => Type::Unknown,
                };
                ExprInfo::derived(ty, origins).with_not_null(true)
            }
            Expr::Lambda(lambda) => {
                // sqlparser reads `j -> '$.a'` as a lambda, but outside a
                // lambda function's arguments DuckDB binds it as the JSON
                // operator; a lambda with a literal body would be useless.
                if let Some(arrow) = json_arrow(lambda) {
                    return self.bind_expr(&arrow, scope);
                }
                // A lambda outside the list functions Rocky types: its body
                // is still checked, with parameters of unknown type.
                let body = self.bind_untyped_lambda(lambda, scope);
                ExprInfo::derived(Type::Unknown, body.origins)
            }
            other => {
                let span = self.enclosing_call(self.expr_span(other));
                let span = match other {
                    // `x IS NORMALIZED` has the span of `x`.
                    Expr::IsNormalized { .. } => self.through_words(
                        span,
                        &["is", "not", "nfc", "nfd", "nfkc", "nfkd", "normalized"],
                    ),
                    _ => span,
                };
                self.unsupported(span, "expression");
                let mut info = ExprInfo::of(Type::Unknown);
                info.origins =
                    super::locals::unresolved("syntax Rocky does not analyze".to_string());
                info
            }
        }
    }

    /// Binds a binary operator and the chain of binary operators on its left
    /// (`a + b + c` nests to the left) in a loop rather than by recursion,
    /// so a long chain does not grow the stack.
    fn bind_binary_chain(&mut self, expr: &Expr, scope: &Scope, aliases_first: bool) -> ExprInfo {
        let mut spine = vec![expr];
        let mut leftmost = expr;
        while let Expr::BinaryOp { left, .. } = leftmost {
            leftmost = left;
            if matches!(leftmost, Expr::BinaryOp { .. }) {
                spine.push(leftmost);
            }
        }
        let mut l = self.bind_expr_with(leftmost, scope, aliases_first);
        for node in spine.into_iter().rev() {
            let Expr::BinaryOp { op, right, .. } = node else {
                continue;
            };
            let r = self.bind_expr_with(right, scope, aliases_first);
            l = self.binary_info(node, op, l, r);
        }
        l
    }

    /// The result of `l op r`, where `expr` is the operator's node.
    fn binary_info(
        &mut self,
        expr: &Expr,
        op: &BinaryOperator,
        l: ExprInfo,
        r: ExprInfo,
    ) -> ExprInfo {
        let ty = self.binary_type(op, &l, &r, expr);
        let mut origins = l.origins;
        origins.merge(&r.origins);
        // Integer division and modulo by zero give NULL; `/` gives infinity.
        // A JSON path that is not there gives NULL.
        let may_null = matches!(
            op,
            BinaryOperator::Modulo
                | BinaryOperator::DuckIntegerDivide
                | BinaryOperator::MyIntegerDivide
                | BinaryOperator::Arrow
                | BinaryOperator::LongArrow
                | BinaryOperator::HashArrow
                | BinaryOperator::HashLongArrow
        );
        let mut info =
            ExprInfo::derived(ty, origins).with_not_null(l.not_null && r.not_null && !may_null);
        if let (Some(a), Some(b)) = (l.literal, r.literal) {
            info.literal = match op {
                BinaryOperator::Plus => a.checked_add(b),
                BinaryOperator::Minus => a.checked_sub(b),
                BinaryOperator::Multiply => a.checked_mul(b),
                _ => None,
            };
        }
        info
    }

    /// Resolves `column` or `qualifier.column`, reporting unknown and
    /// ambiguous names with help.
    fn resolve_column(
        &mut self,
        qualifier: &[Ident],
        column: &Ident,
        scope: &Scope,
        aliases_first: bool,
    ) -> ExprInfo {
        let span = match qualifier.first() {
            Some(first) => first.span.union(&column.span),
            None => column.span,
        };
        if qualifier.is_empty() {
            return match scope.resolve(&column.value, aliases_first) {
                Resolution::Found(found) => {
                    let table = scope
                        .relations
                        .iter()
                        .find(|r| {
                            r.columns
                                .iter()
                                .any(|c| c.name.eq_ignore_ascii_case(&found.name))
                        })
                        .map(|r| r.name.clone());
                    self.record_use(span, &found, table);
                    ExprInfo {
                        ty: found.ty,
                        origins: found.origins,
                        literal: None,
                        column_name: Some(found.name.to_string()),
                        string_literal: false,
                        not_null: found.not_null,
                    }
                }
                Resolution::Opaque => {
                    // The name may belong to a table whose columns are unknown.
                    let table = scope
                        .relations
                        .iter()
                        .find(|r| r.opaque)
                        .map_or_else(|| "a table".to_string(), |r| format!("`{}`", r.name));
                    let mut info = ExprInfo::of(Type::Unknown);
                    info.origins = super::locals::unresolved(format!(
                        "`{}` may come from {table}, whose columns are unknown",
                        column.value
                    ));
                    info
                }
                Resolution::Ambiguous(candidates) => {
                    let names: Vec<&str> =
                        candidates.iter().map(|(name, _)| name.as_str()).collect();
                    self.error(
                        "E0102",
                        span,
                        format!("column reference `{}` is ambiguous", column.value),
                        Some(format!(
                            "it matches {}; qualify it with a table name or alias",
                            names.join(" and ")
                        )),
                    );
                    for (name, from) in &candidates {
                        self.label(*from, format!("`{name}` comes from here"));
                    }
                    ExprInfo::of(Type::Unknown)
                }
                Resolution::NotFound => {
                    if let Some(info) = keyword_value(&column.value) {
                        return info;
                    }
                    if column.quote_style.is_none() && is_clause_keyword(&column.value) {
                        // `SELECT a + FROM t` parses FROM as a column name.
                        self.error(
                            "E0001",
                            span,
                            format!(
                                "syntax error: expected an expression, found the keyword `{}`",
                                column.value.to_ascii_uppercase()
                            ),
                            Some(format!(
                                "an operand or a column is missing before `{}`",
                                column.value.to_ascii_uppercase()
                            )),
                        );
                        return ExprInfo::of(Type::Unknown);
                    }
                    // DuckDB reads a table's name or alias as its row, a
                    // STRUCT of its columns: `SELECT o FROM orders o`.
                    if let Some(relation) = scope
                        .relation(std::slice::from_ref(&column.value))
                        .filter(|r| !r.opaque && !r.columns.is_empty())
                    {
                        let fields: Vec<(String, Type)> = relation
                            .columns
                            .iter()
                            .filter(|c| !c.is_unknown_rest())
                            .map(|c| (c.name.to_string(), c.ty.clone()))
                            .collect();
                        let mut origins = Origins::new();
                        for field in &relation.columns {
                            origins.merge(&field.origins);
                        }
                        return ExprInfo::derived(
                            Type::Struct(fields),
                            origins.raised(EdgeKind::Transformation),
                        );
                    }
                    let names = scope.visible_names();
                    let help = match closest(&column.value, names.iter().map(String::as_str)) {
                        Some(similar) => format!("did you mean `{similar}`?"),
                        None if names.is_empty() => {
                            "the query reads no table with columns".to_string()
                        }
                        None => format!("columns in scope: {}", preview(&names)),
                    };
                    self.error(
                        "E0101",
                        span,
                        format!("column `{}` not found", column.value),
                        Some(help),
                    );
                    let mut info = ExprInfo::of(Type::Unknown);
                    info.origins = super::locals::unresolved(format!(
                        "reads `{}`, a column that was not found",
                        column.value
                    ));
                    info
                }
            };
        }
        let qualifier_parts: Vec<String> = qualifier.iter().map(|q| q.value.clone()).collect();
        if let Some(relation) = scope.relation(&qualifier_parts) {
            if let Some(found) = relation
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(&column.value))
            {
                let info = ExprInfo {
                    ty: found.ty.clone(),
                    origins: found.origins.clone(),
                    literal: None,
                    column_name: Some(found.name.to_string()),
                    string_literal: false,
                    not_null: found.not_null,
                };
                let (found, table) = (found.clone(), relation.name.clone());
                self.record_use(span, &found, Some(table));
                return info;
            }
            if relation.opaque {
                let mut info = ExprInfo::of(Type::Unknown);
                info.origins =
                    super::locals::unresolved(format!("`{}` has unknown columns", relation.name));
                return info;
            }
            // DuckDB falls back to a struct column: in `t.z` over a table `t`
            // with no column `z`, `t` is also its struct column `t`.
            if qualifier.len() == 1 {
                if let Resolution::Found(found) = scope.resolve(&qualifier[0].value, aliases_first)
                {
                    if let Type::Struct(fields) | Type::Union(fields) = &found.ty {
                        if let Some((_, ty)) = fields
                            .iter()
                            .find(|(name, _)| name.eq_ignore_ascii_case(&column.value))
                        {
                            return ExprInfo::derived(ty.clone(), found.origins);
                        }
                    }
                }
            }
            let relation_name = relation.name.clone();
            let help = match closest(&column.value, relation.columns.iter().map(|c| &*c.name)) {
                Some(similar) => format!("did you mean `{relation_name}.{similar}`?"),
                None => format!(
                    "`{relation_name}` has columns {}",
                    preview(
                        &relation
                            .columns
                            .iter()
                            .map(|c| c.name.to_string())
                            .collect::<Vec<_>>()
                    )
                ),
            };
            self.error(
                "E0101",
                span,
                format!("column `{}` not found in `{relation_name}`", column.value),
                Some(help),
            );
            let mut info = ExprInfo::of(Type::Unknown);
            info.origins = super::locals::unresolved(format!(
                "reads `{relation_name}.{}`, a column that was not found",
                column.value
            ));
            return info;
        }
        // `t.a.b` where `a` is a struct column of `t`.
        if qualifier.len() == 2 {
            if let Some(relation) = scope.relation(&qualifier_parts[..1]) {
                if let Some(found) = relation
                    .columns
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(&qualifier[1].value))
                {
                    if let Type::Struct(fields) | Type::Union(fields) = &found.ty {
                        if let Some((_, ty)) = fields
                            .iter()
                            .find(|(name, _)| name.eq_ignore_ascii_case(&column.value))
                        {
                            return ExprInfo::derived(ty.clone(), found.origins.clone());
                        }
                    }
                }
            }
        }
        // `a.b` where `a` is a column of struct type.
        if qualifier.len() == 1 {
            if let Resolution::Found(found) = scope.resolve(&qualifier[0].value, aliases_first) {
                if let Type::Struct(fields) | Type::Union(fields) = &found.ty {
                    if let Some((_, ty)) = fields
                        .iter()
                        .find(|(name, _)| name.eq_ignore_ascii_case(&column.value))
                    {
                        return ExprInfo::derived(ty.clone(), found.origins);
                    }
                }
            }
        }
        let names = scope.relation_names();
        let written = qualifier_parts.join(".");
        let help = match closest(&written, names.iter().map(String::as_str)) {
            Some(similar) => format!("did you mean `{similar}.{}`?", column.value),
            None => format!("the FROM clause has {}", list_or_none(&names)),
        };
        self.error(
            "E0105",
            qualifier[0]
                .span
                .union(&qualifier[qualifier.len() - 1].span),
            format!("table `{written}` is not in the FROM clause"),
            Some(help),
        );
        ExprInfo::of(Type::Unknown)
    }

    /// Keeps a resolved column name with its type, for hover in an editor.
    pub(super) fn record_use(
        &mut self,
        span: sqlparser::tokenizer::Span,
        found: &BoundColumn,
        table: Option<String>,
    ) {
        let mut copied = found.origins.iter().filter(|((table, _), kind)| {
            **kind == EdgeKind::Identity && &**table != super::locals::UNRESOLVED
        });
        let source = match (copied.next(), copied.next(), found.origins.len()) {
            (Some(((model, column), _)), None, 1) => Some(ColumnRef {
                model: model.to_string(),
                column: column.to_string(),
            }),
            _ => None,
        };
        self.column_uses.push(ColumnUse {
            span: span_of(&span),
            column: found.name.to_string(),
            table,
            ty: found.ty.to_string(),
            source,
        });
    }

    /// Reports values that DuckDB will not unify because a VARCHAR value
    /// meets a value of another type (CASE branches, COALESCE, BETWEEN).
    /// String literals and NULL adapt and are left out. Returns true after
    /// reporting.
    pub(super) fn check_mixing(
        &mut self,
        values: &[ExprInfo],
        exprs: &[&Expr],
        place: &str,
        span: sqlparser::tokenizer::Span,
    ) -> bool {
        let typed: Vec<(usize, &Type)> = values
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.string_literal && !matches!(v.ty, Type::Null | Type::Unknown))
            .map(|(i, v)| (i, &v.ty))
            .collect();
        let text = typed
            .iter()
            .find(|(_, t)| matches!(t, Type::Varchar | Type::Json));
        let other = typed.iter().find(|(_, t)| {
            !matches!(
                t,
                Type::Varchar
                    | Type::Json
                    | Type::Enum(_)
                    | Type::List(_)
                    | Type::Struct(_)
                    | Type::Map(..)
            )
        });
        let (Some(&(text_at, text)), Some(&(other_at, other))) = (text, other) else {
            return false;
        };
        self.error(
            "E0201",
            span,
            format!("{place} mix{} {other} and {text} values", if place.starts_with("the ") { "" } else { "es" }),
            Some(format!("DuckDB does not cast VARCHAR here; cast one side, for example `CAST(... AS VARCHAR)` or `CAST(... AS {other})`")),
        );
        for (at, ty) in [(other_at, other), (text_at, text)] {
            if let Some(value) = exprs.get(at) {
                let value_span = self.expr_span(value);
                self.label(value_span, format!("this is {ty}"));
            }
        }
        true
    }

    pub(crate) fn bind_window_spec(&mut self, spec: &WindowSpec, scope: &Scope) {
        for expr in &spec.partition_by {
            let info = self.bind_expr(expr, scope);
            self.add_indirect(&info.origins, IndirectKind::Window);
        }
        for item in &spec.order_by {
            let info = self.bind_expr(&item.expr, scope);
            self.add_indirect(&info.origins, IndirectKind::Window);
        }
    }

    /// Warns when exact values (DECIMAL, BIGINT, HUGEINT) meet a FLOAT or
    /// DOUBLE value and so become floating point, which DuckDB does
    /// silently. Literals are left out: they take the type they meet.
    pub(super) fn check_lossy(
        &mut self,
        values: &[ExprInfo],
        exprs: &[&Expr],
        result: &Type,
        place: &str,
    ) {
        let typed = |v: &ExprInfo| v.literal.is_none() && !v.string_literal;
        // Constants such as `0.0` are chosen by the author; only values read
        // from columns are at risk.
        let exact = values
            .iter()
            .position(|v| typed(v) && !v.origins.is_empty() && loses_precision_in(&v.ty, result));
        let floating = values
            .iter()
            .position(|v| typed(v) && matches!(v.ty, Type::Float | Type::Double));
        let (Some(exact), Some(floating)) = (exact, floating) else {
            return;
        };
        let Some(span) = exprs.get(exact).map(|e| self.expr_span(e)) else {
            return;
        };
        let exact_ty = values[exact].ty.clone();
        self.warning(
            "W0107",
            span,
            format!("{place} are {result}, so this {exact_ty} value is converted to floating point and may lose digits"),
            Some(format!("cast the {} side to {exact_ty}, or cast explicitly to {result} if that is intended", values[floating].ty)),
        );
        if let Some(other) = exprs.get(floating) {
            let other_span = self.expr_span(other);
            self.label(other_span, format!("this is {}", values[floating].ty));
        }
    }

    /// The span of an expression, with a call's parentheses, FILTER and
    /// OVER, and a cast's type.
    pub(super) fn expr_span(&self, expr: &Expr) -> sqlparser::tokenizer::Span {
        match expr {
            Expr::Function(function) => self.call_extent(function.name.span()),
            Expr::Cast {
                kind: sqlparser::ast::CastKind::DoubleColon,
                ..
            } => {
                let span = expr.span();
                span.union(&self.cast_type_span(span, true))
            }
            Expr::Cast { .. } => self.enclosing_call(expr.span()),
            _ => expr.span(),
        }
    }
}

fn literal(value: &Value) -> ExprInfo {
    let info = match value {
        Value::Number(text, _) => number_literal(text),
        Value::Boolean(_) => ExprInfo::of(Type::Boolean),
        Value::Null => ExprInfo::of(Type::Null),
        // DuckDB reads x'00' as a string, unlike other dialects.
        Value::SingleQuotedByteStringLiteral(_) | Value::DoubleQuotedByteStringLiteral(_) => {
            ExprInfo::of(Type::Blob)
        }
        // `$1` or `@a`: a parameter or an operator sqlparser reads as one.
        Value::Placeholder(_) => return ExprInfo::of(Type::Unknown),
        _ => ExprInfo {
            string_literal: true,
            ..ExprInfo::of(Type::Varchar)
        },
    };
    let not_null = !matches!(value, Value::Null);
    info.with_not_null(not_null)
}

/// Types a number as DuckDB does: integers by size, `1.50` as
/// DECIMAL(3,2), exponents as DOUBLE.
fn number_literal(text: &str) -> ExprInfo {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    if clean.contains(['e', 'E']) {
        return ExprInfo::of(Type::Double);
    }
    if let Some((whole, fraction)) = clean.split_once('.') {
        // `0.5` is DECIMAL(2,1): the integer part counts at least one digit.
        let whole_digits = whole.trim_start_matches('0').len().max(1);
        let scale = fraction.len();
        let width = (whole_digits + scale).max(1);
        if width > usize::from(MAX_DECIMAL_WIDTH) {
            return ExprInfo::of(Type::Double);
        }
        return ExprInfo::of(Type::decimal(width as u8, scale as u8));
    }
    match clean.parse::<i128>() {
        Ok(value) => {
            let ty = if i32::try_from(value).is_ok() {
                Type::Integer
            } else if i64::try_from(value).is_ok() {
                Type::BigInt
            } else {
                Type::HugeInt
            };
            ExprInfo {
                ty,
                origins: Origins::new(),
                literal: Some(value),
                column_name: None,
                string_literal: false,
                not_null: true,
            }
        }
        Err(_) => ExprInfo::of(Type::Double),
    }
}

/// Keywords that start a clause, which DuckDB never reads as a column name.
fn is_clause_keyword(word: &str) -> bool {
    [
        "from",
        "where",
        "group",
        "having",
        "qualify",
        "order",
        "limit",
        "union",
        "except",
        "intersect",
        "join",
        "on",
        "select",
        "window",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(word))
}

/// SQL keywords that read like column names, such as `current_date`.
pub(super) fn keyword_value(name: &str) -> Option<ExprInfo> {
    let ty = match name.to_ascii_lowercase().as_str() {
        "current_date" => Type::Date,
        "current_timestamp" | "now" => Type::TimestampTz,
        "localtimestamp" => Type::Timestamp,
        "current_time" => Type::TimeTz,
        "localtime" => Type::Time,
        "current_user" | "current_role" | "session_user" | "user" => Type::Varchar,
        _ => return None,
    };
    Some(ExprInfo::of(ty).with_not_null(true))
}

/// The types that decide a common type. String literals and NULLs are
/// left out when a typed value is present: DuckDB casts a literal to the
/// type it meets, while a VARCHAR column wins over other types.
pub(super) fn value_types(values: &[ExprInfo]) -> Vec<Type> {
    let typed: Vec<Type> = values
        .iter()
        .filter(|v| !v.string_literal && v.ty != Type::Null)
        .map(|v| v.ty.clone())
        .collect();
    let enum_meets_text =
        typed.iter().any(|t| matches!(t, Type::Enum(_))) && values.iter().any(|v| v.string_literal);
    if typed.is_empty() {
        values.iter().map(|v| v.ty.clone()).collect()
    } else if enum_meets_text {
        // An ENUM and a string literal meet as VARCHAR.
        vec![Type::Varchar]
    } else {
        typed
    }
}

fn preview(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(8).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(8);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Returns `x -> 'path'`, read by sqlparser as a lambda of one parameter
/// whose body is a string or number literal, as the JSON operator `->`
/// on the column `x`.
fn json_arrow(lambda: &sqlparser::ast::LambdaFunction) -> Option<Expr> {
    use sqlparser::ast::{LambdaSyntax, OneOrManyWithParens, Value};
    if !matches!(lambda.syntax, LambdaSyntax::Arrow) {
        return None;
    }
    let OneOrManyWithParens::One(param) = &lambda.params else {
        return None;
    };
    if param.data_type.is_some() {
        return None;
    }
    let Expr::Value(value) = lambda.body.as_ref() else {
        return None;
    };
    if !matches!(
        value.value,
        Value::SingleQuotedString(_) | Value::Number(..)
    ) {
        return None;
    }
    Some(Expr::BinaryOp {
        left: Box::new(Expr::Identifier(param.name.clone())),
        op: BinaryOperator::Arrow,
        right: lambda.body.clone(),
    })
}
