//! Reads the `[[tests]]` entries of a model sidecar into [`ColumnTest`]s,
//! with the span of every value. An entry with a problem gets a
//! diagnostic at the key or value concerned and is left out.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{default_name, TestSpans};
use crate::diagnostic::{Diagnostic, Position, Span};
use crate::output::{ColumnTest, TestKind, TestRule, TestSeverity, TestValue};
use crate::text::{closest, LineIndex};
use crate::toml_spans::{Step, TomlSpans};

/// Keys every test takes besides those of its kind.
const COMMON_KEYS: &[&str] = &["type", "name", "where", "severity"];

/// Returns the keys of a kind, besides [`COMMON_KEYS`].
fn kind_keys(kind: TestKind) -> &'static [&'static str] {
    match kind {
        TestKind::NotNull => &["column"],
        TestKind::Unique => &["column", "columns"],
        TestKind::AcceptedValues => &["column", "values", "quote"],
        TestKind::Relationships => &["column", "to", "field"],
        TestKind::Expression => &["expression"],
        TestKind::RowCountRange => &["min", "max"],
    }
}

/// Returns what a key sets, for the help of a missing or invalid key.
fn key_help(key: &str) -> &'static str {
    match key {
        "column" => "`column = \"...\"`, a column the model outputs",
        "columns" => "`columns = [\"...\", ...]`, the columns of a composite key",
        "values" => "`values = [\"...\", ...]`, the accepted strings, numbers or booleans",
        "quote" => "`quote = false` to write the values as SQL, or `true` (the default)",
        "to" => "`to = \"...\"`, the model or source the column refers to",
        "field" => "`field = \"...\"`, the column of `to` that must hold each value",
        "expression" => "`expression = \"...\"`, a SQL condition each row must meet",
        "min" | "max" => "`min` and `max` as whole numbers of rows, both inclusive",
        "where" => "`where = \"...\"`, a SQL condition that selects the rows to test",
        "severity" => "`severity = \"error\"` (the default) or `\"warn\"`",
        "name" => "`name = \"...\"`, the name the test reports under",
        _ => "a value of the right type",
    }
}

/// Reads the entries of a sidecar's `tests` array.
pub(crate) fn read_tests(
    path: &str,
    text: &str,
    model: &str,
    tests: &[toml::Value],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ColumnTest> {
    let index = LineIndex::new(text);
    let toml_spans = TomlSpans::new(text);
    let root = DeTable::parse(text).ok().map(Spanned::into_inner);
    let de_tests = root
        .as_ref()
        .and_then(|root| root.iter().find(|(key, _)| key.get_ref() == "tests"))
        .map(|(_, value)| value.get_ref());
    let mut read = Vec::new();
    for (position, value) in tests.iter().enumerate() {
        let entry_span = toml_spans
            .key(&[Step::Key("tests"), Step::Index(position)])
            .unwrap_or_default();
        let Some(table) = value.as_table() else {
            diagnostics.push(
                Diagnostic::warning(
                    "W0007",
                    path,
                    entry_span,
                    "each test must be a table; the entry is ignored",
                )
                .with_model(model)
                .with_help("write each test as a `[[tests]]` table"),
            );
            continue;
        };
        let mut entry = Entry {
            path,
            model,
            text,
            index: &index,
            table,
            de: de_tests.and_then(|tests| tests.get(position)),
            kind: "",
            spans: TestSpans {
                entry: entry_span,
                ..TestSpans::default()
            },
            problems: Vec::new(),
        };
        let test = entry.read();
        let failed = !entry.problems.is_empty();
        diagnostics.append(&mut entry.problems);
        if let (Some(test), false) = (test, failed) {
            read.push(test);
        }
    }
    read
}

/// One `[[tests]]` entry being read.
struct Entry<'a> {
    path: &'a str,
    model: &'a str,
    text: &'a str,
    index: &'a LineIndex<'a>,
    table: &'a toml::Table,
    /// The same entry with spans; `None` when the sidecar did not parse
    /// for spans, so every diagnostic points at the entry.
    de: Option<&'a Spanned<DeValue<'a>>>,
    /// The `type` value, for messages.
    kind: &'a str,
    spans: TestSpans,
    problems: Vec<Diagnostic>,
}

