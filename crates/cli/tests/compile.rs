//! Runs the built `rocky` binary on small project directories that each
//! test writes under the system temp directory.
//!
//! The tests check the CLI's behavior, not the compiler's inference, but
//! three facts come from rocky-core: `SELECT 1 AS x` compiles without
//! errors, [`BROKEN_SQL`] gets a syntax error located in its file, and
//! sample/jaffle_shop compiles without diagnostics.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const ROCKY_TOML: &str = "[project]\nname = \"cli_test\"\n";
/// A syntax error (the empty item between the commas) in the middle of a
/// line, so the report has a source line and a caret under it.
const BROKEN_SQL: &str = "SELECT 1 AS x,, 2 AS y\n";

/// A project directory under the system temp directory, removed on drop.
struct Project {
    root: PathBuf,
}

impl Project {
    fn new(name: &str, files: &[(&str, &[u8])]) -> Project {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!(
            "rocky-cli-test-{}-{unique}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&root);
        for (path, contents) in files {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
        Project { root }
    }

    fn clean(name: &str) -> Project {
        Project::new(
            name,
            &[
                ("rocky.toml", ROCKY_TOML.as_bytes()),
                ("models/one.sql", b"SELECT 1 AS x\n"),
            ],
        )
    }

    fn broken(name: &str) -> Project {
        Project::new(
            name,
            &[
                ("rocky.toml", ROCKY_TOML.as_bytes()),
                ("models/broken.sql", BROKEN_SQL.as_bytes()),
            ],
        )
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn rocky(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rocky"))
        .args(args)
        .output()
        .expect("failed to run the rocky binary")
}

fn compile(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["compile", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    rocky(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn parse_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!("stdout is not JSON ({error}):\n{}", stdout(output));
    })
}

/// Checks that `document` has the keys and value types docs/compile-json.md lists.
fn assert_documented_shape(document: &Value) {
    let models = document["models"].as_array().expect("`models` is an array");
    let diagnostics = document["diagnostics"]
        .as_array()
        .expect("`diagnostics` is an array");

    for model in models {
        assert!(model["name"].is_string(), "model name: {model}");
        assert!(
            model["depends_on"]
                .as_array()
                .is_some_and(|names| names.iter().all(Value::is_string)),
            "{model}"
        );
        for column in model["columns"].as_array().expect("`columns` is an array") {
            assert!(column["name"].is_string(), "column name: {column}");
            assert!(column["type"].is_string(), "column type: {column}");
            for edge in column["lineage"].as_array().expect("`lineage` is an array") {
                assert!(edge["model"].is_string(), "edge model: {edge}");
                assert!(edge["column"].is_string(), "edge column: {edge}");
                let kind = edge["kind"].as_str().unwrap_or_default();
                assert!(
                    [
                        "DIRECT/IDENTITY",
                        "DIRECT/TRANSFORMATION",
                        "DIRECT/AGGREGATION"
                    ]
                    .contains(&kind),
                    "edge kind: {edge}"
                );
            }
            assert!(column["not_null"].is_boolean(), "not_null: {column}");
        }
        for filter in model["filters"].as_array().expect("`filters` is an array") {
            assert!(filter["model"].is_string(), "filter model: {filter}");
            assert!(filter["column"].is_string(), "filter column: {filter}");
            let kind = filter["kind"].as_str().unwrap_or_default();
            assert!(
                [
                    "INDIRECT/JOIN",
                    "INDIRECT/GROUP_BY",
                    "INDIRECT/FILTER",
                    "INDIRECT/SORT",
                    "INDIRECT/WINDOW",
                    "INDIRECT/CONDITIONAL"
                ]
                .contains(&kind),
                "filter kind: {filter}"
            );
        }
    }

    for diagnostic in diagnostics {
        assert!(diagnostic["code"].is_string(), "code: {diagnostic}");
        let severity = diagnostic["severity"].as_str().unwrap_or_default();
        assert!(
            ["error", "warning", "info"].contains(&severity),
            "severity: {diagnostic}"
        );
        assert!(
            diagnostic["model"].is_string() || diagnostic["model"].is_null(),
            "model: {diagnostic}"
        );
        assert!(diagnostic["file"].is_string(), "file: {diagnostic}");
        assert!(diagnostic["message"].is_string(), "message: {diagnostic}");
        assert!(
            diagnostic["help"].is_string() || diagnostic["help"].is_null(),
            "help: {diagnostic}"
        );
        for end in ["start", "end"] {
            assert!(
                diagnostic["span"][end]["line"].is_u64(),
                "span {end} line: {diagnostic}"
            );
            assert!(
                diagnostic["span"][end]["column"].is_u64(),
                "span {end} column: {diagnostic}"
            );
        }
    }
}

#[test]
fn clean_project_exits_zero() {
    let project = Project::clean("clean-text");

    let output = compile(&project.root, &[]);

    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr:\n{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("compiled 1 model, "),
        "stderr:\n{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains(": 0 errors, "),
        "stderr:\n{}",
        stderr(&output)
    );
    assert!(
        stdout(&output)
            .lines()
            .any(|line| line.starts_with("one (")),
        "stdout:\n{}",
        stdout(&output)
    );
}

#[test]
fn clean_project_json_shape() {
    let project = Project::clean("clean-json");

    let output = compile(&project.root, &["--format", "json"]);

    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr:\n{}",
        stderr(&output)
    );
    let document = parse_json(&output);
    assert_documented_shape(&document);
    let models = document["models"].as_array().unwrap();
    assert_eq!(models.len(), 1, "{document}");
    assert_eq!(models[0]["name"], "one");
    let errors = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(errors, 0, "{document}");
}

#[test]
fn broken_project_exits_one() {
    let project = Project::broken("broken-text");

    let output = compile(&project.root, &[]);

    let report = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "stderr:\n{report}");
    assert!(report.contains("error["), "stderr:\n{report}");
    assert!(
        report.contains("--> models/broken.sql:"),
        "stderr:\n{report}"
    );
    let caret_line = report.lines().any(|line| {
        let trimmed = line.trim_start();
        trimmed.starts_with('|') && trimmed.trim_start_matches('|').trim().starts_with('^')
    });
    assert!(caret_line, "no caret line in stderr:\n{report}");
    assert!(!report.contains(": 0 errors, "), "stderr:\n{report}");
}

#[test]
fn broken_project_json_reports_error() {
    let project = Project::broken("broken-json");

    let output = compile(&project.root, &["--format", "json"]);

    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr:\n{}",
        stderr(&output)
    );
    let document = parse_json(&output);
    assert_documented_shape(&document);
    let diagnostics = document["diagnostics"].as_array().unwrap();
    let error = diagnostics
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap_or_else(|| panic!("no error diagnostic in {document}"));
    assert_eq!(error["file"], "models/broken.sql");
    assert!(
        error["span"]["start"]["line"].as_u64().unwrap() >= 1,
        "{error}"
    );
    assert!(
        error["span"]["start"]["column"].as_u64().unwrap() >= 1,
        "{error}"
    );
}

#[test]
fn missing_directory_exits_two() {
    let missing = std::env::temp_dir().join(format!(
        "rocky-cli-test-{}-does-not-exist",
        std::process::id()
    ));

    let output = compile(&missing, &[]);

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("failed to read"),
        "stderr:\n{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains(missing.to_str().unwrap()),
        "stderr:\n{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn file_instead_of_directory_exits_two() {
    let project = Project::clean("not-a-directory");

    let output = compile(&project.root.join("rocky.toml"), &["--format", "json"]);

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("failed to read"),
        "stderr:\n{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn usage_errors_exit_two() {
    let project = Project::clean("usage");
    let root = project.root.to_str().unwrap();
    let cases: [&[&str]; 5] = [
        &[],
        &["compile"],
        &["compile", root, "--format", "yaml"],
        &["compile", root, "--no-such-flag"],
        &["build", root],
    ];

    for args in cases {
        let output = rocky(args);
        assert_eq!(output.status.code(), Some(2), "rocky {args:?}");
        assert!(!output.stderr.is_empty(), "rocky {args:?} printed no error");
    }
}

#[test]
fn non_utf8_file_warns_and_continues() {
    let project = Project::new(
        "non-utf8",
        &[
            ("rocky.toml", ROCKY_TOML.as_bytes()),
            ("models/one.sql", b"SELECT 1 AS x\n"),
            ("data/blob.bin", &[0xff, 0xfe, 0x00, 0x80]),
        ],
    );

    let output = compile(&project.root, &["--format", "json"]);

    let report = stderr(&output);
    assert!(
        report.contains("warning: skipped data/blob.bin: the file is not valid UTF-8"),
        "stderr:\n{report}"
    );
    assert_documented_shape(&parse_json(&output));
}

#[test]
fn verbose_prints_timing() {
    let project = Project::clean("verbose");

    let output = compile(&project.root, &["-v", "--format", "json"]);

    let report = stderr(&output);
    assert!(report.contains("read 2 files in "), "stderr:\n{report}");
    assert!(report.contains(" ms, compiled in "), "stderr:\n{report}");
    assert_documented_shape(&parse_json(&output));
}

#[test]
fn bundled_sample_compiles_cleanly() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample/jaffle_shop");

    let output = compile(&sample, &["--format", "json"]);

    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr:\n{}",
        stderr(&output)
    );
    let document = parse_json(&output);
    assert_documented_shape(&document);
    let mut names: Vec<&str> = document["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "customers",
            "orders",
            "stg_customers",
            "stg_orders",
            "stg_payments"
        ]
    );
    assert_eq!(
        document["diagnostics"],
        Value::Array(Vec::new()),
        "{document}"
    );
}
