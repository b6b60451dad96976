//! Comparing a branch with its parent: a text diff per changed file, the
//! schema changes per model, and their impact downstream, each change
//! classified breaking or not.
//!
//! A change is breaking when a consumer depends on what changed. That is
//! the case when a model that another model reads is removed, when a
//! column a downstream model reads is removed or retyped, and when a
//! downstream model has an error that the parent does not have. Added
//! columns and changed values are not breaking, though their downstream
//! columns are listed as affected.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use crate::branch::FileStatus;
use crate::lineage::ColumnGraph;
use crate::output::{Column, ColumnRef, ColumnTest, Compilation, Model, TestRule, TestSeverity};
use crate::text::LineIndex;
use crate::{Diagnostic, ProjectFiles, Severity};

mod data;

pub use data::{data_diff, DataDiff, DataDiffError, SummaryColumns};

/// Lines of unchanged text shown around each change of a file diff.
pub const CONTEXT_LINES: usize = 3;

/// The comparison of a branch with its parent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The files that differ, by path.
    pub files: Vec<FileDiff>,
    /// The models whose SQL or schema differ, in the branch's build order,
    /// then the removed ones.
    pub models: Vec<ModelChange>,
    /// Every downstream column that a change reaches, over all changes.
    pub affected_columns: Vec<ColumnRef>,
    /// The models those columns belong to.
    pub affected_models: Vec<String>,
    /// The number of breaking changes over all models.
    pub breaking: usize,
}

/// The text diff of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDiff {
    pub path: String,
    pub status: FileStatus,
    pub added_lines: usize,
    pub removed_lines: usize,
    pub hunks: Vec<Hunk>,
}

/// A run of changed lines with the unchanged lines around it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hunk {
    /// The first line in the parent's file, from 1; 0 for an empty file.
    pub old_start: usize,
    pub old_lines: usize,
    pub new_start: usize,
    pub new_lines: usize,
    pub lines: Vec<DiffLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub tag: LineTag,
    /// The line without its line break.
    pub text: String,
    /// The line's number in the parent's file, if it is there.
    pub old_line: Option<usize>,
    /// The line's number in the branch's file, if it is there.
    pub new_line: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineTag {
    Context,
    Removed,
    Added,
}

/// The changes of one model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelChange {
    pub model: String,
    pub status: ModelStatus,
    /// Whether the model's SQL text differs.
    pub sql_changed: bool,
    pub columns: Vec<ColumnChange>,
    /// The changes that break a consumer.
    pub breaking: Vec<Breaking>,
    /// Downstream columns reached from the changed columns.
    pub affected_columns: Vec<ColumnRef>,
    pub affected_models: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelStatus {
    Added,
    Removed,
    Modified,
}

/// A change of one output column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ColumnChange {
    Added {
        column: String,
        #[serde(rename = "type")]
        ty: String,
    },
    Removed {
        column: String,
        #[serde(rename = "type")]
        ty: String,
    },
    Retyped {
        column: String,
        from: String,
        to: String,
    },
    /// Same name and type, but another expression or other source columns.
    Redefined {
        column: String,
        from: Option<String>,
        to: Option<String>,
    },
}

impl ColumnChange {
    pub fn column(&self) -> &str {
        match self {
            ColumnChange::Added { column, .. }
            | ColumnChange::Removed { column, .. }
            | ColumnChange::Retyped { column, .. }
            | ColumnChange::Redefined { column, .. } => column,
        }
    }
}

/// A change that breaks a consumer, with the consumers and the errors it
/// causes in the branch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breaking {
    /// The removed or retyped column; `None` when the whole model is
    /// removed or a consumer has a new error.
    pub column: Option<String>,
    pub reason: String,
    /// The downstream models that read what changed, in the parent.
    pub consumers: Vec<String>,
    /// The errors in the branch that the parent does not have, in the
    /// consumers.
    pub diagnostics: Vec<Diagnostic>,
}

