//! Locations of keys and tables in a TOML file (rocky.toml, a model
//! sidecar). A diagnostic about `[sources.orders] data` points at that key,
//! not at the first line that happens to start with `data`.

use toml::de::{DeTable, DeValue};

use crate::diagnostic::Span;
use crate::text::LineIndex;

/// One step of a path into a TOML document.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step<'s> {
    Key(&'s str),
    /// An element of an array, such as the second `[[tests]]` table.
    Index(usize),
}

pub(crate) struct TomlSpans<'a> {
    text: &'a str,
    index: LineIndex<'a>,
    root: Option<DeTable<'a>>,
}

impl<'a> TomlSpans<'a> {
    /// Parses the document; a document that does not parse locates nothing.
    pub(crate) fn new(text: &'a str) -> TomlSpans<'a> {
        TomlSpans {
            text,
            index: LineIndex::new(text),
            root: DeTable::parse(text).ok().map(|table| table.into_inner()),
        }
    }

    /// Returns the span of the key at the end of `path`. A table written as
    /// a header (`[projekt]`, `[sources.orders]`) spans the whole header.
    pub(crate) fn key(&self, path: &[Step]) -> Option<Span> {
        let (last, parents) = path.split_last()?;
        let Step::Key(name) = last else {
            return self.element(path);
        };
        let table = self.table_at(parents)?;
        let (key, _) = table.iter().find(|(k, _)| k.get_ref() == name)?;
        let range = key.span();
        Some(self.widen_to_header(range.start, range.end))
    }

    /// Returns the span of an array element: the `[[name]]` header that
    /// opens it, or the inline value.
    fn element(&self, path: &[Step]) -> Option<Span> {
        let (Step::Index(position), parents) = path.split_last()? else {
            return None;
        };
        let (Step::Key(name), grandparents) = parents.split_last()? else {
            return None;
        };
        let table = self.table_at(grandparents)?;
        let (_, value) = table.iter().find(|(k, _)| k.get_ref() == name)?;
        let DeValue::Array(items) = value.get_ref() else {
            return None;
        };
        // A `[[tests]]` table's span is its header; an inline table's is
        // the table itself.
        let range = items.get(*position)?.span();
        Some(self.index.span(range.start, range.end))
    }

    fn table_at(&self, path: &[Step]) -> Option<&DeTable<'a>> {
        let mut table = self.root.as_ref()?;
        let mut steps = path.iter();
        while let Some(step) = steps.next() {
            let value = match step {
                Step::Key(name) => table.iter().find(|(k, _)| k.get_ref() == name)?.1,
                Step::Index(_) => return None,
            };
            table = match value.get_ref() {
                DeValue::Table(inner) => inner,
                DeValue::Array(items) => {
                    let Some(Step::Index(position)) = steps.next() else {
                        return None;
                    };
                    match items.get(*position)?.get_ref() {
                        DeValue::Table(inner) => inner,
                        _ => return None,
                    }
                }
                _ => return None,
            };
        }
        Some(table)
    }

    /// When the key at `start..end` sits inside a `[...]` header line,
    /// returns the whole header, brackets included.
    fn widen_to_header(&self, start: usize, end: usize) -> Span {
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[end..]
            .find('\n')
            .map_or(self.text.len(), |i| end + i);
        let line = &self.text[line_start..line_end];
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            if let Some(close) = line.rfind(']') {
                let open = line_start + (line.len() - trimmed.len());
                return self.index.span(open, line_start + close + 1);
            }
        }
        self.index.span(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = "[project]\nname = \"t\"\n\n[sources.customers]\ndata = \"a.csv\"\n\n[sources.orders]\ndata = \"b.csv\"\n\n[[tests]]\ntype = \"unique\"\n\n[[tests]]\ncolumn = \"id\"\n";

    #[test]
    fn keys_under_their_table() {
        let spans = TomlSpans::new(TOML);
        let data = spans
            .key(&[Step::Key("sources"), Step::Key("orders"), Step::Key("data")])
            .unwrap();
        assert_eq!(data, Span::new(8, 1, 8, 5));
        let name = spans
            .key(&[Step::Key("project"), Step::Key("name")])
            .unwrap();
        assert_eq!(name, Span::new(2, 1, 2, 5));
    }

    #[test]
    fn headers_span_their_brackets() {
        let spans = TomlSpans::new(TOML);
        let orders = spans
            .key(&[Step::Key("sources"), Step::Key("orders")])
            .unwrap();
        assert_eq!(orders, Span::new(7, 1, 7, 17));
    }

    #[test]
    fn array_tables_by_position() {
        let spans = TomlSpans::new(TOML);
        let second = spans.key(&[Step::Key("tests"), Step::Index(1)]).unwrap();
        assert_eq!(second, Span::new(13, 1, 13, 10));
        let first = spans.key(&[Step::Key("tests"), Step::Index(0)]).unwrap();
        assert_eq!(first, Span::new(10, 1, 10, 10));
    }

    #[test]
    fn broken_documents_locate_nothing() {
        let spans = TomlSpans::new("[project\nname = ");
        assert!(spans.key(&[Step::Key("project")]).is_none());
    }
}
