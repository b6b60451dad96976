//! Lineage through syntax that sqlparser reads differently from DuckDB,
//! and names Rocky cannot represent, each checked against DuckDB 1.4.4.

use rocky_core::{compile, Compilation, ProjectFiles};

fn project(sources: &str, models: &[(&str, &str)]) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), sources.into());
    for (name, sql) in models {
        files.insert(format!("models/{name}.sql"), sql.to_string());
    }
    compile(&files)
}

fn lineage(compilation: &Compilation, model: &str, column: &str) -> Vec<String> {
    let model = compilation.model(model).unwrap();
    let column = model.columns.iter().find(|c| c.name == column).unwrap();
    let mut found: Vec<String> = column
        .lineage
        .iter()
        .map(|e| format!("{}.{} {}", e.model, e.column, e.kind.facet_name()))
        .collect();
    found.sort();
    found
}

fn filters(compilation: &Compilation, model: &str) -> Vec<String> {
    let mut found: Vec<String> = compilation
        .model(model)
        .unwrap()
        .filters
        .iter()
        .map(|f| format!("{}.{} {}", f.model, f.column, f.kind.facet_name()))
        .collect();
    found.sort();
    found
}

fn codes(compilation: &Compilation) -> Vec<String> {
    compilation
        .diagnostics
        .iter()
        .map(|d| d.code.clone())
        .collect()
}

const ORDERS: &str = "CREATE TABLE o (id INTEGER, st VARCHAR, amt INTEGER, cust INTEGER, j JSON);";

#[test]
fn equals_inside_call_compares() {
    let c = project(
        ORDERS,
        &[
            (
                "m",
                "select count_if(st = 'paid') as n, bool_and(cust = id) as b from o",
            ),
            ("k", "select if(st = 'a', amt, 0) as x from o"),
        ],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    assert_eq!(lineage(&c, "m", "n"), ["o.st DIRECT/AGGREGATION"]);
    assert_eq!(
        lineage(&c, "m", "b"),
        ["o.cust DIRECT/AGGREGATION", "o.id DIRECT/AGGREGATION"]
    );
    assert_eq!(c.model("m").unwrap().columns[1].ty, "BOOLEAN");
    assert_eq!(lineage(&c, "k", "x"), ["o.amt DIRECT/TRANSFORMATION"]);
    assert_eq!(filters(&c, "k"), ["o.st INDIRECT/CONDITIONAL"]);
}

#[test]
fn json_arrow_reads_column() {
    let c = project(
        ORDERS,
        &[("m", "select id, j->'$.b' as b, j->>'$.c' as c, j->0 as d from o where (j->'$.a') is not null")],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    assert_eq!(lineage(&c, "m", "b"), ["o.j DIRECT/TRANSFORMATION"]);
    let types: Vec<&str> = c
        .model("m")
        .unwrap()
        .columns
        .iter()
        .map(|c| c.ty.as_str())
        .collect();
    // DuckDB 1.4.4: DESCRIBE gives INTEGER, JSON, VARCHAR, JSON.
    assert_eq!(types, ["INTEGER", "JSON", "VARCHAR", "JSON"]);
    assert_eq!(filters(&c, "m"), ["o.j INDIRECT/FILTER"]);
    // A real lambda keeps its meaning.
    let c = project(
        "CREATE TABLE l (xs INTEGER[]);",
        &[("m", "select list_transform(xs, x -> x + 1) as ys from l")],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    assert_eq!(c.model("m").unwrap().columns[0].ty, "INTEGER[]");
}

#[test]
fn dot_inside_quoted_name_is_an_error() {
    let c = project(
        "CREATE TABLE \"a.b\" (x INTEGER); CREATE TABLE b (x INTEGER, z DOUBLE);",
        &[
            ("m", "select x from \"a.b\""),
            ("dot.in.name", "select 1 as a"),
        ],
    );
    let mut found: Vec<String> = c
        .diagnostics
        .iter()
        .map(|d| format!("{} {} {}", d.code, d.file, d.message))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "E0002 models/dot.in.name.sql model file name `dot.in.name` has a `.`, so the model cannot be named after it",
            "E0004 sources/raw.sql source table name `\"a.b\"` has a `.` inside quotes",
            "E0103 models/m.sql table `\"a.b\"` not found",
        ]
    );
    // The model's column is not traced to `b.x`, which it does not read.
    assert!(lineage(&c, "m", "x").is_empty());
}

#[test]
fn one_bad_source_statement_keeps_the_rest() {
    let c = project(
        "CREATE TABLE good (id INTEGER);\nCREATE TABLE bad (m MAP(VARCHAR, VARCHAR[]));\nCREATE TABLE good2 (x INTEGER);\n",
        &[("m", "select g.id, h.x from good g, good2 h")],
    );
    let errors: Vec<(String, u32)> = c
        .diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.span.start.line))
        .collect();
    assert_eq!(errors, [("E0001".to_string(), 2)]);
    let names: Vec<&str> = c.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["good", "good2"]);
    assert_eq!(lineage(&c, "m", "x"), ["good2.x DIRECT/IDENTITY"]);
}

