//! Tests for every diagnostic code of docs/diagnostics.md. Each test
//! writes its input with the expected span between `⟦` and `⟧`, compiles
//! it, and checks that a diagnostic of that code sits at exactly that span,
//! with the help line where the help names a fix. The fixed input must then
//! compile without errors and without the code.
//!
//! E0001 and W0002 also get cases for the places sqlparser or the TOML
//! reader leave positions vague, such as a header's closing bracket.

use rocky_core::{compile, Compilation, Diagnostic, Position, ProjectFiles, Span};

const SPAN_START: char = '⟦';
const SPAN_END: char = '⟧';

const ROCKY_TOML: &str = "[project]\nname = \"test\"\n";

const SOURCES: &str = "\
CREATE TABLE raw.customers (id INTEGER NOT NULL, first_name VARCHAR, last_name VARCHAR);
CREATE TABLE raw.orders (id INTEGER NOT NULL, customer_id INTEGER, amount DECIMAL(10,2), ordered_at DATE, status VARCHAR);
";

/// A project: rocky.toml and sources/raw.sql, plus the files of a test,
/// with the spans marked in them.
struct Fixture {
    files: ProjectFiles,
    /// Marked spans, with the file each is in.
    marks: Vec<(String, Span)>,
}

impl Fixture {
    fn new() -> Fixture {
        let mut files = ProjectFiles::new();
        files.insert("rocky.toml".into(), ROCKY_TOML.into());
        files.insert("sources/raw.sql".into(), SOURCES.into());
        Fixture {
            files,
            marks: Vec::new(),
        }
    }

    /// Adds or replaces a file. Its `⟦...⟧` marks become expected spans.
    fn file(mut self, path: &str, text: &str) -> Fixture {
        let (text, spans) = strip_marks(text);
        self.marks
            .extend(spans.into_iter().map(|span| (path.to_string(), span)));
        self.files.insert(path.to_string(), text);
        self
    }

    fn without(mut self, path: &str) -> Fixture {
        self.files.remove(path);
        self
    }

    fn compile(&self) -> Compilation {
        compile(&self.files)
    }

    /// Asserts a `code` diagnostic at every marked span, with the severity
    /// its first letter gives, and returns the one at the first mark.
    fn expect(&self, code: &str) -> Diagnostic {
        assert!(!self.marks.is_empty(), "the fixture marks no span");
        let compilation = self.compile();
        let mut first = None;
        for (file, span) in &self.marks {
            let found = compilation
                .diagnostics
                .iter()
                .find(|d| d.code == code && &d.file == file && d.span == *span);
            let Some(found) = found else {
                panic!(
                    "no {code} at {file} {}; the diagnostics are:\n{}",
                    show_span(span),
                    list(&compilation.diagnostics)
                );
            };
            assert_eq!(found.is_error(), code.starts_with('E'), "{found:?}");
            first.get_or_insert_with(|| found.clone());
        }
        first.unwrap()
    }

    /// Asserts a `code` diagnostic in `file` with no position.
    fn expect_unlocated(&self, code: &str, file: &str) -> Diagnostic {
        let compilation = self.compile();
        let found = compilation
            .diagnostics
            .iter()
            .find(|d| d.code == code && d.file == file && d.span.is_empty());
        match found {
            Some(found) => found.clone(),
            None => panic!(
                "no unlocated {code} in {file}; the diagnostics are:\n{}",
                list(&compilation.diagnostics)
            ),
        }
    }

    /// Asserts that the project has no errors and no `code` diagnostic.
    fn expect_clean(&self, code: &str) {
        let compilation = self.compile();
        let unwanted: Vec<Diagnostic> = compilation
            .diagnostics
            .into_iter()
            .filter(|d| d.is_error() || d.code == code)
            .collect();
        assert!(
            unwanted.is_empty(),
            "the fixed project still reports:\n{}",
            list(&unwanted)
        );
    }
}

/// Builds a project with one model, `models/m.sql`.
fn model(sql: &str) -> Fixture {
    Fixture::new().file("models/m.sql", sql)
}

/// Removes the `⟦` and `⟧` marks from `text` and returns the spans they
/// enclosed: 1-based lines and columns, columns counting characters, the
/// end just past the last character.
fn strip_marks(text: &str) -> (String, Vec<Span>) {
    let mut stripped = String::new();
    let mut spans = Vec::new();
    let mut start = None;
    let mut at = Position { line: 1, column: 1 };
    for c in text.chars() {
        match c {
            SPAN_START => start = Some(at),
            SPAN_END => {
                let start = start.take().expect("`⟧` without `⟦`");
                spans.push(Span { start, end: at });
            }
            '\n' => {
                stripped.push(c);
                at = Position {
                    line: at.line + 1,
                    column: 1,
                };
            }
            _ => {
                stripped.push(c);
                at.column += 1;
            }
        }
    }
    assert!(start.is_none(), "`⟦` without `⟧`");
    (stripped, spans)
}

