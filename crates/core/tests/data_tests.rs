//! Tests of sidecar data tests: the SQL each kind compiles to, and the
//! diagnostics of invalid tests at their exact spans, marked with `⟦` and
//! `⟧` in the sidecar. The last tests compare the generated SQL with
//! fixtures/data_tests.json, where scripts/data_tests_oracle.py records
//! the failing-row counts DuckDB 1.4.4 returned for it.

use std::collections::BTreeMap;
use std::path::Path;

use rocky_core::{
    compile, compile_tests, project_tests, run_plan, Compilation, DataTest, Diagnostic, Position,
    ProjectFiles, Span, TestKind, TestRule, TestSeverity, TestValue,
};
use serde_json::{json, Value};

const SOURCES: &str = "\
CREATE TABLE raw.customers (id INTEGER NOT NULL, first_name VARCHAR, last_name VARCHAR);
CREATE TABLE raw.orders (id INTEGER NOT NULL, customer_id INTEGER, amount DECIMAL(10,2), ordered_at DATE, status VARCHAR);
";

const MODEL: &str = "SELECT id, customer_id, amount, status FROM orders\n";

/// Compiles a project of the two raw sources, `models/order_amounts.sql`
/// and the given sidecar for it.
fn compile_with(sidecar: &str) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"shop\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    files.insert("models/order_amounts.sql".into(), MODEL.into());
    files.insert(
        "models/customer_ids.sql".into(),
        "SELECT id FROM customers\n".into(),
    );
    files.insert("models/order_amounts.toml".into(), sidecar.into());
    compile(&files)
}

/// Returns the SQL of the only test of `models/order_amounts.toml`.
fn sql_of(sidecar: &str) -> String {
    let tests = tests_of(sidecar);
    assert_eq!(tests.len(), 1, "{tests:?}");
    tests[0].sql.clone()
}

fn tests_of(sidecar: &str) -> Vec<DataTest> {
    let compilation = compile_with(sidecar);
    assert!(
        compilation.diagnostics.is_empty(),
        "{:#?}",
        compilation.diagnostics
    );
    project_tests(&compilation)
}

#[test]
fn not_null_sql() {
    let sql = sql_of("[[tests]]\ntype = \"not_null\"\ncolumn = \"amount\"\n");
    assert_eq!(
        sql,
        "SELECT * FROM \"order_amounts\" WHERE \"amount\" IS NULL"
    );
}

#[test]
fn where_filters_rows_first() {
    let sql = sql_of(
        "[[tests]]\ntype = \"not_null\"\ncolumn = \"amount\"\nwhere = \"status <> 'placed'\"\n",
    );
    assert_eq!(
        sql,
        "SELECT * FROM (SELECT * FROM \"order_amounts\" WHERE (status <> 'placed')) AS \"order_amounts\" WHERE \"amount\" IS NULL"
    );
}

#[test]
fn comment_in_where_ends_before_parenthesis() {
    let sql = sql_of(
        "[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\nwhere = \"status = 'x' -- only x\"\n",
    );
    assert!(
        sql.contains("(status = 'x' -- only x\n)"),
        "the comment must not swallow the parenthesis: {sql}"
    );
}

#[test]
fn unique_one_column_skips_nulls() {
    let sql = sql_of("[[tests]]\ntype = \"unique\"\ncolumn = \"customer_id\"\n");
    assert_eq!(
        sql,
        "SELECT \"customer_id\", count(*) AS \"n_records\" FROM \"order_amounts\" WHERE \"customer_id\" IS NOT NULL GROUP BY \"customer_id\" HAVING count(*) > 1"
    );
}

#[test]
fn unique_composite_key() {
    let sql = sql_of("[[tests]]\ntype = \"unique\"\ncolumns = [\"customer_id\", \"status\"]\n");
    assert_eq!(
        sql,
        "SELECT \"customer_id\", \"status\", count(*) AS \"n_records\" FROM \"order_amounts\" GROUP BY \"customer_id\", \"status\" HAVING count(*) > 1"
    );
}

