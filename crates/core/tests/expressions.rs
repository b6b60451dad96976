//! Output names and types of single expressions, compared with what
//! DuckDB's DESCRIBE printed for `SELECT <expr> FROM o` (the version and
//! the table are recorded in the fixture).

use std::fs;
use std::path::Path;

use rocky_core::{compile, ProjectFiles};
use serde_json::Value;

#[test]
fn expressions_match_duckdb() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/expressions.json");
    let fixture: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    let mut files = ProjectFiles::new();
    files.insert(
        "rocky.toml".into(),
        "[project]\nname = \"expressions\"\n".into(),
    );
    files.insert(
        "sources/o.sql".into(),
        format!("{};", fixture["table"].as_str().unwrap()),
    );
    for (i, case) in cases.iter().enumerate() {
        files.insert(
            format!("models/m{i:03}.sql"),
            format!("SELECT {} FROM o", case["expr"].as_str().unwrap()),
        );
    }
    let compilation = compile(&files);
    let mut mismatches = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let model = compilation.model(&format!("m{i:03}")).unwrap();
        let got = model
            .columns
            .first()
            .map(|c| (c.name.as_str(), c.ty.as_str()));
        let want = (
            case["name"].as_str().unwrap(),
            case["type"].as_str().unwrap(),
        );
        let errors: Vec<&str> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && d.model.as_deref() == Some(model.name.as_str()))
            .map(|d| d.message.as_str())
            .collect();
        if got != Some(want) || !errors.is_empty() {
            mismatches.push(format!(
                "{}: got {got:?} {errors:?}, want {want:?}",
                case["expr"]
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}
