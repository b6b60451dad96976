//! Branches: the copy-on-write store, promote with conflicts, and the run
//! plan that rebuilds only what changed, on the jaffle_shop sample.

mod common;

use std::collections::BTreeMap;

use rocky_core::branch::plan::{
    drop_branch_sql, plan_branch, plan_promote, restrict_promote, Action, BranchPlan, ObjectKind,
    PromoteError, Reason, RunRecord,
};
use rocky_core::branch::{BranchError, FileStatus, Resolution, Workspace};
use rocky_core::{compile, ProjectFiles};

fn sample() -> ProjectFiles {
    common::load_sample()
}

const STG_PAYMENTS: &str = "models/stg_payments.sql";

/// The sample's stg_payments keeping cents instead of dollars.
fn in_cents(files: &ProjectFiles) -> String {
    let sql = &files[STG_PAYMENTS];
    assert!(sql.contains("amount / 100 as amount"), "the sample changed");
    sql.replace("amount / 100 as amount", "amount as amount")
}

fn plan(
    workspace: &Workspace,
    branch: &str,
    previous: Option<&RunRecord>,
    parent: Option<&RunRecord>,
) -> BranchPlan {
    let files = workspace.files(branch).unwrap();
    let compilation = compile(&files);
    plan_branch(branch, &files, &compilation, previous, parent)
}

fn action_of<'p>(plan: &'p BranchPlan, name: &str) -> &'p Action {
    &plan
        .items
        .iter()
        .find(|item| item.name == name)
        .unwrap_or_else(|| panic!("no plan item {name}: {:?}", plan.items))
        .action
}

fn reasons_of<'p>(plan: &'p BranchPlan, name: &str) -> &'p [Reason] {
    &plan
        .items
        .iter()
        .find(|item| item.name == name)
        .unwrap()
        .reasons
}

/// Returns the names of the built items, sorted: the build order among
/// independent models is the compiler's.
fn built(plan: &BranchPlan) -> Vec<&str> {
    let mut names: Vec<&str> = plan.built().map(|item| item.name.as_str()).collect();
    names.sort();
    names
}

#[test]
fn branch_sees_fork_not_later_parent_edits() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    workspace
        .write("main", "models/new.sql", "select 1 as x")
        .unwrap();
    let files = workspace.files("feature").unwrap();
    assert!(!files.contains_key("models/new.sql"));
    assert_eq!(workspace.branch("feature").unwrap().forked_at, 0);
    assert_eq!(workspace.branch("main").unwrap().revision, 1);
}

#[test]
fn writing_base_text_drops_change() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    let original = workspace.files("main").unwrap()[STG_PAYMENTS].clone();
    workspace
        .write("feature", STG_PAYMENTS, "select 1 as x")
        .unwrap();
    assert_eq!(
        workspace.branch("feature").unwrap().changed_files()[0].status,
        FileStatus::Modified
    );
    workspace.write("feature", STG_PAYMENTS, &original).unwrap();
    assert!(workspace
        .branch("feature")
        .unwrap()
        .changed_files()
        .is_empty());
    assert_eq!(workspace.files("main").unwrap()[STG_PAYMENTS], original);
}

#[test]
fn file_changes_have_statuses() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    workspace
        .write("feature", "models/extra.sql", "select 1 as x")
        .unwrap();
    workspace
        .remove_file("feature", "models/orders.toml")
        .unwrap();
    workspace
        .write("feature", STG_PAYMENTS, "select 2 as y")
        .unwrap();
    let statuses: Vec<(String, FileStatus)> = workspace
        .branch("feature")
        .unwrap()
        .changed_files()
        .into_iter()
        .map(|change| (change.path, change.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("models/extra.sql".to_string(), FileStatus::Added),
            ("models/orders.toml".to_string(), FileStatus::Deleted),
            (STG_PAYMENTS.to_string(), FileStatus::Modified),
        ]
    );
    // Removing an added file leaves no change for it.
    workspace
        .remove_file("feature", "models/extra.sql")
        .unwrap();
    assert_eq!(
        workspace.branch("feature").unwrap().changed_files().len(),
        2
    );
}

