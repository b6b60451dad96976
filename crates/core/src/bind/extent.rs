//! Exact extents of calls and casts in the model's text. sqlparser's spans
//! of some nodes stop short: a call's span ends before its closing
//! parenthesis and leaves out FILTER and OVER, and a cast's span is its
//! operand's. Diagnostics widen them by reading the text for balanced
//! parentheses, skipping strings, quoted names and comments.

use sqlparser::tokenizer::{Location, Span as SqlSpan};

use super::query::Binder;
use crate::Position;

impl Binder<'_> {
    fn offset_of(&self, location: Location) -> Option<usize> {
        self.line_index.offset(Position {
            line: location.line as u32,
            column: location.column as u32,
        })
    }

    fn location_at(&self, offset: usize) -> Location {
        let position = self.line_index.position(offset);
        Location::new(u64::from(position.line), u64::from(position.column))
    }

    /// Returns the whole call that starts at `name`'s span: the name, its
    /// argument list, and any FILTER (...) and OVER (...) or OVER name.
    pub(super) fn call_extent(&self, name: SqlSpan) -> SqlSpan {
        let Some(mut at) = self.offset_of(name.end) else {
            return name;
        };
        let text = self.sql.as_bytes();
        let Some(close) = skip_space(text, at).and_then(|open| balanced(text, open)) else {
            return name;
        };
        let mut end = close;
        at = close;
        // FILTER (...) may come before OVER, which ends the call.
        while let Some(next) = skip_space(text, at) {
            if let Some(after) = keyword(text, next, "filter") {
                let Some(close) = skip_space(text, after).and_then(|open| balanced(text, open))
                else {
                    break;
                };
                end = close;
                at = close;
                continue;
            }
            if let Some(after) = keyword(text, next, "over") {
                if let Some(start) = skip_space(text, after) {
                    // OVER (...) or a named window: OVER w.
                    end = balanced(text, start).unwrap_or_else(|| word_end(text, start));
                }
            }
            break;
        }
        SqlSpan::new(name.start, self.location_at(end))
    }

    /// Widens a span that sits inside a call-like form (`CONVERT(x, T)`,
    /// `JSON_TABLE(...)`) to the word before the parenthesis and the
    /// matching close.
    pub(super) fn enclosing_call(&self, inner: SqlSpan) -> SqlSpan {
        let Some(start) = self.offset_of(inner.start) else {
            return inner;
        };
        let text = self.sql.as_bytes();
        let mut open = start;
        while open > 0 && text[open - 1].is_ascii_whitespace() {
            open -= 1;
        }
        if open == 0 || text[open - 1] != b'(' {
            return inner;
        }
        open -= 1;
        let mut word = open;
        while word > 0 && text[word - 1].is_ascii_whitespace() {
            word -= 1;
        }
        let word_end_at = word;
        while word > 0 && (text[word - 1].is_ascii_alphanumeric() || text[word - 1] == b'_') {
            word -= 1;
        }
        if word == word_end_at {
            return inner;
        }
        match balanced(text, open) {
            Some(close) => SqlSpan::new(self.location_at(word), self.location_at(close)),
            None => inner,
        }
    }

    /// Extends a span over the words in `words` (any case) that follow it.
    pub(super) fn through_words(&self, span: SqlSpan, words: &[&str]) -> SqlSpan {
        let Some(mut end) = self.offset_of(span.end) else {
            return span;
        };
        let text = self.sql.as_bytes();
        while let Some(next) = skip_space(text, end) {
            match words.iter().find_map(|w| keyword(text, next, w)) {
                Some(after) => end = after,
                None => break,
            }
        }
        SqlSpan::new(span.start, self.location_at(end))
    }

    /// Returns the span of the type in `CAST(x AS type)` or `x::type`, given
    /// the cast's span as sqlparser reports it (its operand's).
    pub(super) fn cast_type_span(&self, operand: SqlSpan, double_colon: bool) -> SqlSpan {
        let Some(at) = self.offset_of(operand.end) else {
            return operand;
        };
        let text = self.sql.as_bytes();
        let Some(next) = skip_space(text, at) else {
            return operand;
        };
        let type_start = if double_colon {
            if !self.sql[next..].starts_with("::") {
                return operand;
            }
            skip_space(text, next + 2)
        } else {
            keyword(text, next, "as").and_then(|after| skip_space(text, after))
        };
        let Some(type_start) = type_start else {
            return operand;
        };
        let type_end = type_end(text, type_start);
        if type_end == type_start {
            return operand;
        }
        SqlSpan::new(self.location_at(type_start), self.location_at(type_end))
    }
}