#[test]
fn accepted_values_escape_quotes() {
    let sql = sql_of(
        "[[tests]]\ntype = \"accepted_values\"\ncolumn = \"status\"\nvalues = [\"placed\", \"it's\"]\n",
    );
    assert_eq!(
        sql,
        "SELECT \"status\", count(*) AS \"n_records\" FROM \"order_amounts\" WHERE \"status\" NOT IN ('placed', 'it''s') GROUP BY \"status\""
    );
}

#[test]
fn accepted_values_numbers_and_sql() {
    let numbers = sql_of(
        "[[tests]]\ntype = \"accepted_values\"\ncolumn = \"amount\"\nvalues = [1, 2.5, -3]\n",
    );
    assert!(numbers.contains("NOT IN (1, 2.5, -3)"), "{numbers}");
    let unquoted = sql_of(
        "[[tests]]\ntype = \"accepted_values\"\ncolumn = \"status\"\nvalues = [\"upper('a')\", \"'b'\"]\nquote = false\n",
    );
    assert!(unquoted.contains("NOT IN (upper('a'), 'b')"), "{unquoted}");
}

#[test]
fn relationships_to_source() {
    let sql = sql_of(
        "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"customers\"\nfield = \"id\"\n",
    );
    assert_eq!(
        sql,
        "SELECT * FROM \"order_amounts\" AS \"child\" WHERE \"child\".\"customer_id\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"raw\".\"customers\" AS \"parent\" WHERE \"parent\".\"id\" = \"child\".\"customer_id\")"
    );
}

#[test]
fn relationships_read_dbt_ref() {
    let sql = sql_of(
        "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"ref('customer_ids')\"\nfield = \"id\"\n",
    );
    assert!(sql.contains("FROM \"customer_ids\" AS \"parent\""), "{sql}");
}

#[test]
fn expression_fails_where_false() {
    let sql = sql_of("[[tests]]\ntype = \"expression\"\nexpression = \"amount >= 0\"\n");
    assert_eq!(
        sql,
        "SELECT * FROM \"order_amounts\" WHERE NOT (amount >= 0)"
    );
}

#[test]
fn row_count_range_bounds() {
    let both = sql_of("[[tests]]\ntype = \"row_count_range\"\nmin = 1\nmax = 10\n");
    assert_eq!(
        both,
        "SELECT \"row_count\" FROM (SELECT count(*) AS \"row_count\" FROM \"order_amounts\") AS \"counted\" WHERE \"row_count\" < 1 OR \"row_count\" > 10"
    );
    let min_only = sql_of("[[tests]]\ntype = \"row_count_range\"\nmin = 1\n");
    assert!(min_only.ends_with("WHERE \"row_count\" < 1"), "{min_only}");
}

#[test]
fn names_severity_and_kind() {
    let tests = tests_of(
        "[[tests]]\ntype = \"unique\"\ncolumns = [\"customer_id\", \"status\"]\n\n\
         [[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"raw.customers\"\nfield = \"id\"\n\n\
         [[tests]]\ntype = \"expression\"\nexpression = \"amount >= 0\"\nseverity = \"warn\"\n\n\
         [[tests]]\ntype = \"row_count_range\"\nmin = 1\nname = \"has_orders\"\n",
    );
    let names: Vec<&str> = tests.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "unique_order_amounts_customer_id_status",
            "relationships_order_amounts_customer_id__raw_customers_id",
            "expression_order_amounts_amount_0",
            "has_orders",
        ]
    );
    assert_eq!(tests[0].kind, TestKind::Unique);
    assert_eq!(tests[0].severity, TestSeverity::Error);
    assert_eq!(tests[2].severity, TestSeverity::Warn);
    assert!(tests.iter().all(|t| t.model == "order_amounts"));
}

#[test]
fn table_names_from_caller() {
    let compilation = compile_with(
        "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"customer_ids\"\nfield = \"id\"\n",
    );
    let model = compilation.model("order_amounts").unwrap();
    let tests = compile_tests(model, |name| format!("\"br_feature\".\"{name}\""));
    assert_eq!(
        tests[0].sql,
        "SELECT * FROM \"br_feature\".\"order_amounts\" AS \"child\" WHERE \"child\".\"customer_id\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"br_feature\".\"customer_ids\" AS \"parent\" WHERE \"parent\".\"id\" = \"child\".\"customer_id\")"
    );
}

