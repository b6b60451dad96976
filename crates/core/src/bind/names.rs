//! Output names of unaliased expressions, rendered the way DuckDB renders
//! them (`sum(l_quantity)`, `(a + b)`, `count_star()`), so a model's column
//! names match what DuckDB's DESCRIBE prints.

use sqlparser::ast::{
    BinaryOperator, CastKind, DateTimeField, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    UnaryOperator, Value,
};

use crate::types::Type;

/// Renders an expression as DuckDB names the column it produces.
pub(crate) fn column_name(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(ident) => ident.value.clone(),
        Expr::CompoundIdentifier(parts) => {
            parts.last().map(|p| p.value.clone()).unwrap_or_default()
        }
        Expr::Nested(inner) => column_name(inner),
        _ => render(expr),
    }
}

/// The function DuckDB calls for `INTERVAL n <unit>`, and the integer type
/// it truncates `n` to (`None` for seconds and milliseconds, which keep
/// their fraction).
fn interval_unit(field: &DateTimeField) -> Option<(&'static str, Option<&'static str>)> {
    use DateTimeField as F;
    Some(match field {
        F::Year | F::Years => ("to_years", Some("INTEGER")),
        F::Quarter => ("to_quarters", Some("INTEGER")),
        F::Month | F::Months => ("to_months", Some("INTEGER")),
        F::Week(_) | F::Weeks => ("to_weeks", Some("INTEGER")),
        F::Day | F::Days => ("to_days", Some("INTEGER")),
        F::Decade => ("to_decades", Some("INTEGER")),
        F::Century => ("to_centuries", Some("INTEGER")),
        F::Millennium => ("to_millennia", Some("INTEGER")),
        F::Hour | F::Hours => ("to_hours", Some("BIGINT")),
        F::Minute | F::Minutes => ("to_minutes", Some("BIGINT")),
        F::Microsecond | F::Microseconds => ("to_microseconds", Some("BIGINT")),
        F::Second | F::Seconds => ("to_seconds", None),
        F::Millisecond | F::Milliseconds => ("to_milliseconds", None),
        _ => return None,
    })
}

/// Renders `a + b + c`, which nests to the left, in a loop: a long chain
/// would otherwise take one large stack frame per operator.
fn render_chain(expr: &Expr) -> String {
    let mut spine = Vec::new();
    let mut leftmost = expr;
    while let Expr::BinaryOp { left, op, right } = leftmost {
        if matches!(op, BinaryOperator::And | BinaryOperator::Or) {
            break;
        }
        spine.push((op, right.as_ref()));
        leftmost = left;
    }
    let mut text = render(leftmost);
    for (op, right) in spine.into_iter().rev() {
        text = format!("({text} {} {})", operator(op), render(right));
    }
    text
}