impl<'a> Entry<'a> {
    fn read(&mut self) -> Option<ColumnTest> {
        let kind = self.read_kind()?;
        self.check_keys(kind);
        let rule = self.read_rule(kind)?;
        let filter = self.text_value("where");
        let severity = match self.string("severity", false) {
            None => TestSeverity::Error,
            Some(text) if text.eq_ignore_ascii_case("error") => TestSeverity::Error,
            Some(text) if text.eq_ignore_ascii_case("warn") => TestSeverity::Warn,
            Some(text) => {
                self.invalid("severity", format!("unknown severity `{text}`"));
                TestSeverity::Error
            }
        };
        let name = self
            .string("name", false)
            .unwrap_or_else(|| default_name(self.model, &rule));
        Some(ColumnTest {
            name,
            rule,
            filter,
            severity,
            spans: std::mem::take(&mut self.spans),
        })
    }

    fn read_kind(&mut self) -> Option<TestKind> {
        let Some(value) = self.table.get("type") else {
            let others: Vec<&str> = TestKind::ALL[1..]
                .iter()
                .map(|kind| kind.as_str())
                .collect();
            self.problems.push(
                Diagnostic::warning("W0005", self.path, self.spans.entry, "a test has no `type`")
                    .with_model(self.model)
                    .with_help(format!(
                        "set `type = \"not_null\"` or another type: {}",
                        others.join(", ")
                    )),
            );
            return None;
        };
        let span = self.value_span("type");
        let Some(name) = value.as_str() else {
            self.wrong_type("type", "a string");
            return None;
        };
        self.kind = name;
        if let Some(kind) = TestKind::from_name(name) {
            return Some(kind);
        }
        let names = TestKind::ALL.map(TestKind::as_str);
        let help = match closest(name, names) {
            Some(similar) => format!("did you mean `{similar}`?"),
            None => format!("the test types are {}", names.join(", ")),
        };
        self.problems.push(
            Diagnostic::warning(
                "W0011",
                self.path,
                span,
                format!("unknown test type `{name}`; the test is ignored"),
            )
            .with_model(self.model)
            .with_help(help),
        );
        None
    }

