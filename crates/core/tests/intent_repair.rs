//! Fix-its for downstream models after an upstream column change, on the
//! bundled jaffle_shop sample.

mod common;

use rocky_core::intent::{repair, repair_all, FixIt, FixKind};
use rocky_core::{compile, Compilation, ProjectFiles};

/// Returns the sample with `from` replaced by `to` in one file.
fn edited(files: &ProjectFiles, path: &str, from: &str, to: &str) -> ProjectFiles {
    let mut branch = files.clone();
    let text = branch[path].clone();
    assert!(text.contains(from), "{path} has no `{from}`");
    branch.insert(path.to_string(), text.replacen(from, to, 1));
    branch
}

fn apply(files: &ProjectFiles, fixes: &[FixIt]) -> ProjectFiles {
    let mut files = files.clone();
    for fix in fixes {
        files.insert(fix.path.clone(), fix.text.clone());
    }
    files
}

fn outputs(compilation: &Compilation, model: &str) -> Vec<(String, String)> {
    compilation
        .model(model)
        .unwrap()
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.ty.clone()))
        .collect()
}

fn errors(compilation: &Compilation) -> Vec<String> {
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}: {}", d.file, d.code, d.message))
        .collect()
}

fn renamed_order_date() -> (ProjectFiles, ProjectFiles) {
    let main = common::load_sample();
    let branch = edited(
        &main,
        "models/stg_orders.sql",
        "        order_date,",
        "        order_date as ordered_on,",
    );
    (main, branch)
}

#[test]
fn rename_fixes_orders_and_customers() {
    let (main, branch) = renamed_order_date();
    assert!(!errors(&compile(&branch)).is_empty());
    let fixes = repair(&main, &branch);
    let models: Vec<&str> = fixes.iter().map(|f| f.model.as_str()).collect();
    assert_eq!(models, ["orders", "customers"]);
    for fix in &fixes {
        assert!(fix.verified, "{}: {:?}", fix.model, fix.problem);
        assert_eq!(fix.problem, None);
        assert_eq!(fix.kinds, [FixKind::Rename]);
        assert_eq!(
            fix.description,
            "rename `order_date` to `ordered_on` in 1 place"
        );
        assert!(!fix.fixes.is_empty());
        assert!(fix.fixes.iter().all(|d| d.code == "E0101"));
        assert!(fix
            .text
            .contains("select * RENAME (ordered_on AS order_date) from stg_orders"));
        assert!(fix
            .diff
            .starts_with(&format!("--- a/{0}\n+++ b/{0}\n", fix.path)));
        assert!(fix
            .diff
            .contains("+    select * RENAME (ordered_on AS order_date) from stg_orders"));
    }
}

#[test]
fn rename_restores_every_output() {
    let (main, branch) = renamed_order_date();
    let fixed = compile(&apply(&branch, &repair(&main, &branch)));
    assert_eq!(errors(&fixed), Vec::<String>::new());
    let main = compile(&main);
    for model in &main.models {
        if model.name == "stg_orders" {
            continue;
        }
        assert_eq!(
            outputs(&fixed, &model.name),
            outputs(&main, &model.name),
            "{}",
            model.name
        );
    }
}

#[test]
fn rename_edit_spans_match_text() {
    let (main, branch) = renamed_order_date();
    for fix in repair(&main, &branch) {
        let [edit] = fix.edits.as_slice() else {
            panic!("{}: {:?}", fix.model, fix.edits);
        };
        assert_eq!(edit.span.start, edit.span.end);
        assert_eq!(edit.new_text, " RENAME (ordered_on AS order_date)");
    }
}