/// Returns the columns that identify a row of `model`: its sidecar's
/// `grain`, else the columns of its first `unique` test of error severity,
/// else of any `unique` test, else `None`.
pub fn row_key(model: &Model) -> Option<Vec<String>> {
    if !model.config.grain.is_empty() {
        return Some(model.config.grain.clone());
    }
    let unique = |test: &&ColumnTest| matches!(test.rule, TestRule::Unique { .. });
    let tests = &model.config.tests;
    let chosen = tests
        .iter()
        .filter(unique)
        .find(|test| test.severity == TestSeverity::Error)
        .or_else(|| tests.iter().find(unique))?;
    match &chosen.rule {
        TestRule::Unique { columns } if !columns.is_empty() => Some(columns.clone()),
        _ => None,
    }
}

/// Compares `branch` with `parent`: their files and their compilations.
pub fn compare(
    parent_files: &ProjectFiles,
    parent: &Compilation,
    branch_files: &ProjectFiles,
    branch: &Compilation,
) -> Comparison {
    let files = diff_files(parent_files, branch_files);
    let parent_graph = ColumnGraph::build(parent);
    let branch_graph = ColumnGraph::build(branch);
    let new_errors = new_errors(parent, branch);

    let mut models = Vec::new();
    for model in &branch.models {
        let change = match parent.model(&model.name) {
            None => Some(ModelChange {
                model: model.name.clone(),
                status: ModelStatus::Added,
                sql_changed: true,
                columns: model
                    .columns
                    .iter()
                    .map(|c| ColumnChange::Added {
                        column: c.name.clone(),
                        ty: c.ty.clone(),
                    })
                    .collect(),
                breaking: Vec::new(),
                affected_columns: Vec::new(),
                affected_models: Vec::new(),
            }),
            Some(before) => modified(before, model, parent, &parent_graph, &branch_graph),
        };
        models.extend(change);
    }
    for model in &parent.models {
        if branch.model(&model.name).is_some() {
            continue;
        }
        let consumers = model_consumers(parent, &model.name);
        let breaking = if consumers.is_empty() {
            Vec::new()
        } else {
            vec![Breaking {
                column: None,
                reason: format!("`{}` is removed, and other models read it", model.name),
                consumers,
                diagnostics: Vec::new(),
            }]
        };
        models.push(ModelChange {
            model: model.name.clone(),
            status: ModelStatus::Removed,
            sql_changed: true,
            columns: model
                .columns
                .iter()
                .map(|c| ColumnChange::Removed {
                    column: c.name.clone(),
                    ty: c.ty.clone(),
                })
                .collect(),
            breaking,
            affected_columns: Vec::new(),
            affected_models: Vec::new(),
        });
    }
    attach_errors(&mut models, &new_errors);

    let mut affected_columns: BTreeSet<ColumnRef> = BTreeSet::new();
    let mut affected_models: Vec<String> = Vec::new();
    for change in &models {
        affected_columns.extend(change.affected_columns.iter().cloned());
        for model in &change.affected_models {
            if !affected_models.contains(model) {
                affected_models.push(model.clone());
            }
        }
    }
    let breaking = models.iter().map(|m| m.breaking.len()).sum();
    Comparison {
        files,
        models,
        affected_columns: affected_columns.into_iter().collect(),
        affected_models,
        breaking,
    }
}

