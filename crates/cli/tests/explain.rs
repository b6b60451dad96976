//! Runs `rocky explain` on the bundled sample: the text and JSON formats
//! and the exit status for a model that does not exist.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sample/jaffle_shop")
}

fn rocky(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rocky"))
        .args(args)
        .output()
        .expect("the rocky binary runs")
}

#[test]
fn explain_text_lists_facts() {
    let dir = sample();
    let output = rocky(&["explain", dir.to_str().unwrap(), "customers"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("customers\n"), "{text}");
    assert!(
        text.contains("one row per customer_id (by construction)"),
        "{text}"
    );
    assert!(
        text.contains(
            "LEFT JOIN `customer_orders` on customers.customer_id = customer_orders.customer_id"
        ),
        "{text}"
    );
    assert!(
        text.contains("`number_of_orders` = count(order_id)"),
        "{text}"
    );
}

#[test]
fn explain_json_has_sections() {
    let dir = sample();
    let output = rocky(&[
        "explain",
        dir.to_str().unwrap(),
        "orders",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["model"], "orders");
    let kinds: Vec<&str> = json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "grain",
            "reads",
            "joins",
            "aggregations",
            "pass_through",
            "intent"
        ]
    );
}

#[test]
fn explain_unknown_model_exits_2() {
    let dir = sample();
    let output = rocky(&["explain", dir.to_str().unwrap(), "nope"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("model `nope` not found"), "{stderr}");
}

#[test]
fn explain_tests_lists_proposals() {
    let dir = sample();
    let output = rocky(&["explain", dir.to_str().unwrap(), "orders", "--tests"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    let proposed = text
        .split("\nProposed tests:\n")
        .nth(1)
        .expect("a proposals section");
    assert!(
        proposed.contains("# the grain (by construction) is order_id\n# already in the sidecar:\n# [[tests]]\n# type = \"unique\"\n"),
        "{proposed}"
    );

    let output = rocky(&[
        "explain",
        dir.to_str().unwrap(),
        "orders",
        "--tests",
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let proposals = json["proposed_tests"]
        .as_array()
        .expect("a proposed_tests list");
    assert!(!proposals.is_empty());
    assert_eq!(proposals[0]["exists"], true);
    assert_eq!(proposals[0]["model"], "orders");
}
