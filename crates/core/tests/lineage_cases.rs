//! Lineage of constructs where column-lineage tools often go wrong: each
//! case states the model and the filters or parents its columns must have,
//! worked out by hand and checked against DuckDB 1.4.4's DESCRIBE and
//! results.

use std::collections::BTreeSet;

use rocky_core::{compile, ColumnGraph, Compilation, EdgeKind, IndirectKind, ProjectFiles};

const SOURCES: &str = "
CREATE TABLE src (id INTEGER, a INTEGER, b VARCHAR, c DOUBLE);
CREATE TABLE oth (id INTEGER, x INTEGER, b VARCHAR);
CREATE TABLE ev (id INTEGER, tags VARCHAR[], dev STRUCT(os VARCHAR, ver INTEGER), nums INTEGER[]);
CREATE TABLE emp (id INTEGER, mgr INTEGER, name VARCHAR);
";

fn project(models: &[(&str, &str)]) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    for (name, sql) in models {
        files.insert(format!("models/{name}.sql"), sql.to_string());
    }
    let compilation = compile(&files);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    compilation
}

/// The filters of model `m` of a one-model project, as `table.column KIND`.
fn filters(sql: &str) -> BTreeSet<String> {
    let compilation = project(&[("m", sql)]);
    compilation
        .model("m")
        .unwrap()
        .filters
        .iter()
        .map(|f| format!("{}.{} {}", f.model, f.column, f.kind.facet_name()))
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| item.to_string()).collect()
}

#[test]
fn unused_cte_filters_nothing() {
    let sql = "with unused as (select id from oth where x > 0) select id from src";
    assert_eq!(filters(sql), set(&[]));
    // Read once, its filter counts.
    let used =
        "with f as (select id from oth where x > 0) select src.id from src join f using (id)";
    assert!(
        filters(used).contains("oth.x INDIRECT/FILTER"),
        "{:?}",
        filters(used)
    );
}

#[test]
fn columns_in_where_filters() {
    assert_eq!(
        filters("select id from src where columns(* exclude (id)) is not null"),
        set(&[
            "src.a INDIRECT/FILTER",
            "src.b INDIRECT/FILTER",
            "src.c INDIRECT/FILTER"
        ])
    );
    assert_eq!(
        filters("select id from src where columns('^(a|c)$') > 0"),
        set(&["src.a INDIRECT/FILTER", "src.c INDIRECT/FILTER"])
    );
}

#[test]
fn kinds_survive_the_graph() {
    let compilation = project(&[(
        "m",
        "select b, count(*) as n from src where b > 'a' group by b",
    )]);
    let graph = ColumnGraph::build(&compilation);
    let kinds: BTreeSet<IndirectKind> = graph
        .indirect_inputs("m")
        .into_iter()
        .filter(|(id, _)| graph.node(*id).column == "b")
        .map(|(_, kind)| kind)
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from([IndirectKind::Filter, IndirectKind::GroupBy])
    );
}

#[test]
fn direct_kinds_are_unchanged() {
    let compilation = project(&[("m", "select a + 1 as a1 from src")]);
    let column = &compilation.model("m").unwrap().columns[0];
    assert_eq!(column.lineage[0].kind, EdgeKind::Transformation);
}

#[test]
fn view_keeps_every_indirect_kind() {
    use rocky_core::layout::{Focus, LineageView, ViewOptions};
    let compilation = project(&[(
        "m",
        "select b, count(*) as n from src where b > 'a' group by b",
    )]);
    let graph = ColumnGraph::build(&compilation);
    let view = LineageView::select(
        &graph,
        &ViewOptions::around(Focus::Table("m".into()), Some(1)),
    )
    .unwrap();
    let kinds: BTreeSet<String> = view
        .edges
        .iter()
        .filter(|edge| edge.to.column.is_none())
        .map(|edge| edge.kind.facet_name().to_string())
        .collect();
    assert_eq!(kinds, set(&["INDIRECT/FILTER", "INDIRECT/GROUP_BY"]));
}

#[test]
fn order_inside_aggregates_sorts() {
    assert_eq!(
        filters(
            "select string_agg(b, ',' order by c) as s, first(a order by c desc) as f from src"
        ),
        set(&["src.c INDIRECT/SORT"])
    );
    assert_eq!(
        filters("select b, list(a order by c) as l from src group by b"),
        set(&["src.b INDIRECT/GROUP_BY", "src.c INDIRECT/SORT"])
    );
}

