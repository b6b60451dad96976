//! Fixture tests over the shared corpus: every benchmark query compiles
//! with no error, and its output names and types equal what DuckDB's
//! DESCRIBE printed for it.

use std::fs;
use std::path::{Path, PathBuf};

use rocky_core::{compile, ProjectFiles};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Builds a Rocky project from a corpus folder: schema.json becomes
/// CREATE TABLE statements, models/*.sql are the models.
fn load_project(dir: &Path) -> ProjectFiles {
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

/// Compares every model with expected.json and returns one line per mismatch.
fn mismatches(dir: &Path) -> Vec<String> {
    let files = load_project(dir);
    let compilation = compile(&files);
    let expected: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut problems = Vec::new();
    for diagnostic in compilation.diagnostics.iter().filter(|d| d.is_error()) {
        problems.push(format!(
            "{}:{}:{}: {} {} ({})",
            diagnostic.file,
            diagnostic.span.start.line,
            diagnostic.span.start.column,
            diagnostic.code,
            diagnostic.message,
            diagnostic.help.clone().unwrap_or_default()
        ));
    }
    for (name, want) in expected.as_object().unwrap() {
        let Some(model) = compilation.model(name) else {
            problems.push(format!("{name}: model missing"));
            continue;
        };
        let want: Vec<(String, String)> = want["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                (
                    pair[0].as_str().unwrap().to_string(),
                    pair[1].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let got: Vec<(String, String)> = model
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.ty.clone()))
            .collect();
        if got != want {
            problems.push(format!("{name}:\n   got  {got:?}\n   want {want:?}"));
        }
    }
    problems
}

#[test]
fn tpch_queries_match_duckdb() {
    let problems = mismatches(&corpus_dir().join("tpch"));
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn tpcds_queries_match_duckdb() {
    let problems = mismatches(&corpus_dir().join("tpcds"));
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
