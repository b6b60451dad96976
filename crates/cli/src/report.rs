//! The text report of `rocky compile`: diagnostics in the style of rustc,
//! a summary line and one line per model.

use std::fmt::Write;

use rocky_core::{Compilation, Diagnostic, Model, Severity, Span};

/// Display width of a tab in a quoted source line, as rustc shows it.
const TAB_WIDTH: usize = 4;

/// Renders one diagnostic as rustc does: the headline, the ` --> file:line:column`
/// location, the source lines with `^` under the span, and the help line.
///
/// `source` is the text of the diagnostic's file. Without it, or when the
/// span has no location or lies past the end of the file, only the
/// location is printed.
pub fn render_diagnostic(diagnostic: &Diagnostic, source: Option<&str>) -> String {
    let mut out = String::new();
    let label = severity_label(diagnostic.severity);
    if diagnostic.code.is_empty() {
        writeln!(out, "{label}: {}", diagnostic.message).unwrap();
    } else {
        writeln!(out, "{label}[{}]: {}", diagnostic.code, diagnostic.message).unwrap();
    }

    let span = diagnostic.span;
    let lines: Vec<&str> = source
        .map(|text| text.lines().collect())
        .unwrap_or_default();
    let snippet_fits = !span.is_empty() && span.start.line as usize <= lines.len();
    // The gutter is as wide as the largest line number shown, and the
    // location arrow lines up with it.
    let labels: Vec<&rocky_core::Label> = if snippet_fits {
        diagnostic
            .labels
            .iter()
            .filter(|label| !label.span.is_empty() && label.span.start.line as usize <= lines.len())
            .collect()
    } else {
        Vec::new()
    };
    let gutter = if snippet_fits {
        labels
            .iter()
            .map(|label| shown_end_line(label.span, lines.len()))
            .chain([shown_end_line(span, lines.len())])
            .map(digits)
            .max()
            .unwrap_or(1)
    } else {
        1
    };
    let pad = " ".repeat(gutter);

    if !diagnostic.file.is_empty() {
        if span.is_empty() {
            writeln!(out, "{pad}--> {}", diagnostic.file).unwrap();
        } else {
            writeln!(
                out,
                "{pad}--> {}:{}:{}",
                diagnostic.file, span.start.line, span.start.column
            )
            .unwrap();
        }
    }
    if snippet_fits {
        writeln!(out, "{pad} |").unwrap();
        let mut marks: Vec<(Span, Mark)> = vec![(span, ('^', ""))];
        marks.extend(
            labels
                .iter()
                .map(|label| (label.span, ('-', label.message.as_str()))),
        );
        write_marks(&mut out, &marks, &lines, gutter);
    }
    if let Some(help) = &diagnostic.help {
        if snippet_fits {
            writeln!(out, "{pad} |").unwrap();
        }
        writeln!(out, "{pad} = help: {help}").unwrap();
    }
    out
}

/// A marker character drawn under a span, and a note after the last one.
type Mark<'a> = (char, &'a str);

/// Writes the primary span (first in `marks`) and the labels in line
/// order. Spans on one line share one quote of it, with a marker row each.
fn write_marks(out: &mut String, marks: &[(Span, Mark)], lines: &[&str], gutter: usize) {
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by_key(|&i| (marks[i].0.start.line, i));
    let single_line = |span: Span| span.end.line <= span.start.line;
    let mut at = 0;
    while at < order.len() {
        let (span, mark) = marks[order[at]];
        if !single_line(span) {
            write_snippet(out, span, lines, gutter, mark);
            at += 1;
            continue;
        }
        let line = span.start.line as usize;
        let mut row = Vec::new();
        while at < order.len() {
            let (other, other_mark) = marks[order[at]];
            if other.start.line as usize != line || !single_line(other) {
                break;
            }
            let start = other.start.column.max(1) as usize;
            let end = if other.end.line as usize == line {
                (other.end.column as usize).max(start + 1)
            } else {
                start + 1
            };
            row.push(((start, end), other_mark));
            at += 1;
        }
        write_line(out, line, lines[line - 1], gutter, &row);
    }
}