#[test]
fn names_are_checked() {
    let mut workspace = Workspace::new(sample());
    for bad in ["", "1st", "has space", "semi;colon", &"x".repeat(41)] {
        let error = workspace.create(bad, "main").unwrap_err();
        assert!(
            matches!(error, BranchError::InvalidName { .. }),
            "{bad}: {error}"
        );
    }
    assert!(matches!(
        workspace.create("Main", "main"),
        Err(BranchError::AlreadyExists { .. })
    ));
    workspace.create("feature-a", "main").unwrap();
    assert!(matches!(
        workspace.create("FEATURE_A", "main"),
        Err(BranchError::AlreadyExists { .. })
    ));
    let error = workspace.create("other", "featur-a").unwrap_err();
    assert_eq!(
        error.to_string(),
        "branch `featur-a` not found; did you mean `feature-a`?"
    );
    assert_eq!(
        workspace.branch("feature-a").unwrap().schema(),
        "branch_feature_a"
    );
}

#[test]
fn main_cannot_be_removed_or_renamed() {
    let mut workspace = Workspace::new(sample());
    assert!(matches!(
        workspace.delete("main"),
        Err(BranchError::Main { .. })
    ));
    assert!(matches!(
        workspace.rename("main", "trunk"),
        Err(BranchError::Main { .. })
    ));
    assert!(matches!(
        workspace.reset("main"),
        Err(BranchError::Main { .. })
    ));
    assert!(matches!(
        workspace.promote("main", &BTreeMap::new()),
        Err(BranchError::Main { .. })
    ));
}

#[test]
fn rename_moves_children() {
    let mut workspace = Workspace::new(sample());
    workspace.create("a", "main").unwrap();
    workspace.create("b", "a").unwrap();
    assert!(matches!(
        workspace.delete("a"),
        Err(BranchError::HasChildren { .. })
    ));
    workspace.rename("a", "renamed").unwrap();
    assert_eq!(
        workspace.branch("b").unwrap().parent.as_deref(),
        Some("renamed")
    );
    assert!(workspace.branch("a").is_err());
    workspace.delete("b").unwrap();
    workspace.delete("renamed").unwrap();
    let names: Vec<&str> = workspace
        .branches()
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(names, vec!["main"]);
}

#[test]
fn reset_forks_again() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    workspace
        .write("feature", STG_PAYMENTS, "select 1 as x")
        .unwrap();
    workspace
        .write("main", "models/new.sql", "select 1 as x")
        .unwrap();
    workspace.reset("feature").unwrap();
    assert_eq!(
        workspace.files("feature").unwrap(),
        workspace.files("main").unwrap()
    );
    assert_eq!(workspace.branch("feature").unwrap().forked_at, 1);
}

#[test]
fn paths_are_checked() {
    let mut workspace = Workspace::new(sample());
    for bad in [
        "../etc/passwd",
        "/abs.sql",
        "models//x.sql",
        "models\\x.sql",
        "",
        "models/evil\u{202E}lqs.txt",
        "models/x\u{2066}.sql",
        "models/line\nbreak.sql",
        "models/nul\0.sql",
    ] {
        assert!(
            matches!(
                workspace.write("main", bad, "x"),
                Err(BranchError::InvalidPath { .. })
            ),
            "{bad}"
        );
    }
    let Err(error) = workspace.write("main", "models/evil\u{202E}lqs.txt", "x") else {
        panic!("a path with U+202E was written");
    };
    assert!(error.to_string().contains("U+202E"), "{error}");
    // Letters of any script stay allowed.
    assert!(workspace
        .write("main", "models/ünïcode_日本.sql", "select 1 as a")
        .is_ok());
}

#[test]
fn promote_writes_changes_into_parent() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    let cents = in_cents(&workspace.files("main").unwrap());
    workspace.write("feature", STG_PAYMENTS, &cents).unwrap();
    // The parent moved on another file: no conflict.
    workspace
        .write("main", "models/other.sql", "select 1 as x")
        .unwrap();
    let promoted = workspace.promote("feature", &BTreeMap::new()).unwrap();
    assert_eq!(promoted.parent, "main");
    assert_eq!(promoted.files.len(), 1);
    assert_eq!(promoted.files[0].path, STG_PAYMENTS);
    let main = workspace.files("main").unwrap();
    assert_eq!(main[STG_PAYMENTS], cents);
    assert!(main.contains_key("models/other.sql"));
    // The branch starts again from the new main.
    assert_eq!(workspace.files("feature").unwrap(), main);
    assert!(workspace
        .branch("feature")
        .unwrap()
        .changed_files()
        .is_empty());
}

