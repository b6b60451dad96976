//! Unit tests of the compare view's logic on the bundled jaffle_shop
//! sample, with the branch `feature` keeping payment amounts in cents.

use std::rc::Rc;

use rocky_core::branch::plan::{plan_branch, RunRecord};
use rocky_core::compare::{data_diff, diff_text, ModelStatus};
use rocky_core::{compile, Diagnostic, ProjectFiles, Span};

use super::code::{hunk_header, line_counts, status_name, tag_mark, tag_name, unified_all};
use super::data::{
    data_targets, default_key, describe_columns, differing_cells, key_is_complete, match_rate_text,
    missing_runs, missing_runs_text, read_summary, side_table, toggle_key, KeyOrigin, SampleKind,
    Unavailable,
};
use super::impact::{diagnostic_target, impact_entries, reach_text, ImpactSummary};
use super::schema::{schema_entries, Cause};
use super::{compare_sides, model_file, CompareSide};
use crate::bridge::{QueryColumn, QueryResult};
use crate::sample::sample_project;

const STG_PAYMENTS: &str = "models/stg_payments.sql";

fn side(name: &str, files: ProjectFiles, record: Option<RunRecord>) -> CompareSide {
    let compilation = compile(&files);
    CompareSide {
        name: name.to_string(),
        files: Rc::new(files),
        compilation: Rc::new(compilation),
        record: record.map(Rc::new),
    }
}

fn cents(files: &mut ProjectFiles) {
    let text = files
        .get_mut(STG_PAYMENTS)
        .expect("the sample has stg_payments");
    assert!(text.contains("amount / 100 as amount"));
    *text = text.replace("amount / 100 as amount", "amount as amount");
}

/// Returns main and `feature` with cents, each with the record of a run
/// when `ran` is true for it.
fn sides(main_ran: bool, feature_ran: bool) -> (CompareSide, CompareSide) {
    let parent_files = sample_project();
    let mut branch_files = parent_files.clone();
    cents(&mut branch_files);
    let parent_compilation = compile(&parent_files);
    let branch_compilation = compile(&branch_files);
    let main_record = plan_branch("main", &parent_files, &parent_compilation, None, None).record;
    let feature_record = plan_branch(
        "feature",
        &branch_files,
        &branch_compilation,
        None,
        Some(&main_record),
    )
    .record;
    (
        side("main", parent_files, main_ran.then_some(main_record)),
        side(
            "feature",
            branch_files,
            feature_ran.then_some(feature_record),
        ),
    )
}

fn result(columns: &[&str], rows: &[&[Option<&str>]]) -> QueryResult {
    QueryResult {
        columns: columns
            .iter()
            .map(|name| QueryColumn {
                name: name.to_string(),
                ty: "BIGINT".to_string(),
            })
            .collect(),
        rows: rows
            .iter()
            .map(|row| row.iter().map(|v| v.map(str::to_string)).collect())
            .collect(),
        row_count: rows.len() as f64,
    }
}

#[test]
fn sides_equal_by_pointer_or_value() {
    let (parent, branch) = sides(true, true);
    assert_eq!(parent, parent.clone());
    assert_ne!(parent, branch);
    let mut copied = parent.clone();
    copied.files = Rc::new((*parent.files).clone());
    copied.record = parent.record.as_deref().cloned().map(Rc::new);
    assert_eq!(parent, copied, "equal files and records compare equal");
    let mut recompiled = parent.clone();
    recompiled.compilation = Rc::new(compile(&parent.files));
    assert_ne!(parent, recompiled, "compilations compare by pointer");
    let mut not_run = parent.clone();
    not_run.record = None;
    assert_ne!(parent, not_run);
}

#[test]
fn code_labels_of_cents_diff() {
    let (parent, branch) = sides(false, false);
    let comparison = compare_sides(&parent, &branch);
    assert_eq!(comparison.files.len(), 1);
    let file = &comparison.files[0];
    assert_eq!(file.path, STG_PAYMENTS);
    assert_eq!(
        line_counts(file.added_lines, file.removed_lines),
        "+1 \u{2212}1"
    );
    assert_eq!(status_name(file.status), "modified");
    let hunk = &file.hunks[0];
    assert_eq!(hunk_header(hunk), "@@ -12,7 +12,7 @@");
    let changed: Vec<(&str, char, &str)> = hunk
        .lines
        .iter()
        .filter(|line| tag_name(line.tag) != "context")
        .map(|line| (tag_name(line.tag), tag_mark(line.tag), line.text.trim()))
        .collect();
    assert_eq!(
        changed,
        vec![
            ("removed", '-', "amount / 100 as amount"),
            ("added", '+', "amount as amount"),
        ]
    );
    assert!(unified_all(&comparison.files).starts_with("--- a/models/stg_payments.sql\n"));
}