#[test]
fn rename_direct_references() {
    let mut main = common::load_sample();
    main.insert(
        "models/order_months.sql".into(),
        "select o.order_id, o.order_date, date_trunc('month', order_date) as order_month\n\
         from stg_orders as o\n\
         where o.order_date is not null\n"
            .into(),
    );
    let branch = edited(
        &main,
        "models/stg_orders.sql",
        "        order_date,",
        "        order_date as ordered_on,",
    );
    let fixes = repair(&main, &branch);
    let fix = fixes.iter().find(|f| f.model == "order_months").unwrap();
    assert!(fix.verified, "{:?}", fix.problem);
    assert_eq!(
        fix.description,
        "rename `order_date` to `ordered_on` in 3 places"
    );
    assert_eq!(
        fix.text,
        "select o.order_id, o.ordered_on AS order_date, date_trunc('month', ordered_on) as order_month\n\
         from stg_orders as o\n\
         where o.ordered_on is not null\n"
    );
    let fixed = compile(&apply(&branch, &fixes));
    assert_eq!(errors(&fixed), Vec::<String>::new());
    assert_eq!(
        outputs(&fixed, "order_months"),
        outputs(&compile(&main), "order_months")
    );
}

fn removed_order_date() -> (ProjectFiles, ProjectFiles) {
    let main = common::load_sample();
    let branch = edited(&main, "models/stg_orders.sql", "        order_date,\n", "");
    (main, branch)
}

#[test]
fn removal_drops_select_item() {
    let (main, branch) = removed_order_date();
    let fixes = repair(&main, &branch);
    let [fix] = fixes.as_slice() else {
        panic!("{fixes:?}");
    };
    assert_eq!(fix.model, "orders");
    assert_eq!(fix.kinds, [FixKind::DropItem]);
    assert_eq!(
        fix.description,
        "drop `order_date`, which read only the removed `stg_orders.order_date`"
    );
    assert!(fix.diff.contains("\n-        orders.order_date,\n"));
    assert_eq!(fix.diff.matches("\n-").count(), 1);
    assert_eq!(fix.diff.matches("\n+").count(), 1);

    let fixed = compile(&apply(&branch, &fixes));
    let mut expected = outputs(&compile(&main), "orders");
    expected.retain(|(name, _)| name != "order_date");
    assert_eq!(outputs(&fixed, "orders"), expected);
    assert!(errors(&fixed).iter().all(|e| !e.contains("orders.sql")));
}

#[test]
fn removal_read_by_test_unverified() {
    // customers' sidecar tests `first_order <= most_recent_order`, so
    // dropping both columns leaves an error and the fix-it is not offered.
    let (main, branch) = removed_order_date();
    let all = repair_all(&main, &branch);
    let customers = all.iter().find(|f| f.model == "customers").unwrap();
    assert!(!customers.verified);
    assert_eq!(
        customers.description,
        "drop `first_order` and `most_recent_order`, which read only the removed \
         `stg_orders.order_date`"
    );
    let problem = customers.problem.as_deref().unwrap();
    assert!(problem.contains("E0101"), "{problem}");
    assert!(repair(&main, &branch)
        .iter()
        .all(|f| f.model != "customers"));
}

#[test]
fn removal_read_downstream_has_no_fix() {
    let mut main = common::load_sample();
    main.insert(
        "models/order_dates.sql".into(),
        "select order_id, order_date from orders\n".into(),
    );
    let branch = edited(&main, "models/stg_orders.sql", "        order_date,\n", "");
    let all = repair_all(&main, &branch);
    let orders = all.iter().find(|f| f.model == "orders").unwrap();
    assert!(!orders.verified);
    assert!(orders.edits.is_empty());
    assert_eq!(orders.text, branch["models/orders.sql"]);
    assert_eq!(orders.diff, "");
    assert_eq!(
        orders.problem.as_deref(),
        Some(
            "`order_dates` reads `orders.order_date`, which reads only the removed \
             `stg_orders.order_date`"
        )
    );
    assert!(repair(&main, &branch).iter().all(|f| f.model != "orders"));
}

fn retyped_amount() -> (ProjectFiles, ProjectFiles) {
    let main = common::load_sample();
    let branch = edited(
        &main,
        "models/stg_payments.sql",
        "amount / 100 as amount",
        "cast(amount / 100 as varchar) as amount",
    );
    (main, branch)
}