#[test]
fn promote_stops_at_conflicts() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    workspace
        .write("feature", STG_PAYMENTS, "select 1 as ours")
        .unwrap();
    workspace
        .write("feature", "models/only_ours.sql", "select 1 as x")
        .unwrap();
    workspace
        .write("main", STG_PAYMENTS, "select 1 as theirs")
        .unwrap();
    let before = workspace.files("main").unwrap();
    let Err(BranchError::Conflicts { conflicts }) = workspace.promote("feature", &BTreeMap::new())
    else {
        panic!("promote did not report the conflict");
    };
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].path, STG_PAYMENTS);
    assert_eq!(conflicts[0].ours.as_deref(), Some("select 1 as ours"));
    assert_eq!(conflicts[0].theirs.as_deref(), Some("select 1 as theirs"));
    assert!(conflicts[0]
        .base
        .as_deref()
        .unwrap()
        .contains("amount / 100"));
    assert_eq!(
        workspace.files("main").unwrap(),
        before,
        "a rejected promote changed main"
    );

    let theirs = BTreeMap::from([(STG_PAYMENTS.to_string(), Resolution::Theirs)]);
    workspace.promote("feature", &theirs).unwrap();
    let main = workspace.files("main").unwrap();
    assert_eq!(main[STG_PAYMENTS], "select 1 as theirs");
    assert_eq!(main["models/only_ours.sql"], "select 1 as x");
}

#[test]
fn promote_with_ours_takes_branch_side() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    workspace
        .write("feature", STG_PAYMENTS, "select 1 as ours")
        .unwrap();
    workspace.remove_file("main", STG_PAYMENTS).unwrap();
    let conflicts = workspace.conflicts("feature").unwrap();
    assert_eq!(conflicts[0].theirs, None);
    let ours = BTreeMap::from([(STG_PAYMENTS.to_string(), Resolution::Ours)]);
    let promoted = workspace.promote("feature", &ours).unwrap();
    assert_eq!(promoted.files[0].status, FileStatus::Added);
    assert_eq!(
        workspace.files("main").unwrap()[STG_PAYMENTS],
        "select 1 as ours"
    );
}

#[test]
fn same_change_on_both_sides_is_no_conflict() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    workspace
        .write("feature", STG_PAYMENTS, "select 1 as same")
        .unwrap();
    workspace
        .write("main", STG_PAYMENTS, "select 1 as same")
        .unwrap();
    assert!(workspace.conflicts("feature").unwrap().is_empty());
}

#[test]
fn workspace_round_trips_through_json() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    workspace
        .write("feature", STG_PAYMENTS, "select 1 as x")
        .unwrap();
    let json = serde_json::to_string(&workspace).unwrap();
    let back: Workspace = serde_json::from_str(&json).unwrap();
    assert_eq!(back, workspace);
}

#[test]
fn main_first_run_builds_everything() {
    let workspace = Workspace::new(sample());
    let plan = plan(&workspace, "main", None, None);
    assert_eq!(
        built(&plan),
        vec![
            "customers",
            "orders",
            "raw_customers",
            "raw_orders",
            "raw_payments",
            "stg_customers",
            "stg_orders",
            "stg_payments",
        ]
    );
    // Sources come before the models that read them.
    let order: Vec<&str> = plan.built().map(|item| item.name.as_str()).collect();
    assert!(
        order[..3].iter().all(|name| name.starts_with("raw_")),
        "{order:?}"
    );
    assert_eq!(reasons_of(&plan, "orders"), [Reason::NotBuiltYet]);
    assert!(plan
        .steps
        .iter()
        .any(|s| s.sql == "CREATE OR REPLACE VIEW \"main\".\"stg_payments\" AS with source as (\n\n    select * from \"raw_payments\"\n\n),\n\nrenamed as (\n\n    select\n        id as payment_id,\n        order_id,\n        payment_method,\n\n        -- The source stores amounts in cents; this converts them to dollars.\n        amount / 100 as amount\n\n    from source\n\n)\n\nselect * from renamed"),
        "{:#?}", plan.steps);
    assert!(plan
        .steps
        .iter()
        .any(|s| s.sql
            == "COPY \"raw_payments\" FROM 'data/raw_payments.csv' (HEADER, DELIMITER ',')"));
}