/// Lists the changes of a model present on both sides, or `None` when its
/// SQL and columns are the same.
fn modified(
    before: &Model,
    after: &Model,
    parent: &Compilation,
    parent_graph: &ColumnGraph,
    branch_graph: &ColumnGraph,
) -> Option<ModelChange> {
    let sql_changed = before.sql.trim_end() != after.sql.trim_end();
    let (before_lines, after_lines) = (LineIndex::new(&before.sql), LineIndex::new(&after.sql));
    let mut columns = Vec::new();
    let mut breaking = Vec::new();
    for old in &before.columns {
        let consumers = || column_consumers(parent, parent_graph, &before.name, &old.name);
        match find_column(after, &old.name) {
            None => {
                columns.push(ColumnChange::Removed {
                    column: old.name.clone(),
                    ty: old.ty.clone(),
                });
                let consumers = consumers();
                if !consumers.is_empty() {
                    breaking.push(Breaking {
                        column: Some(old.name.clone()),
                        reason: format!(
                            "`{}.{}` is removed, and {} read it",
                            before.name,
                            old.name,
                            list(&consumers)
                        ),
                        consumers,
                        diagnostics: Vec::new(),
                    });
                }
            }
            Some(new) if new.ty != old.ty => {
                columns.push(ColumnChange::Retyped {
                    column: old.name.clone(),
                    from: old.ty.clone(),
                    to: new.ty.clone(),
                });
                let consumers = consumers();
                if !consumers.is_empty() {
                    breaking.push(Breaking {
                        column: Some(old.name.clone()),
                        reason: format!(
                            "`{}.{}` changes type from {} to {}, and {} read it",
                            before.name,
                            old.name,
                            old.ty,
                            new.ty,
                            list(&consumers)
                        ),
                        consumers,
                        diagnostics: Vec::new(),
                    });
                }
            }
            Some(new) => {
                let old_steps = expressions(parent_graph, &before.name, &old.name);
                let new_steps = expressions(branch_graph, &after.name, &new.name);
                let (mut from, mut to) = (
                    definition(before, &before_lines, old),
                    definition(after, &after_lines, new),
                );
                if from == to && old_steps != new_steps {
                    // The output is the same `*` or name on both sides: show
                    // the expressions below it that differ.
                    from = only_in(&old_steps, &new_steps);
                    to = only_in(&new_steps, &old_steps);
                }
                if from != to || old_steps != new_steps || sources_of(old) != sources_of(new) {
                    columns.push(ColumnChange::Redefined {
                        column: old.name.clone(),
                        from,
                        to,
                    });
                }
            }
        }
    }
    for new in &after.columns {
        if find_column(before, &new.name).is_none() {
            columns.push(ColumnChange::Added {
                column: new.name.clone(),
                ty: new.ty.clone(),
            });
        }
    }
    if !sql_changed && columns.is_empty() {
        return None;
    }
    // The downstream of the changed columns, in the branch. A removed
    // column has no node there, so its consumers come from the parent. A
    // change of SQL that no column shows, such as a new filter, may change
    // every row, so every column counts as changed.
    let mut starts: Vec<(&ColumnGraph, &str, String)> = columns
        .iter()
        .map(|change| match change {
            ColumnChange::Removed { column, .. } => {
                (parent_graph, before.name.as_str(), column.clone())
            }
            other => (
                branch_graph,
                after.name.as_str(),
                other.column().to_string(),
            ),
        })
        .collect();
    if starts.is_empty() {
        starts = after
            .columns
            .iter()
            .map(|c| (branch_graph, after.name.as_str(), c.name.clone()))
            .collect();
    }
    let mut affected_columns: BTreeSet<ColumnRef> = BTreeSet::new();
    let mut affected_models: Vec<String> = Vec::new();
    for (graph, model, column) in starts {
        let Some(id) = graph.find(model, &column) else {
            continue;
        };
        let radius = graph.downstream(id);
        for reached in &radius.columns {
            let Some(node) = graph.id(reached.id).map(|id| graph.node(id)) else {
                continue;
            };
            // Columns of CTEs and subqueries are steps on the way, not
            // outputs a consumer reads.
            if node.model.as_deref() != Some(node.table.as_str()) {
                continue;
            }
            affected_columns.insert(ColumnRef {
                model: node.table.clone(),
                column: node.column.clone(),
            });
        }
        for model in radius.models {
            if !model.eq_ignore_ascii_case(&after.name) && !affected_models.contains(&model) {
                affected_models.push(model);
            }
        }
    }
    affected_columns.retain(|c| !c.model.eq_ignore_ascii_case(&after.name));
    Some(ModelChange {
        model: after.name.clone(),
        status: ModelStatus::Modified,
        sql_changed,
        columns,
        breaking,
        affected_columns: affected_columns.into_iter().collect(),
        affected_models,
    })
}

