//! The lineage view's selection and layout: which tables a focus shows,
//! and the geometric invariants of the drawing (no overlapping boxes,
//! edges pointing right, the same coordinates on every run), on the
//! sample project and on generated ones.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use rocky_core::layout::{
    layout, CteDisplay, Focus, Layout, LineageView, Reach, ViewError, ViewOptions,
};
use rocky_core::{compile, ColumnGraph, LineageKind, ProjectFiles, TableKind};

fn sample_graph() -> ColumnGraph {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sample/jaffle_shop");
    let mut files = ProjectFiles::new();
    for folder in ["", "models", "sources", "data"] {
        let dir = std::path::Path::new(root).join(folder);
        for entry in std::fs::read_dir(&dir).unwrap() {
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
    let compilation = compile(&files);
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    ColumnGraph::build(&compilation)
}

/// Builds a project of `count` models over two sources: model `i` reads model
/// `i - 1` and, every third model, also model `i - 7`, through a CTE, so
/// there are long edges and joins.
fn generated_graph(count: usize) -> ColumnGraph {
    let mut files = ProjectFiles::new();
    files.insert(
        "rocky.toml".into(),
        "[project]\nname = \"generated\"\n".into(),
    );
    files.insert(
        "sources/raw.sql".into(),
        "CREATE TABLE raw_a (id INTEGER, v INTEGER, w VARCHAR);\nCREATE TABLE raw_b (id INTEGER, v INTEGER, w VARCHAR);\n".into(),
    );
    for i in 0..count {
        let sql = if i == 0 {
            "select a.id, a.v + b.v as v, a.w from raw_a a join raw_b b on a.id = b.id".to_string()
        } else if i % 3 == 0 && i >= 7 {
            format!(
                "with p as (select id, v, w from m{}) \
                 select p.id, p.v + q.v as v, q.w from p join m{} q on p.id = q.id",
                i - 1,
                i - 7
            )
        } else {
            format!(
                "select id, sum(v) as v, max(w) as w from m{} group by id",
                i - 1
            )
        };
        files.insert(format!("models/m{i}.sql"), sql);
    }
    let compilation = compile(&files);
    assert!(
        !compilation.has_errors(),
        "{:?}",
        &compilation.diagnostics[..1]
    );
    ColumnGraph::build(&compilation)
}

fn view(graph: &ColumnGraph, options: &ViewOptions) -> LineageView {
    LineageView::select(graph, options).unwrap()
}

/// Checks what every layout must satisfy.
fn assert_invariants(view: &LineageView, layout: &Layout) {
    assert_eq!(layout.boxes.len(), view.tables.len());
    for (i, a) in layout.boxes.iter().enumerate() {
        assert!(
            a.x >= 0.0 && a.y >= 0.0,
            "box {} at ({}, {})",
            a.title,
            a.x,
            a.y
        );
        assert!(
            a.x + a.width <= layout.width,
            "box {} past the width",
            a.title
        );
        assert!(
            a.y + a.height <= layout.height,
            "box {} past the height",
            a.title
        );
        for b in &layout.boxes[i + 1..] {
            let apart = a.x + a.width <= b.x
                || b.x + b.width <= a.x
                || a.y + a.height <= b.y
                || b.y + b.height <= a.y;
            assert!(apart, "boxes {} and {} overlap", a.title, b.title);
        }
        for (r, row) in a.rows.iter().enumerate() {
            assert!(
                row.y + row.height <= a.height,
                "row {r} of {} outside",
                a.title
            );
        }
    }
    for edge in &layout.edges {
        let from = &layout.boxes[edge.from_box];
        let to = &layout.boxes[edge.to_box];
        assert!(edge.from_row < from.rows.len());
        if let Some(row) = edge.to_row {
            assert!(row < to.rows.len());
        }
        let first = edge.points.first().unwrap();
        let last = edge.points.last().unwrap();
        assert_eq!(
            first.x,
            from.x + from.width,
            "edge starts at the parent's right side"
        );
        assert_eq!(last.x, to.x, "edge ends at the child's left side");
        // Points between the ends pass through layers in order.
        for pair in edge.points.windows(2) {
            if from.layer < to.layer {
                assert!(pair[0].x <= pair[1].x, "edge from {} goes left", from.title);
            }
        }
    }
}

/// Checks that every edge goes from a lower layer to a higher one, unless it closes a
/// cycle (which a compiled project without errors has none of).
fn assert_layers_point_right(layout: &Layout) {
    for edge in &layout.edges {
        let (from, to) = (&layout.boxes[edge.from_box], &layout.boxes[edge.to_box]);
        assert!(
            from.layer < to.layer,
            "{} (layer {}) feeds {} (layer {})",
            from.title,
            from.layer,
            to.title,
            to.layer
        );
    }
}

#[test]
fn sample_layout_invariants() {
    let graph = sample_graph();
    for ctes in [CteDisplay::Tables, CteDisplay::Collapsed] {
        let options = ViewOptions {
            ctes,
            indirect: true,
            ..ViewOptions::default()
        };
        let view = view(&graph, &options);
        let layout = layout(&view);
        assert_invariants(&view, &layout);
        assert_layers_point_right(&layout);
    }
}

#[test]
fn sample_layers_follow_the_dag() {
    let graph = sample_graph();
    let options = ViewOptions {
        ctes: CteDisplay::Collapsed,
        indirect: true,
        ..ViewOptions::default()
    };
    let layout = layout(&view(&graph, &options));
    let layer = |title: &str| {
        layout
            .boxes
            .iter()
            .find(|b| b.title == title)
            .unwrap_or_else(|| panic!("no box {title}"))
            .layer
    };
    assert_eq!(layer("raw_orders"), 0);
    assert_eq!(layer("stg_orders"), 1);
    assert_eq!(layer("orders"), 2);
    assert_eq!(layer("customers"), 2);
}

#[test]
fn layout_is_deterministic() {
    let graph = sample_graph();
    let options = ViewOptions::around(Focus::All, None);
    let first = layout(&view(&graph, &options));
    for _ in 0..3 {
        let again = layout(&view(&sample_graph(), &options));
        assert_eq!(first, again);
    }
    let json = serde_json::to_string(&first).unwrap();
    assert_eq!(
        json,
        serde_json::to_string(&layout(&view(&graph, &options))).unwrap()
    );
}

#[test]
fn ctes_as_tables_or_collapsed() {
    let graph = sample_graph();
    let mut options = ViewOptions::around(Focus::Table("customers".into()), Some(1));
    let with_ctes = view(&graph, &options);
    assert!(with_ctes
        .tables
        .iter()
        .any(|t| t.kind == TableKind::Cte && t.display_name() == "customers.customer_orders"));
    options.ctes = CteDisplay::Collapsed;
    let collapsed = view(&graph, &options);
    assert!(collapsed
        .tables
        .iter()
        .all(|t| matches!(t.kind, TableKind::Model | TableKind::Source)));
    // Collapsed, customers.customer_lifetime_value reads stg_payments.amount
    // by aggregation, through the CTEs.
    let customers = collapsed
        .tables
        .iter()
        .position(|t| t.name == "customers")
        .unwrap();
    let payments = collapsed
        .tables
        .iter()
        .position(|t| t.name == "stg_payments")
        .unwrap();
    let clv = collapsed.tables[customers]
        .columns
        .iter()
        .position(|c| c.name == "customer_lifetime_value")
        .unwrap();
    let amount = collapsed.tables[payments]
        .columns
        .iter()
        .position(|c| c.name == "amount")
        .unwrap();
    let edge = collapsed
        .edges
        .iter()
        .find(|e| {
            e.to.table == customers
                && e.to.column == Some(clv)
                && e.from.table == payments
                && e.from.column == amount
        })
        .expect("an edge from stg_payments.amount to customer_lifetime_value");
    assert_eq!(
        edge.kind,
        LineageKind::Direct(rocky_core::EdgeKind::Aggregation)
    );
    let layout = layout(&collapsed);
    assert_invariants(&collapsed, &layout);
}

#[test]
fn hops_limit_the_tables() {
    let graph = sample_graph();
    let mut options = ViewOptions::around(Focus::Table("stg_orders".into()), Some(1));
    options.ctes = CteDisplay::Collapsed;
    let shown: BTreeSet<String> = view(&graph, &options)
        .tables
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let expected: BTreeSet<String> = ["raw_orders", "stg_orders", "orders", "customers"]
        .map(String::from)
        .into();
    assert_eq!(shown, expected);

    options.reach = Reach::Upstream;
    let upstream: Vec<String> = view(&graph, &options)
        .tables
        .iter()
        .map(|t| t.name.clone())
        .collect();
    assert_eq!(upstream, ["raw_orders", "stg_orders"]);

    options.hops = Some(0);
    options.reach = Reach::Both;
    let alone = view(&graph, &options);
    assert_eq!(alone.tables.len(), 1);
    assert!(alone.tables[0].more_upstream);
    assert!(alone.tables[0].more_downstream);
}

#[test]
fn include_adds_a_neighbour() {
    let graph = sample_graph();
    let mut options = ViewOptions::around(Focus::Table("stg_orders".into()), Some(0));
    options.ctes = CteDisplay::Collapsed;
    options.include = vec!["ORDERS".into()];
    let names: Vec<String> = view(&graph, &options)
        .tables
        .iter()
        .map(|t| t.name.clone())
        .collect();
    assert_eq!(names, ["stg_orders", "orders"]);
}

#[test]
fn column_focus_shows_traced_columns() {
    let graph = sample_graph();
    let mut options = ViewOptions::around(
        Focus::Column {
            table: "customers".into(),
            column: "customer_lifetime_value".into(),
        },
        None,
    );
    options.reach = Reach::Upstream;
    options.ctes = CteDisplay::Collapsed;
    options.indirect = false;
    let selected = view(&graph, &options);
    let columns: BTreeSet<String> = selected
        .tables
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(move |c| format!("{}.{}", t.name, c.name))
        })
        .collect();
    let expected: BTreeSet<String> = [
        "customers.customer_lifetime_value",
        "stg_payments.amount",
        "raw_payments.amount",
    ]
    .map(String::from)
    .into();
    assert_eq!(columns, expected);
    let focus = selected.focus.unwrap();
    assert_eq!(selected.tables[focus.table].name, "customers");
    assert_eq!(focus.column, Some(0));
    let drawn = layout(&selected);
    assert_invariants(&selected, &drawn);
    assert!(drawn.boxes[focus.table].rows[0].focus);
}

