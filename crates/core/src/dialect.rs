//! DuckDB syntax that sqlparser 0.64 does not parse, read here so models
//! that use it still compile:
//!
//! - `POSITIONAL JOIN` and `ASOF [LEFT] JOIN ... ON`: the extra word is
//!   blanked out of a copy of the text (same length, so every span stays
//!   true) and the join is parsed as a CROSS, INNER or LEFT join. Positional
//!   joins are remembered by the position of the table they join.
//! - `GLOB` and the starts-with operator `^@`, read as LIKE and `=`,
//!   which take and give the same types.
//! - The `PIVOT` and `UNPIVOT` statements (`PIVOT t ON c IN (...) USING
//!   sum(x) GROUP BY k`), optionally after a WITH clause, parsed piece by
//!   piece with sqlparser's own expression and table parsers.
//!
//! The model's SQL as written is what runs in DuckDB; only the analysis
//! reads the rewritten copy.

use sqlparser::ast::{Cte, Expr, ExprWithAlias, Ident, Query, TableFactor};
use sqlparser::dialect::DuckDbDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Whitespace};

use crate::diagnostic::Position;
use crate::text::LineIndex;

/// A parsed model.
pub(crate) struct ParsedModel {
    pub body: ModelBody,
    /// Where the table of each `POSITIONAL JOIN` starts.
    pub positional_joins: Vec<Position>,
    /// The `* RENAME (...)` lists that sqlparser's DuckDB dialect does not
    /// read, blanked out of the text and kept here.
    pub wildcard_renames: Vec<WildcardRename>,
    /// The `* LIKE '...'` patterns, blanked out of the text.
    pub wildcard_patterns: Vec<WildcardPattern>,
}

/// A `* LIKE 'pattern'` and its kin after a `*`: they select the columns
/// whose names match.
#[derive(Clone, Debug)]
pub(crate) struct WildcardPattern {
    pub star: sqlparser::tokenizer::Location,
    pub negated: bool,
    /// `like`, `ilike`, `glob` or `similar`.
    pub operator: String,
    pub pattern: String,
    pub span: sqlparser::tokenizer::Span,
}

/// A `RENAME` list after a `*`: the star's place and each `old AS new`.
#[derive(Clone, Debug)]
pub(crate) struct WildcardRename {
    pub star: sqlparser::tokenizer::Location,
    pub renames: Vec<(sqlparser::ast::Ident, sqlparser::ast::Ident)>,
}

pub(crate) enum ModelBody {
    Query(Box<Query>),
    Pivot(Box<PivotStatement>),
}

/// A `PIVOT` or `UNPIVOT` statement.
pub(crate) struct PivotStatement {
    pub with: Vec<Cte>,
    pub recursive: bool,
    pub source: TableFactor,
    pub kind: PivotKind,
}

pub(crate) enum PivotKind {
    /// `PIVOT t ON a [IN (...)], b [IN (...)] [USING agg [AS name], ...] [GROUP BY k, ...]`.
    /// An ON item with an IN list is an `Expr::In` with a list target.
    Pivot {
        on: Vec<Expr>,
        using: Vec<ExprWithAlias>,
        group_by: Vec<Expr>,
    },
    /// `UNPIVOT t ON c, ... [INTO NAME n VALUE v, ...]`.
    Unpivot {
        on: Vec<ExprWithAlias>,
        name: Option<Ident>,
        values: Vec<Ident>,
    },
}

/// The text sqlparser can read, and the positional joins found on the way.
pub(crate) struct Prepared {
    pub sql: String,
    pub positional_joins: Vec<Position>,
    pub wildcard_renames: Vec<WildcardRename>,
    pub wildcard_patterns: Vec<WildcardPattern>,
    /// True when the text starts with PIVOT or UNPIVOT, or has one after a
    /// WITH clause.
    pub pivot_statement: bool,
    /// The tokens of `sql` when preparing changed nothing, so the parser
    /// need not read the text again. `None` when `sql` differs from the
    /// input or did not tokenize.
    pub tokens: Option<Vec<TokenWithSpan>>,
}

