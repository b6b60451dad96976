//! Small projects that pin down name resolution, inferred columns,
//! lineage and diagnostics.

use rocky_core::{compile, Compilation, Diagnostic, EdgeKind, ProjectFiles};

const SOURCES: &str = "
CREATE TABLE raw.customers (id INTEGER NOT NULL, first_name VARCHAR, last_name VARCHAR);
CREATE TABLE raw.orders (id INTEGER NOT NULL, customer_id INTEGER, amount DECIMAL(10,2), ordered_at DATE);
";

fn project(models: &[(&str, &str)]) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"test\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    for (name, sql) in models {
        files.insert(format!("models/{name}.sql"), sql.to_string());
    }
    compile(&files)
}

fn errors(compilation: &Compilation) -> Vec<&Diagnostic> {
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect()
}

fn columns(compilation: &Compilation, model: &str) -> Vec<(String, String)> {
    compilation
        .model(model)
        .unwrap()
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.ty.clone()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn unknown_column_suggests_closest() {
    let c = project(&[("m", "SELECT id,\n       frist_name\nFROM customers")]);
    let errors = errors(&c);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = errors[0];
    assert_eq!(error.code, "E0101");
    assert_eq!(error.model.as_deref(), Some("m"));
    assert_eq!(error.file, "models/m.sql");
    assert_eq!((error.span.start.line, error.span.start.column), (2, 8));
    assert_eq!((error.span.end.line, error.span.end.column), (2, 18));
    assert_eq!(error.help.as_deref(), Some("did you mean `first_name`?"));
    // Analysis goes on: the model still lists both columns.
    assert_eq!(
        columns(&c, "m"),
        pairs(&[("id", "INTEGER"), ("frist_name", "UNKNOWN")])
    );
}

#[test]
fn qualified_unknown_column_names_table() {
    let c = project(&[("m", "SELECT c.frist_name FROM customers AS c")]);
    let error = errors(&c)[0];
    assert_eq!(error.code, "E0101");
    assert_eq!(error.message, "column `frist_name` not found in `c`");
    assert_eq!(error.help.as_deref(), Some("did you mean `c.first_name`?"));
}

#[test]
fn ambiguous_column_is_reported() {
    let c = project(&[(
        "m",
        "SELECT id FROM customers JOIN orders ON customers.id = orders.customer_id",
    )]);
    let error = errors(&c)[0];
    assert_eq!(error.code, "E0102");
    assert!(
        error
            .help
            .as_deref()
            .unwrap()
            .contains("customers.id and orders.id"),
        "{:?}",
        error.help
    );
}

#[test]
fn unknown_table_suggests_model() {
    let c = project(&[
        ("stg_orders", "SELECT * FROM orders"),
        ("m", "SELECT * FROM stg_order"),
    ]);
    let error = errors(&c)[0];
    assert_eq!(error.code, "E0103");
    assert_eq!(error.help.as_deref(), Some("did you mean `stg_orders`?"));
    assert_eq!(
        c.model("m").unwrap().depends_on,
        vec!["stg_order".to_string()]
    );
}

#[test]
fn cycle_is_named() {
    let c = project(&[("a", "SELECT * FROM b"), ("b", "SELECT * FROM a")]);
    let cycles: Vec<_> = c.diagnostics.iter().filter(|d| d.code == "E0104").collect();
    assert_eq!(cycles.len(), 2);
    assert_eq!(cycles[0].message, "models form a cycle: a → b → a");
}

#[test]
fn models_come_in_topological_order() {
    let c = project(&[
        ("z_final", "SELECT * FROM a_middle"),
        ("a_middle", "SELECT * FROM m_first"),
        ("m_first", "SELECT id FROM orders"),
    ]);
    let order: Vec<&str> = c.models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(order, ["m_first", "a_middle", "z_final"]);
    assert_eq!(columns(&c, "z_final"), pairs(&[("id", "INTEGER")]));
}

#[test]
fn lineage_resolves_through_ctes_and_models() {
    let c = project(&[
        ("stg", "WITH base AS (SELECT id AS order_id, amount / 100 AS dollars FROM orders) SELECT * FROM base"),
        ("totals", "SELECT order_id, sum(dollars) AS total FROM stg GROUP BY order_id"),
    ]);
    assert!(errors(&c).is_empty(), "{:?}", c.diagnostics);
    let stg = c.model("stg").unwrap();
    let dollars = &stg.columns[1];
    assert_eq!(dollars.ty, "DOUBLE");
    assert_eq!(dollars.lineage.len(), 1);
    assert_eq!(dollars.lineage[0].model, "orders");
    assert_eq!(dollars.lineage[0].column, "amount");
    assert_eq!(dollars.lineage[0].kind, EdgeKind::Transformation);
    let total = &c.model("totals").unwrap().columns[1];
    assert_eq!(total.lineage[0].model, "stg");
    assert_eq!(total.lineage[0].column, "dollars");
    assert_eq!(total.lineage[0].kind, EdgeKind::Aggregation);
    let trace = rocky_core::trace_upstream(&c, "totals", "total").unwrap();
    assert_eq!(trace.parents[0].parents[0].model, "orders");
    assert_eq!(trace.parents[0].parents[0].column, "amount");
    assert!(trace.parents[0].parents[0].is_source);
}

#[test]
fn duplicate_names_get_suffixes() {
    let c = project(&[(
        "m",
        "SELECT * FROM customers JOIN orders ON customers.id = orders.customer_id",
    )]);
    let names: Vec<String> = columns(&c, "m").into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "id",
            "first_name",
            "last_name",
            "id_1",
            "customer_id",
            "amount",
            "ordered_at"
        ]
    );
}