    /// Reports keys that the kind does not take.
    fn check_keys(&mut self, kind: TestKind) {
        let allowed: Vec<&str> = COMMON_KEYS.iter().chain(kind_keys(kind)).copied().collect();
        for key in self.table.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let help = match closest(key, allowed.iter().copied()) {
                Some(similar) => format!("did you mean `{similar}`?"),
                None if key == "config" => {
                    "set `where` and `severity` on the test itself, not in `config`".to_string()
                }
                None => format!("a `{}` test takes {}", self.kind, allowed[1..].join(", ")),
            };
            self.problems.push(
                Diagnostic::warning(
                    "W0002",
                    self.path,
                    self.key_span(key),
                    format!("unknown key `{key}` in a `{}` test", self.kind),
                )
                .with_model(self.model)
                .with_help(help),
            );
        }
    }

    fn read_rule(&mut self, kind: TestKind) -> Option<TestRule> {
        let rule = match kind {
            TestKind::NotNull => TestRule::NotNull {
                column: self.string("column", true)?,
            },
            TestKind::Unique => TestRule::Unique {
                columns: self.key_columns()?,
            },
            TestKind::AcceptedValues => {
                let column = self.string("column", true);
                let values = self.accepted_values();
                let quote = match self.table.get("quote") {
                    None => true,
                    Some(toml::Value::Boolean(quote)) => *quote,
                    Some(_) => {
                        self.wrong_type("quote", "a boolean");
                        true
                    }
                };
                // Unquoted strings are SQL text, mapped like `where`.
                if !quote {
                    for (position, value) in values.iter().flatten().enumerate() {
                        if let TestValue::String(text) = value {
                            self.record_chars(&format!("values[{position}]"), text);
                        }
                    }
                }
                TestRule::AcceptedValues {
                    column: column?,
                    values: values?,
                    quote,
                }
            }
            TestKind::Relationships => {
                let column = self.string("column", true);
                let to = self.string("to", true).map(|to| table_name_of(&to));
                let field = self.string("field", true);
                TestRule::Relationships {
                    column: column?,
                    to: to?,
                    field: field?,
                }
            }
            TestKind::Expression => TestRule::Expression {
                expression: self.text_value("expression").or_else(|| {
                    if !self.table.contains_key("expression") {
                        self.missing("expression");
                    }
                    None
                })?,
            },
            TestKind::RowCountRange => self.row_count_range()?,
        };
        Some(rule)
    }

    /// Reads `column` or `columns` of a `unique` test.
    fn key_columns(&mut self) -> Option<Vec<String>> {
        match (self.table.get("column"), self.table.get("columns")) {
            (Some(_), Some(_)) => {
                self.invalid_at(
                    self.key_span("columns"),
                    "a `unique` test has both `column` and `columns`; it is ignored".to_string(),
                    "keep `column` for one column or `columns` for a composite key",
                );
                None
            }
            (None, None) => {
                self.missing("column");
                None
            }
            (Some(_), None) => {
                let column = self.string("column", true)?;
                let span = self.value_span("column");
                self.spans.values.insert("columns[0]".to_string(), span);
                Some(vec![column])
            }
            (None, Some(value)) => {
                let Some(items) = value.as_array().filter(|items| !items.is_empty()) else {
                    self.wrong_type("columns", "a non-empty list of column names");
                    return None;
                };
                let mut columns = Vec::new();
                for (position, item) in items.iter().enumerate() {
                    let key = format!("columns[{position}]");
                    let span = self.item_span("columns", position);
                    self.spans.values.insert(key, span);
                    match item.as_str() {
                        Some(column) => columns.push(column.to_string()),
                        None => {
                            self.wrong_item(span, "columns", "a column name in quotes");
                            return None;
                        }
                    }
                }
                Some(columns)
            }
        }
    }

    fn accepted_values(&mut self) -> Option<Vec<TestValue>> {
        let Some(value) = self.table.get("values") else {
            self.missing("values");
            return None;
        };
        let Some(items) = value.as_array() else {
            self.wrong_type("values", "a list of strings, numbers or booleans");
            return None;
        };
        if items.is_empty() {
            let span = self.value_span("values");
            self.invalid_at(
                span,
                "`values` is empty, so every value would fail; the test is ignored".to_string(),
                key_help("values"),
            );
            return None;
        }
        let mut values = Vec::new();
        for (position, item) in items.iter().enumerate() {
            let span = self.item_span("values", position);
            self.spans
                .values
                .insert(format!("values[{position}]"), span);
            let value = match item {
                toml::Value::String(text) => TestValue::String(text.clone()),
                toml::Value::Integer(number) => TestValue::Integer(*number),
                toml::Value::Float(number) => TestValue::Float(*number),
                toml::Value::Boolean(flag) => TestValue::Boolean(*flag),
                _ => {
                    self.wrong_item(span, "values", "a string, a number or a boolean");
                    return None;
                }
            };
            values.push(value);
        }
        Some(values)
    }

    fn row_count_range(&mut self) -> Option<TestRule> {
        let bound = |entry: &mut Self, key: &str| match entry.table.get(key) {
            None => Some(None),
            Some(toml::Value::Integer(number)) if *number >= 0 => {
                let span = entry.value_span(key);
                entry.spans.values.insert(key.to_string(), span);
                Some(Some(*number as u64))
            }
            Some(_) => {
                entry.wrong_type(key, "a whole number of rows, 0 or more");
                None
            }
        };
        let min = bound(self, "min");
        let max = bound(self, "max");
        let (min, max) = (min?, max?);
        match (min, max) {
            (None, None) => {
                self.invalid_at(
                    self.spans.entry,
                    "a `row_count_range` test has neither `min` nor `max`; it is ignored"
                        .to_string(),
                    key_help("min"),
                );
                return None;
            }
            (Some(low), Some(high)) if low > high => {
                self.invalid_at(
                    self.value_span("min"),
                    format!("`min` ({low}) is greater than `max` ({high}); the test is ignored"),
                    "swap the bounds; both are inclusive",
                );
                return None;
            }
            _ => {}
        }
        Some(TestRule::RowCountRange { min, max })
    }

    /// Reads a string value, reporting it when it is not a string, or
    /// when it is `required` and missing.
    fn string(&mut self, key: &str, required: bool) -> Option<String> {
        match self.table.get(key) {
            None => {
                if required {
                    self.missing(key);
                }
                None
            }
            Some(toml::Value::String(text)) => {
                let span = self.value_span(key);
                self.spans.values.insert(key.to_string(), span);
                Some(text.clone())
            }
            Some(_) => {
                self.wrong_type(key, "a string");
                None
            }
        }
    }

    /// Reads a string of SQL text, which must not be blank.
    fn text_value(&mut self, key: &str) -> Option<String> {
        let text = self.string(key, false)?;
        if text.trim().is_empty() {
            self.invalid(key, format!("`{key}` is empty"));
            return None;
        }
        self.record_chars(key, &text);
        Some(text)
    }

    /// Records where each character of the string value `decoded` sits,
    /// when its TOML text maps to it character by character.
    fn record_chars(&mut self, key: &str, decoded: &str) {
        let Some(value) = self.de_value(key) else {
            return;
        };
        let range = value.span();
        let Some(raw) = self.text.get(range.clone()) else {
            return;
        };
        if let Some(offsets) = string_offsets(raw, decoded) {
            let positions: Vec<Position> = offsets
                .into_iter()
                .map(|offset| self.index.position(range.start + offset))
                .collect();
            self.spans.chars.insert(key.to_string(), positions);
        }
    }

    fn de_value(&self, key: &str) -> Option<&'a Spanned<DeValue<'a>>> {
        let (name, position) = match key.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (key, None),
        };
        let value = self.de?.get_ref().get(name)?;
        match position {
            Some(position) => value.get_ref().get(position),
            None => Some(value),
        }
    }

    fn value_span(&self, key: &str) -> Span {
        self.de_value(key)
            .map(|value| self.index.span(value.span().start, value.span().end))
            .unwrap_or(self.spans.entry)
    }

    fn item_span(&self, key: &str, position: usize) -> Span {
        self.value_span(&format!("{key}[{position}]"))
    }

    fn key_span(&self, key: &str) -> Span {
        let Some(DeValue::Table(table)) = self.de.map(Spanned::get_ref) else {
            return self.spans.entry;
        };
        table
            .iter()
            .find(|(name, _)| name.get_ref() == key)
            .map(|(name, _)| self.index.span(name.span().start, name.span().end))
            .unwrap_or(self.spans.entry)
    }

    fn missing(&mut self, key: &str) {
        let message = format!("the `{}` test has no `{key}`; it is ignored", self.kind);
        self.invalid_at(self.spans.entry, message, &format!("add {}", key_help(key)));
    }

    fn invalid(&mut self, key: &str, message: String) {
        let span = self.value_span(key);
        self.invalid_at(
            span,
            format!("{message}; the test is ignored"),
            &format!("write {}", key_help(key)),
        );
    }

    fn invalid_at(&mut self, span: Span, message: String, help: &str) {
        self.problems.push(
            Diagnostic::warning("W0012", self.path, span, message)
                .with_model(self.model)
                .with_help(help),
        );
    }

    fn wrong_type(&mut self, key: &str, expected: &str) {
        let span = self.value_span(key);
        self.wrong_item(span, key, expected);
    }

    fn wrong_item(&mut self, span: Span, key: &str, expected: &str) {
        let test = if self.kind.is_empty() {
            "a test".to_string()
        } else {
            format!("a `{}` test", self.kind)
        };
        self.problems.push(
            Diagnostic::warning(
                "W0007",
                self.path,
                span,
                format!("`{key}` of {test} must be {expected}; the test is ignored"),
            )
            .with_model(self.model)
            .with_help(format!("write {}", key_help(key))),
        );
    }
}