#[test]
fn retype_fixed_with_cast() {
    let (main, branch) = retyped_amount();
    let fixes = repair(&main, &branch);
    let summary: Vec<(&str, &str)> = fixes
        .iter()
        .map(|f| (f.model.as_str(), f.description.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("orders", "cast `amount` back to DOUBLE in 5 places"),
            ("customers", "cast `amount` back to DOUBLE in 1 place"),
        ]
    );

    for fix in &fixes {
        assert_eq!(fix.kinds, [FixKind::Cast]);
        assert!(fix
            .edits
            .iter()
            .all(|e| e.new_text == "CAST(amount AS DOUBLE)"));
        assert!(fix.fixes.iter().all(|d| d.code.starts_with("E02")));
    }

    let fixed = compile(&apply(&branch, &fixes));
    let main = compile(&main);
    for model in ["orders", "customers"] {
        assert_eq!(outputs(&fixed, model), outputs(&main, model), "{model}");
    }
    // The only error left is stg_payments' own data test on the new type.
    let left = errors(&fixed);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with("models/stg_payments"), "{left:?}");
}

#[test]
fn unrelated_error_has_no_fix() {
    let main = common::load_sample();
    let branch = edited(
        &main,
        "models/orders.sql",
        "orders.status,",
        "orders.state,",
    );
    assert!(!errors(&compile(&branch)).is_empty());
    assert_eq!(repair_all(&main, &branch), Vec::<FixIt>::new());
}

#[test]
fn unchanged_branch_has_no_fix() {
    let main = common::load_sample();
    assert_eq!(repair_all(&main, &main), Vec::<FixIt>::new());
}

#[test]
fn hostile_inputs_do_not_panic() {
    let main = common::load_sample();
    let texts = [
        "",
        "select",
        "select * from",
        "select order_date as from stg_orders",
        "select \"order_date\" from stg_orders \"",
        "select * exclude (status rename (x as y) from stg_orders",
        "select * rename from stg_orders",
        "select o.* rename (order_id as id) from stg_orders o /* unterminated",
        "select order_date, order_date from stg_orders o, stg_orders",
        "select ordered_on from stg_orders -- ünïcödé \u{0}",
        &"(".repeat(5_000),
        "with recursive r as (select order_date from stg_orders union all select order_date from r) select * from r",
    ];
    for text in texts {
        let mut parent = main.clone();
        parent.insert("models/hostile.sql".into(), text.to_string());
        for branch_text in [
            "        order_date as ordered_on,",
            "",
            "        order_date::varchar as order_date,",
        ] {
            let branch = edited(
                &parent,
                "models/stg_orders.sql",
                "        order_date,\n",
                &format!("{branch_text}\n"),
            );
            let all = repair_all(&parent, &branch);
            let _ = repair(&parent, &branch);
            let _ = repair_all(&branch, &parent);
            assert!(all.iter().all(|f| f.verified == f.problem.is_none()));
        }
    }
}

#[test]
fn two_renames_share_one_rename_list() {
    let main = common::load_sample();
    let branch = edited(
        &main,
        "models/stg_orders.sql",
        "        order_date,\n        status\n",
        "        order_date as ordered_on,\n        status as state\n",
    );
    let fixes = repair(&main, &branch);
    let models: Vec<&str> = fixes.iter().map(|f| f.model.as_str()).collect();
    assert_eq!(
        models,
        ["orders", "customers"],
        "{:#?}",
        repair_all(&main, &branch)
    );
    let orders = &fixes[0];
    assert!(
        orders.text.contains(
            "select * RENAME (ordered_on AS order_date, state AS status) from stg_orders"
        ) || orders.text.contains(
            "select * RENAME (state AS status, ordered_on AS order_date) from stg_orders"
        ),
        "{}",
        orders.text
    );
    let fixed = compile(&apply(&branch, &fixes));
    assert_eq!(errors(&fixed), Vec::<String>::new());
}

#[test]
fn removal_in_mixed_expression_says_why() {
    let main = common::load_sample();
    let branch = edited(
        &main,
        "models/stg_payments.sql",
        "        payment_method,\n",
        "",
    );
    let fixes = repair_all(&main, &branch);
    let orders = fixes
        .iter()
        .find(|f| f.model == "orders")
        .expect("a fix-it for orders");
    assert!(!orders.verified);
    let problem = orders.problem.as_deref().unwrap_or_default();
    assert!(
        problem.starts_with(
            "the removed `stg_payments.payment_method` is read together with other columns"
        ),
        "{problem}"
    );
}
