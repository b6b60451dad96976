//! Positions in source text: byte offsets to 1-based lines and columns.

use crate::diagnostic::{Position, Span};

/// Maps byte offsets of one text to line and column positions.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    /// Converts a byte offset to a position; columns count characters.
    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        Position {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start: self.position(start),
            end: self.position(end),
        }
    }

    /// Converts a 1-based position back to a byte offset.
    pub(crate) fn offset(&self, position: Position) -> Option<usize> {
        let start = *self
            .line_starts
            .get(position.line.checked_sub(1)? as usize)?;
        let line_text = &self.text[start..];
        let mut chars = line_text.char_indices();
        let mut offset = start;
        for _ in 1..position.column {
            match chars.next() {
                Some((i, c)) if c != '\n' => offset = start + i + c.len_utf8(),
                _ => return None,
            }
        }
        Some(offset)
    }

    /// Finds the first line that starts with `needle` after indentation and
    /// returns the span of `needle` there, for locating TOML keys.
    pub(crate) fn find_line_start(&self, needle: &str) -> Option<Span> {
        for (i, &start) in self.line_starts.iter().enumerate() {
            let end = self
                .line_starts
                .get(i + 1)
                .copied()
                .unwrap_or(self.text.len());
            let line = &self.text[start..end];
            let trimmed = line.trim_start();
            if trimmed.starts_with(needle) {
                let at = start + (line.len() - trimmed.len());
                return Some(self.span(at, at + needle.len()));
            }
        }
        None
    }
}

/// Returns the candidate closest to `name` by edit distance, if it is
/// close enough to be a likely misspelling.
pub(crate) fn closest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let name = name.to_ascii_lowercase();
    let limit = (name.chars().count() / 3).max(1) + 1;
    candidates
        .into_iter()
        .map(|candidate| {
            (
                edit_distance(&name, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let index = LineIndex::new("ab\nçd e\n");
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(3), Position { line: 2, column: 1 });
        // `ç` is two bytes but one column.
        assert_eq!(index.position(6), Position { line: 2, column: 3 });
        assert_eq!(index.offset(Position { line: 2, column: 3 }), Some(6));
    }

    #[test]
    fn closest_finds_misspellings() {
        let names = ["first_name", "last_name", "customer_id"];
        assert_eq!(closest("frist_name", names), Some("first_name"));
        assert_eq!(closest("customer_di", names), Some("customer_id"));
        assert_eq!(closest("zzz", names), None);
    }
}
