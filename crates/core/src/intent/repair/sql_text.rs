//! Scanning SQL text around the spans the compiler reports: trivia,
//! identifiers, aliases and parentheses. The scanner reads only what the
//! edits need, and every function returns `None` or stops at the end of
//! the text rather than fail.

use crate::diagnostic::Span;
use crate::text::LineIndex;

/// Words that end a select item or a FROM item, so they are never an
/// alias written without AS.
const RESERVED: &[&str] = &[
    "and",
    "anti",
    "as",
    "asof",
    "between",
    "by",
    "case",
    "cross",
    "else",
    "end",
    "except",
    "exclude",
    "fetch",
    "from",
    "full",
    "group",
    "having",
    "in",
    "inner",
    "intersect",
    "is",
    "join",
    "lateral",
    "left",
    "like",
    "limit",
    "natural",
    "not",
    "offset",
    "on",
    "or",
    "order",
    "outer",
    "pivot",
    "positional",
    "qualify",
    "rename",
    "replace",
    "right",
    "select",
    "semi",
    "tablesample",
    "then",
    "union",
    "unpivot",
    "using",
    "when",
    "where",
    "window",
    "with",
];

fn is_reserved(word: &str) -> bool {
    RESERVED.contains(&word.to_ascii_lowercase().as_str())
}

/// Converts a span of `text` to a byte range, or `None` when the span does
/// not lie in the text.
pub(super) fn byte_range(index: &LineIndex, span: Span) -> Option<(usize, usize)> {
    let start = index.offset(span.start)?;
    let end = index.offset(span.end)?;
    (start <= end).then_some((start, end))
}

/// Returns the text of a span, or `None` when it does not lie in the text.
pub(super) fn span_text<'t>(text: &'t str, index: &LineIndex, span: Span) -> Option<&'t str> {
    let (start, end) = byte_range(index, span)?;
    text.get(start..end)
}

/// Returns the offset after any whitespace and comments from `at`.
pub(super) fn skip_trivia(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if text.get(at..).is_some_and(|rest| rest.starts_with("--")) {
            at = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
        } else if text.get(at..).is_some_and(|rest| rest.starts_with("/*")) {
            at = text[at + 2..]
                .find("*/")
                .map_or(text.len(), |n| at + 2 + n + 2);
        } else {
            return at.min(text.len());
        }
    }
}

/// Reads an identifier at `at`: a bare word, or a double-quoted name with
/// `""` for a quote. Returns the name and the offset after it.
pub(super) fn read_identifier(text: &str, at: usize) -> Option<(String, usize)> {
    let rest = text.get(at..)?;
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '"' {
                name.push(c);
            } else if chars.peek().is_some_and(|&(_, next)| next == '"') {
                name.push('"');
                chars.next();
            } else {
                return Some((name, at + 1 + i + 1));
            }
        }
        return None;
    }
    let first = rest.chars().next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let end = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .map_or(rest.len(), |(i, _)| i);
    Some((rest[..end].to_string(), at + end))
}

/// Reads a bare word at `at` when it is `keyword`, ignoring case, and
/// returns the offset after it.
fn read_keyword(text: &str, at: usize, keyword: &str) -> Option<usize> {
    let (word, end) = read_identifier(text, at)?;
    let bare = !text[at..].starts_with('"');
    (bare && word.eq_ignore_ascii_case(keyword)).then_some(end)
}

/// Returns the alias written after a FROM item or select item that ends
/// at `end`, with or without AS.
pub(super) fn alias_after(text: &str, end: usize) -> Option<String> {
    let at = skip_trivia(text, end);
    if let Some(after) = read_keyword(text, at, "as") {
        return read_identifier(text, skip_trivia(text, after)).map(|(name, _)| name);
    }
    let (word, _) = read_identifier(text, at)?;
    let bare = !text[at..].starts_with('"');
    (!bare || !is_reserved(&word)).then_some(word)
}

