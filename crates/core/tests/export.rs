//! The lineage exports: the shape of each format on the sample project,
//! and the escaping of hostile names (quotes, angle brackets, ampersands,
//! backslashes, line breaks, Mermaid entity codes) in each.
//!
//! Graphviz's `dot`, an XML parser and a JSON Schema validator check the
//! same outputs again in crates/cli/tests and tests/js.

use std::collections::BTreeSet;

use rocky_core::export::{self, ExportError, Format, OpenLineageOptions, RUN_EVENT_SCHEMA_URL};
use rocky_core::layout::{layout, CteDisplay, Focus, LineageView, Reach, ViewOptions};
use rocky_core::{compile, ColumnGraph, ProjectFiles};
use serde_json::Value;

const HOSTILE_SOURCE: &str = "CREATE TABLE \"src<&>'\"\"\\\" (\"col<1>&'\"\"\\\" INTEGER, \"back\\slash\\n\" VARCHAR, \"multi\nline\" INTEGER);\n";
const HOSTILE_MODEL: &str = "select \"col<1>&'\"\"\\\" + 1 as \"out\"\"put<&>'\\\", \"back\\slash\\n\" as \"#35;x|y`z\", \"multi\nline\" as nl from \"src<&>'\"\"\\\" where \"col<1>&'\"\"\\\" > 0\n";
const HOSTILE_DOWN: &str = "with \"c\"\"te<x>\" as (select * from \"a<b>&'\"\"\\\") select \"out\"\"put<&>'\\\" as v from \"c\"\"te<x>\"\n";
/// The names above as the compiler reads them.
const HOSTILE_NAMES: [&str; 5] = [
    "src<&>'\"\\",
    "col<1>&'\"\\",
    "a<b>&'\"\\",
    "out\"put<&>'\\",
    "#35;x|y`z",
];