#[test]
fn unified_all_joins_files() {
    let mut first = diff_text("a\n", "b\n");
    first.path = "one.sql".into();
    let mut second = diff_text("c\n", "d\n");
    second.path = "two.sql".into();
    let text = unified_all(&[first, second]);
    assert_eq!(
        text,
        "--- a/one.sql\n+++ b/one.sql\n@@ -1,1 +1,1 @@\n-a\n+b\n\
         --- a/two.sql\n+++ b/two.sql\n@@ -1,1 +1,1 @@\n-c\n+d\n"
    );
}

#[test]
fn schema_marks_upstream_retypes() {
    let (parent, branch) = sides(false, false);
    let entries = schema_entries(&compare_sides(&parent, &branch));
    let payments = &entries[0];
    assert_eq!(payments.model, "stg_payments");
    assert_eq!(payments.status, ModelStatus::Modified);
    assert_eq!(payments.cause, Cause::OwnSql);
    assert_eq!(payments.columns.len(), 1);
    let amount = &payments.columns[0];
    assert_eq!(amount.column, "amount");
    assert_eq!(amount.change, "retyped");
    assert_eq!(amount.from.as_deref(), Some("DOUBLE"));
    assert_eq!(amount.to.as_deref(), Some("INTEGER"));
    for model in ["orders", "customers"] {
        let entry = entries
            .iter()
            .find(|e| e.model == model)
            .unwrap_or_else(|| panic!("{model} is not in {entries:?}"));
        assert_eq!(entry.cause, Cause::Upstream(vec!["stg_payments".into()]));
        assert!(
            entry.columns.iter().all(|c| c.change == "retyped"),
            "{entry:?}"
        );
        assert!(!entry.columns.is_empty());
    }
}

#[test]
fn impact_classifies_cents_breaking() {
    let (parent, branch) = sides(false, false);
    let comparison = compare_sides(&parent, &branch);
    let summary = ImpactSummary::of(&comparison);
    assert_eq!(summary.breaking, 1);
    assert_eq!(summary.breaking_text(), "1 breaking change");
    assert_eq!(summary.affected_models, 2);
    assert_eq!(summary.affected_columns, 6);
    assert_eq!(
        summary.reach_text(),
        "The changes affect 6 columns in 2 models"
    );
    let entries = impact_entries(&comparison);
    let payments = &entries[0];
    assert_eq!(payments.breaking_count(), 1);
    let amount = &payments.changes[0];
    assert_eq!(amount.class(), "breaking");
    let mut consumers = amount.breaking.as_ref().unwrap().consumers.clone();
    consumers.sort();
    assert_eq!(consumers, vec!["customers", "orders"]);
    assert!(payments.model_breaking.is_empty());
    assert!(!payments.rows_may_differ);
    // orders' retyped sums have no reader, so they break nothing.
    let orders = entries.iter().find(|e| e.model == "orders").unwrap();
    assert_eq!(orders.breaking_count(), 0);
    assert!(orders.changes.iter().all(|c| c.class() == "non-breaking"));
}

#[test]
fn impact_lists_removed_column_errors() {
    let parent_files = sample_project();
    let mut branch_files = parent_files.clone();
    let text = branch_files.get_mut(STG_PAYMENTS).unwrap();
    *text = text.replace("        payment_method,\n", "");
    let (parent, branch) = (
        side("main", parent_files, None),
        side("feature", branch_files, None),
    );
    let entries = impact_entries(&compare_sides(&parent, &branch));
    let removed = &entries[0].changes[0];
    assert_eq!(removed.row.change, "removed");
    let breaking = removed.breaking.as_ref().expect("orders reads it");
    assert_eq!(breaking.consumers, vec!["orders"]);
    let diagnostic = &breaking.diagnostics[0];
    let (path, span) = diagnostic_target(diagnostic);
    assert_eq!(path, "models/orders.sql");
    assert_eq!(span, Some(diagnostic.span));
}

