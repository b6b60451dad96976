//! Rendering of model SQL: dbt's Jinja with minijinja, where `ref()` and
//! `source()` become table names and everything the importer cannot
//! evaluate is reported with its line.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use minijinja::value::{Kwargs, Rest, Value};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};

use super::project::DbtProject;
use super::schema::Schema;
use super::seeds::{quote_identifier, Seed};
use super::{problem, warning};
use rocky_core::diagnostic::{Diagnostic, Span};
use rocky_core::ProjectFiles;

/// The template of the project's macros, imported by every model.
const MACROS: &str = "__project_macros__";

/// A rendered model.
#[derive(Debug)]
pub(super) struct RenderedModel {
    pub name: String,
    /// The path under its model folder, such as `staging/stg_orders.sql`.
    pub path: String,
    pub sql: String,
    /// From `config(materialized=...)` or the project's folder settings.
    pub materialized: String,
}

/// Renders every `.sql` model under the model paths. A model whose Jinja
/// fails is reported and left out.
pub(super) fn render_models(
    files: &ProjectFiles,
    project: &DbtProject,
    schema: &Schema,
    seeds: &[Seed],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RenderedModel> {
    let mut models: Vec<(String, String, &String)> = Vec::new();
    for (path, text) in files {
        let Some(rest) = project
            .model_paths
            .iter()
            .find_map(|folder| path.strip_prefix(&format!("{folder}/")))
        else {
            continue;
        };
        if path.ends_with(".py") {
            diagnostics.push(warning(
                path,
                Span::new(1, 1, 1, 2),
                format!("{path} is a Python model, which Rocky does not run; it is left out"),
                "rewrite it as a SQL model",
            ));
            continue;
        }
        if rest.ends_with(".sql") {
            models.push((path.clone(), rest.to_string(), text));
        }
    }
    // dbt refuses two resources of one name, since `ref` could not tell
    // them apart; the later model is left out.
    // Lower-cased names, each with what has it.
    let mut claimed: BTreeMap<String, String> = seeds
        .iter()
        .map(|seed| {
            (
                seed.name.to_ascii_lowercase(),
                format!("the seed {}", seed.name),
            )
        })
        .collect();
    models.retain(|(path, rest, _)| {
        let name = stem(rest).to_ascii_lowercase();
        if let Some(other) = claimed.get(&name) {
            diagnostics.push(problem(
                path,
                Span::new(1, 1, 1, 2),
                format!(
                    "the model name `{}` is taken by {other}; the model is left out",
                    stem(rest)
                ),
                "rename one of them, as dbt requires every model and seed name to be unique",
            ));
            return false;
        }
        claimed.insert(name, path.clone());
        true
    });
    let tables: BTreeSet<String> = claimed.into_keys().collect();

    let config = Arc::new(Mutex::new(None::<String>));
    let (env, macro_names, macro_files) =
        environment(files, project, schema, tables, Arc::clone(&config));
    let import = if macro_names.is_empty() {
        String::new()
    } else {
        // One line with no output, so the model's line numbers stay.
        format!(
            "{{% from \"{MACROS}\" import {} %}}",
            macro_names.join(", ")
        )
    };

    // A rendered model may be as large as a file of an imported .zip.
    let max_bytes = rocky_core::archive::Limits::default().file_bytes;
    let mut rendered = Vec::new();
    for (path, rest, text) in models {
        let name = stem(&rest).to_string();
        if let Ok(mut slot) = config.lock() {
            *slot = None;
        }
        let mut env = env.clone();
        env.add_global("this", Value::from(quote_identifier(&name)));
        match env.render_named_str(&path, &format!("{import}{text}"), ()) {
            Ok(sql) if sql.len() > max_bytes => diagnostics.push(problem(
                &path,
                Span::new(1, 1, 1, 2),
                format!(
                    "the model renders to {} bytes of SQL, more than the {max_bytes} bytes a file may have; it is left out",
                    sql.len()
                ),
                "look for a loop that writes far more SQL than intended, then import again",
            )),
            Ok(sql) => {
                let configured = config.lock().ok().and_then(|slot| slot.clone());
                // Leading blank lines stay, so the lines match the dbt model's.
                let mut sql = sql;
                if !sql.ends_with('\n') {
                    sql.push('\n');
                }
                rendered.push(RenderedModel {
                    materialized: configured.unwrap_or_else(|| project.materialized_for(&rest)),
                    name,
                    path: rest,
                    sql,
                });
            }
            Err(error) => diagnostics.push(render_error(&path, &error, &macro_files)),
        }
    }
    rendered
}

/// The template steps one model's render may take. Rendering dbt's
/// jaffle_shop takes under a thousand per model. A loop that runs far
/// longer is a mistake or an attack, so it stops with an error.
pub(crate) const RENDER_FUEL: u64 = 5_000_000;

fn stem(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".sql").unwrap_or(file)
}

