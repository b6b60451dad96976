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
        Expr::CompoundIdentifier(parts) => parts.last().map(|p| p.value.clone()).unwrap_or_default(),
        Expr::Nested(inner) => column_name(inner),
        _ => render(expr),
    }
}

fn render(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(ident) => quote(&ident.value),
        Expr::CompoundIdentifier(parts) => parts.iter().map(|p| quote(&p.value)).collect::<Vec<_>>().join("."),
        Expr::Nested(inner) => render(inner),
        Expr::Value(value) => render_value(&value.value),
        Expr::TypedString(typed) => {
            let ty = Type::from_sql(&typed.data_type).map_or_else(|| typed.data_type.to_string(), |t| t.to_string());
            format!("CAST({} AS {ty})", render_value(&typed.value.value))
        }
        Expr::BinaryOp { left, op, right } => format!("({} {} {})", render(left), operator(op), render(right)),
        Expr::UnaryOp { op, expr } => match op {
            UnaryOperator::Minus => format!("-({})", render(expr)),
            UnaryOperator::Plus => render(expr),
            UnaryOperator::Not => format!("(NOT {})", render(expr)),
            other => format!("{other}{}", render(expr)),
        },
        Expr::Cast { kind, expr, data_type, .. } => {
            let ty = Type::from_sql(data_type).map_or_else(|| data_type.to_string(), |t| t.to_string());
            let keyword = if matches!(kind, CastKind::TryCast | CastKind::SafeCast) { "TRY_CAST" } else { "CAST" };
            format!("{keyword}({} AS {ty})", render(expr))
        }
        Expr::Function(function) => {
            let name = function.name.to_string().to_ascii_lowercase();
            let (distinct, args) = match &function.args {
                FunctionArguments::List(list) => (
                    list.duplicate_treatment.is_some_and(|d| d.to_string() == "DISTINCT"),
                    list.args.iter().map(render_arg).collect::<Vec<_>>(),
                ),
                FunctionArguments::None => (false, Vec::new()),
                FunctionArguments::Subquery(query) => (false, vec![format!("({query})")]),
            };
            let mut text = if name == "count" && !distinct && args.iter().all(|a| a == "*") && args.len() <= 1 {
                "count_star()".to_string()
            } else {
                format!("{name}({}{})", if distinct { "DISTINCT " } else { "" }, args.join(", "))
            };
            if let Some(filter) = &function.filter {
                text.push_str(&format!(" FILTER (WHERE {})", render(filter)));
            }
            if let Some(over) = &function.over {
                text.push_str(&format!(" OVER ({})", over.to_string().trim_start_matches('(').trim_end_matches(')')));
            }
            text
        }
        Expr::Extract { field, expr, .. } => format!("date_part('{}', {})", field_name(field), render(expr)),
        Expr::Substring { expr, substring_from, substring_for, .. } => {
            let mut args = vec![render(expr)];
            args.extend(substring_from.iter().map(|e| render(e)));
            args.extend(substring_for.iter().map(|e| render(e)));
            // DuckDB binds the SUBSTRING keyword form to the catalog
            // function and prints it schema-qualified and quoted.
            format!("main.\"substring\"({})", args.join(", "))
        }
        Expr::Case { operand, conditions, else_result, .. } => {
            let mut text = String::from("CASE ");
            for when in conditions {
                let condition = match operand {
                    Some(operand) => format!("({} = {})", render(operand), render(&when.condition)),
                    None => render(&when.condition),
                };
                text.push_str(&format!(" WHEN {condition} THEN {}", render(&when.result)));
            }
            let otherwise = else_result.as_ref().map_or_else(|| "NULL".to_string(), |e| render(e));
            text.push_str(&format!(" ELSE {otherwise} END"));
            text
        }
        Expr::IsNull(inner) => format!("({} IS NULL)", render(inner)),
        Expr::IsNotNull(inner) => format!("({} IS NOT NULL)", render(inner)),
        Expr::Between { expr, negated, low, high } => format!(
            "({} {}BETWEEN {} AND {})",
            render(expr),
            if *negated { "NOT " } else { "" },
            render(low),
            render(high)
        ),
        Expr::Like { negated, expr, pattern, .. } => {
            format!("({} {} {})", render(expr), if *negated { "!~~" } else { "~~" }, render(pattern))
        }
        Expr::ILike { negated, expr, pattern, .. } => {
            format!("({} {} {})", render(expr), if *negated { "!~~*" } else { "~~*" }, render(pattern))
        }
        other => other.to_string(),
    }
}

fn render_arg(arg: &FunctionArg) -> String {
    let expr = match arg {
        FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } | FunctionArg::Unnamed(arg) => arg,
    };
    match expr {
        FunctionArgExpr::Expr(expr) => render(expr),
        FunctionArgExpr::QualifiedWildcard(name) => format!("{name}.*"),
        FunctionArgExpr::Wildcard | FunctionArgExpr::WildcardWithOptions(_) => "*".to_string(),
    }
}

fn render_value(value: &Value) -> String {
    match value {
        Value::Number(number, _) => number.to_string(),
        Value::SingleQuotedString(text) => format!("'{}'", text.replace('\'', "''")),
        Value::Boolean(true) => "true".to_string(),
        Value::Boolean(false) => "false".to_string(),
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

/// Quotes an identifier the way DuckDB does when it renders one: only
/// when it is not a plain lower-case name.
fn quote(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
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
        let Statement::Query(query) = &statements[0] else { panic!("not a query") };
        let SetExpr::Select(select) = query.body.as_ref() else { panic!("not a select") };
        let SelectItem::UnnamedExpr(expr) = &select.projection[0] else { panic!("aliased") };
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
