//! `dbt_project.yml`: the project's name, its folders, its vars and the
//! materialization its `models:` tree sets per folder.

use std::collections::BTreeMap;

use yaml_rust2::{Yaml, YamlLoader};

use super::problem;
use rocky_core::diagnostic::{Diagnostic, Span};
use rocky_core::ProjectFiles;

#[derive(Debug, Default)]
pub(super) struct DbtProject {
    pub name: String,
    pub model_paths: Vec<String>,
    pub seed_paths: Vec<String>,
    pub macro_paths: Vec<String>,
    pub vars: BTreeMap<String, minijinja::Value>,
    /// `+materialized` or `materialized` per folder under the model
    /// paths, as a list of folder names (empty for the project level).
    materialized: Vec<(Vec<String>, String)>,
}

impl DbtProject {
    /// Reads `dbt_project.yml`; an invalid file is an error on it.
    pub fn read(files: &ProjectFiles) -> Result<DbtProject, Box<Diagnostic>> {
        let path = "dbt_project.yml";
        let text = files.get(path).map(String::as_str).unwrap_or_default();
        let docs = YamlLoader::load_from_str(text).map_err(|e| {
            let marker = e.marker();
            let line = u32::try_from(marker.line()).unwrap_or(1).max(1);
            let column = u32::try_from(marker.col() + 1).unwrap_or(1);
            Box::new(problem(
                path,
                Span::new(line, column, line, column + 1),
                format!("dbt_project.yml is not valid YAML: {}", e.info()),
                "fix the YAML, then import again",
            ))
        })?;
        let root = docs.first().cloned().unwrap_or(Yaml::Null);
        let name = root["name"].as_str().unwrap_or("dbt_project").to_string();
        let paths = |key: &str, default: &str| -> Vec<String> {
            match root[key].as_vec() {
                Some(list) => list
                    .iter()
                    .filter_map(Yaml::as_str)
                    .map(|p| p.trim_end_matches('/').to_string())
                    .collect(),
                None => vec![default.to_string()],
            }
        };
        let mut project = DbtProject {
            model_paths: paths("model-paths", "models"),
            seed_paths: paths("seed-paths", "seeds"),
            macro_paths: paths("macro-paths", "macros"),
            vars: BTreeMap::new(),
            materialized: Vec::new(),
            name,
        };
        if let Some(vars) = root["vars"].as_hash() {
            for (key, value) in vars {
                if let Some(key) = key.as_str() {
                    project.vars.insert(key.to_string(), to_value(value));
                }
            }
        }
        // `models: {<project name>: {materialized: ..., staging: {...}}}`
        if let Some(tree) = root["models"][project.name.as_str()].as_hash() {
            let mut folders = Vec::new();
            read_materialized(tree, &mut folders, &mut project.materialized);
        }
        Ok(project)
    }

    /// Returns the materialization of a model at `path` (relative to its
    /// model path, such as `staging/stg_orders.sql`): the deepest folder's
    /// setting, else dbt's default, `view`.
    pub fn materialized_for(&self, path: &str) -> String {
        let folders: Vec<&str> = path.split('/').collect();
        let folders = &folders[..folders.len().saturating_sub(1)];
        self.materialized
            .iter()
            .filter(|(prefix, _)| {
                prefix.len() <= folders.len() && prefix.iter().zip(folders).all(|(a, b)| a == b)
            })
            .max_by_key(|(prefix, _)| prefix.len())
            .map_or_else(|| "view".to_string(), |(_, kind)| kind.clone())
    }
}

fn read_materialized(
    tree: &yaml_rust2::yaml::Hash,
    folders: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) {
    for (key, value) in tree {
        let Some(key) = key.as_str() else {
            continue;
        };
        match key.trim_start_matches('+') {
            "materialized" => {
                if let Some(kind) = value.as_str() {
                    out.push((folders.clone(), kind.to_string()));
                }
            }
            _ => {
                if let Some(sub) = value.as_hash() {
                    folders.push(key.to_string());
                    read_materialized(sub, folders, out);
                    folders.pop();
                }
            }
        }
    }
}

/// Converts a YAML value to a Jinja value.
pub(super) fn to_value(yaml: &Yaml) -> minijinja::Value {
    match yaml {
        Yaml::String(text) => minijinja::Value::from(text.as_str()),
        Yaml::Integer(number) => minijinja::Value::from(*number),
        Yaml::Real(text) => text
            .parse::<f64>()
            .map(minijinja::Value::from)
            .unwrap_or_else(|_| minijinja::Value::from(text.as_str())),
        Yaml::Boolean(flag) => minijinja::Value::from(*flag),
        Yaml::Array(items) => items.iter().map(to_value).collect::<Vec<_>>().into(),
        Yaml::Hash(map) => {
            let entries: BTreeMap<String, minijinja::Value> = map
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), to_value(v))))
                .collect();
            minijinja::Value::from(entries)
        }
        _ => minijinja::Value::from(()),
    }
}
