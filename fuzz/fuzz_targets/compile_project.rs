//! A whole project: `rocky.toml`, source DDL, models and their TOML
//! sidecars, as one text. A line `==> PATH` starts the file at PATH; the
//! text before the first such line is `models/first.sql`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rocky_core::{compile, project_tests, run_plan, ColumnGraph, ProjectFiles};

/// Splits the input into files at each `==> PATH` line.
fn files(text: &str) -> ProjectFiles {
    let mut files = ProjectFiles::new();
    let mut path = "models/first.sql".to_string();
    let mut body = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(next) = line.strip_prefix("==> ") {
            files.insert(std::mem::take(&mut path), std::mem::take(&mut body));
            path = next.trim_end_matches(['\n', '\r']).to_string();
        } else {
            body.push_str(line);
        }
    }
    files.insert(path, body);
    files
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let files = files(text);
    let compilation = compile(&files);
    ColumnGraph::build(&compilation);
    run_plan(&compilation);
    project_tests(&compilation);
});
