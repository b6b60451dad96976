//! The code section: labels of the per-file text diffs.

use rocky_core::branch::FileStatus;
use rocky_core::compare::{FileDiff, Hunk, LineTag};

/// Returns added and removed line counts as `+N −M`, with a minus sign
/// (U+2212) as diff viewers print it.
pub fn line_counts(added: usize, removed: usize) -> String {
    format!("+{added} \u{2212}{removed}")
}

/// Returns the `data-status` value of a file: `added`, `modified` or
/// `deleted`.
pub fn status_name(status: FileStatus) -> &'static str {
    match status {
        FileStatus::Added => "added",
        FileStatus::Modified => "modified",
        FileStatus::Deleted => "deleted",
    }
}

/// Returns the `data-tag` value and CSS class of a diff line.
pub fn tag_name(tag: LineTag) -> &'static str {
    match tag {
        LineTag::Context => "context",
        LineTag::Removed => "removed",
        LineTag::Added => "added",
    }
}

/// Returns the mark printed before a diff line's text.
pub fn tag_mark(tag: LineTag) -> char {
    match tag {
        LineTag::Context => ' ',
        LineTag::Removed => '-',
        LineTag::Added => '+',
    }
}

/// Returns a hunk's header line as the unified format writes it.
pub fn hunk_header(hunk: &Hunk) -> String {
    format!(
        "@@ -{},{} +{},{} @@",
        hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines
    )
}

/// Returns every file's diff in the unified format, one after the other,
/// as `git diff` prints a change of several files.
pub fn unified_all(files: &[FileDiff]) -> String {
    files.iter().map(FileDiff::unified).collect()
}
