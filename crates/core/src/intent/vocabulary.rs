//! The invariant vocabulary of model sidecars: the phrases a model's
//! `invariants` and a column's `[columns.x] invariants` may state, parsed
//! into typed [`Invariant`]s. Phrases are matched without regard to case
//! or to the amount of whitespace between words. docs/intent.md lists them.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::output::TestValue;

/// Where a phrase may be stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvariantScope {
    /// The model's own `invariants = [...]`.
    Model,
    /// A column's `[columns.<name>] invariants = [...]`.
    Column,
}

/// A fact a model states about its rows or one of its columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Invariant {
    /// Model scope: no two rows share these column values.
    OneRowPer { columns: Vec<String> },
    /// Model scope: the model has at least one row.
    NotEmpty,
    /// Column scope: no value is NULL.
    NotNull,
    /// Column scope: no value is below zero; NULL passes.
    NeverNegative,
    /// Column scope: no two rows share a non-NULL value.
    Unique,
    /// Column scope: every non-NULL value is one of these.
    ValuesIn { values: Vec<TestValue> },
    /// Column scope: every non-NULL value occurs in `model.column`.
    References { model: String, column: String },
}

/// One phrase of the vocabulary, for editor completion and docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct VocabularyEntry {
    /// The phrase as written, with a placeholder for its argument.
    pub phrase: &'static str,
    pub scope: InvariantScope,
    /// Other phrases that state the same invariant.
    pub synonyms: &'static [&'static str],
    /// What the invariant states, in one sentence.
    pub description: &'static str,
}

/// The vocabulary, one entry per invariant kind.
pub const VOCABULARY: &[VocabularyEntry] = &[
    VocabularyEntry {
        phrase: "one row per <column>, <column>",
        scope: InvariantScope::Model,
        synonyms: &["unique per <columns>", "unique on <columns>"],
        description: "No two rows share the values of these columns; proposes a unique test.",
    },
    VocabularyEntry {
        phrase: "not empty",
        scope: InvariantScope::Model,
        synonyms: &["non-empty", "at least one row"],
        description: "The model has at least one row; proposes a row_count_range test.",
    },
    VocabularyEntry {
        phrase: "not null",
        scope: InvariantScope::Column,
        synonyms: &["non-null", "never null", "required"],
        description: "No value of the column is NULL; proposes a not_null test.",
    },
    VocabularyEntry {
        phrase: "never negative",
        scope: InvariantScope::Column,
        synonyms: &["non-negative", "nonnegative", "not negative", ">= 0"],
        description: "No value is below zero, NULL passes; proposes the expression test `column >= 0`.",
    },
    VocabularyEntry {
        phrase: "unique",
        scope: InvariantScope::Column,
        synonyms: &["distinct", "no duplicates"],
        description: "No two rows share a non-NULL value; proposes a unique test.",
    },
    VocabularyEntry {
        phrase: "values in ('<value>', ...)",
        scope: InvariantScope::Column,
        synonyms: &["one of (...)", "accepted values (...)"],
        description: "Every non-NULL value is one of the listed strings, numbers or booleans; proposes an accepted_values test.",
    },
    VocabularyEntry {
        phrase: "references <model>.<column>",
        scope: InvariantScope::Column,
        synonyms: &["refers to <model>.<column>", "foreign key to <model>.<column>"],
        description: "Every non-NULL value occurs in that column of that model or source; proposes a relationships test.",
    },
];

/// Returns the vocabulary, for editor completion.
pub fn vocabulary() -> &'static [VocabularyEntry] {
    VOCABULARY
}

/// Why a phrase did not parse: the byte range of the decoded phrase to
/// point at, the message and the help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PhraseError {
    pub range: Range<usize>,
    pub message: String,
    pub help: String,
}

/// Words of phrases that take no argument, per scope.
const MODEL_FIXED: &[(&str, Invariant)] = &[
    ("not empty", Invariant::NotEmpty),
    ("non-empty", Invariant::NotEmpty),
    ("nonempty", Invariant::NotEmpty),
    ("at least one row", Invariant::NotEmpty),
];