#[test]
fn rules_keep_their_values() {
    let compilation = compile_with(
        "tests = [{ type = \"accepted_values\", column = \"status\", values = [\"a\", true, 2] }]\n",
    );
    let model = compilation.model("order_amounts").unwrap();
    let rule = &model.config.tests[0].rule;
    assert_eq!(
        *rule,
        TestRule::AcceptedValues {
            column: "status".to_string(),
            values: vec![
                TestValue::String("a".to_string()),
                TestValue::Boolean(true),
                TestValue::Integer(2),
            ],
            quote: true,
        }
    );
    // A bool or number on a VARCHAR column is an error.
    let codes: Vec<&str> = compilation
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["E0201", "E0201"]);
}

#[test]
fn tests_serialize_with_type_tag() {
    let compilation = compile_with("[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\n");
    let test = &compilation.model("order_amounts").unwrap().config.tests[0];
    assert_eq!(
        serde_json::to_value(test).unwrap(),
        json!({"name": "not_null_order_amounts_id", "type": "not_null", "column": "id", "severity": "error"})
    );
}

// Diagnostics. Each case marks the expected span in the sidecar.

/// Compiles a marked sidecar and returns the only diagnostic of `code`
/// after checking that it sits at the marked span.
fn expect(marked: &str, code: &str) -> Diagnostic {
    let (sidecar, span) = unmark(marked);
    let compilation = compile_with(&sidecar);
    let found: Vec<&Diagnostic> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {code}, got {:#?}",
        compilation.diagnostics
    );
    let diagnostic = found[0].clone();
    assert_eq!(diagnostic.span, span, "span of {code}: {diagnostic:#?}");
    assert_eq!(diagnostic.file, "models/order_amounts.toml");
    assert_eq!(diagnostic.model.as_deref(), Some("order_amounts"));
    assert!(diagnostic.help.is_some(), "{code} has no help");
    diagnostic
}

/// Removes the `⟦`, `⟧` marks and returns the text and the marked span.
fn unmark(marked: &str) -> (String, Span) {
    let mut text = String::new();
    let (mut start, mut end) = (Position::default(), Position::default());
    let (mut line, mut column) = (1, 1);
    for c in marked.chars() {
        match c {
            '⟦' => start = Position { line, column },
            '⟧' => end = Position { line, column },
            '\n' => {
                text.push(c);
                line += 1;
                column = 1;
            }
            c => {
                text.push(c);
                column += 1;
            }
        }
    }
    (text, Span { start, end })
}

fn help(diagnostic: &Diagnostic) -> &str {
    diagnostic.help.as_deref().unwrap_or("")
}

#[test]
fn unknown_column_in_expression() {
    let d = expect(
        "[[tests]]\ntype = \"expression\"\nexpression = \"⟦amout⟧ >= 0\"\n",
        "E0101",
    );
    assert_eq!(help(&d), "did you mean `amount`?");
}

#[test]
fn unknown_column_in_where() {
    let d = expect(
        "[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\nwhere = \"amount > 0 and ⟦stauts⟧ = 'x'\"\n",
        "E0101",
    );
    assert_eq!(help(&d), "did you mean `status`?");
}

#[test]
fn spans_skip_toml_escapes() {
    // `\t` and `\u00e9` take more characters of the sidecar than of the value.
    expect(
        "[[tests]]\ntype = \"expression\"\nexpression = \"status <> '\\u00e9'\\tor ⟦amout⟧ > 0\"\n",
        "E0101",
    );
}

#[test]
fn spans_in_multiline_strings() {
    expect(
        "[[tests]]\ntype = \"expression\"\nexpression = \"\"\"\namount >= 0\n  and ⟦amout⟧ < 100\"\"\"\n",
        "E0101",
    );
}

#[test]
fn expression_must_be_boolean() {
    let d = expect(
        "[[tests]]\ntype = \"expression\"\nexpression = ⟦\"amount + 1\"⟧\n",
        "E0207",
    );
    assert!(d.message.contains("DECIMAL(13,2)"), "{}", d.message);
    assert!(d.is_error());
}