#[test]
fn downstream_follows_indirect_readers() {
    let graph = sample_graph();
    let mut options = ViewOptions::around(
        Focus::Column {
            table: "stg_orders".into(),
            column: "order_id".into(),
        },
        None,
    );
    options.reach = Reach::Downstream;
    options.ctes = CteDisplay::Collapsed;
    let selected = view(&graph, &options);
    // customers joins on order_id's table, and counts order_id.
    let customers = selected
        .tables
        .iter()
        .find(|t| t.name == "customers")
        .unwrap();
    assert!(customers
        .columns
        .iter()
        .any(|c| c.name == "number_of_orders"));
    assert!(selected
        .edges
        .iter()
        .any(|e| matches!(e.kind, LineageKind::Indirect(_)) && e.to.column.is_none()));
}

#[test]
fn unknown_names_are_errors() {
    let graph = sample_graph();
    let error = LineageView::select(
        &graph,
        &ViewOptions::around(Focus::Table("custmers".into()), None),
    )
    .unwrap_err();
    assert_eq!(
        error,
        ViewError::UnknownTable {
            name: "custmers".into(),
            suggestion: Some("customers".into())
        }
    );
    let error = LineageView::select(
        &graph,
        &ViewOptions::around(
            Focus::Column {
                table: "customers".into(),
                column: "first_nme".into(),
            },
            None,
        ),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "`customers` has no column `first_nme`; did you mean `first_name`?"
    );
}

