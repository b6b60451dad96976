//! The lineage of the bundled jaffle_shop sample, derived by hand from its
//! SQL and written out as literals. Each output column lists its direct
//! parents with their DIRECT kind. A direct parent is an upstream model or
//! source column that the column's expression reads, through the model's
//! own CTEs. Each column also lists the source columns it comes from in the
//! end, with the strongest kind on the way. Each model lists its INDIRECT
//! inputs. The compiler must agree both
//! in `Model::columns[..].lineage` and `Model::filters` and in the project
//! column graph.

mod common;

use std::collections::BTreeSet;

use rocky_core::{
    compile, ColumnGraph, ColumnId, Compilation, EdgeKind, IndirectKind, LineageKind, TableKind,
};

use EdgeKind::{Aggregation, Identity, Transformation};
use IndirectKind::{Conditional, GroupBy, Join};

/// One output column: its name, its direct parents and its source columns.
struct Expected {
    column: &'static str,
    parents: &'static [(&'static str, EdgeKind)],
    sources: &'static [(&'static str, EdgeKind)],
}

const fn col(
    column: &'static str,
    parents: &'static [(&'static str, EdgeKind)],
    sources: &'static [(&'static str, EdgeKind)],
) -> Expected {
    Expected {
        column,
        parents,
        sources,
    }
}

// The staging models rename raw columns, so every edge is an identity except
// `stg_payments.amount`, which is `amount / 100`.
const STG_CUSTOMERS: &[Expected] = &[
    col(
        "customer_id",
        &[("raw_customers.id", Identity)],
        &[("raw_customers.id", Identity)],
    ),
    col(
        "first_name",
        &[("raw_customers.first_name", Identity)],
        &[("raw_customers.first_name", Identity)],
    ),
    col(
        "last_name",
        &[("raw_customers.last_name", Identity)],
        &[("raw_customers.last_name", Identity)],
    ),
];

const STG_ORDERS: &[Expected] = &[
    col(
        "order_id",
        &[("raw_orders.id", Identity)],
        &[("raw_orders.id", Identity)],
    ),
    col(
        "customer_id",
        &[("raw_orders.user_id", Identity)],
        &[("raw_orders.user_id", Identity)],
    ),
    col(
        "order_date",
        &[("raw_orders.order_date", Identity)],
        &[("raw_orders.order_date", Identity)],
    ),
    col(
        "status",
        &[("raw_orders.status", Identity)],
        &[("raw_orders.status", Identity)],
    ),
];

const STG_PAYMENTS: &[Expected] = &[
    col(
        "payment_id",
        &[("raw_payments.id", Identity)],
        &[("raw_payments.id", Identity)],
    ),
    col(
        "order_id",
        &[("raw_payments.order_id", Identity)],
        &[("raw_payments.order_id", Identity)],
    ),
    col(
        "payment_method",
        &[("raw_payments.payment_method", Identity)],
        &[("raw_payments.payment_method", Identity)],
    ),
    // `amount / 100` computes a new value from the cents.
    col(
        "amount",
        &[("raw_payments.amount", Transformation)],
        &[("raw_payments.amount", Transformation)],
    ),
];

// `customers` ends in `select * from final`, and `final` picks columns of
// the CTEs `customers`, `customer_orders` and `customer_payments`, which
// read the staging models through `select *` CTEs.
const CUSTOMERS: &[Expected] = &[
    col(
        "customer_id",
        &[("stg_customers.customer_id", Identity)],
        &[("raw_customers.id", Identity)],
    ),
    col(
        "first_name",
        &[("stg_customers.first_name", Identity)],
        &[("raw_customers.first_name", Identity)],
    ),
    col(
        "last_name",
        &[("stg_customers.last_name", Identity)],
        &[("raw_customers.last_name", Identity)],
    ),
    // min(order_date) in `customer_orders`.
    col(
        "first_order",
        &[("stg_orders.order_date", Aggregation)],
        &[("raw_orders.order_date", Aggregation)],
    ),
    // max(order_date) in `customer_orders`.
    col(
        "most_recent_order",
        &[("stg_orders.order_date", Aggregation)],
        &[("raw_orders.order_date", Aggregation)],
    ),
    // count(order_id) aggregates the order ids. The `orders` CTE is the
    // staging model, whose `order_id` is `raw_orders.id` renamed.
    col(
        "number_of_orders",
        &[("stg_orders.order_id", Aggregation)],
        &[("raw_orders.id", Aggregation)],
    ),
    // `customer_payments.total_amount` is sum(amount) over the `payments`
    // CTE. The source column is reached through `amount / 100`
    // (transformation) and then the sum (aggregation): the stronger one.
    col(
        "customer_lifetime_value",
        &[("stg_payments.amount", Aggregation)],
        &[("raw_payments.amount", Aggregation)],
    ),
];