fn render(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(ident) => quote(&ident.value),
        Expr::CompoundIdentifier(parts) => parts
            .iter()
            .map(|p| quote(&p.value))
            .collect::<Vec<_>>()
            .join("."),
        Expr::Nested(inner) => render(inner),
        Expr::Value(value) => render_value(&value.value),
        Expr::TypedString(typed) => {
            let ty = Type::from_sql(&typed.data_type)
                .map_or_else(|| typed.data_type.to_string(), |t| t.to_string());
            format!("CAST({} AS {ty})", render_value(&typed.value.value))
        }
        Expr::BinaryOp {
            left,
            op: op @ (BinaryOperator::And | BinaryOperator::Or),
            right,
        } => {
            // DuckDB flattens a chain of AND (or OR) into one conjunction.
            let mut terms = Vec::new();
            flatten(left, op, &mut terms);
            flatten(right, op, &mut terms);
            let joined = terms
                .iter()
                .map(|t| render(t))
                .collect::<Vec<_>>()
                .join(&format!(" {op} "));
            format!("({joined})")
        }
        Expr::BinaryOp { .. } => render_chain(expr),
        Expr::UnaryOp { op, expr } => match op {
            UnaryOperator::Minus => match expr.as_ref() {
                // A negative number literal is folded into the constant.
                Expr::Value(value) if matches!(value.value, Value::Number(..)) => {
                    format!("-{}", render(expr))
                }
                _ => format!("-({})", render(expr)),
            },
            UnaryOperator::Plus => format!("+({})", render(expr)),
            UnaryOperator::Not => format!("(NOT {})", render(expr)),
            other => format!("{other}{}", render(expr)),
        },
        Expr::Cast {
            kind,
            expr,
            data_type,
            ..
        } => {
            let ty =
                Type::from_sql(data_type).map_or_else(|| data_type.to_string(), |t| t.to_string());
            let keyword = if matches!(kind, CastKind::TryCast | CastKind::SafeCast) {
                "TRY_CAST"
            } else {
                "CAST"
            };
            format!("{keyword}({} AS {ty})", render(expr))
        }
        Expr::Function(function) => {
            let name = function
                .name
                .0
                .last()
                .map(|p| p.to_string().to_ascii_lowercase())
                .unwrap_or_default();
            if let FunctionArguments::None = function.args {
                return name;
            }
            let args_list: Vec<&Expr> = match &function.args {
                FunctionArguments::List(list) => list.args.iter().filter_map(arg_expr).collect(),
                _ => Vec::new(),
            };
            match (name.as_str(), args_list.as_slice()) {
                ("coalesce" | "ifnull", _) => {
                    return format!(
                        "COALESCE({})",
                        args_list
                            .iter()
                            .map(|a| render(a))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                ("if", [condition, then, otherwise]) => {
                    return format!(
                        "CASE  WHEN ({}) THEN ({}) ELSE {} END",
                        render(condition),
                        render(then),
                        render(otherwise)
                    );
                }
                _ => {}
            }
            // DuckDB qualifies `row`, a reserved word, as main."row"(...).
            let name = if name == "row" {
                format!("main.{}", quote_always(&name))
            } else {
                quote(&name)
            };
            let (distinct, args) = match &function.args {
                FunctionArguments::List(list) => {
                    let mut args = list.args.iter().map(render_arg).collect::<Vec<_>>();
                    for clause in &list.clauses {
                        if let sqlparser::ast::FunctionArgumentClause::OrderBy(items) = clause {
                            let order: Vec<String> = items
                                .iter()
                                .map(|item| {
                                    let direction = match item.options.sort {
                                        Some(sqlparser::ast::OrderBySort::Desc) => " DESC",
                                        _ => "",
                                    };
                                    format!("{}{direction}", render(&item.expr))
                                })
                                .collect();
                            if let Some(last) = args.last_mut() {
                                last.push_str(&format!(" ORDER BY {}", order.join(", ")));
                            }
                        }
                    }
                    (
                        list.duplicate_treatment
                            .is_some_and(|d| d.to_string() == "DISTINCT"),
                        args,
                    )
                }
                FunctionArguments::None => (false, Vec::new()),
                FunctionArguments::Subquery(query) => (false, vec![format!("({query})")]),
            };
            let mut text =
                if name == "count" && !distinct && args.iter().all(|a| a == "*") && args.len() <= 1
                {
                    // DuckDB names count(*) count_star(), but count() in a window.
                    if function.over.is_some() {
                        "count()"
                    } else {
                        "count_star()"
                    }
                    .to_string()
                } else {
                    format!(
                        "{name}({}{})",
                        if distinct { "DISTINCT " } else { "" },
                        args.join(", ")
                    )
                };
            if let Some(filter) = &function.filter {
                text.push_str(&format!(" FILTER (WHERE {})", render(filter)));
            }
            match &function.over {
                Some(sqlparser::ast::WindowType::WindowSpec(spec)) => {
                    text.push_str(&format!(" OVER ({})", render_window(spec)));
                }
                Some(sqlparser::ast::WindowType::NamedWindow(name)) => {
                    text.push_str(&format!(" OVER {}", quote(&name.value)));
                }
                None => {}
            }
            text
        }
        // DuckDB turns keyword forms into catalog functions and prints them
        // schema-qualified.
        Expr::Extract { field, expr, .. } => {
            format!("main.date_part('{}', {})", field_name(field), render(expr))
        }
        Expr::Array(array) => format!(
            "main.list_value({})",
            array.elem.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        Expr::Substring {
            expr,
            substring_from,
            substring_for,
            shorthand: true,
            ..
        } => {
            let mut args = vec![render(expr)];
            args.extend(substring_from.iter().map(|e| render(e)));
            args.extend(substring_for.iter().map(|e| render(e)));
            format!("substr({})", args.join(", "))
        }
        Expr::Substring {
            expr,
            substring_from,
            substring_for,
            ..
        } => {
            let mut args = vec![render(expr)];
            args.extend(substring_from.iter().map(|e| render(e)));
            args.extend(substring_for.iter().map(|e| render(e)));
            // DuckDB binds the SUBSTRING keyword form to the catalog
            // function and prints it schema-qualified and quoted.
            format!("main.\"substring\"({})", args.join(", "))
        }
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            let mut text = String::from("CASE ");
            for when in conditions {
                let condition = match operand {
                    Some(operand) => format!("({} = {})", render(operand), render(&when.condition)),
                    None => render(&when.condition),
                };
                text.push_str(&format!(
                    " WHEN ({condition}) THEN ({})",
                    render(&when.result)
                ));
            }
            let otherwise = else_result
                .as_ref()
                .map_or_else(|| "NULL".to_string(), |e| render(e));
            text.push_str(&format!(" ELSE {otherwise} END"));
            text
        }
        Expr::IsNull(inner) => format!("({} IS NULL)", render(inner)),
        Expr::IsNotNull(inner) => format!("({} IS NOT NULL)", render(inner)),
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => format!(
            "({} {}BETWEEN {} AND {})",
            render(expr),
            if *negated { "NOT " } else { "" },
            render(low),
            render(high)
        ),
        Expr::Like {
            negated,
            expr,
            pattern,
            ..
        } => {
            format!(
                "({} {} {})",
                render(expr),
                if *negated { "!~~" } else { "~~" },
                render(pattern)
            )
        }
        Expr::ILike {
            negated,
            expr,
            pattern,
            ..
        } => {
            format!(
                "({} {} {})",
                render(expr),
                if *negated { "!~~*" } else { "~~*" },
                render(pattern)
            )
        }
        Expr::In {
            expr: inner,
            target: sqlparser::ast::InTarget::List(list),
            negated,
            ..
        } => format!(
            "({} {}IN ({}))",
            render(inner),
            if *negated { "NOT " } else { "" },
            list.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        Expr::IsDistinctFrom(a, b) => format!("({} IS DISTINCT FROM {})", render(a), render(b)),
        Expr::IsNotDistinctFrom(a, b) => {
            format!("({} IS NOT DISTINCT FROM {})", render(a), render(b))
        }
        Expr::Ceil { expr, .. } => format!("ceil({})", render(expr)),
        Expr::Floor { expr, .. } => format!("floor({})", render(expr)),
        Expr::Trim {
            expr,
            trim_where: None,
            trim_what: None,
            trim_characters: None,
        } => format!("main.\"trim\"({})", render(expr)),
        Expr::Position { expr, r#in } => {
            format!("main.\"position\"({}, {})", render(r#in), render(expr))
        }
        Expr::Interval(interval) if interval.leading_field.is_none() => {
            format!("CAST({} AS INTERVAL)", render(&interval.value))
        }
        Expr::Interval(interval) => match interval.leading_field.as_ref().and_then(interval_unit) {
            // DuckDB rewrites `INTERVAL n DAY` into a call of `to_days`.
            Some((function, Some(whole))) => format!(
                "{function}(CAST(trunc(CAST({} AS DOUBLE)) AS {whole}))",
                render(&interval.value)
            ),
            Some((function, None)) => {
                format!("{function}(CAST({} AS DOUBLE))", render(&interval.value))
            }
            None => expr.to_string(),
        },
        Expr::AnyOp {
            left,
            compare_op,
            right,
            ..
        } if matches!(right.as_ref(), Expr::Array(_)) => format!(
            "({} {} ANY(SELECT unnest({})))",
            render(left),
            operator(compare_op),
            render(right)
        ),
        Expr::Tuple(items) => format!(
            "main.\"row\"({})",
            items.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        Expr::Map(map) => {
            let keys: Vec<String> = map.entries.iter().map(|e| render(&e.key)).collect();
            let values: Vec<String> = map.entries.iter().map(|e| render(&e.value)).collect();
            format!(
                "main.\"map\"(main.list_value({}), main.list_value({}))",
                keys.join(", "),
                values.join(", ")
            )
        }
        Expr::Lambda(lambda) => {
            let params = match &lambda.params {
                sqlparser::ast::OneOrManyWithParens::One(p) => quote(&p.name.value),
                sqlparser::ast::OneOrManyWithParens::Many(ps) => format!(
                    "main.\"row\"({})",
                    ps.iter()
                        .map(|p| quote(&p.name.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            format!("({params} -> {})", render(&lambda.body))
        }
        Expr::Dictionary(fields) => format!(
            "main.struct_pack({})",
            fields
                .iter()
                .map(|f| format!("{} := {}", quote(&f.key.value), render(&f.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // NOTE: other forms (subqueries, INTERVAL with units, ...) fall back
        // to sqlparser's text, which can differ from DuckDB's name.
        other => other.to_string(),
    }
}

/// Renders a window the way DuckDB does: keys quoted like columns, the
/// default frame left out.
fn render_window(spec: &sqlparser::ast::WindowSpec) -> String {
    use sqlparser::ast::{WindowFrameBound, WindowFrameUnits};
    let mut parts = Vec::new();
    if !spec.partition_by.is_empty() {
        let keys: Vec<String> = spec.partition_by.iter().map(render).collect();
        parts.push(format!("PARTITION BY {}", keys.join(", ")));
    }
    if !spec.order_by.is_empty() {
        let keys: Vec<String> = spec
            .order_by
            .iter()
            .map(|item| {
                let mut key = render(&item.expr);
                match item.options.sort {
                    Some(sqlparser::ast::OrderBySort::Asc) => key.push_str(" ASC"),
                    Some(sqlparser::ast::OrderBySort::Desc) => key.push_str(" DESC"),
                    _ => {}
                }
                match item.options.nulls_first {
                    Some(true) => key.push_str(" NULLS FIRST"),
                    Some(false) => key.push_str(" NULLS LAST"),
                    None => {}
                }
                key
            })
            .collect();
        parts.push(format!("ORDER BY {}", keys.join(", ")));
    }
    if let Some(frame) = &spec.window_frame {
        let default = matches!(frame.units, WindowFrameUnits::Range)
            && matches!(frame.start_bound, WindowFrameBound::Preceding(None))
            && matches!(frame.end_bound, None | Some(WindowFrameBound::CurrentRow));
        if !default {
            match &frame.end_bound {
                Some(end) => parts.push(format!(
                    "{} BETWEEN {} AND {end}",
                    frame.units, frame.start_bound
                )),
                None => parts.push(format!("{} {}", frame.units, frame.start_bound)),
            }
        }
    }
    parts.join(" ")
}

fn flatten<'e>(expr: &'e Expr, op: &BinaryOperator, terms: &mut Vec<&'e Expr>) {
    match expr {
        Expr::BinaryOp {
            left,
            op: inner,
            right,
        } if inner == op => {
            flatten(left, op, terms);
            flatten(right, op, terms);
        }
        other => terms.push(other),
    }
}

fn arg_expr(arg: &FunctionArg) -> Option<&Expr> {
    match arg {
        FunctionArg::Named {
            arg: FunctionArgExpr::Expr(e),
            ..
        }
        | FunctionArg::ExprNamed {
            arg: FunctionArgExpr::Expr(e),
            ..
        }
        | FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
        _ => None,
    }
}

fn render_arg(arg: &FunctionArg) -> String {
    if let FunctionArg::Named {
        name,
        arg: FunctionArgExpr::Expr(value),
        ..
    } = arg
    {
        return format!("{} := {}", quote(&name.value), render(value));
    }
    let expr = match arg {
        FunctionArg::Named { arg, .. }
        | FunctionArg::ExprNamed { arg, .. }
        | FunctionArg::Unnamed(arg) => arg,
    };
    match expr {
        FunctionArgExpr::Expr(expr) => render(expr),
        FunctionArgExpr::QualifiedWildcard(name) => format!("{name}.*"),
        FunctionArgExpr::Wildcard | FunctionArgExpr::WildcardWithOptions(_) => "*".to_string(),
    }
}

fn render_value(value: &Value) -> String {
    match value {
        Value::Number(number, _) => {
            let clean: String = number.chars().filter(|c| *c != '_').collect();
            match clean.parse::<f64>() {
                Ok(value) if clean.contains(['e', 'E']) => format!("{value:.1}"),
                _ => clean,
            }
        }
        Value::SingleQuotedString(text) => format!("'{}'", text.replace('\'', "''")),
        // DuckDB parses TRUE as the cast of the string 't'.
        Value::Boolean(true) => "CAST('t' AS BOOLEAN)".to_string(),
        Value::Boolean(false) => "CAST('f' AS BOOLEAN)".to_string(),
        Value::Null => "NULL".to_string(),
        other => other.to_string(),
    }
}

fn operator(op: &BinaryOperator) -> String {
    match op {
        BinaryOperator::StringConcat => "||".to_string(),
        BinaryOperator::NotEq => "!=".to_string(),
        BinaryOperator::DuckIntegerDivide | BinaryOperator::MyIntegerDivide => "//".to_string(),
        other => other.to_string(),
    }
}

pub(crate) fn field_name(field: &DateTimeField) -> String {
    match field {
        DateTimeField::Custom(ident) => ident.value.to_ascii_lowercase(),
        other => other.to_string().to_ascii_lowercase(),
    }
}

/// Quotes an identifier the way DuckDB does when it renders one: when it
/// is not a plain lower-case name or is a keyword.
fn quote_always(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn quote(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !super::keywords::is_keyword(name);
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_statements;
    use sqlparser::ast::{SelectItem, SetExpr, Statement};

    fn name_of(expression: &str) -> String {
        let statements = parse_statements(&format!("SELECT {expression}"), "t.sql").unwrap();
        let Statement::Query(query) = &statements[0] else {
            panic!("not a query")
        };
        let SetExpr::Select(select) = query.body.as_ref() else {
            panic!("not a select")
        };
        let SelectItem::UnnamedExpr(expr) = &select.projection[0] else {
            panic!("aliased")
        };
        column_name(expr)
    }

    #[test]
    fn renders_like_duckdb() {
        assert_eq!(name_of("sum(l_quantity)"), "sum(l_quantity)");
        assert_eq!(name_of("count(*)"), "count_star()");
        assert_eq!(name_of("round(a / b, 2)"), "round((a / b), 2)");
        assert_eq!(name_of("t.col"), "col");
        assert_eq!(name_of("count(DISTINCT x)"), "count(DISTINCT x)");
        assert_eq!(name_of("CAST(x AS int)"), "CAST(x AS INTEGER)");
        assert_eq!(name_of("'a'"), "'a'");
        assert_eq!(name_of("-x"), "-(x)");
    }
}