#[test]
fn using_join_lists_key_once() {
    let c = project(&[("m", "SELECT * FROM (SELECT id, first_name FROM customers) a JOIN (SELECT id, amount FROM orders) b USING (id)")]);
    assert!(errors(&c).is_empty(), "{:?}", c.diagnostics);
    let names: Vec<String> = columns(&c, "m").into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["id", "first_name", "amount"]);
    // An inner join keeps the left side's key; a FULL join fills it from both.
    let id = &c.model("m").unwrap().columns[0];
    assert_eq!(id.lineage.len(), 1);
    assert_eq!(id.lineage[0].model, "customers");
    let full = project(&[("m", "SELECT id FROM customers FULL JOIN orders USING (id)")]);
    assert_eq!(full.model("m").unwrap().columns[0].lineage.len(), 2);
}

#[test]
fn unaliased_expressions_are_named_like_duckdb() {
    let c = project(&[(
        "m",
        "SELECT count(*), sum(amount), amount * 2, CAST(id AS BIGINT) FROM orders GROUP BY ALL",
    )]);
    assert_eq!(
        columns(&c, "m"),
        pairs(&[
            ("count_star()", "BIGINT"),
            ("sum(amount)", "DECIMAL(38,2)"),
            ("(amount * 2)", "DECIMAL(18,2)"),
            ("CAST(id AS BIGINT)", "BIGINT"),
        ])
    );
}

#[test]
fn select_aliases_are_visible_later() {
    let c = project(&[(
        "m",
        "SELECT amount * 2 AS doubled, doubled + 1 AS plus_one FROM orders WHERE doubled > 10",
    )]);
    assert!(errors(&c).is_empty(), "{:?}", c.diagnostics);
    // Checked against DuckDB 1.4: DECIMAL(10,2) * 2 + 1 stays in 64 bits.
    assert_eq!(columns(&c, "m")[1].1, "DECIMAL(18,2)");
}

#[test]
fn syntax_error_keeps_other_models() {
    let c = project(&[
        ("bad", "SELECT FROM WHERE"),
        ("good", "SELECT id FROM orders"),
    ]);
    let error = errors(&c)[0];
    assert_eq!(error.code, "E0001");
    assert_eq!(error.model.as_deref(), Some("bad"));
    assert_eq!(columns(&c, "good"), pairs(&[("id", "INTEGER")]));
}

#[test]
fn model_must_be_one_select() {
    let c = project(&[("m", "SELECT 1; SELECT 2"), ("d", "DELETE FROM orders")]);
    let codes: Vec<&str> = errors(&c).iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0002", "E0002"]);
}

#[test]
fn sidecar_unknown_key_warns() {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("models/m.sql".into(), "SELECT 1 AS x".into());
    files.insert(
        "models/m.toml".into(),
        "intent = \"one row\"\ndescriptoin = \"typo\"\n".into(),
    );
    let c = compile(&files);
    let warning = c.diagnostics.iter().find(|d| d.code == "W0002").unwrap();
    assert_eq!(warning.file, "models/m.toml");
    assert_eq!(warning.span.start.line, 2);
    assert_eq!(warning.help.as_deref(), Some("did you mean `description`?"));
    assert_eq!(
        c.model("m").unwrap().config.intent.as_deref(),
        Some("one row")
    );
}