#[test]
fn main_second_run_keeps_everything() {
    let workspace = Workspace::new(sample());
    let first = plan(&workspace, "main", None, None);
    let second = plan(&workspace, "main", Some(&first.record), None);
    assert!(second.steps.is_empty(), "{:#?}", second.steps);
    assert!(second.items.iter().all(|item| item.action == Action::Keep));
    assert_eq!(second.record, first.record);
}

#[test]
fn main_rebuilds_edited_model_and_downstream() {
    let mut workspace = Workspace::new(sample());
    let first = plan(&workspace, "main", None, None);
    let cents = in_cents(&workspace.files("main").unwrap());
    workspace.write("main", STG_PAYMENTS, &cents).unwrap();
    let second = plan(&workspace, "main", Some(&first.record), None);
    assert_eq!(built(&second), vec!["customers", "orders", "stg_payments"]);
    assert_eq!(reasons_of(&second, "stg_payments"), [Reason::Changed]);
    assert_eq!(
        reasons_of(&second, "orders"),
        [Reason::UpstreamChanged {
            upstream: vec!["stg_payments".to_string()]
        }]
    );
}

#[test]
fn unchanged_branch_reuses_parent() {
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    let feature = plan(&workspace, "feature", None, Some(&main.record));
    assert!(built(&feature).is_empty());
    assert_eq!(
        action_of(&feature, "orders"),
        &Action::Reuse {
            from: "\"main\".\"orders\"".to_string()
        }
    );
    assert_eq!(
        action_of(&feature, "raw_orders"),
        &Action::Reuse {
            from: "\"raw_orders\"".to_string()
        }
    );
    let views: Vec<&str> = feature.steps.iter().map(|s| s.sql.as_str()).collect();
    assert_eq!(views[0], "CREATE SCHEMA IF NOT EXISTS \"branch_feature\"");
    assert!(views.contains(&"CREATE OR REPLACE VIEW \"branch_feature\".\"orders\" AS SELECT * FROM \"main\".\"orders\""));
    // Five views for five models, after the schema.
    assert_eq!(views.len(), 6);
    assert_eq!(feature.record.objects["orders"].kind, ObjectKind::View);
    assert_eq!(feature.record.objects["raw_orders"].kind, ObjectKind::None);
}

#[test]
fn branch_rebuilds_changed_model_and_downstream() {
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    let cents = in_cents(&workspace.files("main").unwrap());
    workspace.write("feature", STG_PAYMENTS, &cents).unwrap();
    let feature = plan(&workspace, "feature", None, Some(&main.record));
    assert_eq!(built(&feature), vec!["customers", "orders", "stg_payments"]);
    assert_eq!(reasons_of(&feature, "stg_payments"), [Reason::Changed]);
    assert_eq!(
        reasons_of(&feature, "customers"),
        [Reason::UpstreamChanged {
            upstream: vec!["stg_payments".to_string()]
        }]
    );
    assert!(matches!(
        action_of(&feature, "stg_orders"),
        Action::Reuse { .. }
    ));
    let stg = feature
        .steps
        .iter()
        .find(|s| s.target == "stg_payments")
        .unwrap();
    assert!(stg
        .sql
        .starts_with("CREATE OR REPLACE VIEW \"branch_feature\".\"stg_payments\" AS"));
    // An unchanged source is read from the parent's table.
    assert!(
        stg.sql.contains("select * from \"raw_payments\""),
        "{}",
        stg.sql
    );
    let orders = feature.steps.iter().find(|s| s.target == "orders").unwrap();
    assert!(
        orders.sql.contains("\"branch_feature\".\"stg_payments\""),
        "{}",
        orders.sql
    );
    // stg_orders is the branch's view over main's table.
    assert!(
        orders.sql.contains("\"branch_feature\".\"stg_orders\""),
        "{}",
        orders.sql
    );

    // A second run of the branch with nothing changed does nothing.
    let again = plan(
        &workspace,
        "feature",
        Some(&feature.record),
        Some(&main.record),
    );
    assert!(again.steps.is_empty(), "{:#?}", again.steps);
}

