//! Invariants and drift warnings read from sidecars, and the tests
//! proposed from them, on small projects built on the jaffle_shop sample.

mod common;

use rocky_core::intent::{apply_proposal, propose_tests, KeysMemo};
use rocky_core::{compile, TestRule};

fn with_sidecar(model: &str, sql: Option<&str>, toml: &str) -> rocky_core::ProjectFiles {
    let mut files = common::load_sample();
    files.insert(format!("models/{model}.toml"), toml.to_string());
    if let Some(sql) = sql {
        files.insert(format!("models/{model}.sql"), sql.to_string());
    }
    files
}

fn codes(files: &rocky_core::ProjectFiles) -> Vec<String> {
    compile(files)
        .diagnostics
        .iter()
        .map(|d| d.code.clone())
        .collect()
}

#[test]
fn unknown_phrase_is_w0014() {
    let files = with_sidecar(
        "tallies",
        Some("select 1 as n\n"),
        "[columns.n]\ninvariants = [\"never negativ\"]\n",
    );
    let compilation = compile(&files);
    let warning = compilation
        .diagnostics
        .iter()
        .find(|d| d.code == "W0014")
        .expect("W0014");
    assert_eq!(warning.span, rocky_core::Span::new(2, 16, 2, 29));
    assert!(warning
        .help
        .as_deref()
        .unwrap_or("")
        .contains("never negative"));
}

#[test]
fn drift_warnings() {
    let grouped = with_sidecar("totals", Some("select customer_id, status, count(*) as n from stg_orders group by customer_id, status\n"), "grain = [\"customer_id\"]\n");
    assert_eq!(codes(&grouped), ["W0016"]);
    let missing = with_sidecar(
        "totals",
        Some("select customer_id from stg_orders group by customer_id\n"),
        "grain = [\"id\"]\n",
    );
    assert_eq!(codes(&missing), ["W0015"]);
    let retyped = with_sidecar(
        "totals",
        Some("select customer_id, 'x' as n from stg_customers\n"),
        "[columns.n]\ninvariants = [\"never negative\"]\n",
    );
    assert_eq!(codes(&retyped), ["W0017"]);
    let fine = with_sidecar(
        "totals",
        Some("select customer_id, count(*) as n from stg_orders group by customer_id\n"),
        "grain = [\"customer_id\"]\n",
    );
    assert!(codes(&fine).is_empty());
}

#[test]
fn proposals_per_invariant_kind_compile() {
    let toml = "invariants = [\"one row per customer_id\", \"not empty\"]\n\n[columns.n]\ninvariants = [\"never negative\", \"not null\", \"values in (1, 2)\"]\n\n[columns.customer_id]\ninvariants = [\"references stg_customers.customer_id\"]\n\n[columns.kind]\ninvariants = [\"unique\"]\n";
    let sql = "select customer_id, count(*) as n, case when count(*) > 1 then 'repeat' else 'new' end as kind from stg_orders group by customer_id\n";
    let files = with_sidecar("totals", Some(sql), toml);
    let compilation = compile(&files);
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation.diagnostics
    );
    let proposals = propose_tests(&compilation, "totals", &mut KeysMemo::default());
    let has = |f: &dyn Fn(&TestRule) -> bool| proposals.iter().any(|p| f(&p.rule));
    assert!(has(
        &|r| matches!(r, TestRule::Unique { columns } if columns == &["customer_id"])
    ));
    assert!(has(
        &|r| matches!(r, TestRule::NotNull { column } if column == "n")
    ));
    assert!(has(
        &|r| matches!(r, TestRule::Expression { expression } if expression == "n >= 0")
    ));
    assert!(has(
        &|r| matches!(r, TestRule::AcceptedValues { column, .. } if column == "n")
    ));
    assert!(has(
        &|r| matches!(r, TestRule::AcceptedValues { column, .. } if column == "kind")
    ));
    assert!(has(
        &|r| matches!(r, TestRule::Relationships { to, .. } if to == "stg_customers")
    ));
    assert!(has(&|r| matches!(
        r,
        TestRule::RowCountRange { min: Some(1), .. }
    )));
    assert!(has(
        &|r| matches!(r, TestRule::Unique { columns } if columns == &["kind"])
    ));
    let mut text = toml.to_string();
    for proposal in proposals.iter().filter(|p| !p.exists) {
        text = apply_proposal(&text, proposal).expect("valid TOML");
    }
    assert!(text.starts_with(toml));
    let mut applied = files.clone();
    applied.insert("models/totals.toml".to_string(), text);
    let checked = compile(&applied);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert_eq!(
        checked.model("totals").unwrap().config.tests.len(),
        proposals.len()
    );
}

#[test]
fn existing_tests_are_marked() {
    let compilation = compile(&common::load_sample());
    let proposals = propose_tests(&compilation, "customers", &mut KeysMemo::default());
    let unique = proposals
        .iter()
        .find(|p| matches!(&p.rule, TestRule::Unique { .. }))
        .unwrap();
    assert!(unique.exists);
}

#[test]
fn unfit_invariants_warn_and_propose_nothing() {
    let sql = "select customer_id, first_name, customer_id > 1 as repeat, current_date as day from stg_customers\n";
    let cases = [
        ("first_name", "never negative"),
        ("first_name", "values in (1, 2)"),
        ("first_name", "values in (true)"),
        ("repeat", "values in ('yes')"),
        ("day", "values in ('a', 'b')"),
        ("customer_id", "values in ('x')"),
    ];
    for (column, phrase) in cases {
        let toml = format!("[columns.{column}]\ninvariants = [\"{phrase}\"]\n");
        let files = with_sidecar("people", Some(sql), &toml);
        assert_eq!(codes(&files), ["W0017"], "{column}: {phrase}");
        let compilation = compile(&files);
        let proposals = propose_tests(&compilation, "people", &mut KeysMemo::default());
        assert!(
            proposals.iter().all(|p| !p.reason.contains(phrase)),
            "{column}: {phrase} proposed {proposals:#?}"
        );
    }
    for (column, phrase) in [
        ("day", "values in ('2024-01-31')"),
        ("repeat", "values in (true)"),
    ] {
        let toml = format!("[columns.{column}]\ninvariants = [\"{phrase}\"]\n");
        let files = with_sidecar("people", Some(sql), &toml);
        assert!(
            codes(&files).is_empty(),
            "{column}: {phrase}: {:?}",
            codes(&files)
        );
    }
}
