//! Converts core diagnostics into the ranges the editor bridge draws.

use rocky_core::{Diagnostic, Label, Severity, Span};
use serde::Serialize;

/// One diagnostic as `rockyBridge.setEditorDiagnostics` takes it: 1-based
/// lines and columns, columns counting characters, the end just past the
/// last character.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditorDiagnostic {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub severity: &'static str,
    pub message: String,
    /// The diagnostic's secondary labels, drawn as lighter underlines.
    pub labels: Vec<EditorLabel>,
}

/// A secondary label of an [`EditorDiagnostic`], positioned the same way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditorLabel {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

/// A range of the editor's document, as `rockyBridge.revealEditorRange` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditorRange {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The line lengths of a document, in characters, for clamping positions
/// of an older compile into the text the editor shows now.
pub struct DocLines(Vec<u32>);

impl DocLines {
    pub fn new(doc: &str) -> DocLines {
        DocLines(doc.split('\n').map(char_count).collect())
    }

    /// Returns `span` moved into the document. A span without a location
    /// becomes the empty range before the first character, and a reversed
    /// one collapses onto its start.
    pub fn range(&self, span: Span) -> EditorRange {
        if span.is_empty() {
            return EditorRange {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            };
        }
        let (line, column) = self.clamp(span.start.line, span.start.column);
        let (end_line, end_column) = self.clamp(span.end.line, span.end.column);
        let (end_line, end_column) = if (end_line, end_column) < (line, column) {
            (line, column)
        } else {
            (end_line, end_column)
        };
        EditorRange {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Moves a 1-based position onto the document: the line into
    /// `1..=line count`, the column into `1..=line length + 1`.
    fn clamp(&self, line: u32, column: u32) -> (u32, u32) {
        let line_count = u32::try_from(self.0.len()).unwrap_or(u32::MAX).max(1);
        let line = line.clamp(1, line_count);
        let length = self.0.get(line as usize - 1).copied().unwrap_or(0);
        (line, column.clamp(1, length.saturating_add(1)))
    }
}

/// Returns the diagnostics of `path` for the editor showing `doc`.
///
/// Positions are clamped into `doc`, because the text may have changed
/// since the compile that produced them, and a diagnostic without a
/// location is put on the first character.
pub fn editor_diagnostics(
    diagnostics: &[Diagnostic],
    path: &str,
    doc: &str,
) -> Vec<EditorDiagnostic> {
    let lines = DocLines::new(doc);
    diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.file == path)
        .map(|diagnostic| {
            let range = lines.range(diagnostic.span);
            EditorDiagnostic {
                line: range.line,
                column: range.column,
                end_line: range.end_line,
                end_column: range.end_column,
                severity: severity_name(diagnostic.severity),
                message: message_text(diagnostic),
                labels: diagnostic
                    .labels
                    .iter()
                    .filter(|label| !label.span.is_empty())
                    .map(|label| {
                        let range = lines.range(label.span);
                        EditorLabel {
                            line: range.line,
                            column: range.column,
                            end_line: range.end_line,
                            end_column: range.end_column,
                            message: label.message.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Returns the text shown for a diagnostic: `code: message`, then the help
/// and one [`note_text`] per label, each on its own line.
pub fn message_text(diagnostic: &Diagnostic) -> String {
    let mut text = format!("{}: {}", diagnostic.code, diagnostic.message);
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    for label in &diagnostic.labels {
        text.push('\n');
        text.push_str(&note_text(label));
    }
    text
}

/// Returns a label as a note line, such as `note at 3:14: this is DATE`.
pub fn note_text(label: &Label) -> String {
    let start = label.span.start;
    format!("note at {}:{}: {}", start.line, start.column, label.message)
}

fn char_count(line: &str) -> u32 {
    let line = line.strip_suffix('\r').unwrap_or(line);
    u32::try_from(line.chars().count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use rocky_core::Span;

    use super::*;

    const DOC: &str = "select id,\n  name\nfrom t";

    fn at(span: Span) -> Diagnostic {
        Diagnostic::error("E0101", "models/a.sql", span, "unknown column")
    }

    fn only(diagnostic: Diagnostic) -> EditorDiagnostic {
        let found = editor_diagnostics(&[diagnostic], "models/a.sql", DOC);
        assert_eq!(found.len(), 1);
        found[0].clone()
    }

    #[test]
    fn range_kept_inside_doc() {
        let found = only(at(Span::new(2, 3, 2, 7)));
        assert_eq!(
            (found.line, found.column, found.end_line, found.end_column),
            (2, 3, 2, 7)
        );
        assert_eq!(found.severity, "error");
    }

    #[test]
    fn other_files_left_out() {
        let other = Diagnostic::error("E0101", "models/b.sql", Span::new(1, 1, 1, 2), "x");
        assert!(editor_diagnostics(&[other], "models/a.sql", DOC).is_empty());
    }

    #[test]
    fn empty_span_goes_to_start() {
        let found = only(at(Span::default()));
        assert_eq!(
            (found.line, found.column, found.end_line, found.end_column),
            (1, 1, 1, 1)
        );
    }

    #[test]
    fn range_past_end_clamped() {
        let found = only(at(Span::new(3, 6, 9, 40)));
        assert_eq!((found.line, found.column), (3, 6));
        assert_eq!((found.end_line, found.end_column), (3, 7));
    }

    #[test]
    fn reversed_range_collapses() {
        let found = only(at(Span::new(2, 5, 1, 2)));
        assert_eq!((found.end_line, found.end_column), (2, 5));
    }

    #[test]
    fn columns_count_characters() {
        let doc = "select 'é€' as x";
        let diagnostic = at(Span::new(1, 1, 1, 99));
        let found = editor_diagnostics(&[diagnostic], "models/a.sql", doc);
        assert_eq!(found[0].end_column, 17);
    }

    #[test]
    fn labels_clamped_and_kept() {
        let diagnostic = at(Span::new(1, 8, 1, 10))
            .with_label(Span::new(2, 3, 2, 7), "this is VARCHAR")
            .with_label(Span::new(3, 1, 3, 99), "this is DATE");
        let found = only(diagnostic);
        let ranges: Vec<(u32, u32, u32, u32, &str)> = found
            .labels
            .iter()
            .map(|l| {
                (
                    l.line,
                    l.column,
                    l.end_line,
                    l.end_column,
                    l.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            ranges,
            vec![
                (2, 3, 2, 7, "this is VARCHAR"),
                (3, 1, 3, 7, "this is DATE")
            ]
        );
    }

    #[test]
    fn message_lists_notes_after_help() {
        let diagnostic = at(Span::new(1, 8, 1, 10))
            .with_help("cast one side")
            .with_label(Span::new(2, 3, 2, 7), "this is VARCHAR");
        assert_eq!(
            message_text(&diagnostic),
            "E0101: unknown column\nhelp: cast one side\nnote at 2:3: this is VARCHAR"
        );
    }

    #[test]
    fn message_has_code_and_help() {
        let diagnostic = at(Span::new(1, 1, 1, 2)).with_help("did you mean `name`?");
        assert_eq!(
            message_text(&diagnostic),
            "E0101: unknown column\nhelp: did you mean `name`?"
        );
        assert_eq!(
            message_text(&at(Span::new(1, 1, 1, 2))),
            "E0101: unknown column"
        );
    }
}
