//! Highlights of the bundled sample. The expected sets come from reading
//! the sample's SQL: `orders` joins on `order_id` and picks amounts by
//! `payment_method`, `customers` joins on `customer_id` and `order_id`.

use rocky_core::{compile, EdgeKind};

use super::*;
use crate::sample::sample_project;

fn sample_graph() -> ColumnGraph {
    ColumnGraph::build(&compile(&sample_project()))
}

fn column(graph: &ColumnGraph, table: &str, name: &str) -> ColumnId {
    graph
        .find(table, name)
        .unwrap_or_else(|| panic!("the sample has no column {table}.{name}"))
}

/// Returns `table.column` of every counted column with `role`, sorted.
fn with_role(graph: &ColumnGraph, highlight: &Highlight, role: Role) -> Vec<String> {
    let mut names: Vec<String> = graph
        .columns()
        .filter(|(_, node)| matches!(node.kind, TableKind::Source | TableKind::Model))
        .filter(|(id, _)| highlight.role(*id) == Some(role))
        .map(|(_, node)| format!("{}.{}", node.table, node.column))
        .collect();
    names.sort();
    names
}

const ORDERS_COLUMNS: [&str; 9] = [
    "orders.amount",
    "orders.bank_transfer_amount",
    "orders.coupon_amount",
    "orders.credit_card_amount",
    "orders.customer_id",
    "orders.gift_card_amount",
    "orders.order_date",
    "orders.order_id",
    "orders.status",
];

const CUSTOMERS_COLUMNS: [&str; 7] = [
    "customers.customer_id",
    "customers.customer_lifetime_value",
    "customers.first_name",
    "customers.first_order",
    "customers.last_name",
    "customers.most_recent_order",
    "customers.number_of_orders",
];

#[test]
fn join_key_affects_both_marts() {
    // stg_orders.order_id feeds orders.order_id and number_of_orders, and
    // both marts join on it, so every column of both changes.
    let graph = sample_graph();
    let highlight = Highlight::of(&graph, column(&graph, "stg_orders", "order_id"));
    let mut expected: Vec<String> = ORDERS_COLUMNS
        .iter()
        .chain(&CUSTOMERS_COLUMNS)
        .map(|s| s.to_string())
        .collect();
    expected.sort();
    assert_eq!(with_role(&graph, &highlight, Role::Downstream), expected);
    assert_eq!(highlight.counts.affected_columns, 16);
    assert_eq!(highlight.counts.affected_models, 2);
    assert_eq!(
        highlight.counts.blast_radius_text(),
        "affects 16 columns in 2 models"
    );
    assert_eq!(
        with_role(&graph, &highlight, Role::Upstream),
        ["raw_orders.id"]
    );
    assert_eq!(highlight.counts.upstream_columns, 1);
    assert_eq!(highlight.counts.source_columns, 1);
    assert_eq!(highlight.counts.indirect_inputs, 0);
}

#[test]
fn source_amount_reaches_three_models() {
    let graph = sample_graph();
    let highlight = Highlight::of(&graph, column(&graph, "raw_payments", "amount"));
    assert_eq!(
        with_role(&graph, &highlight, Role::Downstream),
        [
            "customers.customer_lifetime_value",
            "orders.amount",
            "orders.bank_transfer_amount",
            "orders.coupon_amount",
            "orders.credit_card_amount",
            "orders.gift_card_amount",
            "stg_payments.amount",
        ]
    );
    assert_eq!(
        highlight.counts.blast_radius_text(),
        "affects 7 columns in 3 models"
    );
    assert_eq!(highlight.counts.upstream_text(), "reads no other column");
}

#[test]
fn conditional_input_affects_whole_model() {
    // payment_method only picks which amounts each sum adds up.
    let graph = sample_graph();
    let highlight = Highlight::of(&graph, column(&graph, "stg_payments", "payment_method"));
    assert_eq!(
        with_role(&graph, &highlight, Role::Downstream),
        ORDERS_COLUMNS
    );
    assert_eq!(
        highlight.counts.blast_radius_text(),
        "affects 9 columns in 1 model"
    );
}

