//! Fix-its for downstream models that an upstream column change broke.
//!
//! A branch that renames, removes or retypes an output column of a model
//! breaks the models that read it. [`repair_all`] visits the models with
//! an error the parent does not have, in build order. For each it
//! classifies how the output columns of the models it reads changed and
//! computes edits. It verifies them by compiling the branch with the edits
//! and every verified fix-it before them. docs/intent.md lists what is
//! detected and fixed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::compare::diff_text;
use crate::diagnostic::{Diagnostic, Span};
use crate::output::{Compilation, Model};
use crate::text::LineIndex;
use crate::{compile, ProjectFiles, Severity};

pub(super) mod changes;
mod edits;
mod sql_text;

use changes::{column_changes, ColumnChange};
use edits::{cast_edits, drop_edits, rename_edits, Edit};

/// One replacement in a file. An insertion has `span.start == span.end`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// The kind of edit a fix-it makes for one upstream change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixKind {
    /// Reads a renamed upstream column under its new name.
    Rename,
    /// Drops the select items that read only a removed upstream column.
    DropItem,
    /// Casts a retyped upstream column back to its former type.
    Cast,
}

/// A proposed change to one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixIt {
    pub path: String,
    pub model: String,
    /// One line per upstream change, joined by `; `, such as
    /// "rename `order_date` to `ordered_on` in 1 place".
    pub description: String,
    pub kinds: Vec<FixKind>,
    /// The model's errors on the branch that the parent does not have.
    pub fixes: Vec<Diagnostic>,
    /// Replacements in the branch's text of `path`, in text order.
    pub edits: Vec<TextEdit>,
    /// The whole file with the edits applied.
    pub text: String,
    /// The edits as a unified diff.
    pub diff: String,
    /// True when the branch with this fix-it and the verified ones before
    /// it compiles the model with none of `fixes` and no other new error.
    /// The model's output columns must also equal the parent's, with the
    /// same names and types, less the dropped ones.
    pub verified: bool,
    /// The reason the fix-it is not verified, or that no edit was found.
    /// `None` when it is verified.
    pub problem: Option<String>,
}

/// Returns the verified fix-its for the models the branch breaks, in
/// build order, each verified on top of the ones before it.
pub fn repair(parent: &ProjectFiles, branch: &ProjectFiles) -> Vec<FixIt> {
    repair_all(parent, branch)
        .into_iter()
        .filter(|f| f.verified)
        .collect()
}

/// Returns a fix-it for every model that has an error the parent does not
/// have and that reads an upstream model whose output columns changed,
/// verified or not. Where no edit is found the fix-it has no edits, the
/// file's text unchanged, and the reason in `problem`. A model whose
/// errors no upstream column change explains gets no fix-it. Only
/// verified fix-its are applied under the later ones.
pub fn repair_all(parent: &ProjectFiles, branch: &ProjectFiles) -> Vec<FixIt> {
    let before = compile(parent);
    let mut current_files = branch.clone();
    let mut current = compile(branch);
    let broken: Vec<String> = current
        .models
        .iter()
        .filter(|m| !new_errors(&before, &current, &m.name).is_empty())
        .map(|m| m.name.clone())
        .collect();

    let mut fixes = Vec::new();
    for name in broken {
        let Some((fix, after)) = repair_model(parent, &before, &current_files, &current, &name)
        else {
            continue;
        };
        if fix.verified {
            current_files.insert(fix.path.clone(), fix.text.clone());
            current = after;
        }
        fixes.push(fix);
    }
    fixes
}

/// The edits of one model for all its upstream changes.
#[derive(Default)]
struct Plan {
    edits: Vec<Edit>,
    kinds: Vec<FixKind>,
    descriptions: Vec<String>,
    /// Output columns the fix-it drops.
    dropped: Vec<String>,
    problems: Vec<String>,
}

