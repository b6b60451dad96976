//! `COLUMNS(...)` select items and lambdas in list functions. Expected names
//! and types are DuckDB 1.4.4's DESCRIBE of the same query.

use rocky_core::{compile, Compilation, ProjectFiles};

const SOURCES: &str =
    "CREATE TABLE t (id INTEGER NOT NULL, a_x INTEGER, a_y DOUBLE, name VARCHAR, tags VARCHAR[], Amount INTEGER);
CREATE TABLE s (id INTEGER, note VARCHAR);";

fn compile_one(sql: &str) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    files.insert("models/m.sql".into(), sql.to_string());
    compile(&files)
}

fn described(sql: &str) -> String {
    let c = compile_one(sql);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{sql}: {errors:?}");
    c.model("m")
        .unwrap()
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.ty))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn columns_selectors_match_duckdb() {
    let cases = [
        ("SELECT COLUMNS('a_.*') FROM t", "a_x INTEGER, a_y DOUBLE"),
        ("SELECT COLUMNS('^a') FROM t", "a_x INTEGER, a_y DOUBLE"),
        (
            "SELECT min(COLUMNS('a_.*')) FROM t",
            "a_x INTEGER, a_y DOUBLE",
        ),
        (
            "SELECT COLUMNS(* EXCLUDE (tags)) FROM t",
            "id INTEGER, a_x INTEGER, a_y DOUBLE, name VARCHAR, Amount INTEGER",
        ),
        (
            "SELECT COLUMNS(c -> c ILIKE 'a%') FROM t",
            "a_x INTEGER, a_y DOUBLE, Amount INTEGER",
        ),
        (
            "SELECT COLUMNS(['id', 'a_x']) FROM t",
            "id INTEGER, a_x INTEGER",
        ),
        (
            "SELECT COLUMNS('(a)_(.*)') AS '\\2_\\1' FROM t",
            "x_a INTEGER, y_a DOUBLE",
        ),
        (
            "SELECT t.id, COLUMNS('a_x') + 1 FROM t",
            "id INTEGER, a_x INTEGER",
        ),
        (
            "SELECT count(COLUMNS(* EXCLUDE (name, tags))) FROM t",
            "id BIGINT, a_x BIGINT, a_y BIGINT, Amount BIGINT",
        ),
        (
            "SELECT COLUMNS(* REPLACE (id + 1 AS id)) FROM s",
            "id INTEGER, note VARCHAR",
        ),
        // Columns of both sides of a join keep their tables.
        (
            "SELECT COLUMNS('id') FROM t JOIN s ON t.id = s.id",
            "id INTEGER, id_1 INTEGER",
        ),
    ];
    for (sql, expected) in cases {
        assert_eq!(described(sql), expected, "{sql}");
    }
}

#[test]
fn columns_feed_lineage_per_column() {
    let c = compile_one("SELECT max(COLUMNS('a_.*')) FROM t");
    let model = c.model("m").unwrap();
    let parents: Vec<Vec<String>> = model
        .columns
        .iter()
        .map(|c| {
            c.lineage
                .iter()
                .map(|e| format!("{}.{}", e.model, e.column))
                .collect()
        })
        .collect();
    assert_eq!(parents, [vec!["t.a_x"], vec!["t.a_y"]]);
}

#[test]
fn columns_matching_nothing_is_an_error() {
    let c = compile_one("SELECT COLUMNS('zz') FROM t");
    let error = c
        .diagnostics
        .iter()
        .find(|d| d.code == "E0101")
        .expect("E0101");
    assert_eq!((error.span.start.column, error.span.end.column), (8, 21));
    let c = compile_one("SELECT COLUMNS(['id', 'nmae']) FROM t");
    let error = c
        .diagnostics
        .iter()
        .find(|d| d.code == "E0101")
        .expect("E0101");
    assert_eq!(error.help.as_deref(), Some("did you mean `name`?"));
    let c = compile_one("SELECT COLUMNS('(') FROM t");
    assert!(c.diagnostics.iter().any(|d| d.code == "E0204"));
}

#[test]
fn columns_in_where_is_not_an_unknown_function() {
    assert!(described("SELECT id FROM t WHERE COLUMNS('a_x') > 1").starts_with("id"));
}

#[test]
fn lambda_bodies_are_checked() {
    let c = compile_one("SELECT list_transform(tags, x -> x + nope) AS bad FROM t");
    let error = c
        .diagnostics
        .iter()
        .find(|d| d.code == "E0101")
        .expect("E0101");
    assert_eq!((error.span.start.column, error.span.end.column), (38, 42));
    assert_eq!(c.model("m").unwrap().columns[0].ty, "UNKNOWN");
    let c = compile_one("SELECT list_transform(id, x -> x) AS bad FROM t");
    assert!(c.diagnostics.iter().any(|d| d.code == "E0204"));
    // The parameter shadows a FROM column of the same name; outer columns
    // stay readable.
    assert_eq!(
        described("SELECT list_transform(tags, name -> length(name) + id) AS l FROM t"),
        "l BIGINT[]"
    );
}