#[test]
fn generated_project_invariants() {
    let graph = generated_graph(60);
    for ctes in [CteDisplay::Tables, CteDisplay::Collapsed] {
        let options = ViewOptions {
            ctes,
            indirect: true,
            ..ViewOptions::default()
        };
        let selected = view(&graph, &options);
        let drawn = layout(&selected);
        assert_invariants(&selected, &drawn);
        assert_layers_point_right(&drawn);
        assert!(drawn.layer_count >= 60, "{} layers", drawn.layer_count);
    }
}

#[test]
fn sweeps_reduce_crossings() {
    // Two sources read in crossed order by two models.
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"x\"\n".into());
    files.insert(
        "sources/raw.sql".into(),
        "CREATE TABLE a (x INTEGER);\nCREATE TABLE b (x INTEGER);\n".into(),
    );
    files.insert("models/m1.sql".into(), "select x from b".into());
    files.insert("models/m2.sql".into(), "select x from a".into());
    files.insert(
        "models/m3.sql".into(),
        "select m1.x, m2.x as y from m1, m2".into(),
    );
    let graph = ColumnGraph::build(&compile(&files));
    let drawn = layout(&view(&graph, &ViewOptions::around(Focus::All, None)));
    assert_eq!(drawn.crossings, 0.0);
}

#[test]
fn focused_layout_of_large_project_is_fast() {
    let graph = generated_graph(1000);
    let options = ViewOptions::around(Focus::Table("m500".into()), Some(2));
    let started = Instant::now();
    let selected = view(&graph, &options);
    let drawn = layout(&selected);
    let elapsed = started.elapsed();
    assert!(drawn.boxes.len() < 20, "{} boxes", drawn.boxes.len());
    assert_invariants(&selected, &drawn);
    // Measured at about 10 ms in a debug build on 2 cores; the bound
    // leaves room for slow CI machines but fails a whole-graph layout.
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
}

#[test]
fn whole_layout_of_large_project() {
    let graph = generated_graph(1000);
    let started = Instant::now();
    let selected = view(&graph, &ViewOptions::around(Focus::All, None));
    let drawn = layout(&selected);
    let elapsed = started.elapsed();
    assert_eq!(drawn.boxes.len(), 1333, "1,000 models, 331 CTEs, 2 sources");
    assert_invariants(&selected, &drawn);
    assert_layers_point_right(&drawn);
    // Measured at about 130 ms in a debug build and 20 ms in release on 2
    // cores; the bound catches a sweep that grows with layers times slots.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}