#[test]
fn branch_without_parent_run_builds_everything() {
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    let feature = plan(&workspace, "feature", None, None);
    assert_eq!(built(&feature).len(), 8);
    assert_eq!(reasons_of(&feature, "orders"), [Reason::ParentNotRun]);
    let copy = feature
        .steps
        .iter()
        .find(|s| s.sql.starts_with("COPY"))
        .unwrap();
    assert_eq!(
        copy.sql,
        "COPY \"branch_feature\".\"raw_customers\" FROM 'data/raw_customers.csv' (HEADER, DELIMITER ',')"
    );
}

#[test]
fn changed_data_rebuilds_source_in_branch() {
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    let mut csv = workspace.files("main").unwrap()["data/raw_payments.csv"].clone();
    csv.push_str("999,1,credit_card,100\n");
    workspace
        .write("feature", "data/raw_payments.csv", &csv)
        .unwrap();
    let feature = plan(&workspace, "feature", None, Some(&main.record));
    assert_eq!(
        built(&feature),
        vec!["customers", "orders", "raw_payments", "stg_payments"]
    );
    let stg = feature
        .steps
        .iter()
        .find(|s| s.target == "stg_payments")
        .unwrap();
    assert!(
        stg.sql.contains("\"branch_feature\".\"raw_payments\""),
        "{}",
        stg.sql
    );
}

#[test]
fn errors_block_model_and_downstream() {
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    workspace
        .write(
            "feature",
            STG_PAYMENTS,
            "select id as payment_id, order_id, no_such_column as amount from raw_payments",
        )
        .unwrap();
    let feature = plan(&workspace, "feature", None, Some(&main.record));
    assert_eq!(action_of(&feature, "stg_payments"), &Action::Blocked);
    assert!(matches!(
        reasons_of(&feature, "stg_payments")[0],
        Reason::Errors { count: 1 }
    ));
    assert_eq!(action_of(&feature, "orders"), &Action::Blocked);
    // orders also has errors of its own: the columns it reads are gone.
    assert!(
        reasons_of(&feature, "orders").contains(&Reason::UpstreamBlocked {
            upstream: vec!["stg_payments".to_string()]
        })
    );
    assert!(feature.steps.iter().all(|s| s.target != "orders"));
}

#[test]
fn removed_model_is_dropped() {
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    workspace
        .write("feature", "models/extra.sql", "select 1 as x")
        .unwrap();
    let first = plan(&workspace, "feature", None, Some(&main.record));
    assert_eq!(reasons_of(&first, "extra"), [Reason::New]);
    workspace
        .remove_file("feature", "models/extra.sql")
        .unwrap();
    let second = plan(
        &workspace,
        "feature",
        Some(&first.record),
        Some(&main.record),
    );
    assert_eq!(action_of(&second, "extra"), &Action::Drop);
    assert_eq!(
        second
            .steps
            .iter()
            .map(|s| s.sql.as_str())
            .collect::<Vec<_>>(),
        vec!["DROP TABLE IF EXISTS \"branch_feature\".\"extra\""]
    );
    assert!(!second.record.objects.contains_key("extra"));
}

#[test]
fn table_becomes_view_after_reset() {
    // orders is a table: its sidecar sets `full_refresh`.
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    let cents = in_cents(&workspace.files("main").unwrap());
    workspace.write("feature", STG_PAYMENTS, &cents).unwrap();
    let first = plan(&workspace, "feature", None, Some(&main.record));
    workspace.reset("feature").unwrap();
    let second = plan(
        &workspace,
        "feature",
        Some(&first.record),
        Some(&main.record),
    );
    let sql: Vec<&str> = second
        .steps
        .iter()
        .filter(|s| s.target == "orders")
        .map(|s| s.sql.as_str())
        .collect();
    assert_eq!(
        sql,
        vec![
            "DROP TABLE IF EXISTS \"branch_feature\".\"orders\"",
            "CREATE OR REPLACE VIEW \"branch_feature\".\"orders\" AS SELECT * FROM \"main\".\"orders\""
        ]
    );
}

#[test]
fn failed_step_is_built_again() {
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    let cents = in_cents(&workspace.files("main").unwrap());
    workspace.write("feature", STG_PAYMENTS, &cents).unwrap();
    let first = plan(&workspace, "feature", None, Some(&main.record));
    // The first model after stg_payments fails, and the run stops there.
    let failing = first
        .steps
        .iter()
        .position(|s| s.is_model && s.target != "stg_payments")
        .unwrap();
    let record = first.record_after(None, Some(failing));
    assert!(record.objects.contains_key("stg_payments"));
    assert!(!record.objects.contains_key("customers"));
    assert!(!record.objects.contains_key("orders"));
    let second = plan(&workspace, "feature", Some(&record), Some(&main.record));
    assert_eq!(built(&second), vec!["customers", "orders"]);
}

