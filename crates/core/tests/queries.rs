//! Whole queries checked against DuckDB: the columns DuckDB's DESCRIBE
//! printed, or the error it raised (version and table in the fixture).

use std::fs;
use std::path::Path;

use rocky_core::{compile, ProjectFiles};
use serde_json::Value;

/// Queries whose column types match but whose unaliased names differ.
// NOTE: DuckDB renders a scalar subquery with its own SQL printer and
// rewrites an ordered list() into list_sort(); Rocky does neither yet. The
// test fails when one of these starts to match, so the list stays true.
const NAME_GAPS: &[&str] = &[
    "select id, (select count(*) from o o2 where o2.id = o.id) from o group by id",
    "select cid, list(name order by name) from o group by cid",
];

#[test]
fn queries_match_duckdb() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries.json");
    let fixture: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    let mut files = ProjectFiles::new();
    files.insert(
        "rocky.toml".into(),
        "[project]\nname = \"queries\"\n".into(),
    );
    files.insert(
        "sources/o.sql".into(),
        format!("{};", fixture["table"].as_str().unwrap()),
    );
    for (i, case) in cases.iter().enumerate() {
        files.insert(
            format!("models/q{i:03}.sql"),
            case["sql"].as_str().unwrap().to_string(),
        );
    }
    let compilation = compile(&files);
    let mut mismatches = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let model = compilation.model(&format!("q{i:03}")).unwrap();
        let sql = case["sql"].as_str().unwrap();
        let errors: Vec<String> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && d.model.as_deref() == Some(model.name.as_str()))
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        match case["error"].as_str() {
            Some(duckdb_error) if errors.is_empty() => {
                mismatches.push(format!("{sql}: no error, DuckDB says {duckdb_error}"));
            }
            Some(_) => {}
            None => {
                let want: Vec<(String, String)> = case["columns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        (
                            c[0].as_str().unwrap().to_string(),
                            c[1].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
                let got: Vec<(String, String)> = model
                    .columns
                    .iter()
                    .map(|c| (c.name.clone(), c.ty.clone()))
                    .collect();
                let same_types = got.iter().map(|c| &c.1).eq(want.iter().map(|c| &c.1));
                let name_gap = NAME_GAPS.contains(&sql);
                if !errors.is_empty() {
                    mismatches.push(format!("{sql}: errors {errors:?}, but DuckDB accepts it"));
                } else if name_gap && (got == want || !same_types) {
                    mismatches.push(format!("{sql}: in NAME_GAPS, got {got:?}, want {want:?}"));
                } else if !name_gap && got != want {
                    mismatches.push(format!("{sql}: got {got:?}, want {want:?}"));
                }
            }
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
