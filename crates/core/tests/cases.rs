//! The lineage and type cases of the shared corpus: small projects, each
//! from a public report of a lineage or type-inference fault.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{corpus_dir, load_project};
use rocky_core::{compile, trace_upstream, Compilation, TraceNode};
use serde_json::Value;

fn cases_dir() -> PathBuf {
    corpus_dir().join("cases")
}

fn source_columns(node: &TraceNode, into: &mut BTreeSet<String>) {
    for parent in &node.parents {
        if parent.is_source {
            into.insert(format!("{}.{}", parent.model, parent.column));
        } else {
            source_columns(parent, into);
        }
    }
}

/// Mismatches of one case, by kind.
fn check_case(dir: &Path) -> BTreeMap<&'static str, Vec<String>> {
    let compilation: Compilation = compile(&load_project(dir));
    let expected: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut problems: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let error_models: Vec<&str> = expected["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["model"].as_str()).collect())
        .unwrap_or_default();
    for (model, want) in expected.as_object().unwrap() {
        if model == "types" || model == "errors" {
            continue;
        }
        let Some(found) = compilation.model(model) else {
            problems.entry("missing").or_default().push(model.clone());
            continue;
        };
        let want_names: Vec<&str> = want
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "filters")
            .map(String::as_str)
            .collect();
        let got_names: Vec<&str> = found.columns.iter().map(|c| c.name.as_str()).collect();
        let mut want_sorted = want_names.clone();
        want_sorted.sort();
        let mut got_sorted = got_names.clone();
        got_sorted.sort();
        if want_sorted != got_sorted {
            problems
                .entry("names")
                .or_default()
                .push(format!("{model}: got {got_names:?} want {want_names:?}"));
        }
        for (column, sources) in want.as_object().unwrap() {
            if column == "filters" {
                continue;
            }
            let want_sources: BTreeSet<String> = sources
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            let mut got_sources = BTreeSet::new();
            if let Some(trace) = trace_upstream(&compilation, model, column) {
                source_columns(&trace, &mut got_sources);
            }
            if want_sources != got_sources {
                problems.entry("lineage").or_default().push(format!(
                    "{model}.{column}: got {got_sources:?} want {want_sources:?}"
                ));
            }
        }
        let want_filters: BTreeSet<String> = want["filters"]
            .as_array()
            .map(|f| f.iter().map(|s| s.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        // A model's filters name its direct parents; the corpus names the
        // source columns behind them.
        let mut got_filters = BTreeSet::new();
        for filter in &found.filters {
            match trace_upstream(&compilation, &filter.model, &filter.column) {
                Some(trace) => source_columns(&trace, &mut got_filters),
                None => {
                    got_filters.insert(format!("{}.{}", filter.model, filter.column));
                }
            }
        }
        if want_filters != got_filters {
            problems.entry("filters").or_default().push(format!(
                "{model}: got {got_filters:?} want {want_filters:?}"
            ));
        }
    }
    if let Some(types) = expected["types"].as_object() {
        for (key, want) in types {
            let (model, column) = key.split_once('.').unwrap();
            let got = compilation
                .model(model)
                .and_then(|m| m.columns.iter().find(|c| c.name == column))
                .map(|c| c.ty.clone());
            if got.as_deref() != want.as_str() {
                problems
                    .entry("types")
                    .or_default()
                    .push(format!("{key}: got {got:?} want {want}"));
            }
        }
    }
    for error in expected["errors"].as_array().into_iter().flatten() {
        let model = error["model"].as_str().unwrap();
        let line = error["line"].as_u64().unwrap() as u32;
        let codes: &[&str] = match error["kind"].as_str().unwrap() {
            "unknown_column" => &["E0101"],
            "ambiguous_column" => &["E0102"],
            // A qualifier naming no FROM item is DuckDB's unknown table too.
            "unknown_table" => &["E0103", "E0105"],
            "type_mismatch" => &["E0201", "E0204"],
            other => panic!("unknown error kind {other}"),
        };
        let found = compilation.diagnostics.iter().any(|d| {
            d.is_error()
                && d.model.as_deref() == Some(model)
                && d.span.start.line == line
                && codes.contains(&d.code.as_str())
        });
        if !found {
            let reported: Vec<String> = compilation
                .diagnostics
                .iter()
                .filter(|d| d.model.as_deref() == Some(model))
                .map(|d| format!("{} on line {}", d.code, d.span.start.line))
                .collect();
            problems.entry("errors").or_default().push(format!(
                "{model}: want {codes:?} on line {line}, got {reported:?}"
            ));
        }
    }
    for diagnostic in compilation.diagnostics.iter().filter(|d| d.is_error()) {
        if !error_models.contains(&diagnostic.model.as_deref().unwrap_or("")) {
            problems.entry("false errors").or_default().push(format!(
                "{}: {} {}",
                diagnostic.file, diagnostic.code, diagnostic.message
            ));
        }
    }
    problems
}

/// Cases the compiler still gets wrong, with what is wrong.
// NOTE: each of these is a known gap; the test fails when one starts to
// pass, so the list stays true.
const KNOWN_GAPS: &[(&str, &str)] = &[];

#[test]
fn corpus_cases_match_duckdb() {
    let mut dirs: Vec<PathBuf> = fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let problems = check_case(&dir);
        let known = KNOWN_GAPS.iter().any(|(case, _)| *case == name);
        match (problems.is_empty(), known) {
            (true, false) | (false, true) => {}
            (true, true) => failures.push(format!("{name} passes now: remove it from KNOWN_GAPS")),
            (false, false) => {
                let lines: Vec<String> = problems
                    .iter()
                    .flat_map(|(kind, list)| {
                        list.iter().map(move |item| format!("    {kind}: {item}"))
                    })
                    .collect();
                failures.push(format!("{name}:\n{}", lines.join("\n")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