#[test]
fn seeded_source_moves_to_branch_schema() {
    let files: ProjectFiles = [
        ("rocky.toml", "[project]\nname = \"p\"\n"),
        (
            "sources/raw.sql",
            "CREATE TABLE raw.items (id INTEGER);\nINSERT INTO raw.items VALUES (1), (2);\n",
        ),
        ("models/total.sql", "select count(*) as n from items"),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.to_string()))
    .collect();
    let mut workspace = Workspace::new(files);
    let main = plan(&workspace, "main", None, None);
    assert_eq!(main.steps[0].sql, "CREATE SCHEMA IF NOT EXISTS \"raw\"");
    workspace.create("feature", "main").unwrap();
    workspace
        .write(
            "feature",
            "sources/raw.sql",
            "CREATE TABLE raw.items (id INTEGER);\nINSERT INTO raw.items VALUES (1), (2), (3);\n",
        )
        .unwrap();
    let feature = plan(&workspace, "feature", None, Some(&main.record));
    let sql: Vec<&str> = feature.steps.iter().map(|s| s.sql.as_str()).collect();
    assert!(
        sql.contains(&"CREATE OR REPLACE TABLE \"branch_feature\".\"raw.items\" (\"id\" INTEGER)"),
        "{sql:#?}"
    );
    assert!(
        sql.contains(&"INSERT INTO \"branch_feature\".\"raw.items\" VALUES (1), (2), (3)"),
        "{sql:#?}"
    );
    assert!(sql.contains(&"CREATE OR REPLACE TABLE \"branch_feature\".\"total\" AS select count(*) as n from \"branch_feature\".\"raw.items\""), "{sql:#?}");
}

#[test]
fn promote_copies_branch_builds() {
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    let cents = in_cents(&workspace.files("main").unwrap());
    workspace.write("feature", STG_PAYMENTS, &cents).unwrap();
    let feature = plan(&workspace, "feature", None, Some(&main.record));
    let files = workspace.files("feature").unwrap();
    let compilation = compile(&files);
    let promote = plan_promote(
        "feature",
        &files,
        &compilation,
        &feature.record,
        "main",
        Some(&main.record),
    )
    .unwrap();
    let sql: Vec<&str> = promote.steps.iter().map(|s| s.sql.as_str()).collect();
    assert_eq!(sql.first(), Some(&"BEGIN TRANSACTION"));
    assert_eq!(sql.last(), Some(&"COMMIT"));
    assert!(sql.contains(&"CREATE OR REPLACE TABLE \"main\".\"orders\" AS SELECT * FROM \"branch_feature\".\"orders\""), "{sql:#?}");
    // A view is created again over main's tables, not over the branch's.
    let view = sql
        .iter()
        .find(|s| s.contains("VIEW \"main\".\"stg_payments\""))
        .unwrap();
    assert!(view.contains("select * from \"raw_payments\""), "{view}");
    assert!(!view.contains("branch_feature"), "{view}");
    let mut promoted = promote.promoted.clone();
    promoted.sort();
    assert_eq!(promoted, vec!["customers", "orders", "stg_payments"]);
    // After the promote main's files and record agree: nothing to build.
    workspace.promote("feature", &BTreeMap::new()).unwrap();
    let after = plan(&workspace, "main", Some(&promote.record), None);
    assert!(after.steps.is_empty(), "{:#?}", after.steps);
}

#[test]
fn promote_needs_up_to_date_run() {
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    let feature = plan(&workspace, "feature", None, Some(&main.record));
    let cents = in_cents(&workspace.files("main").unwrap());
    workspace.write("feature", STG_PAYMENTS, &cents).unwrap();
    let files = workspace.files("feature").unwrap();
    let compilation = compile(&files);
    let error = plan_promote(
        "feature",
        &files,
        &compilation,
        &feature.record,
        "main",
        Some(&main.record),
    )
    .unwrap_err();
    let PromoteError::NotRun { stale } = &error;
    assert_eq!(stale, &["stg_payments", "orders", "customers"]);
    assert!(error.to_string().contains("run the branch first"));
}

