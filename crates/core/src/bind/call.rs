//! Function calls: arguments, the aggregate and window rules that depend
//! on the call's kind, overload checks against DuckDB's catalog, and the
//! result type, with the few functions whose type depends on argument
//! values (`date_trunc`, `union_extract`, `struct_pack`, `list_sum`).

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Spanned, Value, WindowType,
};

use super::catalog;
use super::expr::{value_types, ExprInfo};
use super::functions::{call_not_null, kind_of, return_type, CallSite, FunctionKind};
use super::query::Binder;
use super::scope::Scope;
use super::Origins;
use crate::output::{EdgeKind, IndirectKind};
use crate::text::closest;
use crate::types::Type;

/// A call's bound arguments.
struct CallArgs<'f> {
    args: Vec<ExprInfo>,
    /// The argument expressions, for labels; `*` has none.
    exprs: Vec<&'f Expr>,
    /// True when an argument is `*`, as in `count(*)`.
    star: bool,
}

/// Functions whose result is one of their arguments' values.
fn is_value_choice(name: &str) -> bool {
    matches!(name, "coalesce" | "ifnull" | "greatest" | "least")
}

/// The result type of calls whose type depends on an argument's value,
/// not only its type.
fn value_dependent_type(
    name: &str,
    types: &[Type],
    args: &[ExprInfo],
    function: &sqlparser::ast::Function,
) -> Option<Type> {
    date_trunc_type(name, types, function)
        .or_else(|| union_function(name, types, args, function))
        .or_else(|| list_aggregate_type(name, types, function))
        .or_else(|| struct_function(name, types, function))
}

/// `date_trunc('month', d)` is a DATE for a constant part of a day or
/// coarser, a TIMESTAMP otherwise.
fn date_trunc_type(
    name: &str,
    types: &[Type],
    function: &sqlparser::ast::Function,
) -> Option<Type> {
    if !matches!(name, "date_trunc" | "datetrunc") {
        return None;
    }
    match (
        first_string_arg(function),
        types.get(1).map(Type::as_argument),
    ) {
        (Some(part), Some(Type::Date | Type::Timestamp)) => Some(
            if matches!(
                part.as_str(),
                "millennium"
                    | "century"
                    | "decade"
                    | "year"
                    | "quarter"
                    | "month"
                    | "week"
                    | "day"
                    | "yearweek"
                    | "isoyear"
            ) {
                Type::Date
            } else {
                Type::Timestamp
            },
        ),
        (None, Some(Type::Date)) => Some(Type::Timestamp),
        _ => None,
    }
}