#[test]
fn impact_new_filter_rows_may_differ() {
    let parent_files = sample_project();
    let mut branch_files = parent_files.clone();
    let text = branch_files.get_mut(STG_PAYMENTS).unwrap();
    *text = text.replace(
        "    from source\n",
        "    from source\n    where amount > 0\n",
    );
    let (parent, branch) = (
        side("main", parent_files, None),
        side("feature", branch_files, None),
    );
    let entries = impact_entries(&compare_sides(&parent, &branch));
    assert_eq!(entries.len(), 1);
    assert!(entries[0].rows_may_differ);
    assert!(entries[0].changes.is_empty());
    assert_eq!(entries[0].affected_models, 2);
}

#[test]
fn reach_text_words_counts() {
    assert_eq!(reach_text(0, 0), "affects no other column");
    assert_eq!(reach_text(1, 1), "affects 1 column in 1 model");
    assert_eq!(reach_text(7, 2), "affects 7 columns in 2 models");
    let none = ImpactSummary {
        affected_columns: 0,
        affected_models: 0,
        breaking: 0,
    };
    assert_eq!(none.reach_text(), "The changes affect no other column");
    assert_eq!(none.breaking_text(), "no breaking change");
}

#[test]
fn differing_cells_pair_values() {
    let row: Vec<Option<String>> = [
        Some("1"),
        Some("1"),
        Some("1"),
        Some("10.0"),
        Some("1000"),
        Some("0.0"),
        Some("0"),
        None,
        None,
        None,
        Some("x"),
    ]
    .iter()
    .map(|v| v.map(str::to_string))
    .collect();
    assert_eq!(
        differing_cells(&row, 1),
        vec![false, false, false, true, true, false, false, false, false, true, true]
    );
    let odd: Vec<Option<String>> = vec![Some("k".into()), Some("a".into())];
    assert_eq!(differing_cells(&odd, 1), vec![false, false]);
    assert_eq!(differing_cells(&[], 1), Vec::<bool>::new());
}

#[test]
fn diagnostic_without_location_opens_file() {
    let diagnostic = Diagnostic::warning("W0001", "rocky.toml", Span::default(), "no name");
    assert_eq!(
        diagnostic_target(&diagnostic),
        ("rocky.toml".to_string(), None)
    );
}

#[test]
fn missing_runs_after_new_database() {
    let (parent, branch) = sides(false, false);
    assert_eq!(
        missing_runs_text(&parent, &branch, true).unwrap(),
        "DuckDB started a new database, so no branch has tables: run main and feature to compare data."
    );
    let (parent, branch) = sides(true, true);
    assert_eq!(missing_runs_text(&parent, &branch, true), None);
}

#[test]
fn missing_runs_name_sides() {
    let (parent, branch) = sides(false, true);
    assert_eq!(missing_runs(&parent, &branch), Some("parent"));
    assert_eq!(
        missing_runs_text(&parent, &branch, false).unwrap(),
        "Run both branches to compare data: main has not run yet."
    );
    let (parent, branch) = sides(true, false);
    assert_eq!(missing_runs(&parent, &branch), Some("branch"));
    assert_eq!(
        missing_runs_text(&parent, &branch, false).unwrap(),
        "Run both branches to compare data: feature has not run yet."
    );
    let (parent, branch) = sides(false, false);
    assert_eq!(missing_runs(&parent, &branch), Some("both"));
    assert_eq!(
        missing_runs_text(&parent, &branch, false).unwrap(),
        "Run both branches to compare data: neither main nor feature has run yet."
    );
    let (parent, branch) = sides(true, true);
    assert_eq!(missing_runs(&parent, &branch), None);
    assert_eq!(missing_runs_text(&parent, &branch, false), None);
}