/// Adds to each changed model the new errors of the models downstream of
/// it, as breaking changes, and links them to the breaking changes that
/// name those models as consumers.
fn attach_errors(models: &mut [ModelChange], new_errors: &[Diagnostic]) {
    for change in models.iter_mut() {
        let mut reached: BTreeSet<String> = change
            .affected_models
            .iter()
            .map(|m| m.to_ascii_lowercase())
            .collect();
        for breaking in &change.breaking {
            reached.extend(breaking.consumers.iter().map(|m| m.to_ascii_lowercase()));
        }
        let errors: Vec<&Diagnostic> = new_errors
            .iter()
            .filter(|d| {
                d.model
                    .as_deref()
                    .is_some_and(|m| reached.contains(&m.to_ascii_lowercase()))
            })
            .collect();
        if errors.is_empty() {
            continue;
        }
        let mut linked: BTreeSet<usize> = BTreeSet::new();
        for breaking in &mut change.breaking {
            for (index, error) in errors.iter().enumerate() {
                let model = error.model.as_deref().unwrap_or_default();
                if breaking
                    .consumers
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(model))
                {
                    breaking.diagnostics.push((*error).clone());
                    linked.insert(index);
                }
            }
        }
        let rest: Vec<Diagnostic> = errors
            .iter()
            .enumerate()
            .filter(|(index, _)| !linked.contains(index))
            .map(|(_, error)| (*error).clone())
            .collect();
        if !rest.is_empty() {
            let mut consumers: Vec<String> = Vec::new();
            for error in &rest {
                let model = error.model.clone().unwrap_or_default();
                if !consumers.contains(&model) {
                    consumers.push(model);
                }
            }
            change.breaking.push(Breaking {
                column: None,
                reason: format!(
                    "{} downstream of `{}` no longer compile",
                    list(&consumers),
                    change.model
                ),
                consumers,
                diagnostics: rest,
            });
        }
    }
}

/// Lists the errors of the branch that the parent does not have, compared
/// by model, code and message so that moved lines do not count.
fn new_errors(parent: &Compilation, branch: &Compilation) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| {
        (
            d.model.clone().unwrap_or_default().to_ascii_lowercase(),
            d.code.clone(),
            d.message.clone(),
        )
    };
    let before: BTreeSet<_> = parent
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(key)
        .collect();
    branch
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && !before.contains(&key(d)))
        .cloned()
        .collect()
}

/// Lists the models that read `model` directly and whose output columns
/// or row filters depend on its `column`. A model that only passes the
/// column through a `*` it never outputs does not count.
fn column_consumers(
    compilation: &Compilation,
    graph: &ColumnGraph,
    model: &str,
    column: &str,
) -> Vec<String> {
    let Some(id) = graph.find(model, column) else {
        return Vec::new();
    };
    let mut consumers: Vec<String> = Vec::new();
    for reached in graph.downstream(id).columns {
        let Some(node) = graph.id(reached.id).map(|id| graph.node(id)) else {
            continue;
        };
        let is_output = node.model.as_deref() == Some(node.table.as_str());
        if !is_output || consumers.contains(&node.table) {
            continue;
        }
        let reads = compilation.model(&node.table).is_some_and(|reader| {
            reader
                .depends_on
                .iter()
                .any(|d| d.eq_ignore_ascii_case(model))
        });
        if reads {
            consumers.push(node.table.clone());
        }
    }
    consumers
}

/// Lists the models that read `model`.
fn model_consumers(compilation: &Compilation, model: &str) -> Vec<String> {
    compilation
        .models
        .iter()
        .filter(|reader| {
            reader
                .depends_on
                .iter()
                .any(|d| d.eq_ignore_ascii_case(model))
        })
        .map(|reader| reader.name.clone())
        .collect()
}

/// Lists the expressions that compute a model's output column, from the
/// column up through the model's CTEs and subqueries, sorted, so that a
/// changed expression under a `SELECT *` shows.
fn expressions(graph: &ColumnGraph, model: &str, column: &str) -> Vec<String> {
    let Some(start) = graph.find(model, column) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut seen = BTreeSet::from([start]);
    let mut stack = vec![start];
    while let Some(id) = stack.pop() {
        for (parent, info) in graph.parents(id) {
            if let Some(expression) = &info.expression {
                found.push(expression.clone());
            }
            let inside = graph
                .node(parent)
                .model
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(model));
            if inside && seen.insert(parent) {
                stack.push(parent);
            }
        }
    }
    found.sort();
    found
}

/// Joins the expressions of `steps` that `other` lacks, or `None`.
fn only_in(steps: &[String], other: &[String]) -> Option<String> {
    let missing: Vec<&str> = steps
        .iter()
        .filter(|step| !other.contains(step))
        .map(String::as_str)
        .collect();
    (!missing.is_empty()).then(|| missing.join("; "))
}