#[test]
fn lifetime_value_upstream_and_indirect() {
    let graph = sample_graph();
    let selected = column(&graph, "customers", "customer_lifetime_value");
    let highlight = Highlight::of(&graph, selected);
    assert_eq!(highlight.role(selected), Some(Role::Selected));
    assert_eq!(
        with_role(&graph, &highlight, Role::Upstream),
        ["raw_payments.amount", "stg_payments.amount"]
    );
    assert_eq!(
        with_role(&graph, &highlight, Role::Indirect),
        [
            "stg_customers.customer_id",
            "stg_orders.customer_id",
            "stg_orders.order_id",
            "stg_payments.order_id",
        ]
    );
    let counts = highlight.counts;
    assert_eq!(
        counts.upstream_text(),
        "reads 2 columns from 2 tables, 1 column in sources"
    );
    assert_eq!(counts.indirect_inputs, 4);
    assert_eq!(counts.blast_radius_text(), "affects no other column");
    let amount = highlight
        .upstream
        .get(&column(&graph, "stg_payments", "amount").index());
    assert_eq!(amount, Some(&LineageKind::Direct(EdgeKind::Aggregation)));
}

#[test]
fn edge_roles_follow_the_path() {
    let graph = sample_graph();
    let selected = column(&graph, "customers", "customer_lifetime_value");
    let highlight = Highlight::of(&graph, selected);
    let stg_amount = column(&graph, "stg_payments", "amount");
    let raw_amount = column(&graph, "raw_payments", "amount");
    let orders_amount = column(&graph, "orders", "amount");
    assert_eq!(
        highlight.direct_edge_role(stg_amount, selected),
        Some(Role::Upstream)
    );
    assert_eq!(
        highlight.direct_edge_role(raw_amount, stg_amount),
        Some(Role::Upstream)
    );
    assert_eq!(highlight.direct_edge_role(stg_amount, orders_amount), None);
    let order_id = column(&graph, "stg_orders", "order_id");
    assert_eq!(
        highlight.indirect_edge_role(order_id, "customers"),
        Some(Role::Indirect)
    );
    // orders is not on the path of lifetime value, so its join key is not lit.
    assert_eq!(highlight.indirect_edge_role(order_id, "orders"), None);
}

#[test]
fn downstream_edges_lit_from_source() {
    let graph = sample_graph();
    let selected = column(&graph, "stg_orders", "order_id");
    let highlight = Highlight::of(&graph, selected);
    let orders_id = column(&graph, "orders", "order_id");
    assert_eq!(
        highlight.direct_edge_role(selected, orders_id),
        Some(Role::Downstream)
    );
    assert_eq!(
        highlight.indirect_edge_role(selected, "orders"),
        Some(Role::Downstream)
    );
    assert_eq!(
        highlight.indirect_edge_role(selected, "customers"),
        Some(Role::Downstream)
    );
    let raw_id = column(&graph, "raw_orders", "id");
    assert_eq!(
        highlight.direct_edge_role(raw_id, selected),
        Some(Role::Upstream)
    );
}

#[test]
fn highlight_tables_cover_path() {
    let graph = sample_graph();
    let highlight = Highlight::of(&graph, column(&graph, "raw_payments", "amount"));
    let tables: Vec<String> = highlight.tables(&graph).into_iter().collect();
    assert_eq!(
        tables,
        ["customers", "orders", "raw_payments", "stg_payments"]
    );
}

#[test]
fn counts_text_singular() {
    let counts = Counts {
        affected_columns: 1,
        affected_models: 1,
        upstream_columns: 1,
        upstream_tables: 1,
        source_columns: 0,
        indirect_inputs: 1,
    };
    assert_eq!(counts.blast_radius_text(), "affects 1 column in 1 model");
    assert_eq!(counts.upstream_text(), "reads 1 column from 1 table");
    assert_eq!(
        counts.indirect_text(),
        "1 indirect input (join keys, filters, grouping)"
    );
}
