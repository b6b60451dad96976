//! PIVOT and UNPIVOT, in statement and FROM-item form, and POSITIONAL and
//! ASOF joins. Expected names and types are DuckDB 1.4.4's DESCRIBE of the
//! same query over the same table.

use rocky_core::{compile, Compilation, ProjectFiles};

const SOURCES: &str = "CREATE TABLE t (region VARCHAR NOT NULL, q VARCHAR, y INTEGER, units INTEGER, rev DECIMAL(10,2));
CREATE TABLE u (id INTEGER NOT NULL, v INTEGER NOT NULL);";

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
fn pivot_statements_match_duckdb() {
    let cases = [
        (
            "PIVOT t ON q IN ('Q1','Q2') USING sum(units)",
            "region VARCHAR, y INTEGER, rev DECIMAL(10,2), Q1 HUGEINT, Q2 HUGEINT",
        ),
        (
            "PIVOT t ON q IN ('Q1','Q2') USING sum(units), max(rev)",
            "region VARCHAR, y INTEGER, Q1_sum(units) HUGEINT, Q1_max(rev) DECIMAL(10,2), Q2_sum(units) HUGEINT, Q2_max(rev) DECIMAL(10,2)",
        ),
        (
            "PIVOT t ON q IN ('Q1','Q2') USING sum(units) AS s",
            "region VARCHAR, y INTEGER, rev DECIMAL(10,2), Q1_s HUGEINT, Q2_s HUGEINT",
        ),
        (
            "PIVOT t ON q IN ('Q1'), y IN (2020, 2021) USING sum(units) GROUP BY region",
            "region VARCHAR, Q1_2020 HUGEINT, Q1_2021 HUGEINT",
        ),
        (
            "PIVOT t ON y IN (2020, 2021) USING count(*)",
            "region VARCHAR, q VARCHAR, units INTEGER, rev DECIMAL(10,2), 2020 BIGINT, 2021 BIGINT",
        ),
        (
            "PIVOT t ON q || '_x' IN ('Q1_x') USING sum(units)",
            "region VARCHAR, y INTEGER, rev DECIMAL(10,2), Q1_x HUGEINT",
        ),
        (
            "PIVOT t ON q IN ('Q1') USING sum(units) ORDER BY region",
            "region VARCHAR, y INTEGER, rev DECIMAL(10,2), Q1 HUGEINT",
        ),
        (
            "WITH x AS (SELECT * FROM t) PIVOT x ON q IN ('Q1') USING sum(units)",
            "region VARCHAR, y INTEGER, rev DECIMAL(10,2), Q1 HUGEINT",
        ),
    ];
    for (sql, expected) in cases {
        assert_eq!(described(sql), expected, "{sql}");
    }
}

#[test]
fn pivot_from_items_match_duckdb() {
    let cases = [
        (
            "FROM t PIVOT (sum(units) FOR q IN ('Q1','Q2'))",
            "region VARCHAR, y INTEGER, rev DECIMAL(10,2), Q1 HUGEINT, Q2 HUGEINT",
        ),
        (
            "FROM t PIVOT (sum(units) AS s, max(rev) FOR q IN ('Q1','Q2'))",
            "region VARCHAR, y INTEGER, Q1_s HUGEINT, Q1_max(rev) DECIMAL(10,2), Q2_s HUGEINT, Q2_max(rev) DECIMAL(10,2)",
        ),
        (
            "SELECT p.Q1 FROM t PIVOT (sum(units) FOR q IN ('Q1' AS Q1, 'Q2')) AS p",
            "Q1 HUGEINT",
        ),
    ];
    for (sql, expected) in cases {
        assert_eq!(described(sql), expected, "{sql}");
    }
}

#[test]
fn unpivots_match_duckdb() {
    let cases = [
        (
            "UNPIVOT t ON units, y INTO NAME k VALUE v",
            "region VARCHAR, q VARCHAR, rev DECIMAL(10,2), k VARCHAR, v INTEGER",
        ),
        (
            "UNPIVOT t ON units, y",
            "region VARCHAR, q VARCHAR, rev DECIMAL(10,2), name VARCHAR, value INTEGER",
        ),
        (
            "UNPIVOT t ON units, rev",
            "region VARCHAR, q VARCHAR, y INTEGER, name VARCHAR, value DECIMAL(12,2)",
        ),
        (
            "FROM t UNPIVOT (v FOR k IN (units, y))",
            "region VARCHAR, q VARCHAR, rev DECIMAL(10,2), k VARCHAR, v INTEGER",
        ),
        (
            "UNPIVOT t ON (units, y) AS a, (units, y) AS b INTO NAME k VALUE v1, v2",
            "region VARCHAR, q VARCHAR, rev DECIMAL(10,2), k VARCHAR, v1 INTEGER, v2 INTEGER",
        ),
    ];
    for (sql, expected) in cases {
        assert_eq!(described(sql), expected, "{sql}");
    }
}

#[test]
fn unpivot_values_are_not_null_unless_nulls_are_included() {
    let c = compile_one("UNPIVOT t ON units, y INTO NAME k VALUE v");
    let flags: Vec<(String, bool)> = c
        .model("m")
        .unwrap()
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.not_null))
        .collect();
    assert_eq!(flags.last().unwrap(), &("v".to_string(), true));
    assert_eq!(flags[0], ("region".to_string(), true));
}

#[test]
fn pivot_without_in_list_warns_and_stays_open() {
    let c = compile_one("PIVOT t ON q USING sum(units)");
    let warning = c
        .diagnostics
        .iter()
        .find(|d| d.code == "W0105")
        .expect("W0105");
    assert_eq!(
        (warning.span.start.column, warning.span.end.column),
        (12, 13)
    );
    let names: Vec<&str> = c
        .model("m")
        .unwrap()
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["region", "y", "rev"]);
}

#[test]
fn pivot_errors_point_into_the_statement() {
    let c = compile_one("PIVOT t ON qq IN ('a') USING sum(units)");
    let error = c
        .diagnostics
        .iter()
        .find(|d| d.code == "E0101")
        .expect("E0101");
    assert_eq!((error.span.start.line, error.span.start.column), (1, 12));
    let c = compile_one("PIVOT t ON q IN ('a') USING sum(units) junk");
    assert!(c.diagnostics.iter().any(|d| d.code == "E0001"));
}

#[test]
fn positional_join_pads_both_sides() {
    let sql = "SELECT t.region, u.id FROM t POSITIONAL JOIN u";
    assert_eq!(described(sql), "region VARCHAR, id INTEGER");
    let c = compile_one(sql);
    assert!(c.model("m").unwrap().columns.iter().all(|c| !c.not_null));
}

#[test]
fn asof_joins_type_like_their_plain_joins() {
    let left = "SELECT t.region, u.v FROM t ASOF LEFT JOIN u ON t.y >= u.id";
    assert_eq!(described(left), "region VARCHAR, v INTEGER");
    let c = compile_one(left);
    let flags: Vec<bool> = c
        .model("m")
        .unwrap()
        .columns
        .iter()
        .map(|c| c.not_null)
        .collect();
    assert_eq!(flags, [true, false]);
    let inner = "SELECT u.v FROM t ASOF JOIN u ON t.y >= u.id";
    assert_eq!(described(inner), "v INTEGER");
    assert!(compile_one(inner).model("m").unwrap().columns[0].not_null);
}