#[test]
fn where_must_be_boolean() {
    expect(
        "[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\nwhere = ⟦\"status\"⟧\n",
        "E0207",
    );
}

#[test]
fn expression_syntax_error() {
    expect(
        "[[tests]]\ntype = \"expression\"\nexpression = \"amount > 0⟦)⟧ or (1 = 1\"\n",
        "E0001",
    );
}

#[test]
fn expression_must_be_one_expression() {
    let d = expect(
        "[[tests]]\ntype = \"expression\"\nexpression = ⟦\"amount > 0, status = 'x'\"⟧\n",
        "E0001",
    );
    assert_eq!(d.message, "`expression` must be one SQL expression");
}

#[test]
fn aggregate_in_expression() {
    expect(
        "[[tests]]\ntype = \"expression\"\nexpression = \"⟦sum(amount)⟧ > 0\"\n",
        "E0206",
    );
}

#[test]
fn unknown_function_in_expression() {
    let d = expect(
        "[[tests]]\ntype = \"expression\"\nexpression = \"⟦lenght⟧(status) > 0\"\n",
        "E0203",
    );
    assert!(help(&d).contains("length"), "{}", help(&d));
}

#[test]
fn unknown_test_type() {
    let d = expect("[[tests]]\ntype = ⟦\"uniqe\"⟧\ncolumn = \"id\"\n", "W0011");
    assert_eq!(help(&d), "did you mean `unique`?");
}

#[test]
fn test_without_type() {
    let d = expect("⟦[[tests]]⟧\ncolumn = \"id\"\n", "W0005");
    assert!(help(&d).contains("row_count_range"), "{}", help(&d));
}

#[test]
fn unknown_key_in_test() {
    let d = expect(
        "[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\n⟦colum⟧ = \"id\"\n",
        "W0002",
    );
    assert_eq!(help(&d), "did you mean `column`?");
}

#[test]
fn missing_key() {
    let d = expect(
        "⟦[[tests]]⟧\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"customers\"\n",
        "W0012",
    );
    assert_eq!(
        d.message,
        "the `relationships` test has no `field`; it is ignored"
    );
}

#[test]
fn wrongly_typed_key() {
    expect("[[tests]]\ntype = \"not_null\"\ncolumn = ⟦42⟧\n", "W0007");
    expect(
        "[[tests]]\ntype = \"unique\"\ncolumns = [\"id\", ⟦1⟧]\n",
        "W0007",
    );
    expect(
        "[[tests]]\ntype = \"row_count_range\"\nmin = ⟦-1⟧\n",
        "W0007",
    );
}

#[test]
fn invalid_values() {
    expect(
        "[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\nseverity = ⟦\"fatal\"⟧\n",
        "W0012",
    );
    expect(
        "[[tests]]\ntype = \"row_count_range\"\nmin = ⟦5⟧\nmax = 2\n",
        "W0012",
    );
    expect(
        "[[tests]]\ntype = \"unique\"\ncolumn = \"id\"\n⟦columns⟧ = [\"id\"]\n",
        "W0012",
    );
    expect(
        "[[tests]]\ntype = \"accepted_values\"\ncolumn = \"status\"\nvalues = ⟦[]⟧\n",
        "W0012",
    );
    expect("⟦[[tests]]⟧\ntype = \"row_count_range\"\n", "W0012");
}

#[test]
fn invalid_tests_are_left_out() {
    let compilation = compile_with("[[tests]]\ntype = \"not_null\"\ncolumn = 42\n");
    assert!(project_tests(&compilation).is_empty());
}

#[test]
fn unknown_column_keys() {
    let d = expect(
        "[[tests]]\ntype = \"not_null\"\ncolumn = ⟦\"amout\"⟧\n",
        "W0010",
    );
    assert_eq!(help(&d), "did you mean `amount`?");
    expect(
        "[[tests]]\ntype = \"unique\"\ncolumns = [\"id\", ⟦\"stats\"⟧]\n",
        "W0010",
    );
}

#[test]
fn unknown_column_is_not_reported_twice() {
    let compilation = compile_with("[[tests]]\ntype = \"not_null\"\ncolumn = \"amout\"\n");
    let codes: Vec<&str> = compilation
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["W0010"]);
}

