//! Comparing a branch with its parent on the jaffle_shop sample: file
//! diffs, schema changes, impact and the breaking classification, and the
//! data diff queries.

mod common;

use rocky_core::compare::{
    compare, data_diff, diff_text, ColumnChange, Comparison, DataDiffError, LineTag, ModelStatus,
};
use rocky_core::{compile, ColumnRef, ProjectFiles};

const STG_PAYMENTS: &str = "models/stg_payments.sql";

fn compare_with(edit: impl FnOnce(&mut ProjectFiles)) -> Comparison {
    let parent = common::load_sample();
    let mut branch = parent.clone();
    edit(&mut branch);
    compare(&parent, &compile(&parent), &branch, &compile(&branch))
}

fn replace(files: &mut ProjectFiles, path: &str, from: &str, to: &str) {
    let text = files.get_mut(path).unwrap();
    assert!(text.contains(from), "{path} has no `{from}`");
    *text = text.replace(from, to);
}

fn column(model: &str, column: &str) -> ColumnRef {
    ColumnRef {
        model: model.to_string(),
        column: column.to_string(),
    }
}

#[test]
fn same_files_compare_equal() {
    let comparison = compare_with(|_| {});
    assert!(comparison.files.is_empty());
    assert!(comparison.models.is_empty());
    assert_eq!(comparison.breaking, 0);
}

#[test]
fn cents_retype_amount_and_break_readers() {
    let comparison = compare_with(|files| {
        replace(
            files,
            STG_PAYMENTS,
            "amount / 100 as amount",
            "amount as amount",
        )
    });
    assert_eq!(comparison.files.len(), 1);
    assert_eq!(comparison.files[0].path, STG_PAYMENTS);
    assert_eq!(comparison.files[0].added_lines, 1);
    assert_eq!(comparison.files[0].removed_lines, 1);

    // orders and customers keep their SQL, but their sums change type.
    let names: Vec<(&str, bool)> = comparison
        .models
        .iter()
        .map(|m| (m.model.as_str(), m.sql_changed))
        .collect();
    assert_eq!(names[0], ("stg_payments", true));
    assert!(names.contains(&("orders", false)), "{names:?}");
    assert!(names.contains(&("customers", false)), "{names:?}");
    let change = &comparison.models[0];
    assert_eq!(change.status, ModelStatus::Modified);
    assert_eq!(
        change.columns,
        vec![ColumnChange::Retyped {
            column: "amount".to_string(),
            from: "DOUBLE".to_string(),
            to: "INTEGER".to_string(),
        }]
    );
    assert_eq!(change.breaking.len(), 1);
    let mut consumers = change.breaking[0].consumers.clone();
    consumers.sort();
    assert_eq!(consumers, vec!["customers", "orders"]);
    assert!(change.breaking[0]
        .reason
        .contains("changes type from DOUBLE to INTEGER"));
    // Every payment amount column downstream depends on it.
    for expected in [
        column("orders", "amount"),
        column("orders", "credit_card_amount"),
        column("orders", "coupon_amount"),
        column("orders", "bank_transfer_amount"),
        column("orders", "gift_card_amount"),
        column("customers", "customer_lifetime_value"),
    ] {
        assert!(
            change.affected_columns.contains(&expected),
            "{expected:?} not in {:?}",
            change.affected_columns
        );
    }
    assert!(!change
        .affected_columns
        .contains(&column("orders", "status")));
    assert_eq!(comparison.breaking, 1);
}

#[test]
fn removed_column_links_new_errors() {
    let comparison =
        compare_with(|files| replace(files, STG_PAYMENTS, "        payment_method,\n", ""));
    let change = &comparison.models[0];
    assert_eq!(
        change.columns,
        vec![ColumnChange::Removed {
            column: "payment_method".to_string(),
            ty: "VARCHAR".to_string(),
        }]
    );
    let breaking = &change.breaking[0];
    assert_eq!(breaking.column.as_deref(), Some("payment_method"));
    assert_eq!(breaking.consumers, vec!["orders"]);
    assert!(!breaking.diagnostics.is_empty());
    assert!(breaking
        .diagnostics
        .iter()
        .all(|d| d.model.as_deref() == Some("orders") && d.code.starts_with('E')));
}