/// Computes and verifies the fix-it of one broken model, and returns it
/// with the compilation of the branch with it applied.
fn repair_model(
    parent_files: &ProjectFiles,
    parent: &Compilation,
    files: &ProjectFiles,
    current: &Compilation,
    name: &str,
) -> Option<(FixIt, Compilation)> {
    let model = current.model(name)?;
    let errors = new_errors(parent, current, name);
    if errors.is_empty() {
        return None;
    }
    // An upstream model whose SQL has new errors is skipped, because its
    // outputs may be incomplete. Errors in its sidecar, such as a data
    // test that a retype breaks, leave its outputs known.
    // NOTE: only models are compared. A source table whose declaration
    // changes is not classified, so the models reading it get no fix-it.
    let mut upstream: Vec<(&Model, Vec<ColumnChange>)> = Vec::new();
    for read in &model.depends_on {
        let (Some(old), Some(new)) = (parent.model(read), current.model(read)) else {
            continue;
        };
        let broken_sql = new_errors(parent, current, &new.name)
            .iter()
            .any(|d| d.file == new.file);
        if broken_sql {
            continue;
        }
        let changes = column_changes(old, new);
        if !changes.is_empty() {
            upstream.push((old, changes));
        }
    }
    if upstream.is_empty() {
        return None;
    }

    // The model compiled against the parent's upstream files, so that its
    // references still resolve and keep their spans.
    let mut against_parent = files.clone();
    for (old, _) in &upstream {
        if let Some(text) = parent_files.get(&old.file) {
            against_parent.insert(old.file.clone(), text.clone());
        }
    }
    let against_parent = compile(&against_parent);
    let resolved = against_parent.model(name)?;
    let text = files.get(&model.file)?;
    if resolved.sql != *text {
        return None;
    }

    let mut plan = Plan::default();
    for (old, changes) in &upstream {
        for change in changes {
            plan_change(&mut plan, parent, resolved, &old.name, change, &errors);
        }
    }
    Some(finish(parent, files, model, text, errors, plan))
}

/// Adds the edits for one upstream change to the plan.
fn plan_change(
    plan: &mut Plan,
    parent: &Compilation,
    model: &Model,
    upstream: &str,
    change: &ColumnChange,
    errors: &[Diagnostic],
) {
    match change {
        ColumnChange::Renamed { old, new } => {
            let edits = rename_edits(model, upstream, old, new);
            if edits.is_empty() {
                return;
            }
            plan.descriptions.push(format!(
                "rename `{old}` to `{new}` in {}",
                places(edits.len())
            ));
            plan.kinds.push(FixKind::Rename);
            plan.edits.extend(edits);
        }
        ColumnChange::Removed { column } => match drop_edits(model, upstream, column) {
            Ok(drop) if drop.items.is_empty() => {
                let reads = errors
                    .iter()
                    .any(|error| error.message.contains(column.as_str()));
                if reads {
                    plan.problems.push(format!(
                        "the removed `{upstream}.{column}` is read together with other columns \
                         (in an expression, a join, a filter or a grouping), so no select item \
                         can be dropped; edit those places by hand"
                    ));
                }
            }
            Ok(drop) => {
                let read = drop.outputs.iter().find_map(|output| {
                    reader_of(parent, &model.name, output).map(|reader| (reader, output))
                });
                if let Some((reader, output)) = read {
                    plan.problems.push(format!(
                        "`{reader}` reads `{}.{output}`, which reads only the removed \
                         `{upstream}.{column}`",
                        model.name
                    ));
                    return;
                }
                let mut items: Vec<String> = Vec::new();
                for item in drop.items {
                    if !items.iter().any(|i| i.eq_ignore_ascii_case(&item)) {
                        items.push(item);
                    }
                }
                plan.descriptions.push(format!(
                    "drop {}, which read only the removed `{upstream}.{column}`",
                    list(&items)
                ));
                plan.kinds.push(FixKind::DropItem);
                plan.dropped.extend(drop.outputs);
                plan.edits.extend(drop.edits);
            }
            Err(reason) => plan.problems.push(reason),
        },
        ColumnChange::Retyped { column, from } => {
            let edits = cast_edits(model, upstream, column, from, errors);
            if edits.is_empty() {
                return;
            }
            plan.descriptions.push(format!(
                "cast `{column}` back to {from} in {}",
                places(edits.len())
            ));
            plan.kinds.push(FixKind::Cast);
            plan.edits.extend(edits);
        }
    }
}

/// Applies the plan to the model's text, verifies it, and builds the
/// fix-it.
fn finish(
    parent: &Compilation,
    files: &ProjectFiles,
    model: &Model,
    text: &str,
    errors: Vec<Diagnostic>,
    mut plan: Plan,
) -> (FixIt, Compilation) {
    let index = LineIndex::new(text);
    plan.edits.sort_by_key(|e| (e.start, e.end));
    plan.edits.dedup();
    merge_renames(&mut plan.edits);
    plan.kinds.sort();
    plan.kinds.dedup();
    let overlap = plan
        .edits
        .windows(2)
        .any(|pair| pair[1].start < pair[0].end);
    let mut fix = FixIt {
        path: model.file.clone(),
        model: model.name.clone(),
        description: plan.descriptions.join("; "),
        kinds: plan.kinds.clone(),
        fixes: errors,
        edits: plan
            .edits
            .iter()
            .map(|e| TextEdit {
                span: index.span(e.start, e.end),
                new_text: e.text.clone(),
            })
            .collect(),
        text: text.to_string(),
        diff: String::new(),
        verified: false,
        problem: None,
    };
    if plan.edits.is_empty() || overlap || !plan.problems.is_empty() {
        let mut problems = plan.problems;
        if overlap {
            problems.push("the edits overlap".to_string());
        }
        if problems.is_empty() {
            problems.push("no reference to a changed upstream column was found".to_string());
        }
        fix.problem = Some(problems.join("; "));
        return (fix, Compilation::default());
    }

    let mut new_text = text.to_string();
    for edit in plan.edits.iter().rev() {
        new_text.replace_range(edit.start..edit.end, &edit.text);
    }
    let mut diff = diff_text(text, &new_text);
    diff.path = model.file.clone();
    fix.diff = diff.unified();
    fix.text = new_text;

    let mut fixed_files = files.clone();
    fixed_files.insert(fix.path.clone(), fix.text.clone());
    let after = compile(&fixed_files);
    fix.problem = verify(parent, &after, &model.name, &plan.dropped);
    fix.verified = fix.problem.is_none();
    (fix, after)
}

