//! The project's problems as the problems list shows them: grouped by file,
//! the open file first, with counts by severity.

use std::collections::BTreeMap;

use rocky_core::{Diagnostic, Severity};

/// The diagnostics of one file, in line order.
#[derive(Clone, Debug, PartialEq)]
pub struct FileProblems {
    pub path: String,
    /// True for the file the editor shows.
    pub open: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// Diagnostics counted by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProblemCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl ProblemCounts {
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> ProblemCounts {
        let mut counts = ProblemCounts::default();
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// Groups `diagnostics` by file: the open file's group first, then the
/// others by path. Each group is sorted by position, then severity, and
/// files without diagnostics get no group.
pub fn group_by_file<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    open_path: Option<&str>,
) -> Vec<FileProblems> {
    let mut by_path: BTreeMap<&str, Vec<Diagnostic>> = BTreeMap::new();
    for diagnostic in diagnostics {
        by_path
            .entry(diagnostic.file.as_str())
            .or_default()
            .push(diagnostic.clone());
    }
    let mut groups: Vec<FileProblems> = by_path
        .into_iter()
        .map(|(path, mut diagnostics)| {
            diagnostics.sort_by_key(|d| (d.span.start, d.severity));
            FileProblems {
                path: path.to_string(),
                open: Some(path) == open_path,
                diagnostics,
            }
        })
        .collect();
    // A stable sort keeps the other files in path order.
    groups.sort_by_key(|group| !group.open);
    groups
}

/// Returns where a diagnostic points as `path:line:column`, or only the
/// path when it has no location.
pub fn location_text(diagnostic: &Diagnostic) -> String {
    if diagnostic.span.is_empty() {
        diagnostic.file.clone()
    } else {
        let start = diagnostic.span.start;
        format!("{}:{}:{}", diagnostic.file, start.line, start.column)
    }
}

#[cfg(test)]
mod tests {
    use rocky_core::Span;

    use super::*;

    fn error(file: &str, line: u32, column: u32) -> Diagnostic {
        Diagnostic::error(
            "E0101",
            file,
            Span::new(line, column, line, column + 3),
            "bad",
        )
    }

    fn warning(file: &str, line: u32) -> Diagnostic {
        Diagnostic::warning("W0002", file, Span::new(line, 1, line, 2), "meh")
    }

    /// A group as its path, open flag and the start of each diagnostic.
    type Summary<'a> = (&'a str, bool, Vec<(u32, u32)>);

    fn summary(groups: &[FileProblems]) -> Vec<Summary<'_>> {
        groups
            .iter()
            .map(|group| {
                let positions = group
                    .diagnostics
                    .iter()
                    .map(|d| (d.span.start.line, d.span.start.column))
                    .collect();
                (group.path.as_str(), group.open, positions)
            })
            .collect()
    }

    #[test]
    fn open_file_comes_first() {
        let diagnostics = [
            error("models/a.sql", 1, 1),
            error("models/c.sql", 2, 1),
            error("models/b.sql", 3, 1),
        ];
        let groups = group_by_file(&diagnostics, Some("models/c.sql"));
        assert_eq!(
            summary(&groups),
            vec![
                ("models/c.sql", true, vec![(2, 1)]),
                ("models/a.sql", false, vec![(1, 1)]),
                ("models/b.sql", false, vec![(3, 1)]),
            ]
        );
    }

    #[test]
    fn groups_sorted_by_position() {
        let diagnostics = [
            error("models/a.sql", 4, 2),
            error("models/a.sql", 1, 9),
            error("models/a.sql", 4, 1),
        ];
        let groups = group_by_file(&diagnostics, None);
        assert_eq!(
            summary(&groups),
            vec![("models/a.sql", false, vec![(1, 9), (4, 1), (4, 2)])]
        );
    }

    #[test]
    fn open_file_without_problems_has_no_group() {
        let diagnostics = [error("models/a.sql", 1, 1)];
        let groups = group_by_file(&diagnostics, Some("models/b.sql"));
        assert_eq!(
            summary(&groups),
            vec![("models/a.sql", false, vec![(1, 1)])]
        );
    }

    #[test]
    fn counts_by_severity() {
        let diagnostics = [
            error("models/a.sql", 1, 1),
            warning("models/a.sql", 2),
            warning("rocky.toml", 1),
        ];
        let counts = ProblemCounts::of(&diagnostics);
        assert_eq!(
            counts,
            ProblemCounts {
                errors: 1,
                warnings: 2,
                infos: 0
            }
        );
        assert_eq!(counts.total(), 3);
    }

    #[test]
    fn location_has_path_line_column() {
        assert_eq!(
            location_text(&error("models/a.sql", 3, 7)),
            "models/a.sql:3:7"
        );
        let unplaced = Diagnostic::warning("W0001", "rocky.toml", Span::default(), "no name");
        assert_eq!(location_text(&unplaced), "rocky.toml");
    }
}