// `orders` ends in `select * from final`, and `final` joins the `orders`
// CTE, a copy of the staging model, to `order_payments`, which aggregates
// the payments.
const ORDERS: &[Expected] = &[
    col(
        "order_id",
        &[("stg_orders.order_id", Identity)],
        &[("raw_orders.id", Identity)],
    ),
    col(
        "customer_id",
        &[("stg_orders.customer_id", Identity)],
        &[("raw_orders.user_id", Identity)],
    ),
    col(
        "order_date",
        &[("stg_orders.order_date", Identity)],
        &[("raw_orders.order_date", Identity)],
    ),
    col(
        "status",
        &[("stg_orders.status", Identity)],
        &[("raw_orders.status", Identity)],
    ),
    // sum(case when payment_method = '...' then amount else 0 end): the sum
    // reads only `amount`. `payment_method` picks which amounts count, so it
    // is a CONDITIONAL input of the model, not a parent of the column, and
    // `0` is a literal.
    col(
        "credit_card_amount",
        &[("stg_payments.amount", Aggregation)],
        &[("raw_payments.amount", Aggregation)],
    ),
    col(
        "coupon_amount",
        &[("stg_payments.amount", Aggregation)],
        &[("raw_payments.amount", Aggregation)],
    ),
    col(
        "bank_transfer_amount",
        &[("stg_payments.amount", Aggregation)],
        &[("raw_payments.amount", Aggregation)],
    ),
    col(
        "gift_card_amount",
        &[("stg_payments.amount", Aggregation)],
        &[("raw_payments.amount", Aggregation)],
    ),
    // `order_payments.total_amount as amount` is sum(amount).
    col(
        "amount",
        &[("stg_payments.amount", Aggregation)],
        &[("raw_payments.amount", Aggregation)],
    ),
];

/// The INDIRECT inputs of `customers`, named by the upstream model column
/// that each CTE column copies.
const CUSTOMERS_FILTERS: &[(&str, IndirectKind)] = &[
    // `customer_orders` groups by `customer_id`, and `customer_payments` by
    // `orders.customer_id`: both are the staging model's column.
    ("stg_orders.customer_id", GroupBy),
    // `final` joins on `customer_orders.customer_id` and
    // `customer_payments.customer_id`, which are that grouping key again.
    ("stg_orders.customer_id", Join),
    // `final`'s other side of both joins, `customers.customer_id`.
    ("stg_customers.customer_id", Join),
    // `customer_payments` joins `payments.order_id = orders.order_id`.
    ("stg_payments.order_id", Join),
    ("stg_orders.order_id", Join),
];

const ORDERS_FILTERS: &[(&str, IndirectKind)] = &[
    // `order_payments` groups by `order_id` of the payments.
    ("stg_payments.order_id", GroupBy),
    // The four CASE WHEN conditions test `payment_method`, which is listed
    // once because filters hold one entry per column and kind.
    ("stg_payments.payment_method", Conditional),
    // `final` joins `orders.order_id = order_payments.order_id`. The right
    // side is the grouping key, the payments' `order_id`.
    ("stg_orders.order_id", Join),
    ("stg_payments.order_id", Join),
];

fn compile_sample() -> Compilation {
    let compilation = compile(&common::load_sample());
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    compilation
}

fn edge_set(list: &[(&str, EdgeKind)]) -> BTreeSet<(String, EdgeKind)> {
    list.iter()
        .map(|(name, kind)| (name.to_string(), *kind))
        .collect()
}