#[test]
fn unknown_field_of_target() {
    let d = expect(
        "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"raw.customers\"\nfield = ⟦\"idd\"⟧\n",
        "W0010",
    );
    assert_eq!(help(&d), "did you mean `id`?");
}

#[test]
fn unknown_target_table() {
    let d = expect(
        "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = ⟦\"customer_id\"⟧\nfield = \"id\"\n",
        "W0009",
    );
    assert_eq!(help(&d), "did you mean `customer_ids`?");
}

#[test]
fn accepted_value_of_wrong_type() {
    expect(
        "[[tests]]\ntype = \"accepted_values\"\ncolumn = \"status\"\nvalues = [\"placed\", ⟦3⟧]\n",
        "E0201",
    );
    expect(
        "[[tests]]\ntype = \"accepted_values\"\ncolumn = \"amount\"\nvalues = [1, ⟦\"x\"⟧]\n",
        "E0201",
    );
}

#[test]
fn duplicate_test_names() {
    let d = expect(
        "[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\n\n\
         [[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\nwhere = \"amount > 0\"\nname = ⟦\"not_null_order_amounts_id\"⟧\n",
        "W0013",
    );
    assert!(d.message.contains("not_null_order_amounts_id"));
}

#[test]
fn hostile_input_does_not_panic() {
    let deep = format!("{}1{}", "(".repeat(200), ")".repeat(200));
    let chain = vec!["1"; 2000].join(" + ");
    for expression in [
        "",
        " ",
        ";",
        "1; DROP TABLE x",
        "amount > 0 --",
        "/* open",
        "'unterminated",
        "é > ö",
        "\u{0}",
        deep.as_str(),
        chain.as_str(),
        "amount >= 0) UNION SELECT 1 --",
    ] {
        let sidecar = format!(
            "[[tests]]\ntype = \"expression\"\nexpression = {}\nwhere = {}\n",
            toml_string(expression),
            toml_string(expression)
        );
        let compilation = compile_with(&sidecar);
        let _ = project_tests(&compilation);
    }
    for sidecar in [
        "tests = [1, \"x\", []]\n",
        "tests = [{}]\n",
        "[[tests]]\ntype = []\n",
        "[[tests]]\ntype = \"accepted_values\"\ncolumn = \"status\"\nvalues = [nan, inf, -inf, {}]\n",
        "[[tests]]\ntype = \"row_count_range\"\nmax = 9223372036854775807\n",
    ] {
        let compilation = compile_with(sidecar);
        let _ = project_tests(&compilation);
    }
}

/// Writes a TOML basic string with every character escaped as needed.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

// The jaffle_shop sample with extra tests, run in DuckDB by
// scripts/data_tests_oracle.py.

/// Tests added to the sample's sidecars for the oracle, by model; most of
/// them fail on the sample data.
const ORACLE_TESTS: &[(&str, &str)] = &[
    (
        "stg_orders",
        "[[tests]]\ntype = \"accepted_values\"\ncolumn = \"status\"\nvalues = [\"placed\", \"shipped\", \"completed\", \"return_pending\"]\nname = \"status_without_returned\"\n\n\
         [[tests]]\ntype = \"accepted_values\"\ncolumn = \"status\"\nvalues = [\"placed\", \"shipped\", \"completed\", \"return_pending\", \"returned\", \"it's\"]\nname = \"status_with_quote\"\n\n\
         [[tests]]\ntype = \"accepted_values\"\ncolumn = \"status\"\nvalues = [\"upper('placed')\", \"'shipped'\"]\nquote = false\nname = \"status_as_sql\"\n",
    ),
    (
        "stg_payments",
        "[[tests]]\ntype = \"expression\"\nexpression = \"amount < 10\"\nwhere = \"payment_method = 'coupon'\"\nname = \"small_coupons\"\n\n\
         [[tests]]\ntype = \"unique\"\ncolumn = \"order_id\"\nname = \"one_payment_per_order\"\n\n\
         [[tests]]\ntype = \"unique\"\ncolumns = [\"order_id\", \"payment_method\"]\nname = \"one_payment_per_method\"\n",
    ),
    (
        "stg_customers",
        "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"stg_orders\"\nfield = \"customer_id\"\nname = \"customers_have_orders\"\n",
    ),
    (
        "customers",
        "[[tests]]\ntype = \"row_count_range\"\nmax = 50\nname = \"at_most_50_customers\"\n\n\
         [[tests]]\ntype = \"not_null\"\ncolumn = \"first_order\"\nseverity = \"warn\"\nname = \"customers_ordered\"\n",
    ),
    (
        "orders",
        "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"raw_customers\"\nfield = \"id\"\nname = \"orders_to_raw_customers\"\n\n\
         [[tests]]\ntype = \"not_null\"\ncolumn = \"amount\"\nwhere = \"status = 'returned'\"\nname = \"returned_orders_paid\"\n",
    ),
];