impl Binder<'_> {
    pub(super) fn bind_function(
        &mut self,
        expr: &Expr,
        scope: &Scope,
        aliases_first: bool,
    ) -> ExprInfo {
        let Expr::Function(function) = expr else {
            return ExprInfo::of(Type::Unknown);
        };
        let name = function
            .name
            .0
            .last()
            .map(|p| p.to_string().to_ascii_lowercase())
            .unwrap_or_default();
        if name == "columns" && function.name.0.len() == 1 {
            // Outside a select item (`WHERE COLUMNS('x') > 0`) DuckDB expands
            // it into one condition per column, so its type is not one
            // column's, but it reads every column it matches.
            let mut info = ExprInfo::of(Type::Unknown);
            for column in self.expand_columns(expr, None, scope).unwrap_or_default() {
                info.origins.merge(&column.origins);
            }
            return info;
        }
        // `current_timestamp` and its kin, written without parentheses.
        if matches!(function.args, FunctionArguments::None) {
            if let Some(info) = super::expr::keyword_value(&name) {
                return info;
            }
        }
        if let Some(info) = self.bind_lambda_call(&name, function, scope, aliases_first) {
            return info;
        }
        let call = self.bind_call_args(function, scope, aliases_first);
        let kind = self.call_kind(expr, function, &name, scope, aliases_first);
        if kind == FunctionKind::Aggregate {
            if let Some(inner) = call
                .exprs
                .iter()
                .find(|e| super::grouping::has_aggregate(e))
            {
                let span = self.expr_span(inner);
                self.error(
                    "E0206",
                    span,
                    format!("the aggregate `{name}` contains another aggregate"),
                    Some(
                        "aggregate in a subquery or CTE first, then aggregate its result"
                            .to_string(),
                    ),
                );
            }
        }
        let lookup_name = if name == "count" && call.star && call.args.is_empty() {
            "count_star"
        } else {
            name.as_str()
        };
        let args = &call.args;
        let mixed = self.check_value_mixing(lookup_name, &call, expr);
        let types: Vec<Type> = if is_value_choice(lookup_name) {
            value_types(args)
        } else if lookup_name == "if" && !args.is_empty() {
            let mut types = vec![args[0].ty.clone()];
            types.extend(value_types(&args[1..]));
            types
        } else {
            args.iter().map(|a| a.ty.clone()).collect()
        };
        let round_digits = args
            .get(1)
            .and_then(|a| a.literal)
            .map(|v| v.clamp(0, 38) as u8);
        let checked = self.check_call(function, lookup_name, args);
        let ty = match checked {
            _ if mixed => Type::Unknown,
            Some(catalog_type) => value_dependent_type(lookup_name, &types, args, function)
                .or_else(|| return_type(lookup_name, &types, round_digits))
                .or(catalog_type)
                .unwrap_or(Type::Unknown),
            None => Type::Unknown,
        };
        if is_value_choice(lookup_name) && !mixed {
            let place = format!("the arguments of {}", lookup_name.to_ascii_uppercase());
            self.check_lossy(args, &call.exprs, &ty, &place);
        }
        let mut origins = Origins::new();
        // `if(c, a, b)` and `iif` pick a value by `c` the way CASE does:
        // the condition is an indirect input, not a value.
        let picks_by_condition = matches!(lookup_name, "if" | "iif") && args.len() == 3;
        // `unnest(list)` anywhere in a select list, as in `unnest(l) + 1`,
        // gives one row per element, so the list decides how many rows
        // there are.
        if lookup_name == "unnest" && function.over.is_none() {
            if let Some(list) = args
                .first()
                .filter(|a| matches!(a.ty, Type::List(_) | Type::Array(..)))
            {
                let origins = list.origins.clone();
                self.add_indirect(&origins, IndirectKind::Filter);
            }
        }
        for (position, arg) in args.iter().enumerate() {
            if picks_by_condition && position == 0 {
                self.add_indirect(&arg.origins, IndirectKind::Conditional);
            } else {
                origins.merge(&arg.origins);
            }
        }
        let edge = match kind {
            FunctionKind::Aggregate => EdgeKind::Aggregation,
            // `sum(x) OVER (...)` aggregates; `lag(x) OVER (...)` moves a value.
            FunctionKind::Window if catalog::is_aggregate(lookup_name) => EdgeKind::Aggregation,
            FunctionKind::Window => EdgeKind::Transformation,
            FunctionKind::Scalar => EdgeKind::Transformation,
        };
        let site = CallSite {
            kind,
            grouped: scope.grouped,
            filtered: function.filter.is_some(),
        };
        let args_not_null: Vec<bool> = args.iter().map(|a| a.not_null).collect();
        // A window function over an aggregate (`sum(x) OVER ()`) is a window edge.
        ExprInfo {
            ty,
            origins: origins.raised(edge),
            literal: None,
            column_name: None,
            string_literal: false,
            not_null: call_not_null(lookup_name, site, &args_not_null),
        }
    }

    /// Binds a call's arguments and its ORDER BY clause.
    fn bind_call_args<'f>(
        &mut self,
        function: &'f sqlparser::ast::Function,
        scope: &Scope,
        aliases_first: bool,
    ) -> CallArgs<'f> {
        let mut call = CallArgs {
            args: Vec::new(),
            exprs: Vec::new(),
            star: false,
        };
        match &function.args {
            FunctionArguments::List(list) => {
                for arg in &list.args {
                    let arg_expr = match arg {
                        FunctionArg::Named { arg, .. }
                        | FunctionArg::ExprNamed { arg, .. }
                        | FunctionArg::Unnamed(arg) => arg,
                    };
                    match arg_expr {
                        FunctionArgExpr::Expr(e) => {
                            call.args.push(self.bind_expr_with(e, scope, aliases_first));
                            call.exprs.push(e);
                        }
                        _ => call.star = true,
                    }
                }
                for clause in &list.clauses {
                    if let sqlparser::ast::FunctionArgumentClause::OrderBy(items) = clause {
                        // `first(a ORDER BY c)` and `string_agg(b, ',' ORDER
                        // BY c)`: `c` picks or orders the values, so it sorts.
                        for item in items {
                            let info = self.bind_expr_with(&item.expr, scope, aliases_first);
                            self.add_indirect(&info.origins, IndirectKind::Sort);
                        }
                    }
                }
            }
            FunctionArguments::Subquery(query) => {
                let columns = self.bind_query(query, Some(scope));
                if let Some(first) = columns.into_iter().next() {
                    let mut info = ExprInfo::of(first.ty);
                    info.origins = first.origins;
                    call.args.push(info);
                }
            }
            FunctionArguments::None => {}
        }
        call
    }

    /// Whether the call is a scalar, an aggregate or a window function,
    /// binding its FILTER and OVER clauses; a window-only function without
    /// OVER is an error.
    fn call_kind(
        &mut self,
        expr: &Expr,
        function: &sqlparser::ast::Function,
        name: &str,
        scope: &Scope,
        aliases_first: bool,
    ) -> FunctionKind {
        if let Some(filter) = &function.filter {
            let info = self.bind_expr_with(filter, scope, aliases_first);
            self.add_indirect(&info.origins, IndirectKind::Conditional);
        }
        let mut kind = kind_of(name);
        if kind == FunctionKind::Scalar && catalog::is_aggregate(name) {
            kind = FunctionKind::Aggregate;
        }
        if let Some(over) = &function.over {
            match over {
                WindowType::WindowSpec(spec) => self.bind_window_spec(spec, scope),
                WindowType::NamedWindow(_) => {}
            }
            kind = FunctionKind::Window;
        } else if kind == FunctionKind::Window {
            self.error(
                "E0202",
                self.expr_span(expr),
                format!("window function `{name}` needs an OVER clause"),
                Some(format!("write `{name}(...) OVER (ORDER BY ...)`")),
            );
        }
        kind
    }

    /// Reports a VARCHAR value mixed with another type where DuckDB picks
    /// one of the values (COALESCE, GREATEST, the branches of IF).
    fn check_value_mixing(&mut self, name: &str, call: &CallArgs, expr: &Expr) -> bool {
        if is_value_choice(name) {
            let place = format!("the arguments of {}", name.to_ascii_uppercase());
            let span = self.expr_span(expr);
            self.check_mixing(&call.args, &call.exprs, &place, span)
        } else if name == "if" && call.args.len() == 3 {
            let exprs = call.exprs.get(1..).unwrap_or_default();
            let span = self.expr_span(expr);
            self.check_mixing(&call.args[1..], exprs, "the branches of IF", span)
        } else {
            false
        }
    }

    /// Checks a call against DuckDB's function catalog and reports an
    /// unknown function or arguments no overload accepts. Returns `None`
    /// after an error, else the overload's fixed result type if it has one.
    fn check_call(
        &mut self,
        function: &sqlparser::ast::Function,
        name: &str,
        args: &[ExprInfo],
    ) -> Option<Option<Type>> {
        self.check_named_call(function.name.span(), function, name, args)
    }

    /// Checks a call of `name` whose name is at `name_span` and whose whole
    /// text is `call`'s; keyword forms such as SUBSTRING use this. The
    /// call's span is computed only for an error, since it walks the call.
    pub(super) fn check_named_call(
        &mut self,
        name_span: sqlparser::tokenizer::Span,
        call: &impl Spanned,
        name: &str,
        args: &[ExprInfo],
    ) -> Option<Option<Type>> {
        if catalog::is_special_form(name) {
            return Some(None);
        }
        let Some(signatures) = catalog::signatures(name) else {
            let help = match closest(name, catalog::names()) {
                Some(similar) => format!("did you mean `{similar}`?"),
                None => "check the name against DuckDB's function list".to_string(),
            };
            self.error(
                "E0203",
                name_span,
                format!("function `{name}` not found"),
                Some(help),
            );
            return None;
        };
        let arguments: Vec<catalog::Argument> = args
            .iter()
            .map(|a| catalog::Argument {
                ty: &a.ty,
                string_literal: a.string_literal,
                integer_literal: a.literal.is_some(),
            })
            .collect();
        let problem = match catalog::match_call(signatures, &arguments) {
            catalog::CallMatch::Found(ty) => return Some(ty),
            catalog::CallMatch::WrongCount => {
                format!("`{name}` does not take {} arguments", args.len())
            }
            catalog::CallMatch::WrongTypes => {
                let types: Vec<String> = args.iter().map(|a| a.ty.to_string()).collect();
                format!("no overload of `{name}` accepts ({})", types.join(", "))
            }
        };
        let mut listed: Vec<String> = signatures.iter().take(6).map(|s| s.display(name)).collect();
        if signatures.len() > 6 {
            listed.push(format!("and {} more", signatures.len() - 6));
        }
        self.error(
            "E0204",
            self.through_paren(call.span()),
            problem,
            Some(format!(
                "DuckDB has {}; cast the arguments to match one",
                listed.join(", ")
            )),
        );
        None
    }
}