#[test]
fn added_column_is_not_breaking() {
    let comparison = compare_with(|files| {
        replace(
            files,
            STG_PAYMENTS,
            "        payment_method,\n",
            "        payment_method,\n        upper(payment_method) as method_code,\n",
        )
    });
    let change = &comparison.models[0];
    assert_eq!(
        change.columns,
        vec![ColumnChange::Added {
            column: "method_code".to_string(),
            ty: "VARCHAR".to_string(),
        }]
    );
    assert!(change.breaking.is_empty());
    assert!(
        change.affected_columns.is_empty(),
        "nobody reads the new column"
    );
    assert_eq!(comparison.breaking, 0);
}

#[test]
fn new_filter_affects_every_downstream_column() {
    let comparison = compare_with(|files| {
        replace(
            files,
            STG_PAYMENTS,
            "    from source\n",
            "    from source\n    where amount > 0\n",
        )
    });
    let change = &comparison.models[0];
    assert!(change.sql_changed);
    assert!(change.columns.is_empty(), "{:?}", change.columns);
    assert!(change.breaking.is_empty());
    assert!(change
        .affected_columns
        .contains(&column("orders", "amount")));
    assert!(change
        .affected_columns
        .contains(&column("customers", "customer_lifetime_value")));
    let mut models = change.affected_models.clone();
    models.sort();
    assert_eq!(models, vec!["customers", "orders"]);
}

#[test]
fn redefined_column_same_type() {
    let comparison = compare_with(|files| {
        replace(
            files,
            STG_PAYMENTS,
            "amount / 100 as amount",
            "amount / 1000 as amount",
        )
    });
    let change = &comparison.models[0];
    assert_eq!(
        change.columns,
        vec![ColumnChange::Redefined {
            column: "amount".to_string(),
            from: Some("amount / 100".to_string()),
            to: Some("amount / 1000".to_string()),
        }]
    );
    assert!(change.breaking.is_empty());
    assert!(change
        .affected_columns
        .contains(&column("orders", "amount")));
}

#[test]
fn removed_model_breaks_readers() {
    let comparison = compare_with(|files| {
        files.remove(STG_PAYMENTS);
        files.remove("models/stg_payments.toml");
    });
    let removed = comparison
        .models
        .iter()
        .find(|m| m.model == "stg_payments")
        .unwrap();
    assert_eq!(removed.status, ModelStatus::Removed);
    let mut consumers = removed.breaking[0].consumers.clone();
    consumers.sort();
    assert_eq!(consumers, vec!["customers", "orders"]);
    assert_eq!(comparison.files.len(), 2);
}

#[test]
fn added_model_lists_columns() {
    let comparison = compare_with(|files| {
        files.insert("models/extra.sql".into(), "select 1 as x, 'a' as y".into());
    });
    let added = &comparison.models[0];
    assert_eq!(added.status, ModelStatus::Added);
    assert_eq!(added.columns.len(), 2);
    assert!(added.breaking.is_empty());
}

#[test]
fn diff_text_hunks_and_unified() {
    let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
    let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\n";
    let mut diff = diff_text(old, new);
    assert_eq!(diff.added_lines, 2);
    assert_eq!(diff.removed_lines, 1);
    assert_eq!(diff.hunks.len(), 1, "the changes are within 2 × 3 lines");
    let hunk = &diff.hunks[0];
    assert_eq!((hunk.old_start, hunk.old_lines), (2, 9));
    assert_eq!((hunk.new_start, hunk.new_lines), (2, 10));
    let removed: Vec<_> = hunk
        .lines
        .iter()
        .filter(|l| l.tag == LineTag::Removed)
        .collect();
    assert_eq!(removed[0].text, "e");
    assert_eq!(removed[0].old_line, Some(5));
    assert_eq!(removed[0].new_line, None);
    diff.path = "models/x.sql".into();
    let unified = diff.unified();
    assert!(unified.starts_with("--- a/models/x.sql\n+++ b/models/x.sql\n@@ -2,9 +2,10 @@\n b\n"));
    assert!(unified.contains("\n-e\n+E\n"));
    assert!(unified.ends_with("\n+k\n"));
}

#[test]
fn diff_of_new_file_starts_at_zero() {
    let diff = diff_text("", "x\ny\n");
    assert_eq!(diff.hunks[0].old_start, 0);
    assert_eq!(diff.hunks[0].old_lines, 0);
    assert_eq!(diff.hunks[0].new_start, 1);
    assert_eq!(diff.added_lines, 2);
}

