//! Requests to an optional language model, and the checks on its replies.
//!
//! Explain and repair work without a language model. When the user sets up
//! an OpenAI-compatible chat endpoint, the page can ask it to word a
//! model's explanation or to propose an edit of a model that an upstream
//! change broke. The messages hold the stated intent, the compiled schemas,
//! the lineage and the model's own SQL. They never hold data rows: no CSV
//! file and no source declaration (which can carry seed INSERTs) goes in,
//! only the names and types compiled from them. A proposed edit is
//! compiled with the branch before the page shows it ([`check_candidate`]).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::repair::changes::{column_changes, ColumnChange};
use super::repair::{new_errors, FixIt};
use crate::compare::diff_text;
use crate::output::{Column, Compilation, Model};
use crate::{compile, ProjectFiles};

/// The longest reply read, in bytes. A model of the playground is a few
/// kilobytes; a longer reply is rejected rather than compiled.
pub const MAX_REPLY_BYTES: usize = 200_000;

/// The maximum length of a wording taken from a reply, in characters.
const MAX_WORDING_CHARS: usize = 4_000;

/// The author of a chat message, as the chat completions API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChatRole {
    System,
    User,
}

/// One message of a chat completions request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: ChatRole,
    pub content: String,
}

impl ChatMessage {
    fn system(content: &str) -> ChatMessage {
        ChatMessage {
            role: ChatRole::System,
            content: content.to_string(),
        }
    }

    fn user(content: String) -> ChatMessage {
        ChatMessage {
            role: ChatRole::User,
            content,
        }
    }
}

const EXPLAIN_SYSTEM: &str = "You explain SQL models of a Rocky project to data engineers. \
Rocky compiles DuckDB SQL; a model is one query that reads other models and source tables by \
name. Use only the facts given; do not invent tables, columns or numbers. Reply in plain \
prose of at most 150 words, with no code block.";

const REPAIR_SYSTEM: &str = "You repair SQL models of a Rocky project. Rocky compiles DuckDB \
SQL; a model is one query that reads other models and source tables by name. An upstream \
change broke the model below. Reply with the whole corrected model in one ```sql code block. \
Keep the output columns listed, with their names, order and types, and change nothing else.";

/// Builds the messages that ask for a plain-words explanation of `model`,
/// from its SQL, its stated intent, its columns with their lineage, the
/// schemas of the tables it reads and Rocky's own explanation. Returns
/// `None` when the project has no model of that name.
pub fn explain_messages(compilation: &Compilation, model: &str) -> Option<Vec<ChatMessage>> {
    let explanation = super::explain(compilation, model, &mut super::KeysMemo::default())?;
    let model = compilation.model(model)?;
    let mut text = String::new();
    let _ = writeln!(text, "Model: {} ({})", model.name, model.file);
    let config = &model.config;
    let stated = [
        ("Stated intent", config.intent.clone()),
        ("Description", config.description.clone()),
        ("Owner", config.owner.clone()),
        (
            "Stated grain",
            (!config.grain.is_empty()).then(|| config.grain.join(", ")),
        ),
    ];
    for (label, value) in stated {
        if let Some(value) = value {
            let _ = writeln!(text, "{label}: {value}");
        }
    }
    if config.intent.is_none() {
        text.push_str("Stated intent: none\n");
    }
    let _ = write!(text, "\nSQL:\n```sql\n{}\n```\n", model.sql.trim_end());
    text.push_str("\nOutput columns, with the upstream columns each one comes from:\n");
    text.push_str(&column_lines(&model.columns, true));
    if !model.filters.is_empty() {
        text.push_str("\nIndirect inputs, which decide which rows appear:\n");
        for filter in &model.filters {
            let _ = writeln!(
                text,
                "- {}.{} ({})",
                filter.model,
                filter.column,
                filter.kind.facet_name()
            );
        }
    }
    text.push_str("\nTables it reads:\n");
    text.push_str(&read_tables(compilation, model));
    let _ = write!(
        text,
        "\nFacts Rocky derived from the SQL:\n{}\n",
        explanation.to_text().trim_end()
    );
    text.push_str(
        "\nExplain in plain words what the model does and what one row of it is. Then say \
         whether it matches its stated intent, and what differs.",
    );
    Some(vec![
        ChatMessage::system(EXPLAIN_SYSTEM),
        ChatMessage::user(text),
    ])
}

