//! Explanations of the bundled jaffle_shop models: the facts each must
//! state, derived by reading the models' SQL.

mod common;

use rocky_core::compile;
use rocky_core::intent::{explain, Explanation, KeysMemo, SectionKind};

fn explained(model: &str) -> Explanation {
    let compilation = compile(&common::load_sample());
    explain(&compilation, model, &mut KeysMemo::default()).expect("the sample has the model")
}

fn facts(explanation: &Explanation, kind: SectionKind) -> Vec<String> {
    explanation
        .section(kind)
        .map(|section| section.facts.iter().map(|f| f.text.clone()).collect())
        .unwrap_or_default()
}

fn has(lines: &[String], needle: &str) -> bool {
    lines.iter().any(|line| line.contains(needle))
}

#[test]
fn customers_grain_and_reads() {
    let explanation = explained("customers");
    let grain = facts(&explanation, SectionKind::Grain);
    assert!(
        has(&grain, "one row per customer_id (by construction)"),
        "{grain:?}"
    );
    let reads = facts(&explanation, SectionKind::Reads);
    for model in ["stg_customers", "stg_orders", "stg_payments"] {
        assert!(has(&reads, &format!("model `{model}`")), "{reads:?}");
    }
    assert!(
        has(
            &reads,
            "`customer_orders` reads `orders` grouped by customer_id"
        ),
        "{reads:?}"
    );
}

#[test]
fn customers_joins() {
    let joins = facts(&explained("customers"), SectionKind::Joins);
    let expected = [
        "LEFT JOIN `customer_orders` on customers.customer_id = customer_orders.customer_id",
        "LEFT JOIN `customer_payments` on customers.customer_id = customer_payments.customer_id",
        "LEFT JOIN `orders` on payments.order_id = orders.order_id",
    ];
    for join in expected {
        assert!(has(&joins, join), "{join} missing from {joins:?}");
    }
    assert!(!has(&joins, "several rows"), "{joins:?}");
}

#[test]
fn customers_aggregations() {
    let aggregations = facts(&explained("customers"), SectionKind::Aggregations);
    let expected = [
        "`first_order` = min(order_date) from stg_orders.order_date",
        "`most_recent_order` = max(order_date) from stg_orders.order_date",
        "`number_of_orders` = count(order_id) from stg_orders.order_id",
        "`customer_lifetime_value` = sum(amount) from stg_payments.amount",
    ];
    for aggregation in expected {
        assert!(
            has(&aggregations, aggregation),
            "{aggregation} missing from {aggregations:?}"
        );
    }
}

#[test]
fn customers_pass_through_and_intent() {
    let explanation = explained("customers");
    let pass = facts(&explanation, SectionKind::PassThrough);
    for column in ["customer_id", "first_name", "last_name"] {
        assert!(
            has(&pass, &format!("`{column}` from stg_customers.{column}")),
            "{pass:?}"
        );
    }
    let intent = facts(&explanation, SectionKind::Intent);
    assert!(
        has(&intent, "row per customer, and the grain is customer_id"),
        "{intent:?}"
    );
    assert!(explanation.to_text().contains("Aggregations:"));
}

#[test]
fn orders_facts() {
    let explanation = explained("orders");
    let grain = facts(&explanation, SectionKind::Grain);
    assert!(
        has(&grain, "one row per order_id (by construction)"),
        "{grain:?}"
    );
    let joins = facts(&explanation, SectionKind::Joins);
    assert!(
        has(
            &joins,
            "LEFT JOIN `order_payments` on orders.order_id = order_payments.order_id"
        ),
        "{joins:?}"
    );
    let aggregations = facts(&explanation, SectionKind::Aggregations);
    assert!(
        has(
            &aggregations,
            "`amount` = sum(amount) from stg_payments.amount (in `order_payments`)"
        ),
        "{aggregations:?}"
    );
    assert!(has(&aggregations, "`credit_card_amount` = sum(case when payment_method = 'credit_card' then amount else 0 end)"), "{aggregations:?}");
    assert_eq!(aggregations.len(), 5, "{aggregations:?}");
    let pass = facts(&explanation, SectionKind::PassThrough);
    for column in ["order_id", "customer_id", "order_date", "status"] {
        assert!(
            has(&pass, &format!("`{column}` from stg_orders.{column}")),
            "{pass:?}"
        );
    }
    let intent = facts(&explanation, SectionKind::Intent);
    assert!(
        has(&intent, "row per order, and the grain is order_id"),
        "{intent:?}"
    );
}