/// Writes the first and last line of `span`, each with markers under the
/// part of it that the span covers, and `...` for the lines between. The
/// mark's note follows the markers of the last line.
fn write_snippet(out: &mut String, span: Span, lines: &[&str], gutter: usize, mark: Mark) {
    let start_line = span.start.line as usize;
    let end_line = shown_end_line(span, lines.len());
    let start_column = span.start.column.max(1) as usize;

    if end_line == start_line {
        let text = lines[start_line - 1];
        // A span that ends where it starts, or one that is reversed,
        // still gets one caret.
        let end_column = if span.end.line as usize == start_line {
            (span.end.column as usize).max(start_column + 1)
        } else {
            start_column + 1
        };
        write_line(
            out,
            start_line,
            text,
            gutter,
            &[((start_column, end_column), mark)],
        );
        return;
    }

    let first = lines[start_line - 1];
    write_line(
        out,
        start_line,
        first,
        gutter,
        &[((start_column, char_count(first) + 1), (mark.0, ""))],
    );
    if end_line > start_line + 1 {
        writeln!(out, "...").unwrap();
    }
    let last = lines[end_line - 1];
    let last_end = if span.end.line as usize == end_line {
        span.end.column as usize
    } else {
        char_count(last) + 1
    };
    let indent = char_count(last) - char_count(last.trim_start());
    write_line(
        out,
        end_line,
        last,
        gutter,
        &[((indent + 1, last_end.max(indent + 2)), mark)],
    );
}

/// Lines longer than this many characters are shown cut around the span.
const MAX_SHOWN_CHARS: usize = 160;

/// Characters shown before the span in a cut line.
const CONTEXT_CHARS: usize = 60;

/// Writes `number | text` and, under it, one row per mark with markers
/// from the first column up to but not including the second (1-based,
/// counting characters). A long line is cut around the first mark.
fn write_line(
    out: &mut String,
    number: usize,
    text: &str,
    gutter: usize,
    marks: &[((usize, usize), Mark)],
) {
    let Some(&((window_start, _), _)) = marks.first() else {
        return;
    };
    let pad = " ".repeat(gutter);
    // A long line is cut to a window around the span, marked with `...`,
    // so a generated one-line model does not flood the terminal.
    let total = char_count(text);
    let (shown, first, prefix, suffix) = if total > MAX_SHOWN_CHARS {
        let first = window_start
            .saturating_sub(1)
            .saturating_sub(CONTEXT_CHARS)
            .min(total);
        let shown: String = text.chars().skip(first).take(MAX_SHOWN_CHARS).collect();
        let cut_end = first + MAX_SHOWN_CHARS < total;
        let prefix = if first > 0 { "..." } else { "" };
        (
            std::borrow::Cow::Owned(shown),
            first,
            prefix,
            if cut_end { "..." } else { "" },
        )
    } else {
        (std::borrow::Cow::Borrowed(text), 0, "", "")
    };
    let text = shown.as_ref();
    let expanded = text.replace('\t', &" ".repeat(TAB_WIDTH));
    writeln!(out, "{number:>gutter$} | {prefix}{expanded}{suffix}").unwrap();

    for &((start_column, end_column), (marker, note)) in marks {
        let (start_column, end_column) = if first > 0 || !suffix.is_empty() {
            let start = start_column.saturating_sub(first).max(1);
            let end = end_column
                .saturating_sub(first)
                .clamp(start + 1, MAX_SHOWN_CHARS + 1);
            (start, end)
        } else {
            (start_column, end_column)
        };
        // Markers start under the display position of `start_column`; a
        // column past the end of the line points just after its last character.
        let before = display_width(text.chars().take(start_column.saturating_sub(1)));
        let covered_chars = end_column.saturating_sub(start_column);
        let covered = display_width(
            text.chars()
                .skip(start_column.saturating_sub(1))
                .take(covered_chars),
        );
        let before = before + prefix.len();
        let markers = marker.to_string().repeat(covered.max(1));
        let note = if note.is_empty() {
            String::new()
        } else {
            format!(" {note}")
        };
        writeln!(out, "{pad} | {}{markers}{note}", " ".repeat(before)).unwrap();
    }
}