#[test]
fn data_diff_needs_key() {
    let files = common::load_sample();
    let compilation = compile(&files);
    let model = compilation.model("stg_payments").unwrap();
    assert_eq!(
        data_diff("p", "b", &model.columns, &model.columns, &[], 10),
        Err(DataDiffError::NoKey)
    );
    let missing = data_diff(
        "p",
        "b",
        &model.columns,
        &model.columns[1..],
        &["payment_id".into()],
        10,
    );
    assert_eq!(
        missing,
        Err(DataDiffError::MissingKeyColumn {
            column: "payment_id".into(),
            side: "branch".into()
        })
    );
}

#[test]
fn data_diff_compares_retyped_numbers() {
    let parent = common::load_sample();
    let mut branch = parent.clone();
    replace(
        &mut branch,
        STG_PAYMENTS,
        "amount / 100 as amount",
        "amount as amount",
    );
    let (before, after) = (compile(&parent), compile(&branch));
    let diff = data_diff(
        "\"main\".\"stg_payments\"",
        "\"branch_feature\".\"stg_payments\"",
        &before.model("stg_payments").unwrap().columns,
        &after.model("stg_payments").unwrap().columns,
        &["payment_id".into()],
        5,
    )
    .unwrap();
    assert_eq!(diff.key, vec!["payment_id"]);
    assert_eq!(diff.compared, vec!["order_id", "payment_method", "amount"]);
    assert_eq!(
        diff.summary_columns.matches,
        vec!["match_0", "match_1", "match_2"]
    );
    // Numbers of two types compare exactly, with no cast.
    assert!(diff
        .summary
        .contains("p.\"amount\" IS NOT DISTINCT FROM b.\"amount\" AS same_2"));
    assert!(diff
        .summary
        .contains("p.\"order_id\" IS NOT DISTINCT FROM b.\"order_id\" AS same_0"));
    assert!(diff
        .changed
        .contains("p.\"amount\" AS \"amount (parent)\", b.\"amount\" AS \"amount (branch)\""));
    assert!(diff
        .only_in_parent
        .ends_with("ORDER BY \"payment_id\" LIMIT 5"));
}

#[test]
fn row_key_prefers_grain() {
    let mut files = common::load_sample();
    let compilation = compile(&files);
    let key = rocky_core::compare::row_key(compilation.model("customers").unwrap());
    assert_eq!(key, Some(vec!["customer_id".to_string()]));
    let sidecar = files.get_mut("models/customers.toml").unwrap();
    sidecar.insert_str(0, "grain = [\"customer_id\", \"first_name\"]\n");
    let compilation = compile(&files);
    let key = rocky_core::compare::row_key(compilation.model("customers").unwrap());
    assert_eq!(
        key,
        Some(vec!["customer_id".to_string(), "first_name".to_string()])
    );
}

#[test]
fn grain_of_wrong_type_warns() {
    let mut files = common::load_sample();
    files
        .get_mut("models/customers.toml")
        .unwrap()
        .insert_str(0, "grain = 3\n");
    let compilation = compile(&files);
    let warning = compilation
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`grain`"))
        .expect("no grain warning");
    assert_eq!(warning.code, "W0007");
    assert_eq!(warning.span.start.line, 1);
    // The unique test still gives the key.
    let key = rocky_core::compare::row_key(compilation.model("customers").unwrap());
    assert_eq!(key, Some(vec!["customer_id".to_string()]));
}

fn typed(columns: &[(&str, &str)]) -> Vec<rocky_core::Column> {
    columns
        .iter()
        .map(|(name, ty)| rocky_core::Column {
            name: name.to_string(),
            ty: ty.to_string(),
            ..Default::default()
        })
        .collect()
}

#[test]
fn data_diff_casts_only_unlike_types() {
    let parent = typed(&[("id", "INTEGER"), ("day", "DATE"), ("code", "INTEGER")]);
    let branch = typed(&[("id", "INTEGER"), ("day", "TIMESTAMP"), ("code", "VARCHAR")]);
    let diff = data_diff("p", "b", &parent, &branch, &["id".into()], 10).unwrap();
    assert!(diff
        .summary
        .contains("p.\"day\" IS NOT DISTINCT FROM b.\"day\" AS same_0"));
    assert!(diff.summary.contains(
        "CAST(p.\"code\" AS VARCHAR) IS NOT DISTINCT FROM CAST(b.\"code\" AS VARCHAR) AS same_1"
    ));
    // Each side lists its own first duplicates and counts them all.
    assert!(diff
        .duplicate_keys
        .contains("count(*) OVER (PARTITION BY side) AS duplicated_keys"));
    assert!(diff
        .duplicate_keys
        .contains("row_number() OVER (PARTITION BY side ORDER BY \"id\") <= 10"));
}
