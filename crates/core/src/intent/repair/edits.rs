//! The edits of one downstream model for one upstream column change,
//! computed on the model compiled against the parent's upstream, so that
//! every reference still resolves and has its span.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Span};
use crate::output::{Column, ColumnUse, Model, ParentTable, QueryScope};
use crate::text::LineIndex;

use super::sql_text::{
    alias_after, byte_range, deletion_range, end_of_alias, last_part_start, only_comma_between,
    quote_identifier, rename_slot, RenameSlot,
};

/// A replacement of the bytes `start..end` of the model's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Returns true when a table name as the SQL writes it (`stg_orders`,
/// `main.stg_orders`) names the model `upstream`.
fn names_model(table: &str, upstream: &str) -> bool {
    table
        .rsplit('.')
        .next()
        .is_some_and(|last| last.trim_matches('"').eq_ignore_ascii_case(upstream))
}

/// Iterates over the output columns and the CTE and subquery columns of a
/// model.
fn all_columns(model: &Model) -> impl Iterator<Item = &Column> {
    model
        .internal
        .iter()
        .flat_map(|table| table.columns.iter())
        .chain(model.columns.iter())
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Returns the innermost of `scopes` that contains `span` and passes `keep`.
fn innermost(
    scopes: &[QueryScope],
    span: Span,
    keep: impl Fn(&QueryScope) -> bool,
) -> Option<&QueryScope> {
    scopes
        .iter()
        .filter(|scope| contains(scope.span, span) && keep(scope))
        .max_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(b.span.end.cmp(&a.span.end))
        })
}

/// Returns true when `column_use` reads the FROM item that is the model
/// `upstream` itself, not a CTE or subquery over it.
fn reads_directly(
    model: &Model,
    index: &LineIndex,
    column_use: &ColumnUse,
    upstream: &str,
) -> bool {
    let Some(table) = column_use.table.as_deref() else {
        return false;
    };
    let has_table = |scope: &QueryScope| {
        scope
            .tables
            .iter()
            .any(|t| t.name.eq_ignore_ascii_case(table))
    };
    let Some(scope) = innermost(&model.scopes, column_use.span, has_table) else {
        return false;
    };
    model.table_uses.iter().any(|table_use| {
        if !table_use.is_model || !table_use.name.eq_ignore_ascii_case(upstream) {
            return false;
        }
        let home = innermost(&model.scopes, table_use.span, |_| true);
        if home.map(|s| s.span) != Some(scope.span) {
            return false;
        }
        let Some((start, end)) = byte_range(index, table_use.span) else {
            return false;
        };
        let written = &model.sql[start..end];
        let name = alias_after(&model.sql, end).unwrap_or_else(|| {
            written[last_part_start(written)..]
                .trim_matches('"')
                .to_string()
        });
        name.eq_ignore_ascii_case(table)
    })
}

/// Edits that make `model` read `upstream.new` where it read
/// `upstream.old` and keep every name it defines. A `*` over the upstream
/// gets `RENAME (new AS old)`, a direct reference is renamed, and a
/// select item that is only that reference keeps its name with `AS old`.
/// References through the model's own CTEs stay as they are, because the
/// CTE keeps the old name.
pub(super) fn rename_edits(model: &Model, upstream: &str, old: &str, new: &str) -> Vec<Edit> {
    let text = &model.sql;
    let index = LineIndex::new(text);
    let mut edits = Vec::new();

    let mut stars: BTreeMap<usize, usize> = BTreeMap::new();
    for column in all_columns(model) {
        let from_upstream = column.parents.iter().any(|parent| {
            matches!(&parent.table, ParentTable::Upstream(t) if names_model(t, upstream))
                && parent.column.eq_ignore_ascii_case(old)
        });
        let Some((start, end)) = column.definition.and_then(|s| byte_range(&index, s)) else {
            continue;
        };
        if from_upstream && text[start..end].ends_with('*') {
            stars.insert(start, end);
        }
    }
    let entry = format!("{} AS {}", quote_identifier(new), quote_identifier(old));
    for end in stars.into_values() {
        let edit = match rename_slot(text, end) {
            RenameSlot::Existing(at) => Edit {
                start: at,
                end: at,
                text: format!("{entry}, "),
            },
            RenameSlot::New(at) => Edit {
                start: at,
                end: at,
                text: format!(" RENAME ({entry})"),
            },
        };
        edits.push(edit);
    }

    for column_use in &model.column_uses {
        if !column_use.column.eq_ignore_ascii_case(old)
            || !reads_directly(model, &index, column_use, upstream)
        {
            continue;
        }
        let Some((start, end)) = byte_range(&index, column_use.span) else {
            continue;
        };
        let name_start = start + last_part_start(&text[start..end]);
        let is_bare_item = all_columns(model).any(|c| {
            c.definition == Some(column_use.span)
                && c.name.eq_ignore_ascii_case(old)
                && end_of_alias(text, end, &c.name) == end
        });
        let replacement = if is_bare_item {
            format!("{} AS {}", quote_identifier(new), quote_identifier(old))
        } else {
            quote_identifier(new)
        };
        edits.push(Edit {
            start: name_start,
            end,
            text: replacement,
        });
    }
    edits
}