/// Builds the messages that ask for an edit of `model`, which the branch's
/// upstream changes broke: its new errors, how the columns of the models
/// it reads changed, their schemas on the branch, the output columns to
/// keep and its SQL. Returns `None` when the model has no error that the
/// parent does not have, or is not in both projects.
pub fn repair_messages(
    parent: &ProjectFiles,
    branch: &ProjectFiles,
    model: &str,
) -> Option<Vec<ChatMessage>> {
    let before = compile(parent);
    let after = compile(branch);
    let original = before.model(model)?;
    let broken = after.model(model)?;
    let errors = new_errors(&before, &after, model);
    if errors.is_empty() {
        return None;
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Upstream changes broke the model {} ({}).",
        broken.name, broken.file
    );
    text.push_str("\nErrors Rocky reports in it:\n");
    for error in &errors {
        let _ = write!(
            text,
            "- {} at line {}, column {}: {}",
            error.code, error.span.start.line, error.span.start.column, error.message
        );
        if let Some(help) = &error.help {
            let _ = write!(text, " (help: {help})");
        }
        text.push('\n');
    }
    let changes = upstream_changes(&before, &after, broken);
    if !changes.is_empty() {
        text.push_str("\nUpstream changes:\n");
        for line in changes {
            let _ = writeln!(text, "- {line}");
        }
    }
    text.push_str("\nTables it reads, as they are now:\n");
    text.push_str(&read_tables(&after, broken));
    text.push_str("\nOutput columns to keep:\n");
    text.push_str(&column_lines(&original.columns, false));
    let _ = write!(
        text,
        "\nCurrent SQL of {}:\n```sql\n{}\n```\n",
        broken.file,
        broken.sql.trim_end()
    );
    Some(vec![
        ChatMessage::system(REPAIR_SYSTEM),
        ChatMessage::user(text),
    ])
}

/// Lists how the output columns of the models `model` reads changed
/// between `before` and `after`, one line each.
fn upstream_changes(before: &Compilation, after: &Compilation, model: &Model) -> Vec<String> {
    let mut lines = Vec::new();
    for read in &model.depends_on {
        let (Some(old), Some(new)) = (before.model(read), after.model(read)) else {
            continue;
        };
        for change in column_changes(old, new) {
            lines.push(match change {
                ColumnChange::Renamed { old: from, new: to } => {
                    format!("{}: column `{from}` was renamed to `{to}`", new.name)
                }
                ColumnChange::Removed { column } => {
                    format!("{}: column `{column}` was removed", new.name)
                }
                ColumnChange::Retyped { column, from } => {
                    let to = new
                        .columns
                        .iter()
                        .find(|c| c.name.eq_ignore_ascii_case(&column))
                        .map_or("UNKNOWN", |c| c.ty.as_str());
                    format!(
                        "{}: column `{column}` changed type from {from} to {to}",
                        new.name
                    )
                }
            });
        }
    }
    lines
}

/// Renders one line per column: name, type, NOT NULL and, with
/// `lineage`, the upstream columns with their kinds.
fn column_lines(columns: &[Column], lineage: bool) -> String {
    let mut text = String::new();
    for column in columns {
        let _ = write!(text, "- {} {}", column.name, column.ty);
        if column.not_null {
            text.push_str(" NOT NULL");
        }
        if lineage && !column.lineage.is_empty() {
            let parents: Vec<String> = column
                .lineage
                .iter()
                .map(|edge| {
                    format!(
                        "{}.{} ({})",
                        edge.model,
                        edge.column,
                        edge.kind.facet_name()
                    )
                })
                .collect();
            let _ = write!(text, " <- {}", parents.join(", "));
        }
        if lineage && column.lineage.is_empty() && column.unresolved.is_empty() {
            text.push_str(" <- no upstream column (a literal or a table function)");
        }
        text.push('\n');
    }
    text
}

/// Renders the schema of each model and source table `model` reads, as
/// `name(column TYPE, ...)` lines: names and types only, never rows.
fn read_tables(compilation: &Compilation, model: &Model) -> String {
    let mut text = String::new();
    let mut seen = BTreeSet::new();
    for read in &model.depends_on {
        if !seen.insert(read.to_ascii_lowercase()) {
            continue;
        }
        let (kind, columns) = match (compilation.model(read), compilation.source(read)) {
            (Some(upstream), _) => ("model", &upstream.columns),
            (None, Some(source)) => ("source", &source.columns),
            (None, None) => {
                let _ = writeln!(text, "- {read}: not found");
                continue;
            }
        };
        let shown: Vec<String> = columns
            .iter()
            .map(|c| format!("{} {}", c.name, c.ty))
            .collect();
        let _ = writeln!(text, "- {kind} {read}({})", shown.join(", "));
    }
    if text.is_empty() {
        text.push_str("- none\n");
    }
    text
}