/// Returns the last line of `span` that exists in a file of `line_count` lines.
fn shown_end_line(span: Span, line_count: usize) -> usize {
    let start = span.start.line as usize;
    (span.end.line as usize).clamp(start, line_count.max(start))
}

fn display_width(chars: impl Iterator<Item = char>) -> usize {
    chars.map(|c| if c == '\t' { TAB_WIDTH } else { 1 }).sum()
}

fn char_count(text: &str) -> usize {
    text.chars().count()
}

fn digits(number: usize) -> usize {
    number.max(1).ilog10() as usize + 1
}

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Returns the summary line, such as `compiled 5 models, 3 sources: 0 errors, 1 warning`.
pub fn summary(compilation: &Compilation) -> String {
    let count = |severity| {
        compilation
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    format!(
        "compiled {}, {}: {}, {}",
        plural(compilation.models.len(), "model"),
        plural(compilation.sources.len(), "source"),
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
    )
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Returns a model's name and its columns with their types on one line,
/// such as `stg_orders (order_id INTEGER, status VARCHAR)`.
pub fn model_line(model: &Model) -> String {
    let columns: Vec<String> = model
        .columns
        .iter()
        .map(|column| format!("{} {}", column.name, column.ty))
        .collect();
    format!("{} ({})", model.name, columns.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rocky_core::Column;

    fn diagnostic(span: Span, help: Option<&str>) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(
            "E0101",
            "models/orders.sql",
            span,
            "unknown table `stg_order`",
        );
        diagnostic.help = help.map(str::to_string);
        diagnostic
    }

    const SQL: &str = "with orders as (\n    select * from stg_order\n)\nselect * from orders\n";

    #[test]
    fn long_line_is_cut_around_span() {
        let line = format!("{}bad{}", "a".repeat(1000), "z".repeat(1000));
        let d = diagnostic(Span::new(1, 1001, 1, 1004), None);
        let text = render_diagnostic(&d, Some(&line));
        let lines: Vec<&str> = text.lines().collect();
        let source = lines.iter().find(|l| l.contains("bad")).unwrap();
        assert!(source.len() < 200, "{source}");
        assert!(source.contains("...aaa"), "{source}");
        assert!(source.ends_with("zz..."), "{source}");
        let carets = lines.iter().find(|l| l.contains('^')).unwrap();
        let caret_at = carets.find('^').unwrap();
        assert_eq!(&source[caret_at..caret_at + 3], "bad");
        assert_eq!(carets.matches('^').count(), 3);
    }

    #[test]
    fn single_line_span_gets_carets() {
        let rendered = render_diagnostic(
            &diagnostic(Span::new(2, 19, 2, 28), Some("did you mean `stg_orders`?")),
            Some(SQL),
        );

        let expected = "\
error[E0101]: unknown table `stg_order`
 --> models/orders.sql:2:19
  |
2 |     select * from stg_order
  |                   ^^^^^^^^^
  |
  = help: did you mean `stg_orders`?
";
        assert_eq!(rendered, expected);
    }

    #[test]
    fn labels_share_the_quote_of_their_line() {
        let source = "select a\nfrom t\nwhere d < s\n";
        let d = diagnostic(Span::new(3, 7, 3, 12), None)
            .with_label(Span::new(3, 7, 3, 8), "this is DATE")
            .with_label(Span::new(3, 11, 3, 12), "this is VARCHAR")
            .with_label(Span::new(2, 6, 2, 7), "read here");
        let rendered = render_diagnostic(&d, Some(source));

        let expected = "\
error[E0101]: unknown table `stg_order`
 --> models/orders.sql:3:7
  |
2 | from t
  |      - read here
3 | where d < s
  |       ^^^^^
  |       - this is DATE
  |           - this is VARCHAR
";
        assert_eq!(rendered, expected);
    }

    #[test]
    fn empty_span_gets_one_caret() {
        let rendered = render_diagnostic(&diagnostic(Span::new(2, 5, 2, 5), None), Some(SQL));

        assert!(rendered.contains("\n  |     ^\n"), "{rendered}");
        assert!(!rendered.contains("help"), "{rendered}");
    }

    #[test]
    fn caret_past_line_end_points_after_it() {
        let rendered = render_diagnostic(&diagnostic(Span::new(3, 2, 3, 9), None), Some(SQL));

        assert!(rendered.contains("3 | )\n  |  ^\n"), "{rendered}");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let source = "select 'é€' as ok, nope\n";
        let rendered = render_diagnostic(&diagnostic(Span::new(1, 20, 1, 24), None), Some(source));

        assert!(
            rendered.contains(&format!("  | {}^^^^\n", " ".repeat(19))),
            "{rendered}"
        );
    }

    #[test]
    fn tabs_widen_caret_offset() {
        let source = "\tselect nope\n";
        let rendered = render_diagnostic(&diagnostic(Span::new(1, 9, 1, 13), None), Some(source));

        assert!(rendered.contains("1 |     select nope\n"), "{rendered}");
        assert!(
            rendered.contains(&format!("  | {}^^^^\n", " ".repeat(11))),
            "{rendered}"
        );
    }

    #[test]
    fn multi_line_span_shows_first_and_last() {
        let source = "select\n  a,\n  b,\n  c\nfrom t\n";
        let rendered = render_diagnostic(&diagnostic(Span::new(1, 1, 4, 4), None), Some(source));

        let expected = "\
error[E0101]: unknown table `stg_order`
 --> models/orders.sql:1:1
  |
1 | select
  | ^^^^^^
...
4 |   c
  |   ^
";
        assert_eq!(rendered, expected);
    }

    #[test]
    fn gutter_widens_for_long_files() {
        let source = "select 1\n".repeat(12);
        let rendered = render_diagnostic(&diagnostic(Span::new(12, 8, 12, 9), None), Some(&source));

        assert!(
            rendered.contains("  --> models/orders.sql:12:8\n"),
            "{rendered}"
        );
        assert!(
            rendered.contains("12 | select 1\n   |        ^\n"),
            "{rendered}"
        );
    }

    #[test]
    fn missing_location_prints_file_only() {
        let rendered = render_diagnostic(&diagnostic(Span::default(), Some("add it")), Some(SQL));

        assert_eq!(
            rendered,
            "error[E0101]: unknown table `stg_order`\n --> models/orders.sql\n  = help: add it\n"
        );
    }

    #[test]
    fn unknown_file_prints_location_only() {
        let rendered = render_diagnostic(&diagnostic(Span::new(2, 19, 2, 28), None), None);

        assert_eq!(
            rendered,
            "error[E0101]: unknown table `stg_order`\n --> models/orders.sql:2:19\n"
        );
    }

    #[test]
    fn warning_and_info_labels() {
        let mut warning = diagnostic(Span::default(), None);
        warning.severity = Severity::Warning;
        let mut info = diagnostic(Span::default(), None);
        info.severity = Severity::Info;

        assert!(render_diagnostic(&warning, None).starts_with("warning[E0101]: "));
        assert!(render_diagnostic(&info, None).starts_with("info[E0101]: "));
    }

    #[test]
    fn summary_counts_and_pluralizes() {
        let mut compilation = Compilation::default();
        compilation.models.push(
            Model {
                name: "a".to_string(),
                ..Default::default()
            }
            .into(),
        );
        compilation
            .diagnostics
            .push(diagnostic(Span::default(), None));
        let mut warning = diagnostic(Span::default(), None);
        warning.severity = Severity::Warning;
        compilation.diagnostics.push(warning.clone());
        compilation.diagnostics.push(warning);

        assert_eq!(
            summary(&compilation),
            "compiled 1 model, 0 sources: 1 error, 2 warnings"
        );
    }

    #[test]
    fn model_line_lists_typed_columns() {
        let column = |name: &str, ty: &str| Column {
            name: name.to_string(),
            ty: ty.to_string(),
            ..Default::default()
        };
        let model = Model {
            name: "stg_orders".to_string(),
            columns: vec![column("order_id", "INTEGER"), column("status", "VARCHAR")],
            ..Default::default()
        };

        assert_eq!(
            model_line(&model),
            "stg_orders (order_id INTEGER, status VARCHAR)"
        );
    }
}