/// Builds the Jinja environment: dbt's functions that the importer can
/// evaluate, and the project's macros as one template. Returns it with the
/// macro names and the macro files with their first line in that template.
fn environment(
    files: &ProjectFiles,
    project: &DbtProject,
    schema: &Schema,
    tables: BTreeSet<String>,
    config: Arc<Mutex<Option<String>>>,
) -> (Environment<'static>, Vec<String>, Vec<(String, u32)>) {
    let mut env = Environment::new();
    env.set_fuel(Some(RENDER_FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);

    env.add_function("ref", move |args: Rest<String>| -> Result<String, Error> {
        let Some(name) = args.last() else {
            return Err(Error::new(
                ErrorKind::MissingArgument,
                "ref() needs a model name",
            ));
        };
        if tables.contains(&name.to_ascii_lowercase()) {
            Ok(quote_identifier(name))
        } else {
            Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("ref('{name}') names no model or seed of the project"),
            ))
        }
    });
    let declared = schema.source_tables();
    env.add_function(
        "source",
        move |source: String, table: String| -> Result<String, Error> {
            declared
                .iter()
                .find(|(s, t, _)| *s == source && *t == table)
                .map(|(_, _, name)| name.clone())
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidOperation,
                        format!("source('{source}', '{table}') is declared in no schema file"),
                    )
                })
        },
    );
    env.add_function("config", move |kwargs: Kwargs| -> Result<String, Error> {
        if let Ok(Some(kind)) = kwargs.get::<Option<String>>("materialized") {
            if let Ok(mut slot) = config.lock() {
                *slot = Some(kind);
            }
        }
        Ok(String::new())
    });
    let vars = project.vars.clone();
    env.add_function(
        "var",
        move |name: String, default: Option<Value>| -> Result<Value, Error> {
            vars.get(&name).cloned().or(default).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!(
                        "var('{name}') is set in no vars of dbt_project.yml and has no default"
                    ),
                )
            })
        },
    );
    env.add_function(
        "env_var",
        |name: String, default: Option<String>| -> Result<String, Error> {
            default.ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!(
                        "env_var('{name}') has no default, and the importer reads no environment"
                    ),
                )
            })
        },
    );
    env.add_function("is_incremental", || false);
    env.add_function("log", |_: Rest<Value>| String::new());
    let target: std::collections::BTreeMap<&str, &str> = [
        ("name", "dev"),
        ("schema", "main"),
        ("type", "duckdb"),
        ("database", "memory"),
    ]
    .into_iter()
    .collect();
    env.add_global("target", Value::from_serialize(&target));

    let mut macros = String::new();
    let mut macro_files = Vec::new();
    let mut names = Vec::new();
    for (path, text) in files {
        let in_macros = project
            .macro_paths
            .iter()
            .any(|folder| path.starts_with(&format!("{folder}/")));
        if !in_macros || !path.ends_with(".sql") {
            continue;
        }
        let first_line = u32::try_from(macros.lines().count() + 1).unwrap_or(u32::MAX);
        macro_files.push((path.clone(), first_line));
        names.extend(macro_names(text));
        macros.push_str(text);
        if !macros.ends_with('\n') {
            macros.push('\n');
        }
    }
    if !names.is_empty() && env.add_template_owned(MACROS, macros).is_err() {
        // The error shows when a model imports the macros, with its line.
        names.clear();
    }
    (env, names, macro_files)
}

/// Lists the names of the `{% macro name(...) %}` definitions in `text`.
fn macro_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        rest = &rest[start + 2..];
        let tag = rest.trim_start_matches('-').trim_start();
        if let Some(after) = tag.strip_prefix("macro ") {
            let name: String = after
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    names
}

/// Turns a minijinja error into a diagnostic on the model's or macro's
/// file and line.
fn render_error(path: &str, error: &Error, macro_files: &[(String, u32)]) -> Diagnostic {
    let (file, line) = match (error.name(), error.line()) {
        (Some(MACROS), Some(line)) => {
            let line = u32::try_from(line).unwrap_or(1);
            let (file, first) = macro_files
                .iter()
                .rev()
                .find(|(_, first)| *first <= line)
                .cloned()
                .unwrap_or_else(|| (path.to_string(), 1));
            (file, line - first + 1)
        }
        (_, line) => (
            path.to_string(),
            line.map_or(1, |l| u32::try_from(l).unwrap_or(1)),
        ),
    };
    let detail = error
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| error.to_string());
    let (message, help) = match error.kind() {
        ErrorKind::UnknownFunction | ErrorKind::UnknownMethod => (
            format!("unknown macro: {detail}; the model is left out"),
            "the importer evaluates ref, source, config, var, env_var with a default, is_incremental and the project's own macros; replace the call with plain SQL",
        ),
        ErrorKind::UndefinedError => (
            format!("undefined name: {detail}; the model is left out"),
            "define it with {% set %} or in dbt_project.yml's vars",
        ),
        ErrorKind::SyntaxError => (
            format!("invalid Jinja: {detail}; the model is left out"),
            "fix the template, then import again",
        ),
        ErrorKind::OutOfFuel => (
            format!(
                "rendering took more than {RENDER_FUEL} template steps; the model is left out"
            ),
            "look for a loop or a recursive macro that does not end, then import again",
        ),
        _ => (
            format!("{detail}; the model is left out"),
            "fix the call, then import again",
        ),
    };
    problem(&file, Span::new(line, 1, line, 2), message, help)
}