/// Returns the SQL of a reply: the first fenced code block, preferring
/// one marked `sql`, or the whole reply when it has no fence and starts
/// like a query. Fails with the reason on an empty, oversized or
/// SQL-less reply.
pub fn extract_sql(reply: &str) -> Result<String, String> {
    if reply.len() > MAX_REPLY_BYTES {
        return Err(format!(
            "the reply has {} bytes, more than the {MAX_REPLY_BYTES} read",
            reply.len()
        ));
    }
    let blocks = fenced_blocks(reply);
    let chosen = blocks
        .iter()
        .find(|(info, _)| info.eq_ignore_ascii_case("sql") || info.eq_ignore_ascii_case("duckdb"))
        .or_else(|| blocks.first());
    let sql = match chosen {
        Some((_, body)) => body.trim().to_string(),
        None => {
            let bare = reply.trim();
            let first_word: String = bare
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect::<String>()
                .to_ascii_lowercase();
            if !matches!(
                first_word.as_str(),
                "select" | "with" | "from" | "pivot" | "unpivot"
            ) {
                return Err("the reply has no SQL code block".to_string());
            }
            bare.to_string()
        }
    };
    if sql.is_empty() {
        return Err("the reply's code block is empty".to_string());
    }
    Ok(sql)
}

/// Lists the fenced code blocks of a Markdown text as (info string, body).
/// An unclosed fence runs to the end of the text.
fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match open.as_mut() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some((info.trim().to_string(), String::new()));
                }
            }
            Some((_, body)) => {
                if trimmed.starts_with("```") {
                    blocks.extend(open.take());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    blocks.extend(open);
    blocks
}

/// Returns the wording of a reply to [`explain_messages`]: trimmed,
/// with at most 4,000 characters. Fails on an empty reply.
pub fn wording_from_reply(reply: &str) -> Result<String, String> {
    let text = reply.trim();
    if text.is_empty() {
        return Err("the reply is empty".to_string());
    }
    let mut kept: String = text.chars().take(MAX_WORDING_CHARS).collect();
    if kept.len() < text.len() {
        kept.push_str(" …");
    }
    Ok(kept)
}

/// Checks a language model's reply to [`repair_messages`] as a fix-it of
/// `model`: its SQL replaces the model's file on the branch, and it is
/// verified as the deterministic fix-its are. The model must compile with
/// no error the parent does not have, no other model may get a new error,
/// and the output columns must be the parent's, less those that read only
/// a removed upstream column. A rejected candidate has `verified: false`
/// and the reason in `problem`, with the diff when the reply had SQL.
pub fn check_candidate(
    parent: &ProjectFiles,
    branch: &ProjectFiles,
    model: &str,
    reply: &str,
) -> FixIt {
    let before = compile(parent);
    let current = compile(branch);
    let mut fix = FixIt {
        path: String::new(),
        model: model.to_string(),
        description: "proposed by the language model".to_string(),
        kinds: Vec::new(),
        fixes: new_errors(&before, &current, model),
        edits: Vec::new(),
        text: String::new(),
        diff: String::new(),
        verified: false,
        problem: None,
    };
    let Some(broken) = current.model(model) else {
        fix.problem = Some(format!("the branch has no model `{model}`"));
        return fix;
    };
    fix.path = broken.file.clone();
    fix.text = broken.sql.clone();
    let sql = match extract_sql(reply) {
        Ok(sql) => sql,
        Err(reason) => {
            fix.problem = Some(reason);
            return fix;
        }
    };
    let mut new_text = sql;
    if broken.sql.ends_with('\n') {
        new_text.push('\n');
    }
    if new_text == broken.sql {
        fix.problem = Some("the reply repeats the model's SQL unchanged".to_string());
        return fix;
    }
    let mut diff = diff_text(&broken.sql, &new_text);
    diff.path = broken.file.clone();
    fix.diff = diff.unified();
    fix.text = new_text;

    let mut files = branch.clone();
    files.insert(fix.path.clone(), fix.text.clone());
    let after = compile(&files);
    let droppable = removed_only(&before, &current, model);
    fix.problem = check_outputs(&before, &after, model, &droppable).or_else(|| {
        after
            .models
            .iter()
            .filter(|other| !other.name.eq_ignore_ascii_case(model))
            .find_map(|other| {
                let error = new_errors(&current, &after, &other.name)
                    .into_iter()
                    .next()?;
                Some(format!(
                    "`{}` gets {}: {}",
                    other.name, error.code, error.message
                ))
            })
    });
    fix.verified = fix.problem.is_none();
    fix
}

/// Returns why the edited `model` in `after` fails the check, or `None`:
/// it has an error the parent lacks, or its output columns are not the
/// parent's names and types in order, where any of `droppable` may be
/// left out.
fn check_outputs(
    before: &Compilation,
    after: &Compilation,
    model: &str,
    droppable: &[String],
) -> Option<String> {
    if let Some(error) = new_errors(before, after, model).first() {
        return Some(format!(
            "the model still has {}: {}",
            error.code, error.message
        ));
    }
    let Some(fixed) = after.model(model) else {
        return Some(format!("`{model}` is missing after the edit"));
    };
    // A model the branch adds has no parent outputs to keep.
    let original = before.model(model)?;
    let mut actual = fixed.columns.iter().peekable();
    let mut matches = true;
    for column in &original.columns {
        let same = actual.peek().is_some_and(|next| {
            next.name.eq_ignore_ascii_case(&column.name) && next.ty == column.ty
        });
        if same {
            actual.next();
        } else if !droppable
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&column.name))
        {
            matches = false;
            break;
        }
    }
    if matches && actual.peek().is_none() {
        return changed_lineage(before, after, model);
    }
    let render = |columns: &[Column]| {
        let shown: Vec<String> = columns
            .iter()
            .map(|c| format!("{} {}", c.name, c.ty))
            .collect();
        shown.join(", ")
    };
    let mut expected = format!("expected ({})", render(&original.columns));
    if !droppable.is_empty() {
        expected.push_str(&format!(", where {} may be left out", droppable.join(", ")));
    }
    Some(format!(
        "the output columns are ({}), {expected}",
        render(&fixed.columns)
    ))
}

