//! The bundled retail sample compiles with no diagnostics. Its set-operation
//! and window models output the columns and types that DuckDB 1.4.4 gives
//! them when it builds the sample. A mart column traces back to the source
//! columns found by reading the SQL by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rocky_core::{compile, Compilation, EdgeKind, ProjectFiles};

mod common;

/// Reads every text file under sample/retail into a project, with paths
/// relative to the sample folder. The CSV files are included because the
/// compiler checks each source's data file against its declaration.
fn load_retail() -> ProjectFiles {
    common::read_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample/retail"))
}

fn compile_retail() -> Compilation {
    compile(&load_retail())
}

/// Returns the output columns of `model` as (name, type) pairs, in order.
fn columns_of(compilation: &Compilation, model: &str) -> Vec<(String, String)> {
    let model = compilation
        .model(model)
        .unwrap_or_else(|| panic!("the sample has no model {model}"));
    model
        .columns
        .iter()
        .map(|column| (column.name.clone(), column.ty.clone()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(name, ty)| (name.to_string(), ty.to_string()))
        .collect()
}

/// Returns the direct parents of `model.column` as `model.column` names
/// with the facet name of their kind.
fn parents_of(compilation: &Compilation, model: &str, column: &str) -> BTreeSet<(String, String)> {
    let model = compilation.model(model).unwrap();
    let column = model.columns.iter().find(|c| c.name == column).unwrap();
    column
        .lineage
        .iter()
        .map(|edge| {
            let name = format!("{}.{}", edge.model, edge.column);
            (name, edge.kind.facet_name().to_string())
        })
        .collect()
}

/// Collects the source columns that `model.column` comes from, by following
/// each column's lineage through the upstream models. Each source column
/// gets the strongest kind on the way (identity < transformation <
/// aggregation). Where two paths reach it, the stronger one wins.
fn collect_sources(
    compilation: &Compilation,
    model: &str,
    column: &str,
    kind_so_far: Option<EdgeKind>,
    found: &mut BTreeMap<String, EdgeKind>,
) {
    let upstream = compilation.model(model).unwrap();
    let column = upstream
        .columns
        .iter()
        .find(|c| c.name == column)
        .unwrap_or_else(|| panic!("{model} has no column {column}"));
    for edge in &column.lineage {
        let kind = kind_so_far.map_or(edge.kind, |k| k.max(edge.kind));
        if compilation.model(&edge.model).is_some() {
            collect_sources(compilation, &edge.model, &edge.column, Some(kind), found);
            continue;
        }
        assert!(
            compilation.source(&edge.model).is_some(),
            "{}.{} is neither a model nor a source",
            edge.model,
            edge.column
        );
        let name = format!("{}.{}", edge.model, edge.column);
        let strongest = found.get(&name).map_or(kind, |k| (*k).max(kind));
        found.insert(name, strongest);
    }
}

fn sources_of(compilation: &Compilation, model: &str, column: &str) -> BTreeSet<(String, String)> {
    let mut found = BTreeMap::new();
    collect_sources(compilation, model, column, None, &mut found);
    found
        .into_iter()
        .map(|(name, kind)| (name, kind.facet_name().to_string()))
        .collect()
}

fn edge_set(expected: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    expected
        .iter()
        .map(|(name, kind)| (name.to_string(), kind.to_string()))
        .collect()
}

/// Returns how many models lie between `model` and the sources, counting
/// `model` itself: a staging model that reads only sources has depth 1.
fn depth_of(compilation: &Compilation, model: &str) -> usize {
    let Some(found) = compilation.model(model) else {
        return 0;
    };
    let deepest_input = found
        .depends_on
        .iter()
        .map(|input| depth_of(compilation, input))
        .max()
        .unwrap_or(0);
    deepest_input + 1
}

#[test]
fn retail_has_no_diagnostics() {
    let compilation = compile_retail();
    assert!(
        compilation.diagnostics.is_empty(),
        "{:#?}",
        compilation.diagnostics
    );
}

#[test]
fn retail_model_and_source_counts() {
    let compilation = compile_retail();
    assert_eq!(compilation.project, "retail");
    assert_eq!(compilation.models.len(), 21);
    assert_eq!(compilation.sources.len(), 6);
    for source in &compilation.sources {
        assert!(source.data.is_some(), "{} has no CSV file", source.name);
    }
}

#[test]
fn retail_marts_read_marts() {
    let compilation = compile_retail();
    let top = compilation.model("top_products_per_category").unwrap();
    assert_eq!(top.depends_on, ["products"]);
    let segments = compilation.model("customer_segments").unwrap();
    assert_eq!(segments.depends_on, ["customers"]);
    // stg_order_items (1), int_order_lines (2), int_sales_lines (3),
    // products or customers (4), and the mart that reads it (5).
    assert_eq!(depth_of(&compilation, "top_products_per_category"), 5);
    assert_eq!(depth_of(&compilation, "customer_segments"), 5);
    assert_eq!(depth_of(&compilation, "omnichannel_customers"), 5);
}

#[test]
fn union_all_columns() {
    let compilation = compile_retail();
    // `'store' as channel` and the online orders' VARCHAR channel give
    // VARCHAR. INTEGER * DECIMAL(10,2) is DECIMAL(18,2) in both branches.
    let expected = [
        ("channel", "VARCHAR"),
        ("sale_id", "INTEGER"),
        ("customer_id", "INTEGER"),
        ("sold_on", "DATE"),
        ("product_id", "INTEGER"),
        ("quantity", "INTEGER"),
        ("line_amount", "DECIMAL(18,2)"),
    ];
    assert_eq!(
        columns_of(&compilation, "int_sales_lines"),
        pairs(&expected)
    );
}

#[test]
fn union_by_name_columns() {
    let compilation = compile_retail();
    // The first branch sets the order, and `channel`, which the first
    // branch lacks, comes last.
    let expected = [
        ("customer_id", "INTEGER"),
        ("event_on", "DATE"),
        ("event_type", "VARCHAR"),
        ("reference_id", "INTEGER"),
        ("channel", "VARCHAR"),
    ];
    let columns = columns_of(&compilation, "int_customer_events");
    assert_eq!(columns, pairs(&expected));
    let model = compilation.model("int_customer_events").unwrap();
    let channel = model.columns.iter().find(|c| c.name == "channel").unwrap();
    assert!(!channel.not_null, "sign-ups have no channel, so it is NULL");
}

#[test]
fn except_and_intersect_columns() {
    let compilation = compile_retail();
    let never_returned = [
        ("product_id", "INTEGER"),
        ("product_name", "VARCHAR"),
        ("category", "VARCHAR"),
        ("units_sold", "HUGEINT"),
    ];
    assert_eq!(
        columns_of(&compilation, "products_never_returned"),
        pairs(&never_returned)
    );
    let omnichannel = [
        ("customer_id", "INTEGER"),
        ("customer_name", "VARCHAR"),
        ("country_code", "VARCHAR"),
        ("online_order_count", "BIGINT"),
        ("store_purchase_count", "BIGINT"),
        ("net_revenue", "DECIMAL(38,2)"),
    ];
    assert_eq!(
        columns_of(&compilation, "omnichannel_customers"),
        pairs(&omnichannel)
    );
}

#[test]
fn running_total_columns() {
    let compilation = compile_retail();
    // date_trunc('month', DATE) is a DATE, sum(INTEGER) a HUGEINT, and a
    // windowed sum of DECIMAL(38,2) stays DECIMAL(38,2).
    let expected = [
        ("sales_month", "DATE"),
        ("channel", "VARCHAR"),
        ("sale_count", "BIGINT"),
        ("units_sold", "HUGEINT"),
        ("revenue", "DECIMAL(38,2)"),
        ("revenue_to_date", "DECIMAL(38,2)"),
    ];
    assert_eq!(
        columns_of(&compilation, "monthly_revenue"),
        pairs(&expected)
    );
}

#[test]
fn rank_with_qualify_columns() {
    let compilation = compile_retail();
    let expected = [
        ("category", "VARCHAR"),
        ("product_id", "INTEGER"),
        ("product_name", "VARCHAR"),
        ("revenue", "DECIMAL(38,2)"),
        ("units_sold", "HUGEINT"),
        ("revenue_rank", "BIGINT"),
    ];
    assert_eq!(
        columns_of(&compilation, "top_products_per_category"),
        pairs(&expected)
    );
}

#[test]
fn lag_columns() {
    let compilation = compile_retail();
    let expected = [
        ("order_id", "INTEGER"),
        ("customer_id", "INTEGER"),
        ("channel", "VARCHAR"),
        ("ordered_at", "TIMESTAMP"),
        ("order_date", "DATE"),
        ("order_number", "BIGINT"),
        ("previous_order_date", "DATE"),
        ("days_since_previous_order", "BIGINT"),
    ];
    assert_eq!(columns_of(&compilation, "int_order_gaps"), pairs(&expected));
    // lag() computes a value from order_date, so the edge is a transformation.
    assert_eq!(
        parents_of(&compilation, "int_order_gaps", "previous_order_date"),
        edge_set(&[("stg_orders.order_date", "DIRECT/TRANSFORMATION")])
    );
}

#[test]
fn net_revenue_parents() {
    let compilation = compile_retail();
    // net_revenue = coalesce(sales.gross_revenue, 0)
    //             - coalesce(refunds.refunded_amount, 0),
    // where both CTE columns are sums.
    assert_eq!(
        parents_of(&compilation, "customers", "net_revenue"),
        edge_set(&[
            ("int_returned_lines.refund_amount", "DIRECT/AGGREGATION"),
            ("int_sales_lines.line_amount", "DIRECT/AGGREGATION"),
        ])
    );
}

#[test]
fn net_revenue_sources() {
    let compilation = compile_retail();
    // Gross revenue sums int_sales_lines.line_amount, which is the online
    // branch's stg_order_items.line_amount (quantity * unit_price) and the
    // store branch's stg_store_sales.line_amount (quantity * unit_price).
    // Refunds sum returned_quantity * the order line's unit_price, that is
    // raw_returns.quantity and raw_order_items.unit_price. Every path ends
    // in a sum, so every source column is reached as an aggregation.
    let expected = [
        ("raw_order_items.quantity", "DIRECT/AGGREGATION"),
        ("raw_order_items.unit_price", "DIRECT/AGGREGATION"),
        ("raw_returns.quantity", "DIRECT/AGGREGATION"),
        ("raw_store_sales.quantity", "DIRECT/AGGREGATION"),
        ("raw_store_sales.unit_price", "DIRECT/AGGREGATION"),
    ];
    assert_eq!(
        sources_of(&compilation, "customers", "net_revenue"),
        edge_set(&expected)
    );
}

#[test]
fn union_by_name_sources() {
    let compilation = compile_retail();
    // reference_id is customer_id, order_id or sale_id, one per branch,
    // each a renamed source id.
    let expected = [
        ("raw_customers.id", "DIRECT/IDENTITY"),
        ("raw_orders.id", "DIRECT/IDENTITY"),
        ("raw_store_sales.id", "DIRECT/IDENTITY"),
    ];
    assert_eq!(
        sources_of(&compilation, "int_customer_events", "reference_id"),
        edge_set(&expected)
    );
}
