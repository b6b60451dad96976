//! sqlparser behind one function per kind of file, with its errors turned
//! into diagnostics that carry a position.

use sqlparser::ast::Statement;
use sqlparser::dialect::DuckDbDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{TokenWithSpan, Tokenizer};

use crate::diagnostic::{Diagnostic, Span};

/// Parentheses nested deeper than this are rejected before parsing, so
/// hostile input cannot exhaust the stack: sqlparser recurses several
/// frames per level, and a debug build overflowed a 2 MiB thread stack at
/// about 60 levels.
const MAX_NESTING: usize = 32;

/// Operators in one chain beyond this are rejected before parsing; at
/// this depth the binder fits in a 2 MiB stack even in a debug build.
const MAX_OPERATOR_CHAIN: usize = 200;

/// Set operations in one query beyond this are rejected, as DuckDB rejects
/// more than 1,000 levels of expression depth; each one nests the tree.
const MAX_SET_OPERATIONS: usize = 1000;

/// sqlparser's own guard, set above `MAX_NESTING` as a second line.
const RECURSION_LIMIT: usize = 48;

/// Parses every statement of a file with the DuckDB dialect.
pub(crate) fn parse_statements(sql: &str, file: &str) -> Result<Vec<Statement>, Diagnostic> {
    // A text that does not tokenize goes to the parser, which reports the
    // error with its position.
    match Tokenizer::new(&DuckDbDialect {}, sql).tokenize_with_location() {
        Ok(tokens) => parse_tokens(sql, tokens, file),
        Err(error) => Err(syntax_error(&ParserError::from(error), sql, file)),
    }
}

/// Parses every statement of `sql`, given as the tokens the DuckDB
/// dialect's tokenizer made of it, so a caller that has tokenized the
/// text already does not tokenize it again.
pub(crate) fn parse_tokens(
    sql: &str,
    tokens: Vec<TokenWithSpan>,
    file: &str,
) -> Result<Vec<Statement>, Diagnostic> {
    check_nesting(&tokens, file)?;
    let mut statements = Parser::new(&DuckDbDialect {})
        .with_recursion_limit(RECURSION_LIMIT)
        .with_tokens_with_locations(tokens)
        .parse_statements()
        .map_err(|error| syntax_error(&error, sql, file))?;
    equals_arguments_as_comparisons(&mut statements);
    method_calls_as_functions(&mut statements);
    Ok(statements)
}