#[test]
fn data_targets_of_cents() {
    let (parent, branch) = sides(true, true);
    let targets = data_targets(&compare_sides(&parent, &branch), &parent, &branch);
    let names: Vec<(&str, bool)> = targets
        .iter()
        .map(|t| (t.model.as_str(), t.downstream))
        .collect();
    assert_eq!(names[0], ("stg_payments", false));
    assert!(names.contains(&("orders", false)), "{names:?}");
    assert!(names.contains(&("customers", false)), "{names:?}");
    assert_eq!(targets.len(), 3, "{names:?}");

    let payments = &targets[0];
    let (before, after) = payments.relations().expect("both sides ran");
    assert_eq!(before.relation, "\"main\".\"stg_payments\"");
    assert_eq!(after.relation, "\"branch_feature\".\"stg_payments\"");
    assert_eq!(after.reused_from, None, "the branch changed it");
    assert!(!before.stale);
    let key = payments.default_key.as_ref().unwrap();
    assert_eq!(key.columns, vec!["payment_id"]);
    assert_eq!(key.origin, KeyOrigin::UniqueTest);
    assert_eq!(
        payments.key_choices,
        vec!["payment_id", "order_id", "payment_method", "amount"]
    );
    assert_eq!(payments.unavailable_text("main", "feature"), None);
}

#[test]
fn data_targets_follow_changed_csv() {
    let parent_files = sample_project();
    let mut branch_files = parent_files.clone();
    let csv = branch_files.get_mut("data/raw_payments.csv").unwrap();
    assert!(csv.contains("\n1,1,credit_card,1000\n"));
    *csv = csv.replace("\n1,1,credit_card,1000\n", "\n1,1,credit_card,1001\n");
    let (parent, branch) = (
        side("main", parent_files, None),
        side("feature", branch_files, None),
    );
    let comparison = compare_sides(&parent, &branch);
    assert!(comparison.models.is_empty(), "{:?}", comparison.models);
    let targets = data_targets(&comparison, &parent, &branch);
    let names: Vec<(&str, bool)> = targets
        .iter()
        .map(|t| (t.model.as_str(), t.downstream))
        .collect();
    assert_eq!(
        names,
        vec![
            ("stg_payments", true),
            ("orders", true),
            ("customers", true)
        ]
    );
}

#[test]
fn data_targets_say_missing_run() {
    let (parent, branch) = sides(true, false);
    let targets = data_targets(&compare_sides(&parent, &branch), &parent, &branch);
    let payments = &targets[0];
    assert_eq!(payments.branch, Err(Unavailable::NotRun));
    assert!(payments.relations().is_none());
    assert_eq!(
        payments.unavailable_text("main", "feature").unwrap(),
        "Run both branches to compare data: feature has not run yet."
    );
}

#[test]
fn side_table_not_built() {
    let (parent, _) = sides(true, true);
    let mut record = (**parent.record.as_ref().unwrap()).clone();
    record.objects.remove("orders");
    assert_eq!(
        side_table(Some(&record), "Orders"),
        Err(Unavailable::NotBuilt)
    );
    assert_eq!(side_table(None, "orders"), Err(Unavailable::NotRun));
    let failed = record.objects.get_mut("customers").unwrap();
    failed.fingerprint.clear();
    assert!(side_table(Some(&record), "customers").unwrap().stale);
}

#[test]
fn default_key_falls_back_to_parent() {
    let files = sample_project();
    let compilation = compile(&files);
    let payments = compilation.model("stg_payments").unwrap();
    let mut keyless = payments.clone();
    keyless.config.tests.clear();
    assert_eq!(default_key(None, &keyless), None);
    let key = default_key(Some(payments), &keyless).unwrap();
    assert_eq!(key.columns, vec!["payment_id"]);
    assert_eq!(key.origin, KeyOrigin::ParentSidecar);
    let mut grained = keyless.clone();
    grained.config.grain = vec!["order_id".into(), "payment_id".into()];
    let key = default_key(Some(payments), &grained).unwrap();
    assert_eq!(key.columns, vec!["order_id", "payment_id"]);
    assert_eq!(key.origin, KeyOrigin::Grain);
}

#[test]
fn toggle_key_keeps_column_order() {
    let choices: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let picked = toggle_key(&[], "c", &choices);
    assert_eq!(picked, vec!["c"]);
    let picked = toggle_key(&picked, "A", &choices);
    assert_eq!(picked, vec!["a", "c"]);
    let picked = toggle_key(&picked, "c", &choices);
    assert_eq!(picked, vec!["a"]);
    assert!(key_is_complete(&picked, &choices));
    assert!(!key_is_complete(&[], &choices));
    assert!(!key_is_complete(&["z".to_string()], &choices));
}