fn find_column<'m>(model: &'m Model, name: &str) -> Option<&'m Column> {
    model
        .columns
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
}

/// Returns the text of a column's defining expression; `index` is the
/// [`LineIndex`] of `model.sql`.
fn definition(model: &Model, index: &LineIndex, column: &Column) -> Option<String> {
    let span = column.definition?;
    let (start, end) = (index.offset(span.start)?, index.offset(span.end)?);
    model.sql.get(start..end).map(str::to_string)
}

fn sources_of(column: &Column) -> BTreeSet<(String, String)> {
    column
        .lineage
        .iter()
        .map(|edge| {
            (
                edge.model.to_ascii_lowercase(),
                edge.column.to_ascii_lowercase(),
            )
        })
        .collect()
}

fn list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Diffs every file that differs between the two sides.
pub fn diff_files(parent: &ProjectFiles, branch: &ProjectFiles) -> Vec<FileDiff> {
    let paths: BTreeSet<&String> = parent.keys().chain(branch.keys()).collect();
    let mut diffs = Vec::new();
    for path in paths {
        let (old, new) = (parent.get(path), branch.get(path));
        if old == new {
            continue;
        }
        let status = match (old, new) {
            (None, _) => FileStatus::Added,
            (_, None) => FileStatus::Deleted,
            _ => FileStatus::Modified,
        };
        let mut diff = diff_text(
            old.map(String::as_str).unwrap_or(""),
            new.map(String::as_str).unwrap_or(""),
        );
        diff.path = path.clone();
        diff.status = status;
        diffs.push(diff);
    }
    diffs
}

/// Diffs two texts line by line, with [`CONTEXT_LINES`] lines of context.
pub fn diff_text(old: &str, new: &str) -> FileDiff {
    let diff = TextDiff::from_lines(old, new);
    let mut hunks = Vec::new();
    let (mut added_lines, mut removed_lines) = (0, 0);
    for group in diff.grouped_ops(CONTEXT_LINES) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        let mut lines = Vec::new();
        for op in &group {
            for change in diff.iter_changes(op) {
                let tag = match change.tag() {
                    ChangeTag::Equal => LineTag::Context,
                    ChangeTag::Delete => {
                        removed_lines += 1;
                        LineTag::Removed
                    }
                    ChangeTag::Insert => {
                        added_lines += 1;
                        LineTag::Added
                    }
                };
                let text = change.value();
                lines.push(DiffLine {
                    tag,
                    text: text
                        .strip_suffix('\n')
                        .map(|t| t.strip_suffix('\r').unwrap_or(t))
                        .unwrap_or(text)
                        .to_string(),
                    old_line: change.old_index().map(|i| i + 1),
                    new_line: change.new_index().map(|i| i + 1),
                });
            }
        }
        let start = |range: &std::ops::Range<usize>| {
            if range.is_empty() {
                range.start
            } else {
                range.start + 1
            }
        };
        hunks.push(Hunk {
            old_start: start(&old_range),
            old_lines: old_range.len(),
            new_start: start(&new_range),
            new_lines: new_range.len(),
            lines,
        });
    }
    FileDiff {
        path: String::new(),
        status: FileStatus::Modified,
        added_lines,
        removed_lines,
        hunks,
    }
}

impl FileDiff {
    /// Renders the diff in the unified format of `diff -u` and Git.
    pub fn unified(&self) -> String {
        let (old_name, new_name) = match self.status {
            FileStatus::Added => ("/dev/null".to_string(), format!("b/{}", self.path)),
            FileStatus::Deleted => (format!("a/{}", self.path), "/dev/null".to_string()),
            FileStatus::Modified => (format!("a/{}", self.path), format!("b/{}", self.path)),
        };
        let mut out = format!("--- {old_name}\n+++ {new_name}\n");
        for hunk in &self.hunks {
            out.push_str(&format!(
                "@@ -{},{} +{},{} @@\n",
                hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines
            ));
            for line in &hunk.lines {
                let mark = match line.tag {
                    LineTag::Context => ' ',
                    LineTag::Removed => '-',
                    LineTag::Added => '+',
                };
                out.push(mark);
                out.push_str(&line.text);
                out.push('\n');
            }
        }
        out
    }
}