#[test]
fn seed_file_declares_sources() {
    let mut files = ProjectFiles::new();
    files.insert(
        "rocky.toml".into(),
        "[project]\nname = \"t\"\n[adapter]\ntype = \"duckdb\"\n".into(),
    );
    files.insert(
        "data/seed.sql".into(),
        "CREATE SCHEMA raw__orders;\nCREATE TABLE raw__orders.orders (id INTEGER, total DECIMAL(10,2));\nINSERT INTO raw__orders.orders VALUES (1, 9.99);\n".into(),
    );
    files.insert(
        "models/m.sql".into(),
        "SELECT total FROM raw__orders.orders".into(),
    );
    let c = compile(&files);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert!(c.sources[0].seeded);
    assert_eq!(columns(&c, "m"), pairs(&[("total", "DECIMAL(10,2)")]));
    let plan = rocky_core::run_plan(&c);
    assert!(
        plan.iter()
            .any(|step| step.sql.starts_with("INSERT INTO raw__orders.orders")),
        "{plan:?}"
    );
}

#[test]
fn hostile_input_does_not_panic() {
    let long_chain = format!("SELECT {} AS x", vec!["1"; 5000].join(" + "));
    let inputs = [
        "",
        ";",
        "SELECT",
        "SELECT (",
        "SELECT 'unterminated",
        "SELECT \"",
        "SELECT * FROM",
        "WITH x AS (SELECT 1) SELECT",
        "SELECT a FROM (SELECT 1) AS t(a, b, c)",
        "SELECT * EXCLUDE (nope) FROM orders",
        "SELECT 1 UNION SELECT 1, 2",
        "SELECT x.* FROM orders",
        "SELECT ñ FROM orders",
        long_chain.as_str(),
    ];
    for input in inputs {
        let c = project(&[("m", input)]);
        assert!(c.model("m").is_some(), "{input}");
    }
    let c = project(&[("m", long_chain.as_str())]);
    assert_eq!(errors(&c)[0].code, "E0001");
    assert_eq!(
        errors(&c)[0].message,
        "the expression is too long to analyze"
    );
}

#[test]
fn long_conditions_within_limit_compile() {
    let conditions: Vec<String> = (0..90).map(|i| format!("id <> {i}")).collect();
    let sql = format!("SELECT id FROM orders WHERE {}", conditions.join(" AND "));
    let c = project(&[("m", sql.as_str())]);
    assert!(errors(&c).is_empty(), "{:?}", c.diagnostics);
}

#[test]
fn unknown_table_gives_one_error() {
    let c = project(&[
        (
            "stg",
            "WITH source AS (SELECT * FROM ordrs) SELECT id, amount, customer_id FROM source",
        ),
        (
            "report",
            "SELECT id, sum(amount) AS total FROM stg GROUP BY id",
        ),
    ]);
    let errors = errors(&c);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "E0103");
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `orders`?"));
    assert_eq!(
        columns(&c, "stg"),
        pairs(&[
            ("id", "UNKNOWN"),
            ("amount", "UNKNOWN"),
            ("customer_id", "UNKNOWN")
        ])
    );
}

#[test]
fn model_named_like_source_reads_source() {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert(
        "sources/raw.sql".into(),
        "CREATE TABLE raw.orders (id INTEGER, name VARCHAR);".into(),
    );
    files.insert(
        "models/orders.sql".into(),
        "SELECT id, nme FROM orders".into(),
    );
    let c = compile(&files);
    let errors = errors(&c);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "E0101");
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `name`?"));
}

#[test]
fn model_and_unqualified_source_clash() {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert(
        "sources/raw.sql".into(),
        "CREATE TABLE stg (id INTEGER);".into(),
    );
    files.insert("models/stg.sql".into(), "SELECT id FROM stg".into());
    let c = compile(&files);
    let codes: Vec<&str> = errors(&c).iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0112"]);
}

#[test]
fn byte_order_mark_is_ignored() {
    let c = project(&[("m", "\u{feff}SELECT id FROM orders")]);
    assert!(errors(&c).is_empty(), "{:?}", c.diagnostics);
}

#[test]
fn scope_help_lists_names_once() {
    let c = project(&[("m", "SELECT zzz FROM orders JOIN customers USING (id)")]);
    let help = errors(&c)[0].help.clone().unwrap();
    assert_eq!(help.matches("`id`").count(), 1, "{help}");
}