fn show_span(span: &Span) -> String {
    format!(
        "{}:{}-{}:{}",
        span.start.line, span.start.column, span.end.line, span.end.column
    )
}

fn list(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "  {} {} {}: {} (help: {})",
                d.code,
                d.file,
                show_span(&d.span),
                d.message,
                d.help.as_deref().unwrap_or("none")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_help(diagnostic: &Diagnostic, expected: &str) {
    let help = diagnostic.help.as_deref().unwrap_or("");
    assert!(
        help.contains(expected),
        "the help of {} is {help:?}, expected it to contain {expected:?}",
        diagnostic.code
    );
}

#[test]
fn strip_marks_counts_characters() {
    let (text, spans) = strip_marks("SELECT ⟦é⟧\nFROM ⟦t\nu⟧");
    assert_eq!(text, "SELECT é\nFROM t\nu");
    assert_eq!(spans, [Span::new(1, 8, 1, 9), Span::new(2, 6, 3, 2)]);
}

// E00xx: reading files.

#[test]
fn e0001_syntax_error() {
    let error = model("SELECT customer_id, sum(amount\n⟦FROM⟧ orders\nGROUP BY customer_id")
        .expect("E0001");
    assert_eq!(error.message, "syntax error: Expected: ), found: FROM");
    assert_help(&error, "check the SQL near this position");
    model("SELECT customer_id, sum(amount)\nFROM orders\nGROUP BY customer_id")
        .expect_clean("E0001");
}

#[test]
fn e0001_statement_ends_early() {
    // With no position from the parser, the span is the character after
    // the end of the text.
    let error = model("SELECT id FROM orders WHERE⟦ ⟧").expect("E0001");
    assert_help(&error, "the statement ends early");
    model("SELECT id FROM orders WHERE amount > 0").expect_clean("E0001");
}

#[test]
fn e0001_unterminated_string() {
    let error = model("SELECT id FROM orders\nWHERE status = ⟦'⟧placed").expect("E0001");
    assert!(error.message.contains("Unterminated string"), "{error:?}");
    model("SELECT id FROM orders\nWHERE status = 'placed'").expect_clean("E0001");
}

#[test]
fn e0001_dangling_operator_before_from() {
    model("SELECT id, amount +\n⟦FROM⟧ orders").expect("E0001");
}

#[test]
fn e0001_nesting_too_deep() {
    let sql = format!("SELECT {}⟦(⟧1{}", "(".repeat(32), ")".repeat(33));
    let error = model(&sql).expect("E0001");
    assert_help(&error, "at most 32 levels");
    let within = format!("SELECT {}1{}", "(".repeat(32), ")".repeat(32));
    model(&within).expect_clean("E0001");
}

#[test]
fn e0001_operator_chain_too_long() {
    let sql = format!("SELECT 1{} ⟦+⟧ 1", " + 1".repeat(200));
    let error = model(&sql).expect("E0001");
    assert_help(&error, "more than 200 operators");
    let split = format!("SELECT (1{chain}) + (1{chain})", chain = " + 1".repeat(100));
    model(&split).expect_clean("E0001");
}

#[test]
fn e0001_operator_chain_at_limit() {
    let within = format!("SELECT 1{}", " + 1".repeat(200));
    model(&within).expect_clean("E0001");
}

#[test]
fn e0002_empty_model() {
    let error = model("⟦ ⟧\n").expect("E0002");
    assert_help(&error, "write one SELECT statement");
    model("SELECT 1 AS x\n").expect_clean("E0002");
}

#[test]
fn e0002_two_statements() {
    let error = model("SELECT id FROM orders;\n⟦SELECT id FROM customers⟧;\n").expect("E0002");
    assert_help(&error, "keep one query per file");
    model("SELECT id FROM orders;\n").expect_clean("E0002");
}

#[test]
fn e0002_statement_is_not_a_query() {
    let error = model("-- Copy the big orders.\n⟦CREATE TABLE big AS SELECT * FROM orders⟧\n")
        .expect("E0002");
    assert_help(&error, "write only the SELECT");
    model("-- Copy the big orders.\nSELECT * FROM orders\n").expect_clean("E0002");
}

#[test]
fn e0003_invalid_rocky_toml() {
    // The TOML parser reports the place where the closing quote is missing:
    // the line break after `test`.
    let error = Fixture::new()
        .file("rocky.toml", "[project]\nname = \"test⟦\n⟧")
        .expect("E0003");
    assert!(error.message.starts_with("invalid TOML: "), "{error:?}");
    Fixture::new()
        .file("rocky.toml", "[project]\nname = \"test\"\n")
        .expect_clean("E0003");
}

#[test]
fn e0003_invalid_sidecar() {
    model("SELECT id FROM orders")
        .file("models/m.toml", "strategy = ⟦view⟧\n")
        .expect("E0003");
    model("SELECT id FROM orders")
        .file("models/m.toml", "strategy = \"view\"\n")
        .expect_clean("E0003");
}

#[test]
fn e0004_unknown_column_type() {
    let sources = "CREATE TABLE raw.payments (id INTEGER, method ⟦VARCHR⟧);\n";
    let error = Fixture::new()
        .file("sources/payments.sql", sources)
        .expect("E0004");
    assert_help(&error, "did you mean `VARCHAR`?");
    Fixture::new()
        .file(
            "sources/payments.sql",
            "CREATE TABLE raw.payments (id INTEGER, method VARCHAR);\n",
        )
        .expect_clean("E0004");
}

#[test]
fn e0004_unknown_type_with_parameters() {
    let sources = "CREATE TABLE raw.payments (id INTEGER, amount ⟦DECMAL(10,2)⟧);\n";
    let error = Fixture::new()
        .file("sources/payments.sql", sources)
        .expect("E0004");
    assert_help(&error, "did you mean `DECIMAL`?");
}

#[test]
fn e0004_table_name_with_three_parts() {
    let sources = "CREATE TABLE ⟦shop.raw.payments⟧ (id INTEGER);\n";
    let error = Fixture::new()
        .file("sources/payments.sql", sources)
        .expect("E0004");
    assert_help(&error, "`schema.table`");
    Fixture::new()
        .file(
            "sources/payments.sql",
            "CREATE TABLE raw.payments (id INTEGER);\n",
        )
        .expect_clean("E0004");
}

#[test]
fn e0005_csv_column_count() {
    let error = Fixture::new()
        .file("data/orders.csv", "⟦id,customer_id,amount⟧\n1,1,9.50\n")
        .expect("E0005");
    assert_help(&error, "the header is (id, customer_id, amount)");
    Fixture::new()
        .file(
            "data/orders.csv",
            "id,customer_id,amount,ordered_at,status\n1,1,9.50,2024-01-02,placed\n",
        )
        .expect_clean("E0005");
}

// E01xx: name resolution.

#[test]
fn e0101_unknown_column() {
    let error = model("SELECT id, ⟦amount_x⟧ FROM orders").expect("E0101");
    assert_help(&error, "did you mean `amount`?");
    model("SELECT id, amount FROM orders").expect_clean("E0101");
}

#[test]
fn e0101_unknown_qualified_column() {
    let error = model("SELECT ⟦o.amount_x⟧ FROM orders AS o").expect("E0101");
    assert_help(&error, "did you mean `o.amount`?");
    model("SELECT o.amount FROM orders AS o").expect_clean("E0101");
}

#[test]
fn e0101_using_column_missing_on_one_side() {
    let sql = "SELECT * FROM orders JOIN customers USING (⟦customer_id⟧)";
    let error = model(sql).expect("E0101");
    assert!(error.message.contains("right side"), "{error:?}");
    model("SELECT * FROM orders JOIN customers ON orders.customer_id = customers.id")
        .expect_clean("E0101");
}

#[test]
fn e0101_exclude_names_no_column() {
    let error = model("SELECT * EXCLUDE (⟦amount_x⟧) FROM orders").expect("E0101");
    assert_help(&error, "did you mean `amount`?");
    model("SELECT * EXCLUDE (amount) FROM orders").expect_clean("E0101");
}

#[test]
fn e0101_replace_names_no_column() {
    model("SELECT * REPLACE (amount * 100 AS ⟦cents⟧) FROM orders").expect("E0101");
    model("SELECT * REPLACE (amount * 100 AS amount) FROM orders").expect_clean("E0101");
}

#[test]
fn e0102_ambiguous_column() {
    let sql = "SELECT ⟦id⟧ FROM customers JOIN orders ON customers.id = orders.customer_id";
    let error = model(sql).expect("E0102");
    assert_help(&error, "customers.id and orders.id");
    model("SELECT orders.id FROM customers JOIN orders ON customers.id = orders.customer_id")
        .expect_clean("E0102");
}

#[test]
fn e0103_unknown_table() {
    let error = model("SELECT id FROM ⟦ordrs⟧").expect("E0103");
    assert_help(&error, "did you mean `orders`?");
    model("SELECT id FROM orders").expect_clean("E0103");
}

#[test]
fn e0104_cycle() {
    let cycle = Fixture::new()
        .file("models/a.sql", "SELECT x FROM ⟦b⟧")
        .file("models/b.sql", "SELECT x FROM ⟦a⟧");
    let error = cycle.expect("E0104");
    assert_eq!(error.message, "models form a cycle: a → b → a");
    assert_help(&error, "break the cycle");
    Fixture::new()
        .file("models/a.sql", "SELECT 1 AS x")
        .file("models/b.sql", "SELECT x FROM a")
        .expect_clean("E0104");
}

#[test]
fn e0104_cycle_through_depends_on() {
    Fixture::new()
        .file("models/a.sql", "SELECT x FROM ⟦b⟧")
        .file("models/b.sql", "SELECT 1 AS x")
        .file("models/b.toml", "⟦depends_on⟧ = [\"a\"]\n")
        .expect("E0104");
    Fixture::new()
        .file("models/a.sql", "SELECT x FROM b")
        .file("models/b.sql", "SELECT 1 AS x")
        .expect_clean("E0104");
}

#[test]
fn e0105_qualifier_not_in_from() {
    let error = model("SELECT ⟦ordr⟧.id FROM orders").expect("E0105");
    assert_help(&error, "did you mean `orders.id`?");
    model("SELECT orders.id FROM orders").expect_clean("E0105");
}

#[test]
fn e0105_wildcard_qualifier_not_in_from() {
    let error = model("SELECT ⟦c⟧.* FROM orders AS o").expect("E0105");
    assert_help(&error, "did you mean `o.*`?");
    model("SELECT o.* FROM orders AS o").expect_clean("E0105");
}

#[test]
fn e0106_duplicate_model_name() {
    // Files are read in path order, so the second one is reported, at its
    // first character.
    let error = Fixture::new()
        .file("models/marts/revenue.sql", "SELECT 1 AS x")
        .file("models/revenue.sql", "⟦S⟧ELECT 2 AS x")
        .expect("E0106");
    assert_help(&error, "also defined in models/marts/revenue.sql");
    Fixture::new()
        .file("models/marts/revenue.sql", "SELECT 1 AS x")
        .file("models/revenue_daily.sql", "SELECT 2 AS x")
        .expect_clean("E0106");
}

#[test]
fn e0107_source_declared_twice() {
    let error = Fixture::new()
        .file(
            "sources/staging.sql",
            "CREATE TABLE ⟦raw.orders⟧ (id INTEGER);\n",
        )
        .expect("E0107");
    assert_help(&error, "also declared in sources/raw.sql");
    Fixture::new()
        .file(
            "sources/staging.sql",
            "CREATE TABLE staging.orders (id INTEGER);\n",
        )
        .expect_clean("E0107");
}

#[test]
fn e0108_insert_into_undeclared_table() {
    let seed = "CREATE TABLE raw.payments (id INTEGER);\nINSERT INTO ⟦raw.payment⟧ VALUES (1);\n";
    let error = Fixture::new()
        .file("sources/payments.sql", seed)
        .expect("E0108");
    assert_help(&error, "declare the table");
    Fixture::new()
        .file(
            "sources/payments.sql",
            "CREATE TABLE raw.payments (id INTEGER);\nINSERT INTO raw.payments VALUES (1);\n",
        )
        .expect_clean("E0108");
}

#[test]
fn e0109_data_file_not_found() {
    let toml = "[project]\nname = \"test\"\n\n[sources.orders]\n⟦data⟧ = \"data/order.csv\"\n";
    let error = Fixture::new()
        .file("rocky.toml", toml)
        .file(
            "data/orders.csv",
            "id,customer_id,amount,ordered_at,status\n",
        )
        .expect("E0109");
    assert_help(&error, "add the CSV file");
    let fixed = "[project]\nname = \"test\"\n\n[sources.orders]\ndata = \"data/orders.csv\"\n";
    Fixture::new()
        .file("rocky.toml", fixed)
        .file(
            "data/orders.csv",
            "id,customer_id,amount,ordered_at,status\n",
        )
        .expect_clean("E0109");
}

#[test]
fn e0109_second_data_file_not_found() {
    let toml = "[project]\nname = \"test\"\n\n[sources.customers]\ndata = \"data/customers.csv\"\n\n[sources.orders]\n⟦data⟧ = \"data/order.csv\"\n";
    Fixture::new()
        .file("rocky.toml", toml)
        .file("data/customers.csv", "id,first_name,last_name\n")
        .expect("E0109");
}

#[test]
fn e0110_set_operation_column_count() {
    // The span is the select list of the right branch.
    let sql = "SELECT id, amount FROM orders\nUNION ALL\nSELECT ⟦id⟧ FROM customers";
    let error = model(sql).expect("E0110");
    assert_help(&error, "BY NAME");
    model("SELECT id, amount FROM orders\nUNION ALL\nSELECT id, NULL FROM customers")
        .expect_clean("E0110");
}

#[test]
fn e0111_star_without_from() {
    let error = model("SELECT ⟦*⟧").expect("E0111");
    assert_help(&error, "add a FROM clause");
    model("SELECT * FROM orders").expect_clean("E0111");
}

#[test]
fn e0112_model_named_like_unqualified_source() {
    let error = Fixture::new()
        .file(
            "sources/countries.sql",
            "CREATE TABLE countries (code VARCHAR, name VARCHAR);\n",
        )
        .file("models/countries.sql", "⟦S⟧ELECT code, name FROM countries")
        .expect("E0112");
    assert_help(&error, "`raw.countries`");
    Fixture::new()
        .file(
            "sources/countries.sql",
            "CREATE TABLE raw.countries (code VARCHAR, name VARCHAR);\n",
        )
        .file(
            "models/countries.sql",
            "SELECT code, name FROM raw.countries",
        )
        .expect_clean("E0112");
}

#[test]
fn e0113_cte_defined_twice() {
    let sql = "WITH totals AS (SELECT 1 AS x),\n⟦totals⟧ AS (SELECT 2 AS x)\nSELECT x FROM totals";
    let error = model(sql).expect("E0113");
    assert_help(&error, "rename one");
    model("WITH totals AS (SELECT 1 AS x)\nSELECT x FROM totals").expect_clean("E0113");
}

// E02xx: types and functions.

#[test]
fn e0201_operator_without_overload() {
    let error = model("SELECT ⟦status - 1⟧ FROM orders").expect("E0201");
    assert_help(&error, "cast an operand");
    model("SELECT CAST(status AS INTEGER) - 1 FROM orders").expect_clean("E0201");
}

#[test]
fn e0201_comparison_of_varchar_with_date() {
    let sql = "SELECT id FROM orders WHERE ⟦ordered_at < status⟧";
    let error = model(sql).expect("E0201");
    assert_help(&error, "CAST(... AS DATE)");
    model("SELECT id FROM orders WHERE ordered_at < CAST(status AS DATE)").expect_clean("E0201");
}

#[test]
fn e0201_case_mixes_varchar() {
    let sql = "SELECT ⟦CASE WHEN amount > 0 THEN status ELSE id END⟧ FROM orders";
    let error = model(sql).expect("E0201");
    assert_help(&error, "CAST(... AS INTEGER)");
    model("SELECT CASE WHEN amount > 0 THEN status ELSE CAST(id AS VARCHAR) END FROM orders")
        .expect_clean("E0201");
}

#[test]
fn e0201_case_without_common_type() {
    let sql = "SELECT ⟦CASE WHEN amount > 0 THEN ordered_at ELSE amount END⟧ FROM orders";
    let error = model(sql).expect("E0201");
    assert_help(&error, "cast the branches");
    model("SELECT CASE WHEN amount > 0 THEN ordered_at ELSE NULL END FROM orders")
        .expect_clean("E0201");
}

#[test]
fn e0201_coalesce_mixes_varchar() {
    let error = model("SELECT ⟦coalesce(status, id)⟧ FROM orders").expect("E0201");
    assert_help(&error, "CAST(... AS VARCHAR)");
    model("SELECT coalesce(status, CAST(id AS VARCHAR)) FROM orders").expect_clean("E0201");
}

#[test]
fn e0201_set_operation_types() {
    let sql = "SELECT ordered_at FROM orders\nUNION ALL\nSELECT ⟦amount⟧ FROM orders";
    let error = model(sql).expect("E0201");
    assert_help(&error, "cast one side");
    model("SELECT ordered_at FROM orders\nUNION ALL\nSELECT ordered_at + 1 FROM orders")
        .expect_clean("E0201");
}

#[test]
fn e0201_set_operation_types_second_column() {
    let sql = "SELECT id, ordered_at FROM orders\nUNION ALL\nSELECT id, ⟦amount⟧ FROM orders";
    model(sql).expect("E0201");
}

#[test]
fn e0202_window_function_without_over() {
    let error = model("SELECT id, ⟦row_number()⟧ AS n FROM orders").expect("E0202");
    assert_help(&error, "OVER (ORDER BY ...)");
    model("SELECT id, row_number() OVER (ORDER BY id) AS n FROM orders").expect_clean("E0202");
}

#[test]
fn e0203_unknown_function() {
    let error = model("SELECT ⟦lenght⟧(status) FROM orders").expect("E0203");
    assert_help(&error, "did you mean `length`?");
    model("SELECT length(status) FROM orders").expect_clean("E0203");
}

#[test]
fn e0204_no_overload_for_types() {
    let error = model("SELECT ⟦sum(status)⟧ FROM orders").expect("E0204");
    assert_help(&error, "cast the arguments");
    model("SELECT sum(amount) FROM orders").expect_clean("E0204");
}

#[test]
fn e0204_wrong_argument_count() {
    let error = model("SELECT ⟦lower(status, 1)⟧ FROM orders").expect("E0204");
    assert_eq!(error.message, "`lower` does not take 2 arguments");
    model("SELECT lower(status) FROM orders").expect_clean("E0204");
}

#[test]
fn e0205_column_not_grouped() {
    let sql =
        "SELECT customer_id, ⟦ordered_at⟧, sum(amount) AS total\nFROM orders\nGROUP BY customer_id";
    let error = model(sql).expect("E0205");
    assert_help(&error, "add `ordered_at` to GROUP BY");
    assert_help(&error, "any_value(ordered_at)");
    model("SELECT customer_id, ordered_at, sum(amount) AS total\nFROM orders\nGROUP BY customer_id, ordered_at")
        .expect_clean("E0205");
}

#[test]
fn e0205_column_not_grouped_in_having() {
    let sql = "SELECT customer_id, sum(amount) AS total\nFROM orders\nGROUP BY customer_id\nHAVING ⟦status⟧ = 'placed'";
    model(sql).expect("E0205");
    model("SELECT customer_id, sum(amount) AS total\nFROM orders\nWHERE status = 'placed'\nGROUP BY customer_id")
        .expect_clean("E0205");
}

#[test]
fn e0206_aggregate_in_where() {
    let sql = "SELECT customer_id\nFROM orders\nWHERE ⟦sum(amount)⟧ > 100\nGROUP BY customer_id";
    let error = model(sql).expect("E0206");
    assert_help(&error, "move this condition to HAVING");
    model("SELECT customer_id\nFROM orders\nGROUP BY customer_id\nHAVING sum(amount) > 100")
        .expect_clean("E0206");
}

#[test]
fn e0206_window_function_in_where() {
    let sql = "SELECT id\nFROM orders\nWHERE ⟦row_number() OVER (ORDER BY amount DESC)⟧ <= 10";
    let error = model(sql).expect("E0206");
    assert_help(&error, "QUALIFY");
    model("SELECT id\nFROM orders\nQUALIFY row_number() OVER (ORDER BY amount DESC) <= 10")
        .expect_clean("E0206");
}

#[test]
fn e0206_aggregate_in_group_by() {
    let sql = "SELECT customer_id, sum(amount)\nFROM orders\nGROUP BY customer_id, ⟦sum(amount)⟧";
    let error = model(sql).expect("E0206");
    assert_help(&error, "group by the column itself");
    model("SELECT customer_id, sum(amount)\nFROM orders\nGROUP BY customer_id")
        .expect_clean("E0206");
}

// W00xx: reading files.

#[test]
fn w0001_no_rocky_toml() {
    let warning = model("SELECT id FROM orders")
        .without("rocky.toml")
        .expect_unlocated("W0001", "rocky.toml");
    assert_help(&warning, "add a rocky.toml");
    model("SELECT id FROM orders").expect_clean("W0001");
}

#[test]
fn w0001_no_project_name() {
    let warning = Fixture::new()
        .file("rocky.toml", "⟦[project]⟧\n")
        .expect("W0001");
    assert_help(&warning, "add `name = \"...\"` under `[project]`");
    Fixture::new()
        .file("rocky.toml", "[project]\nname = \"shop\"\n")
        .expect_clean("W0001");
}

#[test]
fn w0002_unknown_sidecar_key() {
    let warning = model("SELECT id FROM orders")
        .file("models/m.toml", "⟦strategi⟧ = \"view\"\n")
        .expect("W0002");
    assert_help(&warning, "did you mean `strategy`?");
    model("SELECT id FROM orders")
        .file("models/m.toml", "strategy = \"view\"\n")
        .expect_clean("W0002");
}

#[test]
fn w0002_unknown_rocky_toml_table() {
    Fixture::new()
        .file(
            "rocky.toml",
            "[project]\nname = \"test\"\n\n⟦[projekt]⟧\nowner = \"data\"\n",
        )
        .expect("W0002");
    Fixture::new()
        .file("rocky.toml", "[project]\nname = \"test\"\n")
        .expect_clean("W0002");
}

#[test]
fn w0004_statement_in_source_file_ignored() {
    let sources = "CREATE TABLE raw.payments (id INTEGER);\n⟦CREATE INDEX payments_id ON raw.payments (id)⟧;\n";
    let warning = Fixture::new()
        .file("sources/payments.sql", sources)
        .expect("W0004");
    assert_help(&warning, "CREATE TABLE");
    Fixture::new()
        .file(
            "sources/payments.sql",
            "CREATE TABLE raw.payments (id INTEGER);\n",
        )
        .expect_clean("W0004");
}

#[test]
fn w0005_test_without_type() {
    let sidecar = "⟦[[tests]]⟧\ncolumn = \"id\"\n";
    let warning = model("SELECT id FROM orders")
        .file("models/m.toml", sidecar)
        .expect("W0005");
    assert_help(&warning, "type = \"not_null\"");
    model("SELECT id FROM orders")
        .file(
            "models/m.toml",
            "[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\n",
        )
        .expect_clean("W0005");
}

#[test]
fn w0005_second_test_without_type() {
    let sidecar = "[[tests]]\ntype = \"unique\"\ncolumn = \"id\"\n\n⟦[[tests]]⟧\ncolumn = \"id\"\n";
    model("SELECT id FROM orders")
        .file("models/m.toml", sidecar)
        .expect("W0005");
}

#[test]
fn w0006_csv_header_name_differs() {
    let csv = "id,⟦customer⟧,amount,ordered_at,status\n1,1,9.50,2024-01-02,placed\n";
    let warning = Fixture::new().file("data/orders.csv", csv).expect("W0006");
    assert_help(&warning, "rows load by position");
    Fixture::new()
        .file(
            "data/orders.csv",
            "id,customer_id,amount,ordered_at,status\n1,1,9.50,2024-01-02,placed\n",
        )
        .expect_clean("W0006");
}

#[test]
fn w0007_wrong_value_type_in_sidecar() {
    let warning = model("SELECT id FROM orders")
        .file("models/m.toml", "⟦depends_on⟧ = [1]\n")
        .expect("W0007");
    assert_help(&warning, "a list of model names");
    model("SELECT id FROM orders")
        .file("models/m.toml", "depends_on = [\"orders\"]\n")
        .expect_clean("W0007");
}

#[test]
fn w0007_wrong_value_type_in_rocky_toml() {
    let warning = Fixture::new()
        .file("rocky.toml", "[project]\n⟦name⟧ = 42\n")
        .expect("W0007");
    assert_help(&warning, "in quotes");
}

#[test]
fn w0008_unknown_strategy() {
    let warning = model("SELECT id FROM orders")
        .file("models/m.toml", "[strategy]\n⟦type⟧ = \"incremantal\"\n")
        .expect("W0008");
    assert_help(&warning, "did you mean `incremental`?");
    model("SELECT id FROM orders")
        .file("models/m.toml", "[strategy]\ntype = \"incremental\"\n")
        .expect_clean("W0008");
}

#[test]
fn w0008_unknown_strategy_before_tests() {
    let sidecar =
        "⟦strategy⟧ = \"incremantal\"\n\n[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\n";
    model("SELECT id FROM orders")
        .file("models/m.toml", sidecar)
        .expect("W0008");
}

#[test]
fn w0009_depends_on_unknown_model() {
    let warning = Fixture::new()
        .file("models/stg_orders.sql", "SELECT id FROM orders")
        .file("models/m.sql", "SELECT 1 AS x")
        .file("models/m.toml", "⟦depends_on⟧ = [\"stg_order\"]\n")
        .expect("W0009");
    assert_help(&warning, "did you mean `stg_orders`?");
    Fixture::new()
        .file("models/stg_orders.sql", "SELECT id FROM orders")
        .file("models/m.sql", "SELECT 1 AS x")
        .file("models/m.toml", "depends_on = [\"stg_orders\"]\n")
        .expect_clean("W0009");
}

#[test]
fn w0009_sources_section_names_no_source() {
    let toml = "[project]\nname = \"test\"\n\n⟦[sources.payments]⟧\ndata = \"data/payments.csv\"\n";
    Fixture::new()
        .file("rocky.toml", toml)
        .file("data/payments.csv", "id\n")
        .expect("W0009");
}

#[test]
fn w0009_sources_section_without_data() {
    let toml =
        "[project]\nname = \"test\"\n\n⟦[sources.payments]⟧\ndescription = \"card payments\"\n";
    Fixture::new().file("rocky.toml", toml).expect("W0009");
}

#[test]
fn w0010_test_names_missing_column() {
    let sidecar = "[[tests]]\ntype = \"not_null\"\ncolumn = ⟦\"amount_x\"⟧\n";
    let warning = model("SELECT id, amount FROM orders")
        .file("models/m.toml", sidecar)
        .expect("W0010");
    assert_help(&warning, "did you mean `amount`?");
    model("SELECT id, amount FROM orders")
        .file(
            "models/m.toml",
            "[[tests]]\ntype = \"not_null\"\ncolumn = \"amount\"\n",
        )
        .expect_clean("W0010");
}

// W01xx: queries.

#[test]
fn w0101_query_body_not_a_query() {
    let sql = "WITH big AS (SELECT * FROM orders WHERE amount > 100)\n⟦INSERT INTO big_orders SELECT * FROM big⟧";
    model(sql).expect("W0101");
    model("WITH big AS (SELECT * FROM orders WHERE amount > 100)\nSELECT * FROM big")
        .expect_clean("W0101");
    // A branch that is not a query has no column count to compare.
    let sql = "SELECT 1 AS x\nUNION ALL\n(⟦INSERT INTO big_orders SELECT 1⟧)";
    let fixture = model(sql);
    fixture.expect("W0101");
    let codes: Vec<String> = fixture
        .compile()
        .diagnostics
        .into_iter()
        .map(|d| d.code)
        .collect();
    assert!(!codes.contains(&"E0110".to_string()), "{codes:?}");
}

#[test]
fn e0114_from_item_not_supported() {
    let sql = "SELECT x\nFROM ⟦JSON_TABLE('[1, 2]', '$[*]' COLUMNS (x INTEGER PATH '$'))⟧";
    let error = model(sql).expect("E0114");
    assert!(error.message.contains("`JSON_TABLE`"), "{error:?}");
    model("SELECT CAST(unnest(json_extract('[1, 2]', '$[*]')) AS INTEGER) AS x")
        .expect_clean("E0114");
}

#[test]
fn e0114_table_function_syntax() {
    model("SELECT * FROM ⟦TABLE(my_fn(1))⟧").expect("E0114");
}

#[test]
fn w0103_cast_to_unknown_type() {
    model("SELECT CAST(amount AS ⟦MONEY⟧) FROM orders").expect("W0103");
    model("SELECT CAST(amount AS DECIMAL(12,2)) FROM orders").expect_clean("W0103");
}

#[test]
fn w0104_unused_cte() {
    let sql = "WITH ⟦big⟧ AS (SELECT * FROM orders WHERE amount > 100)\nSELECT id FROM orders";
    let warning = model(sql).expect("W0104");
    assert_help(&warning, "remove it");
    model("SELECT id FROM orders").expect_clean("W0104");
}

#[test]
fn w0105_pivot_without_in_list() {
    let warning = model("PIVOT orders ON ⟦status⟧ USING sum(amount)").expect("W0105");
    assert_help(&warning, "`status IN ('a', 'b')`");
    model("PIVOT orders ON status IN ('placed', 'shipped') USING sum(amount)")
        .expect_clean("W0105");
}

#[test]
fn w0106_columns_lambda_not_evaluated() {
    let warning = model("SELECT ⟦COLUMNS(c -> length(c) > 3)⟧ FROM orders").expect("W0106");
    assert_help(&warning, "LIKE");
    model("SELECT COLUMNS(c -> c LIKE '%_id') FROM orders").expect_clean("W0106");
}

#[test]
fn w0107_case_converts_decimal_to_double() {
    let sql = "SELECT CASE WHEN status = 'placed' THEN ⟦amount⟧ ELSE CAST(id AS DOUBLE) END AS v\nFROM orders";
    let warning = model(sql).expect("W0107");
    assert_help(&warning, "cast the DOUBLE side to DECIMAL(10,2)");
    model("SELECT CASE WHEN status = 'placed' THEN amount ELSE CAST(id AS DECIMAL(10,2)) END AS v\nFROM orders")
        .expect_clean("W0107");
}

#[test]
fn w0107_coalesce_converts_decimal_to_double() {
    let warning =
        model("SELECT coalesce(⟦amount⟧, CAST(id AS DOUBLE)) AS v FROM orders").expect("W0107");
    assert_help(&warning, "cast the DOUBLE side to DECIMAL(10,2)");
    model("SELECT coalesce(amount, CAST(id AS DECIMAL(10,2))) AS v FROM orders")
        .expect_clean("W0107");
}

#[test]
fn w0107_set_operation_converts_decimal_to_double() {
    let sql = "SELECT ⟦amount⟧ FROM orders\nUNION ALL\nSELECT CAST(id AS DOUBLE) FROM orders";
    let warning = model(sql).expect("W0107");
    assert_help(&warning, "cast the DOUBLE branch to DECIMAL(10,2)");
    model("SELECT amount FROM orders\nUNION ALL\nSELECT CAST(id AS DECIMAL(10,2)) FROM orders")
        .expect_clean("W0107");
}

#[test]
fn w0107_set_operation_second_column() {
    let sql =
        "SELECT id, ⟦amount⟧ FROM orders\nUNION ALL\nSELECT id, CAST(id AS DOUBLE) FROM orders";
    model(sql).expect("W0107");
}

#[test]
fn e0114_expression_not_supported() {
    let error = model("SELECT ⟦CONVERT(status, INTEGER)⟧ AS s FROM orders").expect("E0114");
    assert_help(&error, "DuckDB functions");
    model("SELECT CAST(status AS INTEGER) AS s FROM orders").expect_clean("E0114");
}

#[test]
fn e0114_is_normalized_not_supported() {
    model("SELECT ⟦status IS NFC NORMALIZED⟧ AS s FROM orders").expect("E0114");
}
