//! Runs `rocky lineage` on the sample project and on a project whose
//! names contain quotes, angle brackets, ampersands, backslashes and line
//! breaks: one test per format, Graphviz's `dot` on the DOT output, an XML
//! parser on the SVG output, and the exit status of every kind of error.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The hostile names as the compiler reads them, each of which must come
/// back unchanged from every format that is parsed here.
const HOSTILE_NAMES: [&str; 5] = [
    "src<&>'\"\\",
    "col<1>&'\"\\",
    "a<b>&'\"\\",
    "out\"put<&>'\\",
    "#35;x|y`z",
];

/// A project directory under the system temp directory, removed on drop.
struct Project {
    root: PathBuf,
}

impl Project {
    fn new(name: &str, files: &[(&str, &str)]) -> Project {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!(
            "rocky-lineage-test-{}-{unique}-{name}",
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

    fn hostile() -> Project {
        Project::new(
            "hostile",
            &[
                ("rocky.toml", "[project]\nname = \"h\\\"o<s>t&i'le\"\n"),
                (
                    "sources/raw.sql",
                    "CREATE TABLE \"src<&>'\"\"\\\" (\"col<1>&'\"\"\\\" INTEGER, \"back\\slash\\n\" VARCHAR, \"multi\nline\" INTEGER);\n",
                ),
                (
                    "models/a<b>&'\"\\.sql",
                    "select \"col<1>&'\"\"\\\" + 1 as \"out\"\"put<&>'\\\", \"back\\slash\\n\" as \"#35;x|y`z\", \"multi\nline\" as nl from \"src<&>'\"\"\\\" where \"col<1>&'\"\"\\\" > 0\n",
                ),
                (
                    "models/down.sql",
                    "with \"c\"\"te<x>\" as (select * from \"a<b>&'\"\"\\\") select \"out\"\"put<&>'\\\" as v from \"c\"\"te<x>\"\n",
                ),
            ],
        )
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample/jaffle_shop")
}

fn lineage(dir: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rocky"))
        .arg("lineage")
        .arg(dir)
        .args(extra)
        .output()
        .expect("failed to run the rocky binary")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Runs `rocky lineage`, checks it succeeded, and returns its stdout.
fn lineage_ok(dir: &Path, extra: &[&str]) -> String {
    let output = lineage(dir, extra);
    assert_eq!(
        output.status.code(),
        Some(0),
        "rocky lineage {extra:?} failed:\n{}",
        stderr(&output)
    );
    stdout(&output)
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}):\n{text}"))
}

/// Collects the text content of every `<text>` element of an SVG document, after
/// the parser has decoded its entities.
fn svg_texts(svg: &str) -> Vec<String> {
    // Graphviz's SVG starts with a DOCTYPE, which roxmltree rejects unless
    // asked to allow it.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(svg, options)
        .unwrap_or_else(|error| panic!("SVG is not well-formed XML ({error}):\n{svg}"));
    document
        .descendants()
        .filter(|node| node.has_tag_name("text"))
        .map(|node| {
            node.children()
                .filter(|child| child.is_text())
                .filter_map(|child| child.text())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect()
}

/// Graphviz's `dot`, or `None` when it is missing outside CI.
fn dot_command() -> Option<Command> {
    let found = Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if found {
        return Some(Command::new("dot"));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "Graphviz's dot is not installed; scripts/setup.sh --browser installs Debian's graphviz"
    );
    eprintln!("skipped: Graphviz's dot is not installed; run scripts/setup.sh --browser");
    None
}

/// Renders DOT with `dot -Tsvg` and returns the SVG, failing on any error
/// or warning Graphviz prints.
fn render_with_dot(mut dot: Command, source: &str) -> String {
    let mut child = dot
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("failed to start dot");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "dot failed:\n{}\n{source}",
        stderr(&output)
    );
    assert_eq!(stderr(&output), "", "dot warned about:\n{source}");
    stdout(&output)
}

#[test]
fn json_format_on_sample() {
    let document = parse_json(&lineage_ok(&sample_dir(), &["--format", "json"]));
    assert_eq!(document["version"], 1);
    assert!(document["nodes"].as_array().unwrap().len() > 30);
    assert!(!document["edges"].as_array().unwrap().is_empty());
    let names: Vec<&str> = document["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"customers"));
    assert!(names.contains(&"raw_orders"));
    assert!(
        names.contains(&"customers.customer_orders"),
        "CTEs are tables by default"
    );
}

#[test]
fn json_is_the_default_format() {
    let default = lineage_ok(&sample_dir(), &[]);
    assert_eq!(default, lineage_ok(&sample_dir(), &["--format", "json"]));
}

#[test]
fn openlineage_format_on_sample() {
    let args = [
        "--format",
        "openlineage",
        "--event-time",
        "2024-05-01T12:00:00Z",
    ];
    let text = lineage_ok(&sample_dir(), &args);
    let event = parse_json(&text);
    assert_eq!(event["eventTime"], "2024-05-01T12:00:00Z");
    assert_eq!(event["job"]["name"], "jaffle_shop");
    assert_eq!(event["outputs"].as_array().unwrap().len(), 5);
    assert_eq!(
        text,
        lineage_ok(&sample_dir(), &args),
        "the same output twice"
    );

    let renamed = lineage_ok(
        &sample_dir(),
        &["--format", "openlineage", "--namespace", "duckdb://local"],
    );
    assert_eq!(parse_json(&renamed)["job"]["namespace"], "duckdb://local");
}

#[test]
fn dot_format_renders_with_graphviz() {
    let dot = lineage_ok(&sample_dir(), &["--format", "dot"]);
    assert!(dot.starts_with("digraph lineage {"));
    let Some(command) = dot_command() else {
        return;
    };
    let svg = render_with_dot(command, &dot);
    let texts = svg_texts(&svg);
    assert!(
        texts.iter().any(|t| t == "customers.customer_orders"),
        "{texts:?}"
    );
}

#[test]
fn dot_with_hostile_names_renders() {
    let project = Project::hostile();
    for ctes in ["tables", "collapsed"] {
        let dot = lineage_ok(&project.root, &["--format", "dot", "--ctes", ctes]);
        let Some(command) = dot_command() else {
            return;
        };
        let svg = render_with_dot(command, &dot);
        let texts = svg_texts(&svg);
        for name in HOSTILE_NAMES {
            assert!(
                texts.iter().any(|t| t == name || t.starts_with(name)),
                "{name} is not in Graphviz's SVG: {texts:?}"
            );
        }
        assert!(
            texts.iter().any(|t| t.starts_with("multi\\nline")),
            "{texts:?}"
        );
    }
}

#[test]
fn mermaid_format_on_sample() {
    let text = lineage_ok(
        &sample_dir(),
        &["--format", "mermaid", "--model", "orders", "--hops", "1"],
    );
    assert!(text.starts_with("flowchart LR\n"));
    assert!(text.contains("[\"orders (model)\"]"), "{text}");
    assert!(text.contains("[\"stg_orders (model)\"]"), "{text}");
    assert!(!text.contains("raw_orders"), "two hops away: {text}");
}

#[test]
fn svg_format_is_well_formed() {
    let svg = lineage_ok(&sample_dir(), &["--format", "svg"]);
    let texts = svg_texts(&svg);
    assert!(texts.iter().any(|t| t == "customer_lifetime_value"));

    let project = Project::hostile();
    let svg = lineage_ok(&project.root, &["--format", "svg"]);
    let texts = svg_texts(&svg);
    for name in HOSTILE_NAMES {
        assert!(texts.iter().any(|t| t == name), "{name} not in {texts:?}");
    }
}

#[test]
fn column_focus_upstream() {
    let document = parse_json(&lineage_ok(
        &sample_dir(),
        &[
            "--column",
            "customers.customer_lifetime_value",
            "--upstream",
            "--ctes",
            "collapsed",
            "--no-indirect",
        ],
    ));
    let columns: Vec<String> = document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{}.{}",
                n["table"].as_str().unwrap(),
                n["column"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        columns,
        [
            "raw_payments.amount",
            "stg_payments.amount",
            "customers.customer_lifetime_value"
        ]
    );
    assert_eq!(document["focus"]["column"], "customer_lifetime_value");
}

#[test]
fn column_of_dotted_source() {
    let project = Project::new(
        "dotted",
        &[
            ("rocky.toml", "[project]\nname = \"dotted\"\n"),
            (
                "sources/raw.sql",
                "CREATE SCHEMA raw;\nCREATE TABLE raw.orders (id INTEGER, amount INTEGER);\n",
            ),
            (
                "models/totals.sql",
                "select id, amount * 2 as doubled from raw.orders\n",
            ),
        ],
    );
    let document = parse_json(&lineage_ok(
        &project.root,
        &["--column", "raw.orders.amount", "--downstream"],
    ));
    assert_eq!(document["focus"]["table"], "raw.orders");
    let names: Vec<&str> = document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["column"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["amount", "doubled"]);
}

/// Checks that `rocky lineage` failed with status 2 and this message.
fn assert_usage_error(output: &Output, message: &str) {
    assert_eq!(output.status.code(), Some(2), "stderr:\n{}", stderr(output));
    assert!(
        stderr(output).contains(message),
        "expected {message:?} in stderr:\n{}",
        stderr(output)
    );
    assert_eq!(stdout(output), "", "nothing is printed on a usage error");
}

#[test]
fn unknown_model_exits_two() {
    let output = lineage(&sample_dir(), &["--model", "custmers"]);
    assert_usage_error(
        &output,
        "error: no model or source table named `custmers`; did you mean `customers`?",
    );
}

#[test]
fn unknown_column_exits_two() {
    let output = lineage(&sample_dir(), &["--column", "customers.first_nme"]);
    assert_usage_error(
        &output,
        "error: `customers` has no column `first_nme`; did you mean `first_name`?",
    );
    let output = lineage(&sample_dir(), &["--column", "nowhere.id"]);
    assert_usage_error(&output, "no model or source table named `nowhere`");
}

#[test]
fn invalid_arguments_exit_two() {
    let cases: [(&[&str], &str); 6] = [
        (&["--column", "customers"], "expected MODEL.COLUMN"),
        (&["--hops", "2"], "need a focus"),
        (&["--upstream"], "need a focus"),
        (
            &["--event-time", "2024-05-01T12:00:00Z"],
            "only to --format openlineage",
        ),
        (
            &["--format", "openlineage", "--event-time", "yesterday"],
            "invalid event time `yesterday`",
        ),
        (
            &["--model", "orders", "--upstream", "--downstream"],
            "cannot be used with",
        ),
    ];
    for (args, message) in cases {
        let output = lineage(&sample_dir(), args);
        assert_usage_error(&output, message);
    }
    let output = lineage(&sample_dir(), &["--format", "png"]);
    assert_eq!(output.status.code(), Some(2));
    let missing = lineage(Path::new("/nonexistent/rocky/project"), &[]);
    assert_usage_error(&missing, "failed to read /nonexistent/rocky/project");
}

#[test]
fn compile_errors_exit_one_but_print() {
    let project = Project::new(
        "broken",
        &[
            ("rocky.toml", "[project]\nname = \"broken\"\n"),
            ("models/m.sql", "select x from missing_table\n"),
        ],
    );
    let output = lineage(&project.root, &["--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr:\n{}",
        stderr(&output)
    );
    let document = parse_json(&stdout(&output));
    let unresolved: Vec<&str> = document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["unresolved"].as_str())
        .collect();
    assert!(!unresolved.is_empty(), "{document}");
    assert!(
        stderr(&output).contains("the project has 1 error"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn large_mermaid_warns_about_limits() {
    // 60 columns copied through 10 models: 600 edges, past Mermaid's 500.
    let columns: Vec<String> = (0..60).map(|i| format!("c{i} INTEGER")).collect();
    let source = format!("CREATE TABLE raw ({});\n", columns.join(", "));
    let mut files = vec![
        (
            "rocky.toml".to_string(),
            "[project]\nname = \"wide\"\n".to_string(),
        ),
        ("sources/raw.sql".to_string(), source),
    ];
    for i in 0..10 {
        let from = if i == 0 {
            "raw".to_string()
        } else {
            format!("m{}", i - 1)
        };
        files.push((
            format!("models/m{i}.sql"),
            format!("select * from {from}\n"),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let project = Project::new("wide", &borrowed);

    let output = lineage(&project.root, &["--format", "mermaid"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("warning: the flowchart has 600 edges"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).starts_with("flowchart LR"));

    let small = lineage(
        &project.root,
        &["--format", "mermaid", "--model", "m5", "--hops", "1"],
    );
    assert_eq!(stderr(&small), "", "a small view has no warning");
}