fn sample_files() -> ProjectFiles {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample/jaffle_shop");
    let mut files = ProjectFiles::new();
    for folder in ["", "models", "sources", "data"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let is_project_file = [".sql", ".toml", ".csv"]
                .iter()
                .any(|end| name.ends_with(end));
            if path.is_file() && is_project_file {
                let key = if folder.is_empty() {
                    name
                } else {
                    format!("{folder}/{name}")
                };
                files.insert(key, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

fn hostile_files() -> ProjectFiles {
    let mut files = ProjectFiles::new();
    files.insert(
        "rocky.toml".into(),
        "[project]\nname = \"h\\\"o<s>t&i'le\"\n".into(),
    );
    files.insert("sources/raw.sql".into(), HOSTILE_SOURCE.into());
    files.insert("models/a<b>&'\"\\.sql".into(), HOSTILE_MODEL.into());
    files.insert("models/down.sql".into(), HOSTILE_DOWN.into());
    files
}

fn graph_of(files: &ProjectFiles) -> ColumnGraph {
    let compilation = compile(files);
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    ColumnGraph::build(&compilation)
}

fn whole(graph: &ColumnGraph, ctes: CteDisplay) -> LineageView {
    let options = ViewOptions {
        ctes,
        indirect: true,
        ..ViewOptions::default()
    };
    LineageView::select(graph, &options).unwrap()
}

fn options() -> OpenLineageOptions {
    OpenLineageOptions::for_project("jaffle_shop")
}

const KINDS: [&str; 9] = [
    "DIRECT/IDENTITY",
    "DIRECT/TRANSFORMATION",
    "DIRECT/AGGREGATION",
    "INDIRECT/JOIN",
    "INDIRECT/GROUP_BY",
    "INDIRECT/FILTER",
    "INDIRECT/SORT",
    "INDIRECT/WINDOW",
    "INDIRECT/CONDITIONAL",
];

#[test]
fn json_has_documented_shape() {
    let graph = graph_of(&sample_files());
    let document = export::to_json(&whole(&graph, CteDisplay::Tables));
    assert_eq!(document["version"], 1);
    assert!(document["focus"].is_null());
    let nodes = document["nodes"].as_array().unwrap();
    for (index, node) in nodes.iter().enumerate() {
        assert_eq!(node["id"], index);
        assert!(node["table"].is_string(), "{node}");
        assert!(node["column"].is_string(), "{node}");
        assert!(node["type"].is_string(), "{node}");
        let kind = node["kind"].as_str().unwrap();
        assert!(
            ["source", "model", "cte", "subquery"].contains(&kind),
            "{node}"
        );
        assert_eq!(node["model"].is_null(), kind == "source", "{node}");
        assert!(node["unresolved"].is_null(), "{node}");
        assert_eq!(node["parents_shown"], true, "the whole project: {node}");
    }
    let edges = document["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    for edge in edges {
        assert!(edge["from"].as_u64().unwrap() < nodes.len() as u64);
        assert!(edge["to"].as_u64().unwrap() < nodes.len() as u64);
        let kind = edge["kind"].as_str().unwrap();
        assert!(KINDS[..3].contains(&kind), "{edge}");
        assert!(edge["expression"].is_string() || edge["expression"].is_null());
        assert!(edge["file"].is_string(), "{edge}");
        assert!(edge["span"]["start"]["line"].is_u64(), "{edge}");
    }
    let tables = document["tables"].as_array().unwrap();
    let mut indirect_count = 0;
    for table in tables {
        assert!(table["name"].is_string());
        for id in table["columns"].as_array().unwrap() {
            assert_eq!(nodes[id.as_u64().unwrap() as usize]["table"], table["name"]);
        }
        for input in table["indirect"].as_array().unwrap() {
            assert_eq!(table["kind"], "model", "{table}");
            assert!(KINDS[3..].contains(&input["kind"].as_str().unwrap()));
            assert!(input["node"].as_u64().unwrap() < nodes.len() as u64);
            indirect_count += 1;
        }
        assert!(table["more_upstream"].is_boolean());
        assert!(table["more_downstream"].is_boolean());
    }
    assert!(indirect_count > 0, "the sample joins and groups");
}

#[test]
fn json_focus_names_the_column() {
    let graph = graph_of(&sample_files());
    let options = ViewOptions::around(
        Focus::Column {
            table: "orders".into(),
            column: "amount".into(),
        },
        Some(1),
    );
    let view = LineageView::select(&graph, &options).unwrap();
    let document = export::to_json(&view);
    assert_eq!(document["focus"]["table"], "orders");
    assert_eq!(document["focus"]["column"], "amount");
    let node = document["focus"]["node"].as_u64().unwrap() as usize;
    assert_eq!(document["nodes"][node]["column"], "amount");
}

#[test]
fn json_reports_unresolved_columns() {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"u\"\n".into());
    files.insert("models/m.sql".into(), "select x from missing_table".into());
    let graph = ColumnGraph::build(&compile(&files));
    let document = export::to_json(&whole(&graph, CteDisplay::Tables));
    let reasons: Vec<&str> = document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|node| node["unresolved"].as_str())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("missing_table")),
        "{reasons:?}"
    );
}

fn event(view: &LineageView, time: Option<&str>) -> Value {
    let mut options = options();
    options.event_time = time.map(str::to_string);
    export::to_openlineage(view, &options).unwrap()
}