fn filter_set(list: &[(&str, IndirectKind)]) -> BTreeSet<(String, IndirectKind)> {
    list.iter()
        .map(|(name, kind)| (name.to_string(), *kind))
        .collect()
}

fn name_of(graph: &ColumnGraph, id: ColumnId) -> String {
    let node = graph.node(id);
    format!("{}.{}", node.table, node.column)
}

/// The model and source columns that `id` reads directly, found by walking
/// the graph's parent edges through columns of `id`'s own model (its CTEs
/// and subqueries, should the graph hold them), with the strongest kind on
/// the way.
fn graph_parents(graph: &ColumnGraph, id: ColumnId) -> BTreeSet<(String, EdgeKind)> {
    let owner = graph.node(id).model.clone();
    let mut found = BTreeSet::new();
    let mut pending = vec![(id, None::<EdgeKind>)];
    let mut seen = BTreeSet::new();
    while let Some((child, kind)) = pending.pop() {
        for (parent, edge) in graph.parents(child) {
            let kind = kind.map_or(edge.kind, |k| k.max(edge.kind));
            let node = graph.node(parent);
            let inside =
                matches!(node.kind, TableKind::Cte | TableKind::Subquery) && node.model == owner;
            if inside {
                if seen.insert((parent, kind)) {
                    pending.push((parent, Some(kind)));
                }
            } else {
                found.insert((name_of(graph, parent), kind));
            }
        }
    }
    found
}

fn check_columns_in_model(compilation: &Compilation, model: &str, expected: &[Expected]) {
    let model = compilation.model(model).unwrap();
    let names: Vec<&str> = model.columns.iter().map(|c| c.name.as_str()).collect();
    let expected_names: Vec<&str> = expected.iter().map(|e| e.column).collect();
    assert_eq!(names, expected_names, "columns of {}", model.name);
    for want in expected {
        let column = model
            .columns
            .iter()
            .find(|c| c.name == want.column)
            .unwrap();
        let parents: BTreeSet<(String, EdgeKind)> = column
            .lineage
            .iter()
            .map(|edge| (format!("{}.{}", edge.model, edge.column), edge.kind))
            .collect();
        assert_eq!(
            parents,
            edge_set(want.parents),
            "parents of {}.{}",
            model.name,
            want.column
        );
    }
}

fn check_columns_in_graph(graph: &ColumnGraph, model: &str, expected: &[Expected]) {
    for want in expected {
        let id = graph.find(model, want.column).unwrap();
        assert_eq!(
            graph_parents(graph, id),
            edge_set(want.parents),
            "graph parents of {model}.{}",
            want.column
        );
        let upstream = graph.upstream(id);
        let sources: BTreeSet<(String, EdgeKind)> = upstream
            .sources
            .iter()
            .map(|&index| {
                let reached = upstream.columns.iter().find(|r| r.id == index).unwrap();
                let LineageKind::Direct(kind) = reached.kind else {
                    panic!("source {index} reached through an indirect edge");
                };
                (name_of(graph, graph.id(index).unwrap()), kind)
            })
            .collect();
        assert_eq!(
            sources,
            edge_set(want.sources),
            "sources of {model}.{}",
            want.column
        );
    }
}

fn model_filters(compilation: &Compilation, model: &str) -> BTreeSet<(String, IndirectKind)> {
    compilation
        .model(model)
        .unwrap()
        .filters
        .iter()
        .map(|f| (format!("{}.{}", f.model, f.column), f.kind))
        .collect()
}

fn graph_filters(graph: &ColumnGraph, model: &str) -> BTreeSet<(String, IndirectKind)> {
    graph
        .indirect_inputs(model)
        .into_iter()
        .map(|(id, kind)| (name_of(graph, id), kind))
        .collect()
}

#[test]
fn staging_columns_in_model_lineage() {
    let c = compile_sample();
    check_columns_in_model(&c, "stg_customers", STG_CUSTOMERS);
    check_columns_in_model(&c, "stg_orders", STG_ORDERS);
    check_columns_in_model(&c, "stg_payments", STG_PAYMENTS);
}