const WITH_CUSTOMERS: &str = "CREATE TABLE o (id INTEGER, st VARCHAR, amt INTEGER, cust INTEGER, j JSON);\nCREATE TABLE c (id INTEGER, name VARCHAR, tier VARCHAR);";

#[test]
fn exists_filters_on_its_condition_only() {
    let c = project(
        WITH_CUSTOMERS,
        &[(
            "m",
            "select o.id from o where exists (select * from c where c.id = o.cust)",
        )],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    assert_eq!(
        filters(&c, "m"),
        ["c.id INDIRECT/FILTER", "o.cust INDIRECT/FILTER"]
    );
    // As a value, EXISTS is computed from the same columns.
    let c = project(
        WITH_CUSTOMERS,
        &[(
            "v",
            "select id, exists (select 1 from c where c.id = o.cust) as known from o",
        )],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    assert_eq!(
        lineage(&c, "v", "known"),
        ["c.id DIRECT/TRANSFORMATION", "o.cust DIRECT/TRANSFORMATION"]
    );
    assert_eq!(filters(&c, "v"), Vec::<String>::new());
}

#[test]
fn in_subquery_as_value_is_lineage() {
    let c = project(
        WITH_CUSTOMERS,
        &[
            ("m", "select id, cust in (select id from c) as known from o"),
            (
                "w",
                "select id from o where cust in (select id from c where tier = 'gold')",
            ),
        ],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    assert_eq!(
        lineage(&c, "m", "known"),
        ["c.id DIRECT/TRANSFORMATION", "o.cust DIRECT/TRANSFORMATION"]
    );
    assert_eq!(filters(&c, "m"), Vec::<String>::new());
    assert_eq!(
        filters(&c, "w"),
        [
            "c.id INDIRECT/FILTER",
            "c.tier INDIRECT/FILTER",
            "o.cust INDIRECT/FILTER"
        ]
    );
}

#[test]
fn order_by_all_with_limit_sorts() {
    let c = project(
        WITH_CUSTOMERS,
        &[
            ("m", "select id, amt from o order by all limit 3"),
            ("n", "select id, amt from o order by all"),
            (
                "u",
                "select id from o union all select id from c order by all limit 2",
            ),
        ],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    assert_eq!(
        filters(&c, "m"),
        ["o.amt INDIRECT/SORT", "o.id INDIRECT/SORT"]
    );
    assert_eq!(filters(&c, "n"), Vec::<String>::new());
    assert_eq!(
        filters(&c, "u"),
        ["c.id INDIRECT/SORT", "o.id INDIRECT/SORT"]
    );
}

#[test]
fn qualify_on_window_alias_filters() {
    let c = project(
        WITH_CUSTOMERS,
        &[
            ("m", "select id, row_number() over (partition by cust order by amt) as rn from o qualify rn = 1"),
            ("n", "select id from o qualify row_number() over (partition by cust order by amt) = 1"),
        ],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    let expected = [
        "o.amt INDIRECT/FILTER",
        "o.amt INDIRECT/WINDOW",
        "o.cust INDIRECT/FILTER",
        "o.cust INDIRECT/WINDOW",
    ];
    assert_eq!(filters(&c, "m"), expected);
    assert_eq!(filters(&c, "n"), expected);
}

#[test]
fn unnest_inside_expression_filters() {
    let c = project(
        "CREATE TABLE l (id INTEGER, xs INTEGER[]);",
        &[
            ("m", "select id, unnest(xs) + 1 as y from l"),
            ("n", "select id, unnest(xs) as y from l"),
        ],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    assert_eq!(filters(&c, "m"), ["l.xs INDIRECT/FILTER"]);
    assert_eq!(filters(&c, "n"), ["l.xs INDIRECT/FILTER"]);
    assert_eq!(lineage(&c, "m", "y"), ["l.xs DIRECT/TRANSFORMATION"]);
}

#[test]
fn recursive_step_kind_reaches_sources() {
    let c = project(
        WITH_CUSTOMERS,
        &[
            ("m", "with recursive r(a) as (select id from o union all select a * 2 from r where a < 100) select a from r"),
            ("n", "with recursive r(a) as (select id from o union all select a from r where a < 0) select a from r"),
        ],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    assert_eq!(lineage(&c, "m", "a"), ["o.id DIRECT/TRANSFORMATION"]);
    assert_eq!(lineage(&c, "n", "a"), ["o.id DIRECT/IDENTITY"]);
}

#[test]
fn qualified_exclude_removes_one_side() {
    let c = project(
        WITH_CUSTOMERS,
        &[
            (
                "m",
                "select * exclude (o.id, c.id) from o join c on o.cust = c.id",
            ),
            (
                "n",
                "select * exclude (c.id) from o join c on o.cust = c.id",
            ),
        ],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    let names = |model: &str| -> Vec<String> {
        c.model(model)
            .unwrap()
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect()
    };
    // DuckDB 1.4.4 DESCRIBE: st, amt, cust, j, name, tier; then id, st, ...
    assert_eq!(names("m"), ["st", "amt", "cust", "j", "name", "tier"]);
    assert_eq!(names("n"), ["id", "st", "amt", "cust", "j", "name", "tier"]);
    assert_eq!(lineage(&c, "n", "id"), ["o.id DIRECT/IDENTITY"]);
}

#[test]
fn unnest_in_from_keeps_its_column_name() {
    let c = project(
        "CREATE TABLE e (id INTEGER, tags VARCHAR[]);",
        &[
            ("m", "select * from e, unnest(e.tags) as u"),
            ("n", "select u.unnest as tag from e, unnest(e.tags) as u"),
            ("k", "select * from e, unnest(e.tags) as u(t)"),
        ],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    let names = |model: &str| -> Vec<String> {
        c.model(model)
            .unwrap()
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect()
    };
    // DuckDB 1.4.4 DESCRIBE: an alias without a column list names the table.
    assert_eq!(names("m"), ["id", "tags", "unnest"]);
    assert_eq!(names("k"), ["id", "tags", "t"]);
    assert_eq!(lineage(&c, "n", "tag"), ["e.tags DIRECT/TRANSFORMATION"]);
}

#[test]
fn method_calls_are_function_calls() {
    let c = project(
        "CREATE TABLE v (va VARCHAR, n INTEGER, xs INTEGER[]);",
        &[(
            "m",
            "select va.upper() as u, va.lower().length() as l, v.va.upper() as q, xs.list_sum() as s from v",
        )],
    );
    assert_eq!(codes(&c), Vec::<String>::new());
    let types: Vec<(&str, &str)> = c
        .model("m")
        .unwrap()
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.ty.as_str()))
        .collect();
    // DuckDB 1.4.4 DESCRIBE of the same query.
    assert_eq!(
        types,
        [
            ("u", "VARCHAR"),
            ("l", "BIGINT"),
            ("q", "VARCHAR"),
            ("s", "HUGEINT")
        ]
    );
    assert_eq!(lineage(&c, "m", "l"), ["v.va DIRECT/TRANSFORMATION"]);
    assert_eq!(lineage(&c, "m", "s"), ["v.xs DIRECT/TRANSFORMATION"]);
}

#[test]
fn struct_column_named_like_its_table() {
    let c = project(
        "CREATE TABLE t (id INTEGER, t STRUCT(z INTEGER, w VARCHAR));",
        &[
            ("m", "select t.z, t.w from t"),
            ("bad", "select t.nope from t"),
        ],
    );
    let codes: Vec<(String, String)> = c
        .diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.model.clone().unwrap_or_default()))
        .collect();
    // DuckDB 1.4.4 reads `t.z` as the field `z` of the struct column `t`.
    assert_eq!(codes, [("E0101".to_string(), "bad".to_string())]);
    let types: Vec<&str> = c
        .model("m")
        .unwrap()
        .columns
        .iter()
        .map(|c| c.ty.as_str())
        .collect();
    assert_eq!(types, ["INTEGER", "VARCHAR"]);
    assert_eq!(lineage(&c, "m", "z"), ["t.t DIRECT/TRANSFORMATION"]);
}