/// `union_tag(u)` is an ENUM of the member names; `union_extract(u, 'm')`
/// is the member's type.
fn union_function(
    name: &str,
    types: &[Type],
    args: &[ExprInfo],
    function: &sqlparser::ast::Function,
) -> Option<Type> {
    let Some(Type::Union(members)) = types.first() else {
        return None;
    };
    match name {
        "union_tag" => Some(Type::Enum(members.iter().map(|(m, _)| m.clone()).collect())),
        "union_extract" if args.len() == 2 => {
            let wanted = nth_string_arg(function, 1)?;
            members
                .iter()
                .find(|(m, _)| m.eq_ignore_ascii_case(&wanted))
                .map(|(_, t)| t.clone())
        }
        _ => None,
    }
}

/// `row(a, b)` is a STRUCT with unnamed fields; `struct_pack(a := 1, b)`
/// names each field by its argument name or its column.
fn struct_function(
    name: &str,
    types: &[Type],
    function: &sqlparser::ast::Function,
) -> Option<Type> {
    let FunctionArguments::List(list) = &function.args else {
        return None;
    };
    let names: Vec<String> = match name {
        "row" => vec![String::new(); list.args.len()],
        "struct_pack" => list
            .args
            .iter()
            .map(|arg| match arg {
                FunctionArg::Named { name, .. } => name.value.clone(),
                FunctionArg::ExprNamed { name, .. } => super::names::column_name(name),
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => super::names::column_name(e),
                FunctionArg::Unnamed(_) => String::new(),
            })
            .collect(),
        _ => return None,
    };
    if names.len() != types.len() {
        return None;
    }
    Some(Type::Struct(
        names.into_iter().zip(types.iter().cloned()).collect(),
    ))
}