#[test]
fn staging_columns_in_graph() {
    let c = compile_sample();
    let graph = ColumnGraph::build(&c);
    check_columns_in_graph(&graph, "stg_customers", STG_CUSTOMERS);
    check_columns_in_graph(&graph, "stg_orders", STG_ORDERS);
    check_columns_in_graph(&graph, "stg_payments", STG_PAYMENTS);
}

#[test]
fn customers_columns_in_model_lineage() {
    check_columns_in_model(&compile_sample(), "customers", CUSTOMERS);
}

#[test]
fn customers_columns_in_graph() {
    let c = compile_sample();
    check_columns_in_graph(&ColumnGraph::build(&c), "customers", CUSTOMERS);
}

#[test]
fn orders_columns_in_model_lineage() {
    check_columns_in_model(&compile_sample(), "orders", ORDERS);
}

#[test]
fn orders_columns_in_graph() {
    let c = compile_sample();
    check_columns_in_graph(&ColumnGraph::build(&c), "orders", ORDERS);
}

#[test]
fn staging_models_have_no_filters() {
    let c = compile_sample();
    let graph = ColumnGraph::build(&c);
    for model in ["stg_customers", "stg_orders", "stg_payments"] {
        assert_eq!(model_filters(&c, model), BTreeSet::new(), "{model}");
        assert_eq!(graph_filters(&graph, model), BTreeSet::new(), "{model}");
    }
}

#[test]
fn customers_filters() {
    let c = compile_sample();
    assert_eq!(
        model_filters(&c, "customers"),
        filter_set(CUSTOMERS_FILTERS)
    );
    let graph = ColumnGraph::build(&c);
    assert_eq!(
        graph_filters(&graph, "customers"),
        filter_set(CUSTOMERS_FILTERS)
    );
}

#[test]
fn orders_filters() {
    let c = compile_sample();
    assert_eq!(model_filters(&c, "orders"), filter_set(ORDERS_FILTERS));
    let graph = ColumnGraph::build(&c);
    assert_eq!(graph_filters(&graph, "orders"), filter_set(ORDERS_FILTERS));
}

/// Collects the indirect inputs of a column's upstream as `table.column`
/// with kind.
fn upstream_indirect(graph: &ColumnGraph, id: ColumnId) -> BTreeSet<(String, IndirectKind)> {
    graph
        .upstream(id)
        .indirect
        .iter()
        .map(|reached| {
            let LineageKind::Indirect(kind) = reached.kind else {
                panic!("direct kind among the indirect inputs");
            };
            (name_of(graph, graph.id(reached.id).unwrap()), kind)
        })
        .collect()
}

/// A model's name, its expected columns and its expected filters.
type ModelExpectation = (
    &'static str,
    &'static [Expected],
    &'static [(&'static str, IndirectKind)],
);

const MODELS_WITH_FILTERS: [ModelExpectation; 2] = [
    ("customers", CUSTOMERS, CUSTOMERS_FILTERS),
    ("orders", ORDERS, ORDERS_FILTERS),
];

/// The upstream of any column of a model names the columns of the model's
/// filters, and the staging models on the way add none.
#[test]
fn upstream_names_filter_columns() {
    let c = compile_sample();
    let graph = ColumnGraph::build(&c);
    for (model, expected, filters) in MODELS_WITH_FILTERS {
        let columns: BTreeSet<String> = filters.iter().map(|(name, _)| name.to_string()).collect();
        for want in expected {
            let id = graph.find(model, want.column).unwrap();
            let found: BTreeSet<String> = upstream_indirect(&graph, id)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            assert_eq!(
                found, columns,
                "indirect upstream of {model}.{}",
                want.column
            );
        }
    }
}

/// The same with kinds: `stg_orders.customer_id` is both a grouping key and
/// a join key of `customers`, so it should appear with both kinds.
#[test]
fn upstream_keeps_every_filter_kind() {
    let c = compile_sample();
    let graph = ColumnGraph::build(&c);
    for (model, expected, filters) in MODELS_WITH_FILTERS {
        for want in expected {
            let id = graph.find(model, want.column).unwrap();
            assert_eq!(
                upstream_indirect(&graph, id),
                filter_set(filters),
                "indirect upstream of {model}.{}",
                want.column
            );
        }
    }
}