#[test]
fn distinct_on_order_sorts() {
    assert_eq!(
        filters("select distinct on (b) b, id, a from src order by b, c desc"),
        set(&[
            "src.b INDIRECT/GROUP_BY",
            "src.b INDIRECT/SORT",
            "src.c INDIRECT/SORT"
        ])
    );
}

#[test]
fn set_operation_order_with_limit_sorts() {
    assert_eq!(
        filters("(select id, a from src union all select id, x from oth) order by a desc limit 3"),
        set(&["oth.x INDIRECT/SORT", "src.a INDIRECT/SORT"])
    );
    // Without LIMIT the order changes no row.
    assert_eq!(
        filters("select id, a from src union all select id, x from oth order by a"),
        set(&[])
    );
}

#[test]
fn select_list_unnest_filters() {
    assert_eq!(
        filters("select id, unnest(tags) as tag from ev"),
        set(&["ev.tags INDIRECT/FILTER"])
    );
    assert_eq!(
        filters(
            "select e.id, u.n from ev e left join lateral (select unnest(e.nums) as n) u on true"
        ),
        set(&["ev.nums INDIRECT/FILTER"])
    );
}

#[test]
fn unnest_of_struct_makes_field_columns() {
    let compilation = project(&[
        ("m", "select id, unnest(dev) from ev"),
        ("d", "select os from m"),
    ]);
    let m = compilation.model("m").unwrap();
    let columns: Vec<(&str, &str)> = m
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.ty.as_str()))
        .collect();
    assert_eq!(
        columns,
        [("id", "INTEGER"), ("os", "VARCHAR"), ("ver", "INTEGER")]
    );
    assert_eq!(m.columns[1].lineage[0].model, "ev");
    assert_eq!(m.columns[1].lineage[0].column, "dev");
    // The rows stay as they are.
    assert!(m.filters.is_empty(), "{:?}", m.filters);
    let d = compilation.model("d").unwrap();
    assert_eq!(d.columns[0].lineage[0].model, "m");
    assert_eq!(d.columns[0].lineage[0].column, "os");
}

#[test]
fn qualify_window_keys_filter() {
    assert_eq!(
        filters(
            "select id, a from src qualify row_number() over (partition by b order by c desc) = 1"
        ),
        set(&[
            "src.b INDIRECT/FILTER",
            "src.b INDIRECT/WINDOW",
            "src.c INDIRECT/FILTER",
            "src.c INDIRECT/WINDOW"
        ])
    );
}

#[test]
fn if_condition_is_conditional() {
    let compilation = project(&[("m", "select if(a > 0, b, null) as v from src")]);
    let m = compilation.model("m").unwrap();
    let parents: Vec<String> = m.columns[0]
        .lineage
        .iter()
        .map(|e| e.column.clone())
        .collect();
    assert_eq!(parents, ["b"]);
    let filters: Vec<String> = m
        .filters
        .iter()
        .map(|f| format!("{}.{} {}", f.model, f.column, f.kind.facet_name()))
        .collect();
    assert_eq!(filters, ["src.a INDIRECT/CONDITIONAL"]);
}

fn compile_models(models: &[(&str, &str)]) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    for (name, sql) in models {
        files.insert(format!("models/{name}.sql"), sql.to_string());
    }
    compile(&files)
}

#[test]
fn table_function_columns_are_unknown() {
    let compilation = compile_models(&[
        ("m3", "select * from read_csv('data/x.csv')"),
        ("d", "select id from m3"),
        ("files", "select file from glob('*.sql')"),
    ]);
    let warnings: Vec<&str> = compilation
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(warnings, ["W0109"], "{:#?}", compilation.diagnostics);
    assert_eq!(compilation.model("files").unwrap().columns[0].ty, "VARCHAR");
    let graph = ColumnGraph::build(&compilation);
    let star = graph.find("m3", "*").expect("m3 has no node");
    let reason = graph.node(star).unresolved.clone().unwrap();
    assert!(reason.contains("unknown until it runs"), "{reason}");
    let id = graph.find("d", "id").unwrap();
    assert!(graph.node(id).unresolved.is_some());
}