/// Returns the table a relationships test's `to` names, reading dbt's
/// `ref('customers')` and `source('raw', 'orders')` as `customers` and
/// `raw.orders`.
fn table_name_of(to: &str) -> String {
    let trimmed = to.trim();
    let call = |name: &str| {
        let inner = trimmed
            .strip_prefix(name)?
            .trim_start()
            .strip_prefix('(')?
            .strip_suffix(')')?;
        let parts: Option<Vec<&str>> = inner
            .split(',')
            .map(|part| {
                let part = part.trim();
                part.strip_prefix('\'')
                    .and_then(|p| p.strip_suffix('\''))
                    .or_else(|| part.strip_prefix('"').and_then(|p| p.strip_suffix('"')))
            })
            .collect();
        parts.map(|parts| parts.join("."))
    };
    call("ref")
        .or_else(|| call("source"))
        .unwrap_or_else(|| to.to_string())
}

/// Maps each character of a TOML string's value to the byte offset of the
/// text that writes it in `raw` (the string token, quotes included), plus
/// the offset of the closing quote. Returns `None` unless decoding `raw`
/// this way gives exactly `decoded`.
fn string_offsets(raw: &str, decoded: &str) -> Option<Vec<usize>> {
    let (quote, escapes) = if raw.starts_with("\"\"\"") {
        ("\"\"\"", true)
    } else if raw.starts_with("'''") {
        ("'''", false)
    } else if raw.starts_with('"') {
        ("\"", true)
    } else if raw.starts_with('\'') {
        ("'", false)
    } else {
        return None;
    };
    let body_end = raw.len().checked_sub(quote.len())?;
    let mut start = quote.len();
    if quote.len() == 3 {
        // A line break right after the opening quotes is not part of the value.
        if raw[start..].starts_with("\r\n") {
            start += 2;
        } else if raw[start..].starts_with('\n') {
            start += 1;
        }
    }
    let body = raw.get(start..body_end)?;
    let mut offsets = Vec::new();
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' || !escapes {
            offsets.push(start + at);
            value.push(c);
            continue;
        }
        let (_, code) = chars.next()?;
        let decoded_char = match code {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            '"' => '"',
            '\\' => '\\',
            'x' | 'u' | 'U' => {
                let digits = match code {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut hex = String::new();
                for _ in 0..digits {
                    hex.push(chars.next()?.1);
                }
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            c if c.is_whitespace() => {
                // A line-ending backslash drops the whitespace up to the
                // next character that is not whitespace.
                while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
                continue;
            }
            _ => return None,
        };
        offsets.push(start + at);
        value.push(decoded_char);
    }
    offsets.push(body_end);
    (value == decoded).then_some(offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_of_plain_strings() {
        assert_eq!(string_offsets("\"ab\"", "ab"), Some(vec![1, 2, 3]));
        assert_eq!(string_offsets("'a\\b'", "a\\b"), Some(vec![1, 2, 3, 4]));
    }

    #[test]
    fn offsets_skip_escapes() {
        // `\"` is one character of the value, written with two.
        assert_eq!(string_offsets(r#""a\"b""#, "a\"b"), Some(vec![1, 2, 4, 5]));
        assert_eq!(string_offsets(r#""\u00e9x""#, "éx"), Some(vec![1, 7, 8]));
    }

    #[test]
    fn offsets_of_multiline_strings() {
        let raw = "\"\"\"\nab \\\n  c\"\"\"";
        assert_eq!(string_offsets(raw, "ab c"), Some(vec![4, 5, 6, 11, 12]));
        assert_eq!(string_offsets("'''\nx'''", "x"), Some(vec![4, 5]));
    }

    #[test]
    fn offsets_reject_other_values() {
        assert_eq!(string_offsets("\"ab\"", "abc"), None);
        assert_eq!(string_offsets("12", "12"), None);
    }

    #[test]
    fn dbt_table_references() {
        assert_eq!(table_name_of("ref('customers')"), "customers");
        assert_eq!(table_name_of("source('raw', \"orders\")"), "raw.orders");
        assert_eq!(table_name_of("customers"), "customers");
        assert_eq!(table_name_of("ref(customers)"), "ref(customers)");
    }
}