/// Merges new `RENAME (...)` lists inserted at the same `*`, one per
/// renamed column, into one list: DuckDB reads a single RENAME per star.
fn merge_renames(edits: &mut Vec<Edit>) {
    let inner = |text: &str| {
        text.strip_prefix(" RENAME (")
            .and_then(|rest| rest.strip_suffix(')'))
            .map(str::to_string)
    };
    let mut merged: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits.drain(..) {
        if let Some(last) = merged.last_mut() {
            let same_point =
                last.start == edit.start && last.end == edit.end && edit.start == edit.end;
            if let (true, Some(a), Some(b)) = (same_point, inner(&last.text), inner(&edit.text)) {
                last.text = format!(" RENAME ({a}, {b})");
                continue;
            }
        }
        merged.push(edit);
    }
    *edits = merged;
}

/// Returns why the fixed model fails verification, or `None`.
fn verify(
    parent: &Compilation,
    after: &Compilation,
    name: &str,
    dropped: &[String],
) -> Option<String> {
    if let Some(error) = new_errors(parent, after, name).first() {
        return Some(format!(
            "the model still has {}: {}",
            error.code, error.message
        ));
    }
    let Some(fixed) = after.model(name) else {
        return Some(format!("`{name}` is missing after the edits"));
    };
    // A model the branch adds has no parent outputs to restore.
    let original = parent.model(name)?;
    let expected: Vec<(&str, &str)> = original
        .columns
        .iter()
        .filter(|c| !dropped.iter().any(|d| d.eq_ignore_ascii_case(&c.name)))
        .map(|c| (c.name.as_str(), c.ty.as_str()))
        .collect();
    let actual: Vec<(&str, &str)> = fixed
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.ty.as_str()))
        .collect();
    (expected != actual).then(|| {
        let render = |columns: &[(&str, &str)]| {
            let shown: Vec<String> = columns.iter().map(|(n, t)| format!("{n} {t}")).collect();
            shown.join(", ")
        };
        format!(
            "the output columns are ({}), expected ({})",
            render(&actual),
            render(&expected)
        )
    })
}

/// Lists the errors of `model` in `branch` that the parent does not have,
/// compared by model, code and message so that moved lines do not count.
pub(super) fn new_errors(
    parent: &Compilation,
    branch: &Compilation,
    model: &str,
) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| (d.code.clone(), d.message.clone());
    let of_model = |d: &&Diagnostic| {
        d.severity == Severity::Error
            && d.model
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(model))
    };
    let before: BTreeSet<_> = parent
        .diagnostics
        .iter()
        .filter(of_model)
        .map(key)
        .collect();
    branch
        .diagnostics
        .iter()
        .filter(of_model)
        .filter(|d| !before.contains(&key(d)))
        .cloned()
        .collect()
}

/// Returns the first model of the parent, other than `model`, that reads
/// `model.column` as a value or as a row filter.
fn reader_of(parent: &Compilation, model: &str, column: &str) -> Option<String> {
    let is_it = |m: &str, c: &str| m.eq_ignore_ascii_case(model) && c.eq_ignore_ascii_case(column);
    parent
        .models
        .iter()
        .filter(|reader| !reader.name.eq_ignore_ascii_case(model))
        .find(|reader| {
            let value = reader
                .columns
                .iter()
                .any(|c| c.lineage.iter().any(|e| is_it(&e.model, &e.column)));
            value || reader.filters.iter().any(|f| is_it(&f.model, &f.column))
        })
        .map(|reader| reader.name.clone())
}

fn places(count: usize) -> String {
    if count == 1 {
        "1 place".to_string()
    } else {
        format!("{count} places")
    }
}

fn list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