#[test]
fn model_with_errors_stays_in_graph() {
    let compilation = compile_models(&[
        ("m1", "select * from missing_tbl"),
        ("m7", "select id, zz from src"),
    ]);
    let graph = ColumnGraph::build(&compilation);
    let star = graph.find("m1", "*").expect("m1 has no node");
    let reason = graph.node(star).unresolved.clone().unwrap();
    assert!(reason.contains("missing_tbl"), "{reason}");
    let zz = graph.find("m7", "zz").unwrap();
    assert_eq!(
        graph.node(zz).unresolved.as_deref(),
        Some("reads `zz`, a column that was not found")
    );
    use rocky_core::layout::{Focus, LineageView, ViewOptions};
    let view = LineageView::select(
        &graph,
        &ViewOptions::around(Focus::Table("m1".into()), Some(1)),
    );
    assert!(view.is_ok(), "{:?}", view.err());
}

#[test]
fn element_and_field_kinds_are_transformations() {
    let compilation = project(&[
        ("a", "select id, dev.* from ev"),
        ("b", "select v from ev, unnest(ev.nums) u(v)"),
    ]);
    for (model, column) in [("a", "os"), ("b", "v")] {
        let output = compilation
            .model(model)
            .unwrap()
            .columns
            .iter()
            .find(|c| c.name == column)
            .unwrap();
        assert_eq!(
            output.lineage[0].kind,
            EdgeKind::Transformation,
            "{model}.{column}"
        );
    }
}

#[test]
fn table_row_as_struct() {
    let compilation = project(&[
        ("m", "select o from oth o"),
        ("n", "select id, oth from oth"),
    ]);
    let m = &compilation.model("m").unwrap().columns[0];
    assert_eq!(m.ty, "STRUCT(id INTEGER, x INTEGER, b VARCHAR)");
    let parents: BTreeSet<String> = m.lineage.iter().map(|e| e.column.clone()).collect();
    assert_eq!(parents, set(&["b", "id", "x"]));
    assert_eq!(compilation.model("n").unwrap().columns[1].name, "oth");
}

#[test]
fn using_sample_is_read() {
    let compilation = project(&[(
        "m",
        "select id\nfrom src\nwhere a > 0\nusing sample 50%\norder by id limit 5",
    )]);
    let m = compilation.model("m").unwrap();
    assert_eq!(m.columns[0].name, "id");
    assert!(m.filters.iter().any(|f| f.column == "a"));
}

fn names(compilation: &Compilation, model: &str) -> Vec<String> {
    compilation
        .model(model)
        .unwrap()
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn star_rename_and_patterns() {
    let compilation = project(&[
        ("r1", "select * rename (a as aa, c as cc) from src"),
        ("r2", "select * exclude (id) rename a as aa from src"),
        ("l1", "select * like 'i%' from src"),
        ("l2", "select * not ilike 'I%' from src"),
        ("l3", "select * glob '?' from src"),
        ("l4", "select s.* similar to '(a|b)' from src s"),
    ]);
    assert_eq!(names(&compilation, "r1"), ["id", "aa", "b", "cc"]);
    assert_eq!(names(&compilation, "r2"), ["aa", "b", "c"]);
    assert_eq!(names(&compilation, "l1"), ["id"]);
    assert_eq!(names(&compilation, "l2"), ["a", "b", "c"]);
    assert_eq!(names(&compilation, "l3"), ["a", "b", "c"]);
    assert_eq!(names(&compilation, "l4"), ["a", "b"]);
    // A renamed column keeps its lineage.
    let aa = &compilation.model("r1").unwrap().columns[1];
    assert_eq!(
        (aa.lineage[0].column.as_str(), aa.lineage[0].kind),
        ("a", EdgeKind::Identity)
    );
}

#[test]
fn star_rename_of_missing_column_is_an_error() {
    let compilation = compile_models(&[("m", "select * rename (zz as aa) from src")]);
    let error = compilation
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .unwrap();
    assert_eq!(error.code, "E0101");
    assert_eq!((error.span.start.column, error.span.end.column), (18, 20));
}

#[test]
fn layout_draws_one_line_per_input() {
    use rocky_core::layout::{layout_graph, Focus, ViewOptions};
    let compilation = project(&[(
        "m",
        "select b, count(*) as n from src where b > 'a' group by b",
    )]);
    let graph = ColumnGraph::build(&compilation);
    let layout = layout_graph(
        &graph,
        &ViewOptions::around(Focus::Table("m".into()), Some(1)),
    )
    .unwrap();
    let indirect: Vec<_> = layout.edges.iter().filter(|e| e.to_row.is_none()).collect();
    assert_eq!(indirect.len(), 1);
    let mut kinds: Vec<&str> = std::iter::once(indirect[0].kind)
        .chain(indirect[0].also.iter().copied())
        .map(|kind| kind.facet_name())
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["INDIRECT/FILTER", "INDIRECT/GROUP_BY"]);
}