#[test]
fn csv_header_must_match_declaration() {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert(
        "sources/raw.sql".into(),
        "CREATE TABLE people (id INTEGER, name VARCHAR, age INTEGER);".into(),
    );
    files.insert("data/people.csv".into(), "id,name\r\n1,Ann\r\n".into());
    let c = compile(&files);
    let error = errors(&c)[0];
    assert_eq!(error.code, "E0005");
    assert_eq!(error.file, "data/people.csv");
    assert_eq!(
        error.message,
        "data/people.csv has 2 columns but source `people` declares 3"
    );

    files.insert(
        "data/people.csv".into(),
        "id,\"full name\",age\n1,Ann,3\n".into(),
    );
    let c = compile(&files);
    assert!(errors(&c).is_empty());
    let warning = c.diagnostics.iter().find(|d| d.code == "W0006").unwrap();
    assert!(
        warning.message.contains("`full name`"),
        "{}",
        warning.message
    );
}

#[test]
fn source_declarations_are_checked() {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert(
        "sources/raw.sql".into(),
        "CREATE TABLE a.b.c.d (k INTEGER);\nCREATE TABLE t (k INTEGR);".into(),
    );
    let c = compile(&files);
    let messages: Vec<(&str, Option<&str>)> = errors(&c)
        .iter()
        .map(|d| (d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "source table name `a.b.c.d` has too many parts",
                Some("name a source `table` or `schema.table`")
            ),
            (
                "type `INTEGR` of column `k` not found",
                Some("did you mean `INTEGER`?")
            ),
        ]
    );
}

fn sidecar_project(sidecar: &str) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    files.insert(
        "models/a.sql".into(),
        "SELECT id, amount FROM orders".into(),
    );
    files.insert("models/b.sql".into(), "SELECT id FROM a".into());
    files.insert("models/a.toml".into(), sidecar.into());
    compile(&files)
}

fn codes_in(c: &Compilation, file: &str) -> Vec<String> {
    c.diagnostics
        .iter()
        .filter(|d| d.file == file)
        .map(|d| format!("{} {}", d.code, d.span.start.line))
        .collect()
}

#[test]
fn sidecar_values_are_checked() {
    let c = sidecar_project(
        "intent = 5\n[strategy]\ntype = \"veiw\"\n[[tests]]\ntype = \"not_null\"\ncolumn = \"amonut\"\n",
    );
    assert_eq!(
        codes_in(&c, "models/a.toml"),
        ["W0007 1", "W0008 3", "W0010 6"]
    );
    let strategy = c.diagnostics.iter().find(|d| d.code == "W0008").unwrap();
    assert_eq!(
        strategy.help.as_deref(),
        Some("did you mean `view`? The playground builds it as a table")
    );
    let test = c.diagnostics.iter().find(|d| d.code == "W0010").unwrap();
    assert_eq!(test.help.as_deref(), Some("did you mean `amount`?"));
    assert_eq!(c.model("a").unwrap().config.strategy, "full_refresh");
}

#[test]
fn depends_on_cycle_points_at_sidecar() {
    let c = sidecar_project("description = \"a\"\ndepends_on = [\"b\"]\n");
    let cycle = c
        .diagnostics
        .iter()
        .find(|d| d.code == "E0104" && d.model.as_deref() == Some("a"))
        .unwrap();
    assert_eq!(cycle.file, "models/a.toml");
    assert_eq!(cycle.span.start.line, 2);
}

#[test]
fn depends_on_unknown_name_warns() {
    let c = sidecar_project("depends_on = [\"stg_b\"]\n");
    assert_eq!(codes_in(&c, "models/a.toml"), ["W0009 1"]);
    let c = sidecar_project("depends_on = [1, {a = 2}]\n");
    assert_eq!(codes_in(&c, "models/a.toml"), ["W0007 1"]);
}

#[test]
fn rocky_toml_values_are_checked() {
    let mut files = ProjectFiles::new();
    files.insert(
        "rocky.toml".into(),
        "[project]\nname = 42\n[sources.ghost]\ndata = \"data/ghost.csv\"\n".into(),
    );
    let c = compile(&files);
    let codes: Vec<String> = codes_in(&c, "rocky.toml");
    assert_eq!(codes, ["W0007 2", "W0009 3"]);
}