#[test]
fn describe_columns_reads_names_and_types() {
    let described = result(
        &["column_name", "column_type", "null"],
        &[
            &[Some("payment_id"), Some("INTEGER"), Some("YES")],
            &[Some("amount"), Some("DOUBLE"), Some("YES")],
        ],
    );
    let columns = describe_columns(&described).unwrap();
    let pairs: Vec<(&str, &str)> = columns
        .iter()
        .map(|c| (c.name.as_str(), c.ty.as_str()))
        .collect();
    assert_eq!(pairs, vec![("payment_id", "INTEGER"), ("amount", "DOUBLE")]);
    let wrong = result(&["name"], &[]);
    assert!(describe_columns(&wrong)
        .unwrap_err()
        .contains("column_name"));
    let null_type = result(&["column_name", "column_type"], &[&[Some("x"), None]]);
    assert!(describe_columns(&null_type).is_err());
}

#[test]
fn read_summary_of_cents() {
    let (parent, branch) = sides(true, true);
    let diff = data_diff(
        "\"main\".\"stg_payments\"",
        "\"branch_feature\".\"stg_payments\"",
        &parent.compilation.model("stg_payments").unwrap().columns,
        &branch.compilation.model("stg_payments").unwrap().columns,
        &["payment_id".to_string()],
        10,
    )
    .unwrap();
    // The row DuckDB 1.4.4 returns for this summary on the sample.
    let row = result(
        &[
            "parent_rows",
            "branch_rows",
            "only_in_parent",
            "only_in_branch",
            "in_both",
            "changed",
            "match_0",
            "match_1",
            "match_2",
        ],
        &[&[
            Some("113"),
            Some("113"),
            Some("0"),
            Some("0"),
            Some("113"),
            Some("110"),
            Some("113"),
            Some("113"),
            Some("3"),
        ]],
    );
    let summary = read_summary(&diff, &row).unwrap();
    assert_eq!(summary.parent_rows, 113);
    assert_eq!(summary.branch_rows, 113);
    assert_eq!(summary.in_both, 113);
    assert_eq!(summary.changed, 110);
    let amount = summary.matches.last().unwrap();
    assert_eq!((amount.column.as_str(), amount.matches), ("amount", 3));
    assert_eq!(summary.matches.len(), 3);
    assert_eq!(SampleKind::Changed.count(&summary), 110);
    assert_eq!(SampleKind::OnlyInParent.count(&summary), 0);
    assert_eq!(SampleKind::Changed.query(&diff), diff.changed);

    let empty = result(
        &row.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        &[],
    );
    assert!(read_summary(&diff, &empty).unwrap_err().contains("0 rows"));
    let mut bad = row.clone();
    bad.rows[0][5] = Some("many".into());
    assert!(read_summary(&diff, &bad)
        .unwrap_err()
        .contains("`changed` is `many`"));
}

#[test]
fn match_rate_rounds_inside_bounds() {
    assert_eq!(match_rate_text(3, 113).as_deref(), Some("2.7 %"));
    assert_eq!(match_rate_text(113, 113).as_deref(), Some("100 %"));
    assert_eq!(match_rate_text(0, 113).as_deref(), Some("0 %"));
    assert_eq!(match_rate_text(9_999, 10_000).as_deref(), Some("99.9 %"));
    assert_eq!(match_rate_text(1, 10_000).as_deref(), Some("0.1 %"));
    assert_eq!(match_rate_text(1, 2).as_deref(), Some("50.0 %"));
    assert_eq!(match_rate_text(0, 0), None);
}

#[test]
fn sample_kinds_name_sides() {
    let titles: Vec<String> = SampleKind::ALL
        .iter()
        .map(|kind| kind.title("main", "feature"))
        .collect();
    assert_eq!(
        titles,
        vec!["Rows only in main", "Rows only in feature", "Changed rows"]
    );
    assert_eq!(SampleKind::OnlyInBranch.as_str(), "only-in-branch");
}

#[test]
fn model_file_only_on_branch() {
    let (parent, branch) = sides(false, false);
    assert_eq!(
        model_file(&branch.compilation, "STG_PAYMENTS").as_deref(),
        Some(STG_PAYMENTS)
    );
    assert_eq!(model_file(&parent.compilation, "missing"), None);
}