#[test]
fn openlineage_event_shape() {
    let graph = graph_of(&sample_files());
    let event = event(&whole(&graph, CteDisplay::Tables), None);
    assert_eq!(event["eventType"], "COMPLETE");
    assert_eq!(event["eventTime"], export::DEFAULT_EVENT_TIME);
    assert_eq!(event["schemaURL"], RUN_EVENT_SCHEMA_URL);
    assert_eq!(event["job"]["name"], "jaffle_shop");
    assert_eq!(event["job"]["namespace"], "rocky://jaffle_shop");
    let run_id = event["run"]["runId"].as_str().unwrap();
    assert_eq!(run_id.len(), 36);
    assert_eq!(&run_id[14..15], "5", "a version 5 UUID: {run_id}");

    let outputs: Vec<&str> = event["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    let mut sorted = outputs.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "customers",
            "orders",
            "stg_customers",
            "stg_orders",
            "stg_payments"
        ]
    );
    let inputs: BTreeSet<&str> = event["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = [
        "raw_customers",
        "raw_orders",
        "raw_payments",
        "stg_customers",
        "stg_orders",
        "stg_payments",
    ]
    .into();
    assert_eq!(inputs, expected);

    for output in event["outputs"].as_array().unwrap() {
        let facet = &output["facets"]["columnLineage"];
        assert_eq!(facet["_schemaURL"], export::COLUMN_LINEAGE_FACET_URL);
        assert!(facet["_producer"]
            .as_str()
            .unwrap()
            .starts_with("urn:rocky:"));
        let fields = facet["fields"].as_object().unwrap();
        assert!(!fields.is_empty(), "{}", output["name"]);
        let listed = fields
            .values()
            .flat_map(|f| f["inputFields"].as_array().unwrap().iter());
        for input in listed.chain(facet["dataset"].as_array().unwrap()) {
            assert_eq!(input["namespace"], "rocky://jaffle_shop");
            let name = input["name"].as_str().unwrap();
            assert!(inputs.contains(name), "{name} is not an input");
            assert!(input["field"].is_string());
            for transformation in input["transformations"].as_array().unwrap() {
                let facet_name = format!(
                    "{}/{}",
                    transformation["type"].as_str().unwrap(),
                    transformation["subtype"].as_str().unwrap()
                );
                assert!(KINDS.contains(&facet_name.as_str()), "{facet_name}");
                assert_eq!(transformation["masking"], false);
                assert!(transformation["description"].is_string());
                if facet_name == "DIRECT/IDENTITY" || facet_name.starts_with("INDIRECT/") {
                    assert_eq!(transformation["description"], "", "{facet_name}");
                }
            }
        }
    }
}

