//! sqlparser behind one function per kind of file, with its errors turned
//! into diagnostics that carry a position.

use sqlparser::ast::Statement;
use sqlparser::dialect::DuckDbDialect;
use sqlparser::parser::{Parser, ParserError};

use crate::diagnostic::{Diagnostic, Span};

/// Parentheses nested deeper than this are rejected before parsing, so
/// hostile input cannot exhaust the stack: sqlparser recurses several
/// frames per level, and a debug build overflowed a 2 MiB thread stack at
/// about 60 levels.
const MAX_NESTING: usize = 32;

/// sqlparser's own guard, set above `MAX_NESTING` as a second line.
const RECURSION_LIMIT: usize = 48;

/// Parses every statement of a file with the DuckDB dialect.
pub(crate) fn parse_statements(sql: &str, file: &str) -> Result<Vec<Statement>, Diagnostic> {
    check_nesting(sql, file)?;
    Parser::new(&DuckDbDialect {})
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(sql)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|error| syntax_error(&error, sql, file))
}

/// Rejects parentheses nested deeper than `MAX_NESTING`, skipping string
/// literals, quoted identifiers and comments.
fn check_nesting(sql: &str, file: &str) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    let mut chars = sql.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        match c {
            '\'' | '"' => {
                for (_, next) in chars.by_ref() {
                    if next == c {
                        break;
                    }
                }
            }
            '-' if chars.peek().is_some_and(|(_, n)| *n == '-') => {
                for (_, next) in chars.by_ref() {
                    if next == '\n' {
                        break;
                    }
                }
            }
            '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let index = crate::text::LineIndex::new(sql);
                    return Err(Diagnostic::error("E0001", file, index.span(offset, offset + 1), "the query is nested too deeply to analyze")
                        .with_help(format!("keep parentheses nested at most {MAX_NESTING} levels deep")));
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn syntax_error(error: &ParserError, sql: &str, file: &str) -> Diagnostic {
    let raw = match error {
        ParserError::TokenizerError(message) | ParserError::ParserError(message) => message.clone(),
        ParserError::RecursionLimitExceeded => {
            return Diagnostic::error("E0001", file, end_of(sql), "the query is nested too deeply to analyze")
                .with_help(format!("keep nesting of expressions and subqueries under {RECURSION_LIMIT} levels"));
        }
    };
    let (message, span) = match split_location(&raw) {
        Some((message, line, column)) => {
            let width = found_token(&message).map_or(1, |token| token.chars().count().max(1)) as u32;
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
    let column = column.trim().trim_end_matches(|c: char| !c.is_ascii_digit()).parse().ok()?;
    Some((message[..at].to_string(), line, column))
}

fn found_token(message: &str) -> Option<&str> {
    let token = message.rsplit_once("found: ")?.1.trim();
    (token != "EOF").then_some(token)
}

/// A one-character span just past the end of the text.
pub(crate) fn end_of(text: &str) -> Span {
    let index = crate::text::LineIndex::new(text);
    let end = index.position(text.trim_end().len());
    Span { start: end, end: crate::Position { line: end.line, column: end.column + 1 } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_has_position() {
        let error = parse_statements("SELECT a,\n  FROM t WHERE", "models/m.sql").unwrap_err();
        assert_eq!(error.code, "E0001");
        assert!(error.message.starts_with("syntax error:"), "{}", error.message);
        assert!(error.span.start.line >= 1);
        assert!(!error.message.contains("Line:"), "{}", error.message);
    }

    #[test]
    fn deep_nesting_is_an_error() {
        
        
        let sql = format!("SELECT {}1{}", "(".repeat(500), ")".repeat(500));
        let error = parse_statements(&sql, "models/m.sql").unwrap_err();
        assert_eq!(error.code, "E0001");
        assert_eq!(error.span.start.column, 8 + MAX_NESTING as u32);
        let within = format!("SELECT {}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(parse_statements(&within, "models/m.sql").is_ok());
    }
}
