//! Fixture tests over the shared corpus: every benchmark query compiles
//! with no error, and its output names and types equal what DuckDB's
//! DESCRIBE printed for it.

mod common;

use std::fs;
use std::path::Path;

use common::{corpus_dir, load_project};
use rocky_core::compile;
use serde_json::Value;

/// Compares every model with expected.json and returns one line per mismatch.
fn mismatches(dir: &Path) -> Vec<String> {
    let files = load_project(dir);
    let compilation = compile(&files);
    let expected: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut problems = Vec::new();
    for diagnostic in &compilation.diagnostics {
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