/// Turns DuckDB's method syntax into plain calls: `va.upper()` becomes
/// `upper(va)`, and `va.lower().length()` becomes `length(lower(va))`.
/// sqlparser reads `va.upper()` as a call of a function named `va.upper`;
/// Rocky knows only DuckDB's built-in functions, which live in no schema,
/// so a qualified name whose last part is one of them is a method call.
fn method_calls_as_functions(statements: &mut Vec<Statement>) {
    use std::ops::ControlFlow;

    use sqlparser::ast::{
        visit_expressions_mut, AccessExpr, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
        Ident, ObjectName, ObjectNamePart,
    };

    let is_builtin = |function: &sqlparser::ast::Function| {
        function.name.0.len() == 1
            && function.name.0[0].as_ident().is_some_and(|ident| {
                crate::bind::catalog::signatures(&ident.value.to_ascii_lowercase()).is_some()
            })
    };

    // Prepends `target` to a call's arguments and names it by its last part.
    fn as_plain_call(mut function: sqlparser::ast::Function, target: Expr) -> Expr {
        let last = function.name.0.last().cloned();
        if let Some(last) = last {
            function.name = ObjectName(vec![last]);
        }
        let first = FunctionArg::Unnamed(FunctionArgExpr::Expr(target));
        match &mut function.args {
            FunctionArguments::List(list) => list.args.insert(0, first),
            other => {
                *other = FunctionArguments::List(sqlparser::ast::FunctionArgumentList {
                    duplicate_treatment: None,
                    args: vec![first],
                    clauses: Vec::new(),
                })
            }
        }
        Expr::Function(function)
    }

    let _ = visit_expressions_mut(statements, |expr| {
        match expr {
            Expr::Function(function) if function.name.0.len() >= 2 => {
                let parts: Vec<Ident> = function
                    .name
                    .0
                    .iter()
                    .filter_map(|part| match part {
                        ObjectNamePart::Identifier(ident) => Some(ident.clone()),
                        _ => None,
                    })
                    .collect();
                let method = parts.last().map(|p| p.value.to_ascii_lowercase());
                let known = method
                    .as_deref()
                    .is_some_and(|name| crate::bind::catalog::signatures(name).is_some());
                if known && parts.len() == function.name.0.len() {
                    let receiver = &parts[..parts.len() - 1];
                    let target = match receiver {
                        [one] => Expr::Identifier(one.clone()),
                        many => Expr::CompoundIdentifier(many.to_vec()),
                    };
                    *expr = as_plain_call(function.clone(), target);
                }
            }
            // `va.lower().length()`: the calls after the first follow as
            // field accesses; each built-in one takes the value so far.
            Expr::CompoundFieldAccess { root, access_chain } => {
                let calls = access_chain
                    .iter()
                    .take_while(|access| {
                        matches!(access, AccessExpr::Dot(Expr::Function(f)) if is_builtin(f))
                    })
                    .count();
                if calls > 0 {
                    let mut value = (**root).clone();
                    for access in access_chain.drain(..calls) {
                        if let AccessExpr::Dot(Expr::Function(function)) = access {
                            value = as_plain_call(function, value);
                        }
                    }
                    *expr = if access_chain.is_empty() {
                        value
                    } else {
                        Expr::CompoundFieldAccess {
                            root: Box::new(value),
                            access_chain: std::mem::take(access_chain),
                        }
                    };
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

/// Turns `f(x = y)` back into a comparison. sqlparser reads `name = value`
/// inside any call's parentheses as a named argument, but in DuckDB an
/// expression's function takes named arguments only with `:=` or `=>`, so
/// `count_if(status = 'paid')` compares. Table functions in FROM, where
/// `read_csv('f', header = true)` does name an argument, are no
/// expressions and stay as they are.
fn equals_arguments_as_comparisons(statements: &mut Vec<Statement>) {
    use std::ops::ControlFlow;

    use sqlparser::ast::{
        visit_expressions_mut, BinaryOperator, Expr, FunctionArg, FunctionArgExpr,
        FunctionArgOperator, FunctionArguments,
    };

    let _ = visit_expressions_mut(statements, |expr| {
        let Expr::Function(function) = expr else {
            return ControlFlow::<()>::Continue(());
        };
        let FunctionArguments::List(list) = &mut function.args else {
            return ControlFlow::Continue(());
        };
        for arg in &mut list.args {
            let comparison = match arg {
                FunctionArg::Named {
                    name,
                    arg: FunctionArgExpr::Expr(value),
                    operator: FunctionArgOperator::Equals,
                } => Some((Expr::Identifier(name.clone()), value.clone())),
                FunctionArg::ExprNamed {
                    name,
                    arg: FunctionArgExpr::Expr(value),
                    operator: FunctionArgOperator::Equals,
                } => Some((name.clone(), value.clone())),
                _ => None,
            };
            if let Some((left, right)) = comparison {
                *arg = FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::BinaryOp {
                    left: Box::new(left),
                    op: BinaryOperator::Eq,
                    right: Box::new(right),
                }));
            }
        }
        ControlFlow::Continue(())
    });
}

/// The span of each statement of a file, from its first token to its last,
/// leaving out comments and the semicolons between statements.
pub(crate) fn statement_spans(sql: &str) -> Vec<Span> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let Ok(tokens) = Tokenizer::new(&DuckDbDialect {}, sql).tokenize_with_location() else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    let mut current: Option<Span> = None;
    for token in tokens {
        match token.token {
            Token::Whitespace(_) => {}
            Token::SemiColon => spans.extend(current.take()),
            _ => {
                let at = crate::bind::span_of(&token.span);
                current = Some(match current {
                    Some(span) => Span {
                        start: span.start,
                        end: at.end,
                    },
                    None => at,
                });
            }
        }
    }
    spans.extend(current);
    spans
}

/// Parses a PIVOT or UNPIVOT statement (see `dialect`).
pub(crate) fn parse_pivot(
    sql: &str,
    file: &str,
) -> Result<crate::dialect::PivotStatement, Diagnostic> {
    // Tokenizer errors are reported by the parser with their position.
    if let Ok(tokens) = Tokenizer::new(&DuckDbDialect {}, sql).tokenize_with_location() {
        check_nesting(&tokens, file)?;
    }
    crate::dialect::parse_pivot_statement(sql).map_err(|error| syntax_error(&error, sql, file))
}

/// Rejects input whose syntax tree would be too deep to walk: parentheses
/// nested more than `MAX_NESTING` levels, or more than `MAX_OPERATOR_CHAIN`
/// operators in one unbroken chain (`1 + 1 + ...` parses to a tree as deep
/// as the chain is long), counted across the open parentheses.
fn check_nesting(tokens: &[TokenWithSpan], file: &str) -> Result<(), Diagnostic> {
    use sqlparser::keywords::Keyword;
    use sqlparser::tokenizer::Token;

    let mut chains: Vec<usize> = vec![0];
    let mut set_operations = 0usize;
    for token in tokens {
        let at = Span::new(
            token.span.start.line as u32,
            token.span.start.column as u32,
            token.span.end.line as u32,
            token.span.end.column as u32,
        );
        if let Token::Word(word) = &token.token {
            if matches!(
                word.keyword,
                Keyword::UNION | Keyword::EXCEPT | Keyword::INTERSECT
            ) {
                set_operations += 1;
                if set_operations > MAX_SET_OPERATIONS {
                    return Err(Diagnostic::error(
                        "E0001",
                        file,
                        at,
                        "the query has too many set operations to analyze",
                    )
                    .with_help(format!(
                        "DuckDB stops at 1000 levels too; combine at most {MAX_SET_OPERATIONS} branches, for example by reading them from a table or VALUES"
                    )));
                }
            }
        }
        // `l[1][2]...` chains subscripts as `a + b + ...` chains operators.
        if token.token == Token::LBracket {
            if let Some(last) = chains.last_mut() {
                *last += 1;
            }
            if chains.iter().sum::<usize>() > MAX_OPERATOR_CHAIN {
                return Err(Diagnostic::error("E0001", file, at, "the expression is too long to analyze")
                    .with_help(format!("split chains of more than {MAX_OPERATOR_CHAIN} operators or subscripts with CTEs")));
            }
        }
        match &token.token {
            Token::LParen | Token::LBracket => {
                chains.push(0);
                if chains.len() > MAX_NESTING + 1 {
                    return Err(Diagnostic::error(
                        "E0001",
                        file,
                        at,
                        "the query is nested too deeply to analyze",
                    )
                    .with_help(format!(
                        "keep parentheses nested at most {MAX_NESTING} levels deep"
                    )));
                }
            }
            Token::RParen | Token::RBracket if chains.len() > 1 => {
                chains.pop();
            }
            Token::Comma | Token::SemiColon => {
                if let Some(last) = chains.last_mut() {
                    *last = 0;
                }
            }
            Token::Word(word)
                if matches!(
                    word.keyword,
                    Keyword::SELECT
                        | Keyword::FROM
                        | Keyword::WHERE
                        | Keyword::GROUP
                        | Keyword::HAVING
                        | Keyword::QUALIFY
                        | Keyword::ORDER
                        | Keyword::WHEN
                        | Keyword::THEN
                        | Keyword::ELSE
                        | Keyword::END
                        | Keyword::ON
                        | Keyword::JOIN
                        | Keyword::UNION
                        | Keyword::EXCEPT
                        | Keyword::INTERSECT
                        | Keyword::LIMIT
                ) =>
            {
                if let Some(last) = chains.last_mut() {
                    *last = 0;
                }
            }
            token if is_operator(token) => {
                if let Some(last) = chains.last_mut() {
                    *last += 1;
                }
                if chains.iter().sum::<usize>() > MAX_OPERATOR_CHAIN {
                    return Err(Diagnostic::error("E0001", file, at, "the expression is too long to analyze")
                        .with_help(format!("split chains of more than {MAX_OPERATOR_CHAIN} operators with parentheses or CTEs")));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn is_operator(token: &sqlparser::tokenizer::Token) -> bool {
    use sqlparser::keywords::Keyword;
    use sqlparser::tokenizer::Token;
    match token {
        Token::Word(word) => matches!(
            word.keyword,
            Keyword::AND | Keyword::OR | Keyword::NOT | Keyword::IS | Keyword::LIKE
        ),
        Token::Plus
        | Token::Minus
        | Token::Mul
        | Token::Div
        | Token::Mod
        | Token::DuckIntDiv
        | Token::StringConcat
        | Token::Eq
        | Token::DoubleEq
        | Token::Neq
        | Token::Lt
        | Token::Gt
        | Token::LtEq
        | Token::GtEq
        | Token::DoubleColon
        | Token::Caret
        | Token::Ampersand
        | Token::Pipe
        | Token::Period => true,
        _ => false,
    }
}

fn syntax_error(error: &ParserError, sql: &str, file: &str) -> Diagnostic {
    let raw = match error {
        ParserError::TokenizerError(message) | ParserError::ParserError(message) => message.clone(),
        ParserError::RecursionLimitExceeded => {
            return Diagnostic::error(
                "E0001",
                file,
                end_of(sql),
                "the query is nested too deeply to analyze",
            )
            .with_help(format!(
                "keep nesting of expressions and subqueries under {RECURSION_LIMIT} levels"
            ));
        }
    };
    let (message, span) = match split_location(&raw) {
        Some((message, line, column)) => {
            let width =
                found_token(&message).map_or(1, |token| token.chars().count().max(1)) as u32;
            (message, Span::new(line, column, line, column + width))
        }
        None => (raw.clone(), end_of(sql)),
    };
    let help = if message.contains("found: EOF") {
        "the statement ends early: check for a missing expression, parenthesis or keyword"
    } else {
        "check the SQL near this position"
    };
    Diagnostic::error("E0001", file, span, format!("syntax error: {message}")).with_help(help)
}

/// Splits sqlparser's "... at Line: 3, Column: 8" suffix off a message.
fn split_location(message: &str) -> Option<(String, u32, u32)> {
    let at = message.rfind(" at Line: ")?;
    let rest = &message[at + " at Line: ".len()..];
    let (line, column) = rest.split_once(", Column: ")?;
    let line = line.trim().parse().ok()?;
    let column = column
        .trim()
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()?;
    Some((message[..at].to_string(), line, column))
}

fn found_token(message: &str) -> Option<&str> {
    let token = message.rsplit_once("found: ")?.1.trim();
    (token != "EOF").then_some(token)
}

/// Returns a one-character span just past the end of the text.
pub(crate) fn end_of(text: &str) -> Span {
    let index = crate::text::LineIndex::new(text);
    let end = index.position(text.trim_end().len());
    Span {
        start: end,
        end: crate::Position {
            line: end.line,
            column: end.column + 1,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_has_position() {
        let error = parse_statements("SELECT a,\n  FROM t WHERE", "models/m.sql").unwrap_err();
        assert_eq!(error.code, "E0001");
        assert!(
            error.message.starts_with("syntax error:"),
            "{}",
            error.message
        );
        assert!(error.span.start.line >= 1);
        assert!(!error.message.contains("Line:"), "{}", error.message);
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let sql = format!("SELECT {}1{}", "(".repeat(500), ")".repeat(500));
        let error = parse_statements(&sql, "models/m.sql").unwrap_err();
        assert_eq!(error.code, "E0001");
        assert_eq!(error.span.start.column, 8 + MAX_NESTING as u32);
        let within = format!(
            "SELECT {}1{}",
            "(".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING)
        );
        assert!(parse_statements(&within, "models/m.sql").is_ok());
    }
}