#[test]
fn openlineage_follows_ctes_to_datasets() {
    let graph = graph_of(&sample_files());
    for ctes in [CteDisplay::Tables, CteDisplay::Collapsed] {
        let event = event(&whole(&graph, ctes), None);
        let customers = event["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "customers")
            .unwrap();
        let facet = &customers["facets"]["columnLineage"];
        let clv = &facet["fields"]["customer_lifetime_value"]["inputFields"];
        assert_eq!(clv.as_array().unwrap().len(), 1, "{clv}");
        assert_eq!(clv[0]["name"], "stg_payments");
        assert_eq!(clv[0]["field"], "amount");
        assert_eq!(clv[0]["transformations"][0]["type"], "DIRECT");
        assert_eq!(clv[0]["transformations"][0]["subtype"], "AGGREGATION");
        assert_eq!(clv[0]["transformations"][0]["description"], "sum(amount)");
        let dataset = facet["dataset"].as_array().unwrap();
        // `customer_id` is both a grouping key and a join key of customers,
        // and the facet lists each kind.
        let subtypes: Vec<&str> = dataset
            .iter()
            .filter(|input| input["name"] == "stg_orders" && input["field"] == "customer_id")
            .flat_map(|input| input["transformations"].as_array().unwrap())
            .map(|t| t["subtype"].as_str().unwrap())
            .collect();
        assert!(subtypes.contains(&"GROUP_BY"), "{subtypes:?}");
        assert!(subtypes.contains(&"JOIN"), "{subtypes:?}");
    }
}

#[test]
fn openlineage_run_id_is_deterministic() {
    let graph = graph_of(&sample_files());
    let view = whole(&graph, CteDisplay::Tables);
    let first = event(&view, None);
    let again = event(&whole(&graph_of(&sample_files()), CteDisplay::Tables), None);
    assert_eq!(first, again);
    let later = event(&view, Some("2024-05-01T12:00:00Z"));
    assert_eq!(later["eventTime"], "2024-05-01T12:00:00Z");
    assert_eq!(
        later["run"], first["run"],
        "the event time does not change the run"
    );

    let mut files = sample_files();
    files.insert("models/extra.sql".into(), "select 1 as one".into());
    let other = event(&whole(&graph_of(&files), CteDisplay::Tables), None);
    assert_ne!(other["run"], first["run"], "other content, other run");
}

#[test]
fn openlineage_focus_omits_partial_columns() {
    let graph = graph_of(&sample_files());
    let mut options = ViewOptions::around(
        Focus::Column {
            table: "customers".into(),
            column: "customer_lifetime_value".into(),
        },
        None,
    );
    options.reach = Reach::Upstream;
    let view = LineageView::select(&graph, &options).unwrap();
    // The join keys of customers are shown, but not their own parents.
    let stg_orders = view.tables.iter().find(|t| t.name == "stg_orders").unwrap();
    assert!(stg_orders.columns.iter().all(|c| !c.parents_shown));

    let event = event(&view, None);
    let outputs: Vec<&str> = event["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(outputs, ["stg_payments", "customers"]);
    let customers = &event["outputs"][1]["facets"]["columnLineage"];
    let fields: Vec<&String> = customers["fields"].as_object().unwrap().keys().collect();
    assert_eq!(fields, ["customer_lifetime_value"]);
    assert!(!customers["dataset"].as_array().unwrap().is_empty());
}

#[test]
fn openlineage_rejects_invalid_time() {
    let graph = graph_of(&sample_files());
    let mut options = options();
    options.event_time = Some("yesterday".into());
    let error = export::to_openlineage(&whole(&graph, CteDisplay::Tables), &options).unwrap_err();
    assert_eq!(error, ExportError::InvalidEventTime("yesterday".into()));
}

#[test]
fn openlineage_keeps_hostile_names() {
    let graph = graph_of(&hostile_files());
    let event = event(&whole(&graph, CteDisplay::Tables), None);
    let text = serde_json::to_string(&event).unwrap();
    let parsed: Value = serde_json::from_str(&text).unwrap();
    let model = parsed["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "a<b>&'\"\\")
        .expect("the hostile model is an output");
    let field = &model["facets"]["columnLineage"]["fields"]["out\"put<&>'\\"];
    assert_eq!(field["inputFields"][0]["name"], "src<&>'\"\\");
    assert_eq!(field["inputFields"][0]["field"], "col<1>&'\"\\");
    // The CTE with a quote in its name is followed through, not listed.
    assert!(!text.contains("c\\\"te<x>"), "{text}");
}

/// Checks that braces balance outside quoted strings and HTML-like labels,
/// so no user text ended a string or a label early.
fn assert_dot_structure(dot: &str) {
    let mut depth = 0i32;
    let mut html = 0i32;
    let mut in_string = false;
    let mut chars = dot.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if html == 0 => in_string = true,
            // The arrow of an edge statement.
            '-' if html == 0 && chars.peek() == Some(&'>') => {
                chars.next();
            }
            '<' => html += 1,
            '>' => html -= 1,
            '{' if html == 0 => depth += 1,
            '}' if html == 0 => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "a brace closes too early:\n{dot}");
        assert!(html >= 0, "a label closes too early:\n{dot}");
    }
    assert_eq!(depth, 0, "unbalanced braces:\n{dot}");
    assert_eq!(html, 0, "unbalanced HTML labels:\n{dot}");
    assert!(!in_string, "unterminated string:\n{dot}");
}

#[test]
fn dot_has_clusters_and_ports() {
    let graph = graph_of(&sample_files());
    let view = whole(&graph, CteDisplay::Tables);
    let dot = export::to_dot(&view);
    assert!(dot.starts_with("digraph lineage {\n"));
    assert!(dot.contains("rankdir=LR"));
    assert_eq!(
        dot.matches("subgraph cluster_").count(),
        5,
        "a cluster per model"
    );
    assert_eq!(dot.matches("<TABLE ").count(), view.tables.len());
    assert_eq!(dot.matches(" -> ").count(), view.edges.len());
    assert!(dot.contains("style=dashed"), "indirect edges are dashed");
    assert!(dot.contains("penwidth=2"), "aggregations are bold");
    assert_dot_structure(&dot);
}

#[test]
fn dot_escapes_hostile_names() {
    let graph = graph_of(&hostile_files());
    let dot = export::to_dot(&whole(&graph, CteDisplay::Tables));
    assert_dot_structure(&dot);
    assert!(dot.contains("src&lt;&amp;&gt;&#39;&quot;\\"), "{dot}");
    assert!(dot.contains("multi\\nline"), "a line break is shown as \\n");
    assert!(!dot.contains("multi\nline"));
    // In a quoted tooltip, the quote and the backslash are escaped.
    assert!(dot.contains(r#"tooltip="a<b>&'\"\\""#), "{dot}");
}

#[test]
fn mermaid_has_subgraphs_and_links() {
    let graph = graph_of(&sample_files());
    let view = whole(&graph, CteDisplay::Collapsed);
    let text = export::to_mermaid(&view);
    assert!(text.starts_with("flowchart LR\n"));
    assert_eq!(text.matches("  subgraph ").count(), view.tables.len());
    assert_eq!(text.matches("\n  end\n").count(), view.tables.len());
    assert_eq!(text.matches("linkStyle ").count(), view.edges.len());
    assert!(text.contains("==>|\"aggregation\"|"));
    assert!(text.contains("-.->|\"join\"|"));
}

#[test]
fn mermaid_escapes_hostile_names() {
    let graph = graph_of(&hostile_files());
    let text = export::to_mermaid(&whole(&graph, CteDisplay::Tables));
    for line in text.lines() {
        // Every label is one quoted string: exactly two quotes a line.
        if !line.contains('[') {
            continue;
        }
        assert_eq!(line.matches('"').count(), 2, "{line}");
        for raw in ['<', '>', '&', '`'] {
            assert!(!line.contains(raw), "raw {raw:?} in {line}");
        }
    }
    assert!(text.contains("src#60;#38;#62;'#34;\\ (source)"), "{text}");
    // `#35;` in a name is not decoded into `#`.
    assert!(text.contains("#35;35;x|y#96;z"), "{text}");
}

/// Checks that every `<` starts one of the SVG export's own elements, so
/// no user text opened a tag.
fn assert_svg_tags(svg: &str) {
    const TAGS: [&str; 9] = [
        "svg", "style", "defs", "marker", "path", "g", "rect", "text", "title",
    ];
    for (index, _) in svg.match_indices('<') {
        let rest = svg[index + 1..].trim_start_matches('/');
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected <{name} at {index}"
        );
    }
}

#[test]
fn svg_is_self_contained() {
    let graph = graph_of(&sample_files());
    let drawn = layout(&whole(&graph, CteDisplay::Tables));
    let svg = export::to_svg(&drawn);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("href"), "nothing is loaded from elsewhere");
    assert!(!svg.contains("<script"));
    assert_eq!(svg.matches("<g class=\"box ").count(), drawn.boxes.len());
    assert_eq!(
        svg.matches("<path class=\"edge ").count(),
        drawn.edges.len()
    );
    assert_svg_tags(&svg);
}

#[test]
fn svg_escapes_hostile_names() {
    let graph = graph_of(&hostile_files());
    let svg = export::to_svg(&layout(&whole(&graph, CteDisplay::Tables)));
    assert_svg_tags(&svg);
    assert!(svg.contains("src&lt;&amp;&gt;&#39;&quot;\\"), "{svg}");
    assert!(svg.contains("multi\\nline"));
    for name in HOSTILE_NAMES {
        assert!(
            !svg.contains(name) || !name.contains(['<', '&']),
            "raw {name}"
        );
    }
}

#[test]
fn export_dispatches_every_format() {
    let graph = graph_of(&sample_files());
    let mut options = ViewOptions::around(Focus::Table("orders".into()), Some(1));
    options.reach = Reach::Upstream;
    let view = LineageView::select(&graph, &options).unwrap();
    let starts = [
        (Format::Json, "{"),
        (Format::OpenLineage, "{"),
        (Format::Dot, "digraph"),
        (Format::Mermaid, "flowchart"),
        (Format::Svg, "<svg"),
    ];
    for (format, start) in starts {
        let text = export::export(&view, format, &self::options()).unwrap();
        assert!(text.starts_with(start), "{format:?}: {}", &text[..40]);
        assert!(text.ends_with('\n'), "{format:?} ends with a newline");
    }
}