/// The select items to drop for a removed upstream column.
pub(super) struct Removal {
    pub edits: Vec<Edit>,
    /// The names of the dropped items, CTE columns included.
    pub items: Vec<String>,
    /// The model's output columns that go away.
    pub outputs: Vec<String>,
}

/// Edits that drop every select item of `model` whose value comes only
/// from `upstream.column`, or the reason there is no such fix: an item
/// that also reads other columns, or an item that is the whole select
/// list. A `*` needs no edit, because it no longer produces the column.
pub(super) fn drop_edits(model: &Model, upstream: &str, column: &str) -> Result<Removal, String> {
    let text = &model.sql;
    let index = LineIndex::new(text);
    let reads = |c: &Column| {
        c.lineage
            .iter()
            .any(|e| names_model(&e.model, upstream) && e.column.eq_ignore_ascii_case(column))
    };
    let only_reads = |c: &Column| {
        c.lineage
            .iter()
            .all(|e| names_model(&e.model, upstream) && e.column.eq_ignore_ascii_case(column))
    };

    let mut items: BTreeMap<usize, (usize, String)> = BTreeMap::new();
    for c in all_columns(model).filter(|c| reads(c)) {
        if !only_reads(c) {
            return Err(format!(
                "`{}` of `{}` reads `{upstream}.{column}` together with other columns",
                c.name, model.name
            ));
        }
        let Some((start, end)) = c.definition.and_then(|s| byte_range(&index, s)) else {
            return Err(format!("the definition of `{}` has no location", c.name));
        };
        if text[start..end].ends_with('*') {
            continue;
        }
        let end = end_of_alias(text, end, &c.name);
        items.insert(start, (end, c.name.clone()));
    }
    let outputs = model
        .columns
        .iter()
        .filter(|c| reads(c))
        .map(|c| c.name.clone())
        .collect();

    // Adjacent items go in one deletion, so that their commas stay right.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (&start, &(end, _)) in &items {
        match runs.last_mut() {
            Some(run) if only_comma_between(text, run.1, start) => run.1 = end,
            _ => runs.push((start, end)),
        }
    }
    let mut edits = Vec::new();
    for (start, end) in runs {
        let Some((start, end)) = deletion_range(text, start, end) else {
            return Err(format!(
                "dropping `{}` would leave a select list of `{}` empty",
                text.get(start..end).unwrap_or_default().trim(),
                model.name
            ));
        };
        edits.push(Edit {
            start,
            end,
            text: String::new(),
        });
    }
    Ok(Removal {
        edits,
        items: items.into_values().map(|(_, name)| name).collect(),
        outputs,
    })
}

/// Edits that cast each reference to `upstream.column` inside a type
/// error of `errors` back to `ty`.
pub(super) fn cast_edits(
    model: &Model,
    upstream: &str,
    column: &str,
    ty: &str,
    errors: &[Diagnostic],
) -> Vec<Edit> {
    let text = &model.sql;
    let index = LineIndex::new(text);
    let regions: Vec<Span> = errors
        .iter()
        .filter(|d| d.code.starts_with("E02"))
        .flat_map(|d| std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span)))
        .collect();
    let mut edits: Vec<Edit> = Vec::new();
    for column_use in &model.column_uses {
        let copies = column_use.source.as_ref().is_some_and(|s| {
            names_model(&s.model, upstream) && s.column.eq_ignore_ascii_case(column)
        });
        if !copies || !regions.iter().any(|r| contains(*r, column_use.span)) {
            continue;
        }
        let Some((start, end)) = byte_range(&index, column_use.span) else {
            continue;
        };
        if edits.iter().any(|e| e.start == start) {
            continue;
        }
        edits.push(Edit {
            start,
            end,
            text: format!("CAST({} AS {ty})", &text[start..end]),
        });
    }
    edits
}