#[test]
fn drop_removes_branch_schema() {
    assert_eq!(
        drop_branch_sql("feature").as_deref(),
        Some("DROP SCHEMA IF EXISTS \"branch_feature\" CASCADE")
    );
    assert_eq!(drop_branch_sql("main"), None);
}

#[test]
fn data_tests_read_branch_relations() {
    let mut workspace = Workspace::new(sample());
    let main = plan(&workspace, "main", None, None);
    workspace.create("feature", "main").unwrap();
    let cents = in_cents(&workspace.files("main").unwrap());
    workspace.write("feature", STG_PAYMENTS, &cents).unwrap();
    let feature = plan(&workspace, "feature", None, Some(&main.record));
    assert_eq!(feature.relation("Orders"), "\"branch_feature\".\"orders\"");
    assert_eq!(feature.relation("raw_orders"), "\"raw_orders\"");
    let files = workspace.files("feature").unwrap();
    let compilation = compile(&files);
    let tests = rocky_core::compile_tests(compilation.model("customers").unwrap(), |name| {
        feature.relation(name)
    });
    assert!(!tests.is_empty());
    assert!(tests
        .iter()
        .all(|test| test.sql.contains("\"branch_feature\".\"customers\"")));
}

#[test]
fn promote_keeps_parent_side_tables() {
    // Both sides change stg_payments; the conflict keeps main's side, so
    // the branch's stg_payments and what reads it are not main's tables.
    let mut workspace = Workspace::new(sample());
    workspace.create("feature", "main").unwrap();
    let cents = in_cents(&workspace.files("main").unwrap());
    workspace.write("feature", STG_PAYMENTS, &cents).unwrap();
    let doubled = workspace.files("main").unwrap()[STG_PAYMENTS]
        .replace("amount / 100 as amount", "amount / 50 as amount");
    workspace.write("main", STG_PAYMENTS, &doubled).unwrap();
    let main = plan(&workspace, "main", None, None);
    let feature = plan(&workspace, "feature", None, Some(&main.record));
    let files = workspace.files("feature").unwrap();
    let compilation = compile(&files);
    let all = plan_promote(
        "feature",
        &files,
        &compilation,
        &feature.record,
        "main",
        Some(&main.record),
    )
    .unwrap();
    assert!(all.promoted.iter().any(|name| name == "orders"));

    let resolutions: BTreeMap<String, Resolution> =
        [(STG_PAYMENTS.to_string(), Resolution::Theirs)]
            .into_iter()
            .collect();
    let mut merged_workspace = workspace.clone();
    merged_workspace.promote("feature", &resolutions).unwrap();
    let merged = merged_workspace.files("main").unwrap();
    assert_eq!(merged[STG_PAYMENTS], doubled);
    let restricted = restrict_promote(all, "feature", &feature.record, &merged, Some(&main.record));
    let mut kept = restricted.kept.clone();
    kept.sort();
    assert_eq!(kept, ["customers", "orders", "stg_payments"]);
    assert!(restricted.promoted.is_empty(), "{:?}", restricted.promoted);
    let sql: Vec<&str> = restricted.steps.iter().map(|s| s.sql.as_str()).collect();
    assert_eq!(sql, ["BEGIN TRANSACTION", "COMMIT"], "{sql:#?}");
    // Main's record keeps its own builds, which match its files.
    let after = plan(&merged_workspace, "main", Some(&restricted.record), None);
    assert!(after.steps.is_empty(), "{:#?}", after.steps);

    // Taking the branch's side copies everything as before.
    let ours: BTreeMap<String, Resolution> = [(STG_PAYMENTS.to_string(), Resolution::Ours)]
        .into_iter()
        .collect();
    let mut merged_workspace = workspace.clone();
    merged_workspace.promote("feature", &ours).unwrap();
    let merged = merged_workspace.files("main").unwrap();
    let all = plan_promote(
        "feature",
        &files,
        &compilation,
        &feature.record,
        "main",
        Some(&main.record),
    )
    .unwrap();
    let restricted = restrict_promote(all, "feature", &feature.record, &merged, Some(&main.record));
    assert!(restricted.kept.is_empty());
    assert!(restricted.promoted.iter().any(|name| name == "orders"));
}