#[test]
fn computed_and_renamed_columns() {
    let explanation = explained("stg_payments");
    let computed = facts(&explanation, SectionKind::Computed);
    assert!(
        has(
            &computed,
            "`amount` = amount / 100 from raw_payments.amount (in `renamed`)"
        ),
        "{computed:?}"
    );
    let pass = facts(&explanation, SectionKind::PassThrough);
    assert!(
        has(
            &pass,
            "`payment_id` from raw_payments.id, renamed from `id`"
        ),
        "{pass:?}"
    );
    let grain = facts(&explanation, SectionKind::Grain);
    assert!(
        has(&grain, "one row per payment_id (declared by the test"),
        "{grain:?}"
    );
}

#[test]
fn filters_and_multiplying_joins() {
    let mut files = common::load_sample();
    files.insert(
        "models/big_orders.sql".to_string(),
        "select c.customer_id, o.order_id from stg_customers c join stg_orders o on c.customer_id = o.customer_id where o.status <> 'returned' qualify row_number() over (partition by c.customer_id order by o.order_id) = 1\n".to_string(),
    );
    let compilation = compile(&files);
    let explanation = explain(&compilation, "big_orders", &mut KeysMemo::default()).unwrap();
    let filters = facts(&explanation, SectionKind::Filters);
    assert!(has(&filters, "WHERE o.status <> 'returned'"), "{filters:?}");
    assert!(has(&filters, "QUALIFY row_number()"), "{filters:?}");
    let joins = facts(&explanation, SectionKind::Joins);
    assert!(has(&joins, "can match several rows"), "{joins:?}");
    let grain = facts(&explanation, SectionKind::Grain);
    assert!(
        has(
            &grain,
            "one row per customer_id, order_id (by construction)"
        ),
        "{grain:?}"
    );
}

#[test]
fn unknown_model_is_none() {
    let compilation = compile(&common::load_sample());
    assert!(explain(&compilation, "nope", &mut KeysMemo::default()).is_none());
}

#[test]
fn intent_names_columns_by_words() {
    let intent = facts(&explained("customers"), SectionKind::Intent);
    // "name, first and latest order date, order count and lifetime value"
    assert!(
        has(
            &intent,
            "the intent names output columns customer_id, first_name, last_name, first_order, \
             most_recent_order, number_of_orders, customer_lifetime_value"
        ),
        "{intent:?}"
    );
    assert!(!has(&intent, "does not name"), "{intent:?}");

    let intent = facts(&explained("orders"), SectionKind::Intent);
    assert!(
        has(
            &intent,
            "the intent does not name credit_card_amount, coupon_amount, bank_transfer_amount, \
             gift_card_amount"
        ),
        "{intent:?}"
    );
}

#[test]
fn intent_row_noun_prefers_row_per() {
    // "Give every later model one row per payment ..."
    let intent = facts(&explained("stg_payments"), SectionKind::Intent);
    assert!(
        has(&intent, "a row per payment, and the grain is payment_id"),
        "{intent:?}"
    );
    // "Show, for every order, ... the amount paid per payment method."
    let intent = facts(&explained("orders"), SectionKind::Intent);
    assert!(
        has(&intent, "a row per order, and the grain is order_id"),
        "{intent:?}"
    );
}

#[test]
fn intent_grain_mismatch_is_stated() {
    let mut files = common::load_sample();
    files.insert(
        "models/stg_orders.toml".to_string(),
        "intent = \"One row per customer.\"\n[[tests]]\ntype = \"unique\"\ncolumn = \"order_id\"\n"
            .to_string(),
    );
    let compilation = compile(&files);
    let explanation = explain(&compilation, "stg_orders", &mut KeysMemo::default()).unwrap();
    let intent = facts(&explanation, SectionKind::Intent);
    assert!(
        has(&intent, "a row per customer, but the grain is order_id"),
        "{intent:?}"
    );
}