/// Returns the (code, start column, end column) of each error on line 1.
fn error_spans(sql: &str) -> Vec<(String, u32, u32)> {
    let c = project(&[("m", sql)]);
    errors(&c)
        .iter()
        .map(|d| (d.code.clone(), d.span.start.column, d.span.end.column))
        .collect()
}

#[test]
fn unknown_function_suggests_closest() {
    // The span covers the function name `sume`: columns 8 to 12.
    assert_eq!(
        error_spans("SELECT sume(amount) FROM orders"),
        [("E0203".to_string(), 8, 12)]
    );
    let c = project(&[("m", "SELECT sume(amount) FROM orders")]);
    assert_eq!(errors(&c)[0].help.as_deref(), Some("did you mean `sum`?"));
}

#[test]
fn call_without_matching_overload() {
    // `sum(first_name)` spans columns 8 to 23.
    let c = project(&[("m", "SELECT sum(first_name) FROM customers")]);
    let error = errors(&c)[0];
    assert_eq!(
        (
            error.code.as_str(),
            error.span.start.column,
            error.span.end.column
        ),
        ("E0204", 8, 23)
    );
    assert_eq!(error.message, "no overload of `sum` accepts (VARCHAR)");
    assert!(
        error.help.as_deref().unwrap().contains("sum(DECIMAL)"),
        "{:?}",
        error.help
    );
    assert_eq!(error_spans("SELECT sum(id, id) FROM orders")[0].0, "E0204");
}

#[test]
fn ordering_varchar_with_date_is_an_error() {
    // `first_name < ordered_at` would need a cast; `=` does not.
    let sql = "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.first_name < o.ordered_at";
    let spans = error_spans(sql);
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(spans[0].0, "E0201");
    assert!(error_spans("SELECT id FROM customers WHERE first_name = id").is_empty());
    assert!(error_spans("SELECT id FROM orders WHERE ordered_at < '2024-01-01'").is_empty());
}

#[test]
fn case_mixing_varchar_and_integer_is_an_error() {
    let c = project(&[(
        "m",
        "SELECT CASE WHEN id > 1 THEN id ELSE first_name END AS x FROM customers",
    )]);
    let error = errors(&c)[0];
    assert_eq!(error.code, "E0201");
    assert_eq!(
        error.message,
        "the branches of this CASE mix INTEGER and VARCHAR values"
    );
    assert_eq!(columns(&c, "m"), pairs(&[("x", "UNKNOWN")]));
    assert_eq!(
        error_spans("SELECT coalesce(first_name, 0) AS x FROM customers")[0].0,
        "E0201"
    );
    assert!(error_spans("SELECT coalesce(first_name, 'none') AS x FROM customers").is_empty());
}

#[test]
fn duplicate_and_unused_ctes() {
    let c = project(&[(
        "m",
        "WITH a AS (SELECT 1 AS x), a AS (SELECT 2 AS x), b AS (SELECT 3 AS y) SELECT x FROM a",
    )]);
    let duplicate = errors(&c)[0];
    assert_eq!(duplicate.code, "E0113");
    // The second `a` is at column 28.
    assert_eq!(
        (duplicate.span.start.column, duplicate.span.end.column),
        (28, 29)
    );
    // The first `a` is hidden by the second, so it is unused too.
    let unused: Vec<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "W0104")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(unused, ["CTE `a` is never used", "CTE `b` is never used"]);
}

#[test]
fn long_set_operation_chains_are_rejected_not_overflowed() {
    let sql = format!("SELECT 1 AS x{}", " UNION ALL SELECT 1".repeat(3000));
    let c = project(&[("m", &sql)]);
    let errors = errors(&c);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "E0001");
    assert!(
        errors[0].message.contains("set operations"),
        "{}",
        errors[0].message
    );
    let within = format!("SELECT 1 AS x{}", " UNION ALL SELECT 1".repeat(500));
    assert!(self::errors(&project(&[("m", &within)])).is_empty());
    let subscripts = format!("SELECT [1]{} AS x", "[1]".repeat(100_000));
    assert_eq!(
        self::errors(&project(&[("m", &subscripts)]))[0].code,
        "E0001"
    );
}

#[test]
fn many_equal_names_stay_fast_and_distinct() {
    let sql = format!("SELECT {}", vec!["1"; 4000].join(", "));
    let c = project(&[("m", &sql)]);
    let names: std::collections::HashSet<&str> = c
        .model("m")
        .unwrap()
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names.len(), 4000);
}