/// Blanks out `POSITIONAL` and `ASOF` before JOIN.
pub(crate) fn prepare(sql: &str) -> Prepared {
    let mut prepared = Prepared {
        sql: sql.to_string(),
        positional_joins: Vec::new(),
        wildcard_renames: Vec::new(),
        wildcard_patterns: Vec::new(),
        pivot_statement: false,
        tokens: None,
    };
    let Ok(tokens) = Tokenizer::new(&DuckDbDialect {}, sql).tokenize_with_location() else {
        return prepared;
    };
    let significant: Vec<&TokenWithSpan> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let index = LineIndex::new(sql);
    let mut blanks: Vec<(usize, usize, &str)> = Vec::new();
    let mut skip_until = 0;
    for (i, token) in significant.iter().enumerate() {
        if i < skip_until {
            continue;
        }
        if let Some((pattern, end)) = wildcard_pattern(&significant, i) {
            // The star stays; the pattern after it is blanked.
            for pattern_token in &significant[i + 1..end] {
                if let (Some(start), Some(end)) = (
                    index.offset(position(pattern_token)),
                    index.offset(end_position(pattern_token)),
                ) {
                    blanks.push((start, end, ""));
                }
            }
            prepared.wildcard_patterns.push(pattern);
            skip_until = end;
            continue;
        }
        if let Some((rename, end)) = wildcard_rename(&significant, i) {
            for rename_token in &significant[i..end] {
                if let (Some(start), Some(end)) = (
                    index.offset(position(rename_token)),
                    index.offset(end_position(rename_token)),
                ) {
                    blanks.push((start, end, ""));
                }
            }
            prepared.wildcard_renames.push(rename);
            skip_until = end;
            continue;
        }
        if let Some(end) = sample_clause_end(&significant, i) {
            // DuckDB's `USING SAMPLE 10%` picks rows at random and reads no
            // column: blanked token by token, so lines keep their numbers.
            for sample_token in &significant[i..end] {
                if let (Some(start), Some(end)) = (
                    index.offset(position(sample_token)),
                    index.offset(end_position(sample_token)),
                ) {
                    blanks.push((start, end, ""));
                }
            }
            skip_until = end;
            continue;
        }
        if token.token == Token::CaretAt {
            // `s ^@ 'pre'` (starts with) types like `s = 'pre'`.
            if let (Some(start), Some(end)) = (
                index.offset(position(token)),
                index.offset(end_position(token)),
            ) {
                blanks.push((start, end, "="));
            }
            continue;
        }
        let Token::Word(word) = &token.token else {
            continue;
        };
        let next_is = |offset: usize, keyword: Keyword| matches!(significant.get(i + offset), Some(t) if matches!(&t.token, Token::Word(w) if w.keyword == keyword));
        let unquoted = word.quote_style.is_none();
        let replacement = if unquoted
            && word.value.eq_ignore_ascii_case("positional")
            && next_is(1, Keyword::JOIN)
        {
            if let Some(table) = significant.get(i + 2) {
                prepared.positional_joins.push(position(table));
            }
            "CROSS"
        } else if unquoted
            && word.keyword == Keyword::GLOB
            && !matches!(significant.get(i + 1), Some(t) if t.token == Token::LParen)
        {
            // `s GLOB 'a*'` types like `s LIKE 'a%'`; both are BOOLEAN. The
            // table function `glob('*.csv')` stays as it is.
            "LIKE"
        } else if unquoted
            && word.keyword == Keyword::ASOF
            && (next_is(1, Keyword::JOIN)
                || (next_is(1, Keyword::LEFT) && next_is(2, Keyword::JOIN)))
        {
            ""
        } else {
            continue;
        };
        let start = index.offset(position(token));
        let end = index.offset(end_position(token));
        if let (Some(start), Some(end)) = (start, end) {
            blanks.push((start, end, replacement));
        }
    }
    let unchanged = blanks.is_empty();
    for (start, end, replacement) in blanks {
        let width = end - start;
        let mut text = replacement.to_string();
        text.push_str(&" ".repeat(width.saturating_sub(text.len())));
        prepared.sql.replace_range(start..end, &text);
    }
    prepared.pivot_statement = starts_pivot_statement(&significant);
    if unchanged {
        drop(significant);
        prepared.tokens = Some(tokens);
    }
    prepared
}