const COLUMN_FIXED: &[(&str, Invariant)] = &[
    ("not null", Invariant::NotNull),
    ("non-null", Invariant::NotNull),
    ("non null", Invariant::NotNull),
    ("never null", Invariant::NotNull),
    ("is not null", Invariant::NotNull),
    ("required", Invariant::NotNull),
    ("never negative", Invariant::NeverNegative),
    ("non-negative", Invariant::NeverNegative),
    ("non negative", Invariant::NeverNegative),
    ("nonnegative", Invariant::NeverNegative),
    ("not negative", Invariant::NeverNegative),
    (">= 0", Invariant::NeverNegative),
    (">=0", Invariant::NeverNegative),
    ("unique", Invariant::Unique),
    ("distinct", Invariant::Unique),
    ("no duplicates", Invariant::Unique),
];

const ONE_ROW_PER: &[&str] = &["one row per", "unique per", "unique on", "unique by"];
const VALUES_IN: &[&str] = &["values in", "accepted values", "one of", "in"];
const REFERENCES: &[&str] = &["references", "refers to", "foreign key to"];

/// Parses one phrase of the given scope.
pub(crate) fn parse_phrase(text: &str, scope: InvariantScope) -> Result<Invariant, PhraseError> {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
    match parse_known(text, scope) {
        Some(parsed) => parsed,
        None => Err(unknown_phrase(
            &normalize(&text[start..end]),
            start..end,
            scope,
        )),
    }
}

/// Parses a phrase of the vocabulary; `None` when no phrase of the scope
/// starts the text.
fn parse_known(text: &str, scope: InvariantScope) -> Option<Result<Invariant, PhraseError>> {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
    let normalized = normalize(&text[start..end]);
    let fixed = match scope {
        InvariantScope::Model => MODEL_FIXED,
        InvariantScope::Column => COLUMN_FIXED,
    };
    if let Some((_, invariant)) = fixed.iter().find(|(phrase, _)| *phrase == normalized) {
        return Some(Ok(invariant.clone()));
    }
    match scope {
        InvariantScope::Model => {
            let at = strip_any(text, start, ONE_ROW_PER)?;
            Some(parse_column_list(text, at, end).map(|columns| Invariant::OneRowPer { columns }))
        }
        InvariantScope::Column => {
            if let Some(at) = strip_any(text, start, VALUES_IN) {
                return Some(
                    parse_values(text, at, end).map(|values| Invariant::ValuesIn { values }),
                );
            }
            let at = strip_any(text, start, REFERENCES)?;
            Some(parse_reference(text, at, end))
        }
    }
}

fn unknown_phrase(normalized: &str, range: Range<usize>, scope: InvariantScope) -> PhraseError {
    let other = match scope {
        InvariantScope::Model => InvariantScope::Column,
        InvariantScope::Column => InvariantScope::Model,
    };
    let in_other_scope = parse_known(normalized, other).is_some();
    let phrases: Vec<&str> = VOCABULARY
        .iter()
        .filter(|entry| entry.scope == scope)
        .map(|entry| entry.phrase)
        .collect();
    let heads: Vec<&str> = phrases
        .iter()
        .map(|phrase| {
            phrase
                .split(" <")
                .next()
                .unwrap_or(phrase)
                .trim_end_matches(" ('")
        })
        .collect();
    let head_of_input: String = normalized
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let help = if in_other_scope {
        match scope {
            InvariantScope::Model => {
                "this phrase states a fact about one column: write it under `[columns.<name>] invariants`".to_string()
            }
            InvariantScope::Column => {
                "this phrase states a fact about the whole model: write it in the model's top-level `invariants`".to_string()
            }
        }
    } else {
        let suggestion = crate::text::closest(normalized, heads.iter().copied())
            .or_else(|| crate::text::closest(&head_of_input, heads.iter().copied()));
        let listed = phrases
            .iter()
            .map(|phrase| format!("\"{phrase}\""))
            .collect::<Vec<_>>()
            .join(", ");
        match suggestion {
            Some(similar) => format!("did you mean \"{similar}\"? The phrases are {listed}"),
            None => format!("the phrases are {listed}"),
        }
    };
    PhraseError {
        range,
        message: format!("unknown invariant \"{normalized}\"; it is ignored"),
        help,
    }
}

/// Lowercases ASCII letters and collapses runs of whitespace to one space.
fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// Matches one of `prefixes` (words separated by any whitespace, any case)
/// at byte `at` of `text`, and returns the offset just past it. A prefix
/// must end at a word boundary.
fn strip_any(text: &str, at: usize, prefixes: &[&str]) -> Option<usize> {
    prefixes
        .iter()
        .find_map(|prefix| strip_words(text, at, prefix))
}

