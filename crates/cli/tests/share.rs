//! Runs `rocky share` on the bundled sample and decodes the link it
//! prints with the codec the page uses.

use std::path::PathBuf;
use std::process::{Command, Output};

use rocky_core::share::decode_fragment;

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
fn share_link_decodes_to_project() {
    let dir = sample();
    let output = rocky(&[
        "share",
        dir.to_str().unwrap(),
        "--model",
        "Orders",
        "--column",
        "AMOUNT",
        "--view",
        "lineage",
        "--base-url",
        "https://docs.example.test/play/",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let url = String::from_utf8(output.stdout).unwrap();
    let url = url.trim_end();
    let (base, fragment) = url.split_once('#').unwrap();
    assert_eq!(base, "https://docs.example.test/play/");
    let decoded = decode_fragment(fragment).unwrap();
    assert!(!decoded.embed);
    let project = decoded.project;
    assert_eq!(project.model.as_deref(), Some("orders"));
    assert_eq!(project.column.as_deref(), Some("amount"));
    assert_eq!(project.open_path.as_deref(), Some("models/orders.sql"));
    assert_eq!(project.view.as_deref(), Some("lineage"));
    assert_eq!(project.branch, "main");
    let expected = std::fs::read_to_string(dir.join("models/stg_payments.sql")).unwrap();
    assert_eq!(project.files["models/stg_payments.sql"], expected);
    assert!(project.files.contains_key("data/raw_orders.csv"));
}

#[test]
fn share_embed_flag() {
    let dir = sample();
    let output = rocky(&["share", dir.to_str().unwrap(), "--embed"]);
    let url = String::from_utf8(output.stdout).unwrap();
    assert!(url.starts_with("http://127.0.0.1:8080/#share=r2."), "{url}");
    assert!(url.trim_end().ends_with("&embed=1"));
    assert!(
        decode_fragment(url.trim_end().split_once('#').unwrap().1)
            .unwrap()
            .embed
    );
}

#[test]
fn share_unknown_model_or_column() {
    let dir = sample();
    let output = rocky(&["share", dir.to_str().unwrap(), "--model", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: the project has no model or source `nope`\n"
    );
    let output = rocky(&[
        "share",
        dir.to_str().unwrap(),
        "--model",
        "orders",
        "--column",
        "x",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .starts_with("error: `orders` has no column `x`\nhelp: its columns are order_id,"));
    let output = rocky(&["share", dir.to_str().unwrap(), "--column", "x"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "--column without --model is a usage error"
    );
}