/// `list_sum(l)`, `list_max(l)` and the other `list_<aggregate>` functions,
/// and `list_aggregate(l, 'sum')`: the aggregate's type over the element.
fn list_aggregate_type(
    name: &str,
    types: &[Type],
    function: &sqlparser::ast::Function,
) -> Option<Type> {
    let Type::List(element) = types.first()?.as_argument() else {
        return None;
    };
    let aggregate = match name {
        "list_aggregate" | "array_aggregate" | "list_aggr" | "array_aggr" | "aggregate" => {
            nth_string_arg(function, 1)?.to_ascii_lowercase()
        }
        _ => name
            .strip_prefix("list_")
            .or_else(|| name.strip_prefix("array_"))?
            .to_string(),
    };
    if !catalog::is_aggregate(&aggregate) {
        return None;
    }
    return_type(&aggregate, &[*element], None)
}

/// Returns argument `n` of a call when it is a string literal.
fn nth_string_arg(function: &sqlparser::ast::Function, n: usize) -> Option<String> {
    let FunctionArguments::List(list) = &function.args else {
        return None;
    };
    match list.args.get(n)? {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(value))) => match &value.value {
            Value::SingleQuotedString(text) => Some(text.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Returns the first argument of a call, lower-cased, when it is a string literal.
fn first_string_arg(function: &sqlparser::ast::Function) -> Option<String> {
    let FunctionArguments::List(list) = &function.args else {
        return None;
    };
    match list.args.first()? {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(value))) => match &value.value {
            Value::SingleQuotedString(text) => Some(text.to_ascii_lowercase()),
            _ => None,
        },
        _ => None,
    }
}