fn strip_words(text: &str, mut at: usize, prefix: &str) -> Option<usize> {
    for (position, word) in prefix.split(' ').enumerate() {
        let rest = text.get(at..)?;
        let trimmed = rest.trim_start();
        if position > 0 && trimmed.len() == rest.len() {
            return None;
        }
        at += rest.len() - trimmed.len();
        let candidate = text.get(at..at + word.len())?;
        if !candidate.eq_ignore_ascii_case(word) {
            return None;
        }
        at += word.len();
    }
    let next = text.get(at..)?.chars().next();
    match next {
        Some(c) if c.is_alphanumeric() || c == '_' => None,
        _ => Some(at),
    }
}

fn skip_spaces(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    at + (rest.len() - rest.trim_start().len())
}

/// Reads `a, b and c` up to `end`.
fn parse_column_list(text: &str, at: usize, end: usize) -> Result<Vec<String>, PhraseError> {
    let body = text.get(at..end).unwrap_or("");
    let mut columns = Vec::new();
    let mut offset = at;
    for part in body.split(',') {
        let mut sub_offset = offset;
        for piece in split_and(part) {
            let lead = piece.len() - piece.trim_start().len();
            let name = piece.trim();
            let range = sub_offset + lead..sub_offset + lead + name.len();
            if name.is_empty() {
                return Err(PhraseError {
                    range: at..end.max(at),
                    message: "\"one row per\" needs the columns that identify a row".to_string(),
                    help: "write \"one row per customer_id\", or list several: \"one row per order_id, line\"".to_string(),
                });
            }
            if !is_identifier(name) {
                return Err(PhraseError {
                    range,
                    message: format!("`{name}` is not a column name"),
                    help: "list column names separated by commas or `and`".to_string(),
                });
            }
            columns.push(name.to_string());
            sub_offset += piece.len() + " and ".len();
        }
        offset += part.len() + 1;
    }
    Ok(columns)
}

