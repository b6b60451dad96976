//! One test per lineage kind: the DIRECT kinds on output columns and the
//! INDIRECT kinds on a model's filters, after OpenLineage's column-lineage
//! facet.

use rocky_core::{compile, Compilation, EdgeKind, IndirectKind, ProjectFiles};

const SOURCES: &str = "
CREATE TABLE customers (id INTEGER NOT NULL, name VARCHAR, tier VARCHAR);
CREATE TABLE orders (id INTEGER NOT NULL, customer_id INTEGER, amount DECIMAL(10,2), status VARCHAR, tags VARCHAR[]);
";

fn compile_one(sql: &str) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    files.insert("models/m.sql".into(), sql.to_string());
    let compilation = compile(&files);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    compilation
}

/// The kind of each parent of output column `column`, as `table.column kind`.
fn direct(sql: &str, column: &str) -> Vec<(String, EdgeKind)> {
    let c = compile_one(sql);
    let model = c.model("m").unwrap();
    let output = model.columns.iter().find(|c| c.name == column).unwrap();
    output
        .lineage
        .iter()
        .map(|e| (format!("{}.{}", e.model, e.column), e.kind))
        .collect()
}

/// The filters of the model as `table.column` with their kind.
fn indirect(sql: &str) -> Vec<(String, IndirectKind)> {
    let c = compile_one(sql);
    c.model("m")
        .unwrap()
        .filters
        .iter()
        .map(|f| (format!("{}.{}", f.model, f.column), f.kind))
        .collect()
}

fn pair(column: &str, kind: EdgeKind) -> (String, EdgeKind) {
    (column.to_string(), kind)
}

fn filter(column: &str, kind: IndirectKind) -> (String, IndirectKind) {
    (column.to_string(), kind)
}

#[test]
fn identity_survives_renames_and_ctes() {
    let sql = "WITH c AS (SELECT id AS customer FROM customers) SELECT customer AS who FROM c";
    assert_eq!(
        direct(sql, "who"),
        [pair("customers.id", EdgeKind::Identity)]
    );
}

#[test]
fn transformation_for_computed_values() {
    let sql = "SELECT upper(name) || '!' AS shout FROM customers";
    assert_eq!(
        direct(sql, "shout"),
        [pair("customers.name", EdgeKind::Transformation)]
    );
    let lag = "SELECT lag(amount) OVER (ORDER BY id) AS previous FROM orders";
    assert_eq!(
        direct(lag, "previous"),
        [pair("orders.amount", EdgeKind::Transformation)]
    );
}

#[test]
fn aggregation_wins_over_the_path() {
    let sql =
        "WITH t AS (SELECT amount * 2 AS doubled FROM orders) SELECT sum(doubled) AS total FROM t";
    assert_eq!(
        direct(sql, "total"),
        [pair("orders.amount", EdgeKind::Aggregation)]
    );
    let running = "SELECT sum(amount) OVER (ORDER BY id) AS running FROM orders";
    assert_eq!(
        direct(running, "running"),
        [pair("orders.amount", EdgeKind::Aggregation)]
    );
}

#[test]
fn join_keys() {
    let sql = "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id";
    assert_eq!(
        indirect(sql),
        [
            filter("customers.id", IndirectKind::Join),
            filter("orders.customer_id", IndirectKind::Join)
        ]
    );
}

#[test]
fn group_by_keys_and_distinct() {
    let sql = "SELECT status, count(*) AS n FROM orders GROUP BY status";
    assert_eq!(
        indirect(sql),
        [filter("orders.status", IndirectKind::GroupBy)]
    );
    let distinct = "SELECT DISTINCT tier FROM customers";
    assert_eq!(
        indirect(distinct),
        [filter("customers.tier", IndirectKind::GroupBy)]
    );
    let union = "SELECT name FROM customers UNION SELECT status FROM orders";
    assert_eq!(
        indirect(union),
        [
            filter("customers.name", IndirectKind::GroupBy),
            filter("orders.status", IndirectKind::GroupBy)
        ]
    );
    assert!(indirect("SELECT name FROM customers UNION ALL SELECT status FROM orders").is_empty());
}

#[test]
fn row_filters() {
    let sql = "SELECT id FROM orders WHERE status = 'paid' AND customer_id IN (SELECT id FROM customers WHERE tier = 'gold')";
    assert_eq!(
        indirect(sql),
        [
            filter("customers.id", IndirectKind::Filter),
            filter("customers.tier", IndirectKind::Filter),
            filter("orders.customer_id", IndirectKind::Filter),
            filter("orders.status", IndirectKind::Filter),
        ]
    );
}

#[test]
fn except_right_side_only_filters() {
    let sql = "SELECT id FROM customers EXCEPT SELECT customer_id FROM orders";
    assert_eq!(
        direct(sql, "id"),
        [pair("customers.id", EdgeKind::Identity)]
    );
    assert_eq!(
        indirect(sql),
        [
            filter("customers.id", IndirectKind::Filter),
            filter("orders.customer_id", IndirectKind::Filter)
        ]
    );
}

#[test]
fn sort_only_with_limit() {
    assert_eq!(
        indirect("SELECT id FROM orders ORDER BY amount DESC LIMIT 3"),
        [filter("orders.amount", IndirectKind::Sort)]
    );
    assert!(indirect("SELECT id FROM orders ORDER BY amount").is_empty());
}

#[test]
fn window_partition_and_order() {
    let sql =
        "SELECT row_number() OVER (PARTITION BY customer_id ORDER BY amount) AS n FROM orders";
    assert_eq!(
        indirect(sql),
        [
            filter("orders.amount", IndirectKind::Window),
            filter("orders.customer_id", IndirectKind::Window)
        ]
    );
    assert!(direct(sql, "n").is_empty());
}

#[test]
fn conditions_that_pick_values() {
    let case = "SELECT CASE WHEN status = 'paid' THEN amount ELSE 0 END AS paid FROM orders";
    assert_eq!(
        direct(case, "paid"),
        [pair("orders.amount", EdgeKind::Transformation)]
    );
    assert_eq!(
        indirect(case),
        [filter("orders.status", IndirectKind::Conditional)]
    );
    let aggregate = "SELECT sum(amount) FILTER (WHERE status = 'paid') AS paid FROM orders";
    assert_eq!(
        indirect(aggregate),
        [filter("orders.status", IndirectKind::Conditional)]
    );
    let lambda = "SELECT list_filter(tags, t -> t <> status) AS other FROM orders";
    assert_eq!(
        direct(lambda, "other"),
        [pair("orders.tags", EdgeKind::Transformation)]
    );
    assert_eq!(
        indirect(lambda),
        [
            filter("orders.status", IndirectKind::Conditional),
            filter("orders.tags", IndirectKind::Conditional)
        ]
    );
}