/// Returns the offset of the next character that is neither white space
/// nor part of a comment, if there is one.
fn skip_space(text: &[u8], mut at: usize) -> Option<usize> {
    loop {
        while at < text.len() && text[at].is_ascii_whitespace() {
            at += 1;
        }
        if text[at..].starts_with(b"--") {
            while at < text.len() && text[at] != b'\n' {
                at += 1;
            }
            continue;
        }
        if text[at..].starts_with(b"/*") {
            at = find_from(text, at + 2, b"*/").map_or(text.len(), |end| end + 2);
            continue;
        }
        return (at < text.len()).then_some(at);
    }
}

fn find_from(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    text.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// When `text[open]` is `(`, the offset just past its matching `)`.
fn balanced(text: &[u8], open: usize) -> Option<usize> {
    if text.get(open) != Some(&b'(') {
        return None;
    }
    let mut depth = 0usize;
    let mut at = open;
    while at < text.len() {
        match text[at] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            quote @ (b'\'' | b'"') => {
                at += 1;
                while at < text.len() {
                    if text[at] == quote {
                        if text.get(at + 1) == Some(&quote) {
                            at += 1;
                        } else {
                            break;
                        }
                    }
                    at += 1;
                }
            }
            b'-' if text.get(at + 1) == Some(&b'-') => {
                while at < text.len() && text[at] != b'\n' {
                    at += 1;
                }
            }
            b'/' if text.get(at + 1) == Some(&b'*') => {
                at = find_from(text, at + 2, b"*/").map_or(text.len(), |end| end + 1);
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// When the word at `at` is `word` (any case), the offset after it.
fn keyword(text: &[u8], at: usize, word: &str) -> Option<usize> {
    let end = at + word.len();
    let matches = text
        .get(at..end)
        .is_some_and(|w| w.eq_ignore_ascii_case(word.as_bytes()));
    let bounded = text
        .get(end)
        .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
    (matches && bounded).then_some(end)
}

fn word_end(text: &[u8], mut at: usize) -> usize {
    if text.get(at) == Some(&b'"') {
        return find_from(text, at + 1, b"\"").map_or(text.len(), |end| end + 1);
    }
    while at < text.len() && (text[at].is_ascii_alphanumeric() || text[at] == b'_') {
        at += 1;
    }
    at
}

/// The end of a type name: words and spaces (`DOUBLE PRECISION`), then
/// a parenthesized argument list and `[]` or `[n]` suffixes.
fn type_end(text: &[u8], start: usize) -> usize {
    let mut end = word_end(text, start);
    loop {
        if end == start {
            return end;
        }
        if text.get(end) == Some(&b'(') {
            end = balanced(text, end).unwrap_or(end);
            continue;
        }
        if text.get(end) == Some(&b'[') {
            end = find_from(text, end, b"]").map_or(end, |close| close + 1);
            continue;
        }
        // A second word of the type (`DOUBLE PRECISION`, `WITH TIME ZONE`).
        let Some(next) = skip_space(text, end) else {
            return end;
        };
        let word = word_end(text, next);
        let upper = std::str::from_utf8(&text[next..word])
            .unwrap_or("")
            .to_ascii_uppercase();
        if matches!(
            upper.as_str(),
            "PRECISION" | "WITH" | "WITHOUT" | "TIME" | "ZONE" | "VARYING"
        ) {
            end = word;
            continue;
        }
        return end;
    }
}
