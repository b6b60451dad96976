//! The project column graph: paths through CTEs and subqueries, edge
//! expressions, upstream and downstream walks, unresolved columns.

use rocky_core::{compile, ColumnGraph, EdgeKind, LineageKind, ProjectFiles, TableKind};

const SOURCES: &str = "
CREATE TABLE customers (id INTEGER NOT NULL, name VARCHAR);
CREATE TABLE orders (id INTEGER NOT NULL, customer_id INTEGER, amount DECIMAL(10,2), status VARCHAR);
";

fn project(models: &[(&str, &str)]) -> ColumnGraph {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    for (name, sql) in models {
        files.insert(format!("models/{name}.sql"), sql.to_string());
    }
    ColumnGraph::build(&compile(&files))
}

/// `table.column` of a column of the graph.
fn label(graph: &ColumnGraph, index: usize) -> String {
    let node = graph.node(graph.id(index).unwrap());
    format!("{}.{}", node.table, node.column)
}

#[test]
fn paths_go_through_ctes_and_subqueries() {
    let sql = "WITH paid AS (SELECT customer_id, amount FROM orders WHERE status = 'paid'),
    totals AS (SELECT customer_id, sum(amount) AS total FROM paid GROUP BY customer_id)
SELECT t.customer_id, s.total * 2 AS doubled
FROM totals t JOIN (SELECT customer_id, total FROM totals) AS s USING (customer_id)";
    let graph = project(&[("report", sql)]);
    let doubled = graph.find("report", "doubled").unwrap();
    let parents: Vec<String> = graph
        .parents(doubled)
        .iter()
        .map(|(id, edge)| {
            format!(
                "{} {:?} {}",
                label(&graph, id.index()),
                edge.kind,
                edge.expression.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(parents, ["report.s.total Transformation s.total * 2"]);
    let s_total = graph.find("report.s", "total").unwrap();
    assert_eq!(graph.node(s_total).kind, TableKind::Subquery);
    let cte = graph.find("report.totals", "total").unwrap();
    assert_eq!(graph.node(cte).kind, TableKind::Cte);
    assert_eq!(graph.node(cte).model.as_deref(), Some("report"));

    let upstream = graph.upstream(doubled);
    let path: Vec<(String, usize)> = upstream
        .columns
        .iter()
        .map(|r| (label(&graph, r.id), r.hops))
        .collect();
    assert_eq!(
        path,
        [
            ("report.s.total".to_string(), 1),
            ("report.totals.total".to_string(), 2),
            ("report.paid.amount".to_string(), 3),
            ("orders.amount".to_string(), 4),
        ]
    );
    let sources: Vec<String> = upstream.sources.iter().map(|i| label(&graph, *i)).collect();
    assert_eq!(sources, ["orders.amount"]);
    // The sum on the way makes the whole path an aggregation.
    assert_eq!(
        upstream.columns[3].kind,
        LineageKind::Direct(EdgeKind::Aggregation)
    );
    let indirect: Vec<String> = upstream
        .indirect
        .iter()
        .map(|r| label(&graph, r.id))
        .collect();
    assert!(
        indirect.contains(&"orders.status".to_string()),
        "{indirect:?}"
    );
    assert!(
        indirect.contains(&"orders.customer_id".to_string()),
        "{indirect:?}"
    );
}

#[test]
fn downstream_counts_columns_and_models() {
    let graph = project(&[
        (
            "stg",
            "SELECT id AS order_id, customer_id, amount FROM orders",
        ),
        (
            "by_customer",
            "SELECT customer_id, sum(amount) AS total, count(*) AS n FROM stg GROUP BY customer_id",
        ),
        (
            "named",
            "SELECT c.name, b.total FROM by_customer b JOIN customers c ON c.id = b.customer_id",
        ),
    ]);
    let amount = graph.find("orders", "amount").unwrap();
    let radius = graph.downstream(amount);
    let columns: Vec<String> = radius.columns.iter().map(|r| label(&graph, r.id)).collect();
    assert_eq!(columns, ["stg.amount", "by_customer.total", "named.total"]);
    assert_eq!(radius.models, ["stg", "by_customer", "named"]);
    // A join key affects every column of the model that joins on it.
    let customer = graph.find("stg", "customer_id").unwrap();
    let radius = graph.downstream(customer);
    let columns: Vec<String> = radius.columns.iter().map(|r| label(&graph, r.id)).collect();
    assert!(
        columns.contains(&"by_customer.total".to_string()),
        "{columns:?}"
    );
    assert!(columns.contains(&"named.name".to_string()), "{columns:?}");
    let name = radius
        .columns
        .iter()
        .find(|r| label(&graph, r.id) == "named.name")
        .unwrap();
    assert!(matches!(name.kind, LineageKind::Indirect(_)), "{name:?}");
}

#[test]
fn unresolved_columns_say_why() {
    let graph = project(&[("m", "SELECT x, id FROM nowhere")]);
    let x = graph.find("m", "x").unwrap();
    let reason = graph.node(x).unresolved.clone().unwrap();
    assert!(reason.contains("`nowhere`"), "{reason}");
    // A column that reads nothing at all is not unresolved.
    let graph = project(&[("m", "SELECT 1 AS one")]);
    let one = graph.find("m", "one").unwrap();
    assert_eq!(graph.node(one).unresolved, None);
    assert!(graph.parents(one).is_empty());
}

#[test]
fn recursive_ctes_end_at_their_anchor() {
    let sql = "WITH RECURSIVE chain(n, customer) AS (
    SELECT 1, customer_id FROM orders
    UNION ALL
    SELECT n + 1, customer FROM chain WHERE n < 3)
SELECT customer FROM chain";
    let graph = project(&[("m", sql)]);
    let customer = graph.find("m", "customer").unwrap();
    let sources: Vec<String> = graph
        .upstream(customer)
        .sources
        .iter()
        .map(|i| label(&graph, *i))
        .collect();
    assert_eq!(sources, ["orders.customer_id"]);
}