/// Returns the first output column of the edited `model` whose upstream
/// columns differ from the parent's although none of them changed on the
/// branch: an edit may read a renamed or removed column another way, but
/// must not change what the other columns are computed from.
fn changed_lineage(before: &Compilation, after: &Compilation, model: &str) -> Option<String> {
    let (original, fixed) = (before.model(model)?, after.model(model)?);
    let mut changed: BTreeSet<(String, String)> = BTreeSet::new();
    for read in &fixed.depends_on {
        let (Some(old), Some(new)) = (before.model(read), after.model(read)) else {
            continue;
        };
        for change in column_changes(old, new) {
            let column = match change {
                ColumnChange::Renamed { old: column, .. }
                | ColumnChange::Removed { column }
                | ColumnChange::Retyped { column, .. } => column,
            };
            changed.insert((old.name.to_ascii_lowercase(), column.to_ascii_lowercase()));
        }
    }
    let sources = |column: &Column| -> BTreeSet<(String, String, String)> {
        column
            .lineage
            .iter()
            .map(|edge| {
                (
                    edge.model.to_ascii_lowercase(),
                    edge.column.to_ascii_lowercase(),
                    edge.kind.facet_name().to_string(),
                )
            })
            .collect()
    };
    for column in &original.columns {
        let touches_change = column.lineage.iter().any(|edge| {
            changed.contains(&(
                edge.model.to_ascii_lowercase(),
                edge.column.to_ascii_lowercase(),
            ))
        });
        let Some(now) = fixed
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&column.name))
        else {
            continue;
        };
        if touches_change || sources(column) == sources(now) {
            continue;
        }
        let render = |set: BTreeSet<(String, String, String)>| {
            let shown: Vec<String> = set
                .into_iter()
                .map(|(m, c, _)| format!("{m}.{c}"))
                .collect();
            if shown.is_empty() {
                "no column".to_string()
            } else {
                shown.join(", ")
            }
        };
        return Some(format!(
            "`{}` now reads {} instead of {}, and none of those changed upstream",
            column.name,
            render(sources(now)),
            render(sources(column))
        ));
    }
    None
}

/// Lists the parent's output columns of `model` whose every upstream
/// column is one that the branch removed from a model it reads. A fix may
/// drop them, since they have nothing left to read.
fn removed_only(before: &Compilation, after: &Compilation, model: &str) -> Vec<String> {
    let (Some(original), Some(broken)) = (before.model(model), after.model(model)) else {
        return Vec::new();
    };
    let mut removed: BTreeSet<(String, String)> = BTreeSet::new();
    for read in &broken.depends_on {
        let (Some(old), Some(new)) = (before.model(read), after.model(read)) else {
            continue;
        };
        for change in column_changes(old, new) {
            if let ColumnChange::Removed { column } = change {
                removed.insert((old.name.to_ascii_lowercase(), column.to_ascii_lowercase()));
            }
        }
    }
    original
        .columns
        .iter()
        .filter(|column| {
            !column.lineage.is_empty()
                && column.lineage.iter().all(|edge| {
                    removed.contains(&(
                        edge.model.to_ascii_lowercase(),
                        edge.column.to_ascii_lowercase(),
                    ))
                })
        })
        .map(|column| column.name.clone())
        .collect()
}
