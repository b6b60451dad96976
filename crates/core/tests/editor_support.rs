//! What the compiler records for editors: the type behind each column
//! name, the tables each SELECT can read, and secondary labels.

use rocky_core::{compile, Compilation, Diagnostic, ProjectFiles, Span};

const SOURCES: &str = "
CREATE TABLE raw.customers (id INTEGER NOT NULL, name VARCHAR);
CREATE TABLE raw.orders (id INTEGER NOT NULL, customer_id INTEGER, amount DECIMAL(10,2), ordered_at DATE, status VARCHAR);
";

fn project(sql: &str) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    files.insert("models/m.sql".into(), sql.to_string());
    compile(&files)
}

fn only_error<'c>(compilation: &'c Compilation, code: &str) -> &'c Diagnostic {
    let found: Vec<&Diagnostic> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect();
    assert_eq!(found.len(), 1, "{:?}", compilation.diagnostics);
    found[0]
}

fn labels(diagnostic: &Diagnostic) -> Vec<(Span, &str)> {
    diagnostic
        .labels
        .iter()
        .map(|label| (label.span, label.message.as_str()))
        .collect()
}

#[test]
fn column_uses_carry_types_and_sources() {
    let c = project("SELECT o.amount, status\nFROM orders AS o");
    let model = c.model("m").unwrap();
    let uses: Vec<(Span, &str, Option<&str>, &str)> = model
        .column_uses
        .iter()
        .map(|u| (u.span, u.column.as_str(), u.table.as_deref(), u.ty.as_str()))
        .collect();
    assert_eq!(
        uses,
        vec![
            (Span::new(1, 8, 1, 16), "amount", Some("o"), "DECIMAL(10,2)"),
            (Span::new(1, 18, 1, 24), "status", Some("o"), "VARCHAR"),
        ]
    );
    let source = model.column_uses[0].source.as_ref().unwrap();
    assert_eq!(
        (source.model.as_str(), source.column.as_str()),
        ("orders", "amount")
    );
}

#[test]
fn scopes_list_the_from_items_of_each_select() {
    let sql = "SELECT c.name\nFROM customers AS c\nWHERE c.id IN (SELECT customer_id FROM orders)";
    let c = project(sql);
    let scopes = &c.model("m").unwrap().scopes;
    assert_eq!(scopes.len(), 2, "{scopes:?}");
    let outer = scopes.iter().find(|s| s.span.start.line == 1).unwrap();
    let inner = scopes.iter().find(|s| s.span.start.line == 3).unwrap();
    assert_eq!(outer.tables.len(), 1);
    assert_eq!(outer.tables[0].name, "c");
    let names: Vec<&str> = outer.tables[0]
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["id", "name"]);
    assert_eq!(inner.tables[0].name, "orders");
    // The subquery's scope lies inside the outer one.
    assert!(inner.span.start >= outer.span.start && inner.span.end <= outer.span.end);
}

#[test]
fn ambiguous_column_labels_both_tables() {
    let c = project("SELECT id\nFROM orders AS o\nJOIN customers AS c ON c.id = o.customer_id");
    let error = only_error(&c, "E0102");
    assert_eq!(
        labels(error),
        vec![
            (Span::new(2, 6, 2, 17), "`o.id` comes from here"),
            (Span::new(3, 6, 3, 20), "`c.id` comes from here"),
        ]
    );
}

#[test]
fn comparison_mismatch_labels_both_operands() {
    let c = project("SELECT id FROM orders WHERE ordered_at < status");
    let error = only_error(&c, "E0201");
    assert_eq!(
        labels(error),
        vec![
            (Span::new(1, 29, 1, 39), "this is DATE"),
            (Span::new(1, 42, 1, 48), "this is VARCHAR"),
        ]
    );
}

#[test]
fn case_mixing_labels_the_two_branches() {
    let c = project("SELECT CASE WHEN id > 1 THEN ordered_at ELSE upper(status) END FROM orders");
    let error = only_error(&c, "E0201");
    assert_eq!(
        labels(error),
        vec![
            (Span::new(1, 30, 1, 40), "this is DATE"),
            (Span::new(1, 46, 1, 59), "this is VARCHAR"),
        ]
    );
}

#[test]
fn set_operation_count_labels_the_other_branch() {
    let c = project("SELECT id, amount FROM orders\nUNION ALL\nSELECT id FROM customers");
    let error = only_error(&c, "E0110");
    assert_eq!(error.span, Span::new(3, 8, 3, 10));
    assert_eq!(
        labels(error),
        vec![(Span::new(1, 8, 1, 18), "this branch has 2 columns")]
    );
    // Pairing by position is meaningless here, so no type error follows.
    assert!(!c.diagnostics.iter().any(|d| d.code == "E0201"));
}

#[test]
fn duplicate_cte_points_at_the_first_definition() {
    let c = project("WITH a AS (SELECT 1 AS x), a AS (SELECT 2 AS x)\nSELECT * FROM a");
    let error = only_error(&c, "E0113");
    assert_eq!(error.span, Span::new(1, 28, 1, 29));
    assert_eq!(
        labels(error),
        vec![(Span::new(1, 6, 1, 7), "first defined here")]
    );
}

#[test]
fn exact_values_turned_floating_point_are_warned_about() {
    let c =
        project("SELECT coalesce(amount, id::DOUBLE) AS a, coalesce(amount, 0) AS b FROM orders");
    let warning = only_error(&c, "W0107");
    assert_eq!(warning.span, Span::new(1, 17, 1, 23));
    assert_eq!(
        labels(warning),
        vec![(Span::new(1, 25, 1, 35), "this is DOUBLE")]
    );
    assert!(warning.help.as_deref().unwrap().contains("DECIMAL(10,2)"));

    let c = project("SELECT amount FROM orders\nUNION ALL\nSELECT 1.5::DOUBLE");
    let warning = only_error(&c, "W0107");
    assert_eq!(warning.span, Span::new(1, 8, 1, 14));
    // Integers up to INTEGER are exact in a DOUBLE: no warning.
    let c = project("SELECT CASE WHEN id > 1 THEN id ELSE 2.5::DOUBLE END FROM orders");
    assert!(!c.diagnostics.iter().any(|d| d.code == "W0107"));
}
