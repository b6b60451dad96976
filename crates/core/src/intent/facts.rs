//! Reads the invariants of a model sidecar, the model's `invariants` and
//! each `[columns.<name>] invariants`, with the span of every phrase, and
//! the span of each `grain` entry. A phrase that does not parse is a W0014
//! warning at the part of the string that is wrong.

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::vocabulary::{parse_phrase, Invariant, InvariantScope};
use crate::diagnostic::{Diagnostic, Span};
use crate::text::LineIndex;

/// An invariant as a sidecar states it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatedInvariant {
    /// The column of a `[columns.<name>]` invariant; `None` for the model's.
    pub column: Option<String>,
    pub invariant: Invariant,
    /// The phrase as written.
    pub phrase: String,
    /// Where the sidecar writes the phrase, quotes included.
    pub span: Span,
}

/// The invariants of one sidecar and the spans of its `grain` entries.
#[derive(Clone, Debug, Default)]
pub(crate) struct SidecarFacts {
    pub invariants: Vec<StatedInvariant>,
    /// Each `grain` column with where the sidecar writes it.
    pub grain_spans: Vec<(String, Span)>,
    /// The `[columns.<name>]` header of each column section.
    pub column_spans: Vec<(String, Span)>,
}

/// Reads the facts of the sidecar `path` of `model`. A sidecar that is not
/// valid TOML yields nothing; loading it already reported E0003.
pub(crate) fn read_facts(
    path: &str,
    text: &str,
    model: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> SidecarFacts {
    let mut facts = SidecarFacts::default();
    let Ok(root) = DeTable::parse(text) else {
        return facts;
    };
    let root = root.into_inner();
    let reader = Reader {
        path,
        model,
        text,
        index: LineIndex::new(text),
    };
    if let Some(value) = entry(&root, "invariants") {
        reader.read_list(value, None, &mut facts.invariants, diagnostics);
    }
    if let Some(value) = entry(&root, "grain") {
        match value.get_ref() {
            DeValue::String(column) => facts
                .grain_spans
                .push((column.to_string(), reader.span_of(value))),
            DeValue::Array(items) => {
                for item in items {
                    if let DeValue::String(column) = item.get_ref() {
                        facts
                            .grain_spans
                            .push((column.to_string(), reader.span_of(item)));
                    }
                }
            }
            _ => {}
        }
    }
    let columns = entry(&root, "columns").map(Spanned::get_ref);
    if let Some(DeValue::Table(columns)) = columns {
        for (name, settings) in columns.iter() {
            let header = reader.index.span(name.span().start, name.span().end);
            facts
                .column_spans
                .push((name.get_ref().to_string(), header));
            let DeValue::Table(settings) = settings.get_ref() else {
                continue;
            };
            if let Some(value) = entry(settings, "invariants") {
                let column = Some(name.get_ref().to_string());
                reader.read_list(value, column, &mut facts.invariants, diagnostics);
            }
        }
    }
    facts
}

fn entry<'t, 'a>(table: &'t DeTable<'a>, key: &str) -> Option<&'t Spanned<DeValue<'a>>> {
    table
        .iter()
        .find(|(name, _)| name.get_ref() == key)
        .map(|(_, value)| value)
}

struct Reader<'a> {
    path: &'a str,
    model: &'a str,
    text: &'a str,
    index: LineIndex<'a>,
}

impl Reader<'_> {
    fn span_of(&self, value: &Spanned<DeValue>) -> Span {
        self.index.span(value.span().start, value.span().end)
    }

    fn read_list(
        &self,
        value: &Spanned<DeValue>,
        column: Option<String>,
        invariants: &mut Vec<StatedInvariant>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let scope = match column {
            Some(_) => InvariantScope::Column,
            None => InvariantScope::Model,
        };
        let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            DeValue::String(_) => vec![value],
            _ => {
                self.wrong_type(self.span_of(value), diagnostics);
                return;
            }
        };
        for item in items {
            let DeValue::String(phrase) = item.get_ref() else {
                self.wrong_type(self.span_of(item), diagnostics);
                continue;
            };
            match parse_phrase(phrase, scope) {
                Ok(invariant) => invariants.push(StatedInvariant {
                    column: column.clone(),
                    invariant,
                    phrase: phrase.to_string(),
                    span: self.span_of(item),
                }),
                Err(error) => {
                    let span = self.inner_span(item, phrase, error.range.clone());
                    diagnostics.push(
                        Diagnostic::warning("W0014", self.path, span, error.message)
                            .with_model(self.model)
                            .with_help(error.help),
                    );
                }
            }
        }
    }

    /// Maps a byte range of the decoded string to the sidecar's text. A
    /// string written with escapes or in triple quotes maps to its whole
    /// value, since its characters do not line up with the text.
    fn inner_span(
        &self,
        item: &Spanned<DeValue>,
        decoded: &str,
        range: std::ops::Range<usize>,
    ) -> Span {
        let whole = item.span();
        let raw = self.text.get(whole.clone()).unwrap_or("");
        let simple = (raw.starts_with('"') && !raw.starts_with("\"\"\"") && !raw.contains('\\'))
            || (raw.starts_with('\'') && !raw.starts_with("'''"));
        let aligned = simple && raw.len() == decoded.len() + 2;
        if !aligned || range.start > range.end || range.end > decoded.len() {
            return self.index.span(whole.start, whole.end);
        }
        let start = whole.start + 1 + range.start;
        let end = whole.start + 1 + range.end.max(range.start + 1).min(decoded.len().max(1));
        self.index.span(start, end)
    }

    fn wrong_type(&self, span: Span, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.push(
            Diagnostic::warning(
                "W0007",
                self.path,
                span,
                "each invariant must be a string; the value is ignored",
            )
            .with_model(self.model)
            .with_help("write invariants as a list of phrases: `invariants = [\"not null\"]`"),
        );
    }
}