/// Reads `* [NOT] LIKE | ILIKE | GLOB | SIMILAR TO 'pattern'` whose star is
/// at `start`, and returns it with the index after the pattern.
fn wildcard_pattern(tokens: &[&TokenWithSpan], start: usize) -> Option<(WildcardPattern, usize)> {
    if tokens.get(start)?.token != Token::Mul {
        return None;
    }
    let word = |at: usize| match &tokens.get(at)?.token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_lowercase()),
        _ => None,
    };
    let mut at = start + 1;
    let negated = word(at).as_deref() == Some("not");
    if negated {
        at += 1;
    }
    let operator = word(at)?;
    let operator = match operator.as_str() {
        "like" | "ilike" | "glob" => operator,
        "similar" if word(at + 1).as_deref() == Some("to") => {
            at += 1;
            operator
        }
        _ => return None,
    };
    let literal = tokens.get(at + 1)?;
    let Token::SingleQuotedString(pattern) = &literal.token else {
        return None;
    };
    let pattern = WildcardPattern {
        star: tokens[start].span.start,
        negated,
        operator,
        pattern: pattern.clone(),
        span: sqlparser::tokenizer::Span::new(tokens[start + 1].span.start, literal.span.end),
    };
    Some((pattern, at + 2))
}

/// Reads a `RENAME a AS b` or `RENAME (a AS b, ...)` that starts at
/// `start` after a `*` or after the `)` of its EXCLUDE or REPLACE list, and
/// returns it with the index after it.
fn wildcard_rename(tokens: &[&TokenWithSpan], start: usize) -> Option<(WildcardRename, usize)> {
    let is_rename = matches!(&tokens.get(start)?.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("rename"));
    if !is_rename || start == 0 {
        return None;
    }
    // The star: the nearest `*` before, outside the lists in between.
    let mut depth = 0i32;
    let mut star = None;
    for at in (0..start).rev() {
        match &tokens[at].token {
            Token::RParen => depth += 1,
            Token::LParen => depth -= 1,
            Token::Mul if depth == 0 => {
                star = Some(tokens[at].span.start);
                break;
            }
            Token::Word(w) if depth == 0 && w.quote_style.is_none() => {
                let options = ["exclude", "replace"];
                if !options.iter().any(|o| w.value.eq_ignore_ascii_case(o)) {
                    return None;
                }
            }
            _ if depth == 0 => return None,
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    let star = star?;
    let ident = |token: &TokenWithSpan| match &token.token {
        Token::Word(w) => Some(sqlparser::ast::Ident {
            value: w.value.clone(),
            quote_style: w.quote_style,
            span: token.span,
        }),
        _ => None,
    };
    let pair = |at: usize| -> Option<(sqlparser::ast::Ident, sqlparser::ast::Ident)> {
        let old = ident(tokens.get(at)?)?;
        if !is_keyword(&tokens.get(at + 1)?.token, Keyword::AS) {
            return None;
        }
        Some((old, ident(tokens.get(at + 2)?)?))
    };
    let mut renames = Vec::new();
    let end = if tokens.get(start + 1)?.token == Token::LParen {
        let mut at = start + 2;
        loop {
            renames.push(pair(at)?);
            at += 3;
            match &tokens.get(at)?.token {
                Token::Comma => at += 1,
                Token::RParen => break at + 1,
                _ => return None,
            }
        }
    } else {
        renames.push(pair(start + 1)?);
        start + 4
    };
    Some((WildcardRename { star, renames }, end))
}

/// Returns the index after a `USING SAMPLE ...` clause that starts at
/// `start`: the clause runs to the next ORDER BY, LIMIT, OFFSET, set
/// operation, closing parenthesis or semicolon outside parentheses.
fn sample_clause_end(tokens: &[&TokenWithSpan], start: usize) -> Option<usize> {
    let starts = is_keyword(&tokens.get(start)?.token, Keyword::USING)
        && matches!(&tokens.get(start + 1)?.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("sample"));
    if !starts {
        return None;
    }
    let mut depth = 0usize;
    for (offset, token) in tokens[start + 2..].iter().enumerate() {
        let at = start + 2 + offset;
        match &token.token {
            Token::LParen => depth += 1,
            Token::RParen if depth == 0 => return Some(at),
            Token::RParen => depth -= 1,
            Token::SemiColon if depth == 0 => return Some(at),
            Token::EOF => return Some(at),
            Token::Word(word) if depth == 0 && word.quote_style.is_none() => {
                let ends = matches!(
                    word.keyword,
                    Keyword::ORDER
                        | Keyword::LIMIT
                        | Keyword::OFFSET
                        | Keyword::UNION
                        | Keyword::EXCEPT
                        | Keyword::INTERSECT
                        | Keyword::FETCH
                );
                if ends {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    Some(tokens.len())
}

fn position(token: &TokenWithSpan) -> Position {
    Position {
        line: token.span.start.line as u32,
        column: token.span.start.column as u32,
    }
}

fn end_position(token: &TokenWithSpan) -> Position {
    Position {
        line: token.span.end.line as u32,
        column: token.span.end.column as u32,
    }
}

fn is_keyword(token: &Token, keyword: Keyword) -> bool {
    matches!(token, Token::Word(w) if w.keyword == keyword && w.quote_style.is_none())
}

/// True when the first word is PIVOT or UNPIVOT, or when one follows a
/// WITH clause at the outer level.
fn starts_pivot_statement(tokens: &[&TokenWithSpan]) -> bool {
    let is_pivot = |t: &Token| is_keyword(t, Keyword::PIVOT) || is_keyword(t, Keyword::UNPIVOT);
    match tokens.first() {
        Some(first) if is_pivot(&first.token) => true,
        Some(first) if is_keyword(&first.token, Keyword::WITH) => {
            // After the CTEs, the next word at depth 0 that is not `,`,
            // an alias or AS starts the main statement.
            let mut depth = 0usize;
            for token in &tokens[1..] {
                match &token.token {
                    Token::LParen => depth += 1,
                    Token::RParen => depth = depth.saturating_sub(1),
                    t if depth == 0 && is_pivot(t) => return true,
                    t if depth == 0
                        && (is_keyword(t, Keyword::SELECT)
                            || is_keyword(t, Keyword::FROM)
                            || is_keyword(t, Keyword::VALUES)) =>
                    {
                        return false
                    }
                    _ => {}
                }
            }
            false
        }
        _ => false,
    }
}

/// Parses a PIVOT or UNPIVOT statement, with an optional WITH clause.
pub(crate) fn parse_pivot_statement(sql: &str) -> Result<PivotStatement, ParserError> {
    let tokens: Vec<TokenWithSpan> = Tokenizer::new(&DuckDbDialect {}, sql)
        .tokenize_with_location()?
        .into_iter()
        .filter(|t| {
            !matches!(
                t.token,
                Token::Whitespace(Whitespace::SingleLineComment { .. })
                    | Token::Whitespace(Whitespace::MultiLineComment(_))
            )
        })
        .collect();
    let dialect = DuckDbDialect {};
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(48)
        .with_tokens_with_locations(tokens);
    let mut with = Vec::new();
    let mut recursive = false;
    if parser.parse_keyword(Keyword::WITH) {
        recursive = parser.parse_keyword(Keyword::RECURSIVE);
        with = parser.parse_comma_separated(Parser::parse_cte)?;
    }
    let kind_keyword = if parser.parse_keyword(Keyword::PIVOT) {
        Keyword::PIVOT
    } else {
        parser.expect_keyword_is(Keyword::UNPIVOT)?;
        Keyword::UNPIVOT
    };
    let source = parser.parse_table_factor()?;
    parser.expect_keyword_is(Keyword::ON)?;
    let kind = if kind_keyword == Keyword::PIVOT {
        let on = parser.parse_comma_separated(Parser::parse_expr)?;
        let using = if parser.parse_keyword(Keyword::USING) {
            parser.parse_comma_separated(Parser::parse_expr_with_alias)?
        } else {
            Vec::new()
        };
        let group_by = if parser.parse_keywords(&[Keyword::GROUP, Keyword::BY]) {
            parser.parse_comma_separated(Parser::parse_expr)?
        } else {
            Vec::new()
        };
        PivotKind::Pivot {
            on,
            using,
            group_by,
        }
    } else {
        let on = parser.parse_comma_separated(Parser::parse_expr_with_alias)?;
        let (name, values) = if parser.parse_keyword(Keyword::INTO) {
            parser.expect_keyword_is(Keyword::NAME)?;
            let name = parser.parse_identifier()?;
            parser.expect_keyword_is(Keyword::VALUE)?;
            (
                Some(name),
                parser.parse_comma_separated(Parser::parse_identifier)?,
            )
        } else {
            (None, Vec::new())
        };
        PivotKind::Unpivot { on, name, values }
    };
    // ORDER BY and LIMIT change neither the columns nor their types.
    if parser.parse_keywords(&[Keyword::ORDER, Keyword::BY]) {
        parser.parse_comma_separated(Parser::parse_order_by_expr)?;
    }
    if parser.parse_keyword(Keyword::LIMIT) {
        parser.parse_expr()?;
    }
    let _ = parser.consume_token(&Token::SemiColon);
    let rest = parser.peek_token();
    if rest.token != Token::EOF {
        return Err(ParserError::ParserError(format!(
            "Expected: end of statement, found: {} at Line: {}, Column: {}",
            rest.token, rest.span.start.line, rest.span.start.column
        )));
    }
    Ok(PivotStatement {
        with,
        recursive,
        source,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_and_asof_keep_the_text_length() {
        let sql = "SELECT * FROM a POSITIONAL JOIN b\nASOF LEFT JOIN c ON a.t >= c.t";
        let prepared = prepare(sql);
        assert_eq!(prepared.sql.len(), sql.len());
        assert_eq!(
            prepared.sql,
            "SELECT * FROM a CROSS      JOIN b\n     LEFT JOIN c ON a.t >= c.t"
        );
        assert_eq!(
            prepared.positional_joins,
            [Position {
                line: 1,
                column: 33
            }]
        );
    }

    #[test]
    fn words_in_strings_and_names_are_left_alone() {
        let sql = "SELECT 'positional join' AS positional, \"asof\" FROM t";
        assert_eq!(prepare(sql).sql, sql);
    }

    #[test]
    fn pivot_statements_are_recognized() {
        assert!(prepare("PIVOT t ON c USING sum(x)").pivot_statement);
        assert!(prepare("with x as (select 1) unpivot x on a").pivot_statement);
        assert!(
            !prepare("WITH x AS (SELECT 1) SELECT * FROM x PIVOT (sum(a) FOR b IN (1))")
                .pivot_statement
        );
    }

    #[test]
    fn pivot_statement_parts() {
        let statement = parse_pivot_statement(
            "PIVOT sales ON quarter IN ('Q1', 'Q2'), year USING sum(units) AS u GROUP BY region ORDER BY region",
        )
        .unwrap();
        let PivotKind::Pivot {
            on,
            using,
            group_by,
        } = statement.kind
        else {
            panic!("not a pivot");
        };
        assert!(matches!(on[0], Expr::In { .. }));
        assert!(matches!(on[1], Expr::Identifier(_)));
        assert_eq!(using[0].alias.as_ref().unwrap().value, "u");
        assert_eq!(group_by.len(), 1);
    }

    #[test]
    fn unpivot_statement_parts() {
        let statement =
            parse_pivot_statement("UNPIVOT t ON jan, feb INTO NAME month VALUE amount").unwrap();
        let PivotKind::Unpivot { on, name, values } = statement.kind else {
            panic!("not an unpivot");
        };
        assert_eq!(on.len(), 2);
        assert_eq!(name.unwrap().value, "month");
        assert_eq!(values[0].value, "amount");
    }

    #[test]
    fn trailing_text_is_an_error() {
        assert!(parse_pivot_statement("PIVOT t ON c USING sum(x) nonsense").is_err());
    }
}