/// Failing rows of the oracle's tests, as counted in DuckDB by a query
/// written by hand in scripts/data_tests_oracle.py; every other test of
/// the sample has none.
const EXPECTED_FAILURES: &[(&str, u64)] = &[
    ("status_without_returned", 1),
    ("status_as_sql", 4),
    ("small_coupons", 8),
    ("one_payment_per_order", 13),
    ("one_payment_per_method", 4),
    ("customers_have_orders", 38),
    ("at_most_50_customers", 1),
    ("customers_ordered", 38),
];

fn jaffle_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample/jaffle_shop")
}

/// Reads the sample project and appends the oracle's tests to its sidecars.
fn oracle_project() -> ProjectFiles {
    let root = jaffle_dir();
    let mut files = ProjectFiles::new();
    for folder in ["", "models", "sources", "data"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let keep = ["toml", "sql", "csv"]
                .iter()
                .any(|ext| name.ends_with(&format!(".{ext}")));
            if path.is_file() && keep {
                let relative = if folder.is_empty() {
                    name
                } else {
                    format!("{folder}/{name}")
                };
                files.insert(relative, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    for (model, tests) in ORACLE_TESTS {
        let sidecar = files.get_mut(&format!("models/{model}.toml")).unwrap();
        sidecar.push('\n');
        sidecar.push_str(tests);
    }
    files
}

fn oracle_compilation() -> Compilation {
    let compilation = compile(&oracle_project());
    assert!(
        compilation.diagnostics.is_empty(),
        "{:#?}",
        compilation.diagnostics
    );
    compilation
}

#[test]
fn fixture_matches_duckdb() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data_tests.json");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let recorded: BTreeMap<&str, &Value> = fixture["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|test| (test["name"].as_str().unwrap(), test))
        .collect();
    let tests = project_tests(&oracle_compilation());
    assert_eq!(
        tests.len(),
        recorded.len(),
        "rerun scripts/data_tests_oracle.py"
    );
    let expected: BTreeMap<&str, u64> = EXPECTED_FAILURES.iter().copied().collect();
    for test in &tests {
        let entry = recorded
            .get(test.name.as_str())
            .unwrap_or_else(|| panic!("{} is not in the fixture", test.name));
        assert_eq!(
            entry["sql"].as_str(),
            Some(test.sql.as_str()),
            "the SQL of {} changed; rerun scripts/data_tests_oracle.py",
            test.name
        );
        let failing = entry["failing_rows"].as_u64().unwrap();
        let want = expected.get(test.name.as_str()).copied().unwrap_or(0);
        assert_eq!(failing, want, "failing rows of {}", test.name);
    }
}

/// Writes the build plan and the test SQL of the oracle project to the
/// file named by `DATA_TESTS_DUMP`, for scripts/data_tests_oracle.py.
#[test]
#[ignore = "run by scripts/data_tests_oracle.py"]
fn dump_oracle_sql() {
    let compilation = oracle_compilation();
    let steps = run_plan(&compilation);
    let plan: Vec<&str> = steps.iter().map(|step| step.sql.as_str()).collect();
    let tests = project_tests(&compilation);
    let dump = json!({ "plan": plan, "tests": tests });
    let path = std::env::var("DATA_TESTS_DUMP").expect("set DATA_TESTS_DUMP to the output path");
    std::fs::write(path, serde_json::to_string_pretty(&dump).unwrap()).unwrap();
}