/// Returns the offset after the alias of a select item that ends at
/// `end` and is named `name`, or `end` when it has no alias.
pub(super) fn end_of_alias(text: &str, end: usize, name: &str) -> usize {
    let at = skip_trivia(text, end);
    if let Some(after) = read_keyword(text, at, "as") {
        let at = skip_trivia(text, after);
        return read_identifier(text, at).map_or(end, |(_, after)| after);
    }
    match read_identifier(text, at) {
        Some((word, after)) if word.eq_ignore_ascii_case(name) && !is_reserved(&word) => after,
        _ => end,
    }
}

/// Returns the offset where the last part of a possibly qualified name
/// starts: `o.order_date` → the offset of `order_date`.
pub(super) fn last_part_start(name: &str) -> usize {
    if name.ends_with('"') && name.len() >= 2 {
        // Walk back over the quoted part, where `""` is an escaped quote.
        let bytes = name.as_bytes();
        let mut at = name.len() - 1;
        while at > 0 {
            at -= 1;
            if bytes[at] == b'"' {
                if at > 0 && bytes[at - 1] == b'"' {
                    at -= 1;
                } else {
                    return at;
                }
            }
        }
        return 0;
    }
    name.rfind('.').map_or(0, |dot| dot + 1)
}

/// Writes a column name as SQL: bare when DuckDB reads it back as the
/// same name, else double-quoted.
pub(super) fn quote_identifier(name: &str) -> String {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain && !is_reserved(name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Returns the offset of the `)` that closes the `(` at `open`, skipping
/// strings and quoted names.
fn closing_paren(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = open;
    while at < bytes.len() {
        match bytes[at] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            quote @ (b'\'' | b'"') => {
                at += 1;
                while at < bytes.len() && bytes[at] != quote {
                    at += 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The place to write a `RENAME` entry for the star that ends at `end`.
pub(super) enum RenameSlot {
    /// Inside an existing `RENAME (`, before its first entry.
    Existing(usize),
    /// After the star and its EXCLUDE, REPLACE or RENAME lists.
    New(usize),
}

/// Finds where a rename goes for the star that ends at `end`.
pub(super) fn rename_slot(text: &str, end: usize) -> RenameSlot {
    let mut after = end;
    loop {
        let at = skip_trivia(text, after);
        let keyword = ["exclude", "replace", "rename"]
            .into_iter()
            .find_map(|k| read_keyword(text, at, k).map(|next| (k, next)));
        let Some((keyword, next)) = keyword else {
            return RenameSlot::New(after);
        };
        let open = skip_trivia(text, next);
        if text.as_bytes().get(open) == Some(&b'(') {
            if keyword == "rename" {
                return RenameSlot::Existing(open + 1);
            }
            match closing_paren(text, open) {
                Some(close) => after = close + 1,
                None => return RenameSlot::New(after),
            }
        } else {
            match read_identifier(text, open) {
                Some((_, next)) => after = next,
                None => return RenameSlot::New(after),
            }
        }
    }
}

/// Returns the range to delete for a run of adjacent select items from
/// `start` to `end`: with the comma after them, or else the comma before
/// them. `None` when the run is the whole select list.
pub(super) fn deletion_range(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let after = skip_trivia(text, end);
    if text.as_bytes().get(after) == Some(&b',') {
        let mut next = after + 1;
        while text
            .as_bytes()
            .get(next)
            .is_some_and(u8::is_ascii_whitespace)
        {
            next += 1;
        }
        return Some((start, next));
    }
    let before = text.get(..start)?.trim_end();
    before.ends_with(',').then(|| (before.len() - 1, end))
}

/// Returns true when only whitespace, comments and one comma lie between
/// the two offsets.
pub(super) fn only_comma_between(text: &str, end: usize, start: usize) -> bool {
    let at = skip_trivia(text, end);
    text.as_bytes().get(at) == Some(&b',') && skip_trivia(text, at + 1) == start
}