/// Splits on the word `and`, keeping byte lengths so offsets stay true.
fn split_and(part: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = part;
    loop {
        let lower = rest.to_ascii_lowercase();
        match lower.find(" and ") {
            Some(at) => {
                pieces.push(&rest[..at]);
                rest = &rest[at + " and ".len()..];
            }
            None => {
                pieces.push(rest);
                return pieces;
            }
        }
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Reads `('a', 'b', 3, true)` from `at` to `end`.
fn parse_values(text: &str, at: usize, end: usize) -> Result<Vec<TestValue>, PhraseError> {
    let usage = "write the values in parentheses, strings in single quotes: \"values in ('placed', 'shipped')\"";
    let open = skip_spaces(text, at);
    if text.get(open..open + 1) != Some("(") {
        return Err(PhraseError {
            range: open.min(end)..end,
            message: "the values of \"values in\" must be a list in parentheses".to_string(),
            help: usage.to_string(),
        });
    }
    let mut values = Vec::new();
    let mut position = open + 1;
    loop {
        position = skip_spaces(text, position);
        let rest = text.get(position..end).unwrap_or("");
        if rest.starts_with(')') && values.is_empty() {
            return Err(PhraseError {
                range: open..position + 1,
                message: "the list of values is empty, so every value would fail".to_string(),
                help: usage.to_string(),
            });
        }
        let (value, length) = read_value(rest).ok_or_else(|| {
            let item_end = rest.find([',', ')']).map_or(end, |i| position + i);
            PhraseError {
                range: position..item_end.max(position + 1).min(end.max(position)),
                message: format!(
                    "`{}` is no string, number or boolean",
                    text.get(position..item_end).unwrap_or("").trim()
                ),
                help: usage.to_string(),
            }
        })?;
        values.push(value);
        position = skip_spaces(text, position + length);
        match text.get(position..position + 1) {
            Some(",") => position += 1,
            Some(")") => {
                let after = skip_spaces(text, position + 1);
                if after < end {
                    return Err(PhraseError {
                        range: after..end,
                        message: "text after the list of values".to_string(),
                        help: usage.to_string(),
                    });
                }
                return Ok(values);
            }
            _ => {
                return Err(PhraseError {
                    range: open..end,
                    message: "the list of values has no closing `)`".to_string(),
                    help: usage.to_string(),
                })
            }
        }
    }
}

/// Reads one value at the start of `text`: a quoted string (a doubled
/// quote escapes it), a number or a boolean. Returns it and its length.
fn read_value(text: &str) -> Option<(TestValue, usize)> {
    let first = text.chars().next()?;
    if first == '\'' || first == '"' {
        let mut value = String::new();
        let mut chars = text.char_indices().skip(1).peekable();
        while let Some((at, c)) = chars.next() {
            if c == first {
                if chars.peek().map(|(_, next)| *next) == Some(first) {
                    chars.next();
                    value.push(first);
                    continue;
                }
                return Some((TestValue::String(value), at + 1));
            }
            value.push(c);
        }
        return None;
    }
    let length = text.find([',', ')']).unwrap_or(text.len());
    let word = text[..length].trim_end();
    let value = if word.eq_ignore_ascii_case("true") {
        TestValue::Boolean(true)
    } else if word.eq_ignore_ascii_case("false") {
        TestValue::Boolean(false)
    } else if let Ok(number) = word.parse::<i64>() {
        TestValue::Integer(number)
    } else {
        match word.parse::<f64>() {
            Ok(number) if number.is_finite() => TestValue::Float(number),
            _ => return None,
        }
    };
    Some((value, word.len()))
}

/// Reads `model.column` (the model may be `schema.table`) from `at` to `end`.
fn parse_reference(text: &str, at: usize, end: usize) -> Result<Invariant, PhraseError> {
    let start = skip_spaces(text, at);
    let target = text.get(start..end).unwrap_or("").trim();
    let invalid = || PhraseError {
        range: start.min(end)..end,
        message: format!("`{target}` is no `model.column` reference"),
        help: "name the model and its column: \"references customers.customer_id\"".to_string(),
    };
    let (model, column) = target.rsplit_once('.').ok_or_else(invalid)?;
    let parts_valid = model.split('.').all(is_identifier) && is_identifier(column);
    if !parts_valid {
        return Err(invalid());
    }
    Ok(Invariant::References {
        model: model.to_string(),
        column: column.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_and_case() {
        let column = InvariantScope::Column;
        assert_eq!(
            parse_phrase("Never  Negative", column),
            Ok(Invariant::NeverNegative)
        );
        assert_eq!(
            parse_phrase("non-negative", column),
            Ok(Invariant::NeverNegative)
        );
        assert_eq!(parse_phrase(" NOT NULL ", column), Ok(Invariant::NotNull));
        assert_eq!(parse_phrase("no duplicates", column), Ok(Invariant::Unique));
    }

    #[test]
    fn values_list() {
        let parsed = parse_phrase("values in ('a', 'it''s', 3, true)", InvariantScope::Column);
        let expected = vec![
            TestValue::String("a".to_string()),
            TestValue::String("it's".to_string()),
            TestValue::Integer(3),
            TestValue::Boolean(true),
        ];
        assert_eq!(parsed, Ok(Invariant::ValuesIn { values: expected }));
    }

    #[test]
    fn bad_values_point_at_item() {
        let text = "values in ('a', b)";
        let error = parse_phrase(text, InvariantScope::Column).unwrap_err();
        assert_eq!(&text[error.range.clone()], "b");
        let unclosed = parse_phrase("values in ('a'", InvariantScope::Column).unwrap_err();
        assert!(unclosed.message.contains("closing"), "{unclosed:?}");
        let empty = parse_phrase("values in ()", InvariantScope::Column).unwrap_err();
        assert!(empty.message.contains("empty"), "{empty:?}");
    }

    #[test]
    fn one_row_per_columns() {
        let parsed = parse_phrase("one row per order_id, line and day", InvariantScope::Model);
        let columns = ["order_id", "line", "day"].map(String::from).to_vec();
        assert_eq!(parsed, Ok(Invariant::OneRowPer { columns }));
        let text = "one row per order id";
        let error = parse_phrase(text, InvariantScope::Model).unwrap_err();
        assert_eq!(&text[error.range], "order id");
    }

    #[test]
    fn references_target() {
        let parsed = parse_phrase("references raw.orders.id", InvariantScope::Column);
        let expected = Invariant::References {
            model: "raw.orders".to_string(),
            column: "id".to_string(),
        };
        assert_eq!(parsed, Ok(expected));
        assert!(parse_phrase("references customers", InvariantScope::Column).is_err());
    }

    #[test]
    fn unknown_phrase_suggests() {
        let error = parse_phrase("never negativ", InvariantScope::Column).unwrap_err();
        assert!(
            error.help.contains("did you mean \"never negative\""),
            "{error:?}"
        );
        let misplaced = parse_phrase("not null", InvariantScope::Model).unwrap_err();
        assert!(misplaced.help.contains("[columns.<name>]"), "{misplaced:?}");
    }
}
