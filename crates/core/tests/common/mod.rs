//! Helpers shared by the corpus tests and the benchmark.

// Each test crate includes this module and uses only some of its helpers.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use rocky_core::ProjectFiles;
use serde_json::Value;

/// Returns the shared corpus folder, which sits next to the checkout.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Builds a Rocky project from a corpus folder: schema.json becomes
/// CREATE TABLE statements, models/*.sql are the models.
pub fn load_project(dir: &Path) -> ProjectFiles {
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("schema.json")).unwrap()).unwrap();
    let mut ddl = String::new();
    for (table, columns) in schema["tables"].as_object().unwrap() {
        let columns: Vec<String> = columns
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, ty)| format!("    \"{name}\" {}", ty.as_str().unwrap()))
            .collect();
        ddl.push_str(&format!(
            "CREATE TABLE {table} (\n{}\n);\n",
            columns.join(",\n")
        ));
    }
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"corpus\"\n".into());
    files.insert("sources/schema.sql".into(), ddl);
    for entry in fs::read_dir(dir.join("models")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        files.insert(format!("models/{name}"), fs::read_to_string(&path).unwrap());
    }
    files
}

/// Reads every text file of the bundled jaffle_shop sample into a project.
pub fn load_sample() -> ProjectFiles {
    read_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample/jaffle_shop"))
}

/// Reads every text file under `root` into a project, with paths relative
/// to `root` written with `/`. Files that are not UTF-8 are left out.
pub fn read_folder(root: &Path) -> ProjectFiles {
    let mut files = ProjectFiles::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(text) = fs::read_to_string(&path) {
                let relative = path.strip_prefix(root).unwrap().to_string_lossy();
                files.insert(relative.replace('\\', "/"), text);
            }
        }
    }
    files
}
