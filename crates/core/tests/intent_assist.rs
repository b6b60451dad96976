//! Requests to an optional language model and the checks on its replies,
//! on the bundled jaffle_shop sample.

mod common;

use rocky_core::intent::assist::{
    check_candidate, explain_messages, extract_sql, repair_messages, wording_from_reply, ChatRole,
    MAX_REPLY_BYTES,
};
use rocky_core::{compile, ProjectFiles};

fn renamed_order_date() -> (ProjectFiles, ProjectFiles) {
    let main = common::load_sample();
    let mut branch = main.clone();
    let path = "models/stg_orders.sql";
    let text = branch[path].replacen(
        "        order_date,",
        "        order_date as ordered_on,",
        1,
    );
    branch.insert(path.to_string(), text);
    (main, branch)
}

/// The values of the sample's CSV rows that are data only: at least six
/// characters long and written nowhere in the models, whose string
/// literals (such as `'credit_card'`) are code the prompts may quote.
/// Header names are left out, since they are column names.
fn data_values(files: &ProjectFiles) -> Vec<String> {
    let code: String = files
        .iter()
        .filter(|(path, _)| path.starts_with("models/"))
        .map(|(_, text)| text.as_str())
        .collect();
    let mut values = Vec::new();
    for (path, text) in files {
        if !path.ends_with(".csv") {
            continue;
        }
        for line in text.lines().skip(1) {
            for value in line.split(',') {
                if value.len() >= 6 && !code.contains(value) {
                    values.push(value.to_string());
                }
            }
        }
    }
    values
}

#[test]
fn explain_prompt_has_schema_and_lineage() {
    let files = common::load_sample();
    let compilation = compile(&files);
    let messages = explain_messages(&compilation, "customers").unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].role, ChatRole::System);
    assert_eq!(messages[1].role, ChatRole::User);
    let prompt = &messages[1].content;
    assert!(prompt.starts_with("Model: customers (models/customers.sql)\n"));
    assert!(prompt.contains("```sql\nwith customers as ("));
    assert!(prompt
        .contains("- customer_lifetime_value DOUBLE <- stg_payments.amount (DIRECT/AGGREGATION)"));
    assert!(prompt.contains(
        "- model stg_customers(customer_id INTEGER, first_name VARCHAR, last_name VARCHAR)"
    ));
    assert!(prompt.contains("stg_orders.customer_id (INDIRECT/JOIN)"));
    assert!(prompt.contains("Facts Rocky derived from the SQL:\ncustomers\n"));
}

#[test]
fn prompts_carry_no_data_rows() {
    let (main, branch) = renamed_order_date();
    let values = data_values(&main);
    assert!(
        values.len() > 100,
        "the sample has {} long values",
        values.len()
    );
    let compilation = compile(&main);
    let mut prompts: Vec<String> = Vec::new();
    for model in &compilation.models {
        let messages = explain_messages(&compilation, &model.name).unwrap();
        prompts.extend(messages.into_iter().map(|m| m.content));
    }
    for model in ["orders", "customers"] {
        let messages = repair_messages(&main, &branch, model).unwrap();
        prompts.extend(messages.into_iter().map(|m| m.content));
    }
    for prompt in &prompts {
        for value in &values {
            assert!(
                !prompt.contains(value.as_str()),
                "a prompt holds the data value {value}"
            );
        }
    }
}

#[test]
fn repair_prompt_names_errors_and_changes() {
    let (main, branch) = renamed_order_date();
    let messages = repair_messages(&main, &branch, "orders").unwrap();
    assert!(messages[0].content.contains("```sql code block"));
    let prompt = &messages[1].content;
    assert!(prompt.starts_with("Upstream changes broke the model orders (models/orders.sql).\n"));
    assert!(prompt.contains("- E0101 at line "), "{prompt}");
    assert!(prompt.contains("- stg_orders: column `order_date` was renamed to `ordered_on`\n"));
    assert!(prompt.contains("- model stg_orders(order_id INTEGER, customer_id INTEGER, ordered_on DATE, status VARCHAR)"));
    assert!(
        prompt.contains("Output columns to keep:\n- order_id INTEGER NOT NULL\n- customer_id INTEGER NOT NULL\n- order_date DATE NOT NULL\n"),
        "{prompt}"
    );
    assert!(prompt.contains("Current SQL of models/orders.sql:\n```sql\nwith orders as ("));
}

#[test]
fn repair_prompt_needs_broken_model() {
    let (main, branch) = renamed_order_date();
    assert!(repair_messages(&main, &branch, "stg_customers").is_none());
    assert!(repair_messages(&main, &branch, "no_such_model").is_none());
    assert!(repair_messages(&main, &main, "orders").is_none());
}

#[test]
fn extract_sql_prefers_sql_fence() {
    let reply = "Here it is:\n```text\nnot this\n```\n```sql\nselect 1 as x\n```\nDone.";
    assert_eq!(extract_sql(reply).unwrap(), "select 1 as x");
    assert_eq!(extract_sql("```\nselect 2\n```").unwrap(), "select 2");
    assert_eq!(
        extract_sql("  with a as (select 1) select * from a ").unwrap(),
        "with a as (select 1) select * from a"
    );
    assert_eq!(extract_sql("```sql\nselect 3\n").unwrap(), "select 3");
}

#[test]
fn extract_sql_rejects_prose() {
    assert_eq!(
        extract_sql("I cannot help with that.").unwrap_err(),
        "the reply has no SQL code block"
    );
    assert_eq!(
        extract_sql("```sql\n\n```").unwrap_err(),
        "the reply's code block is empty"
    );
    let long = format!("select {}", "1, ".repeat(MAX_REPLY_BYTES));
    assert!(extract_sql(&long)
        .unwrap_err()
        .contains("more than the 200000 read"));
}

#[test]
fn wording_trims_and_limits() {
    assert_eq!(
        wording_from_reply("  One row per customer.\n").unwrap(),
        "One row per customer."
    );
    assert_eq!(
        wording_from_reply(" \n ").unwrap_err(),
        "the reply is empty"
    );
    let long = "é".repeat(5_000);
    let kept = wording_from_reply(&long).unwrap();
    assert_eq!(kept.chars().count(), 4_002);
    assert!(kept.ends_with(" …"));
}

#[test]
fn candidate_that_compiles_is_verified() {
    let (main, branch) = renamed_order_date();
    let sql = branch["models/orders.sql"].replace(
        "    select * from stg_orders\n",
        "    select * rename (ordered_on as order_date) from stg_orders\n",
    );
    let reply = format!("Rename it back:\n```sql\n{sql}```\n");
    let fix = check_candidate(&main, &branch, "orders", &reply);
    assert_eq!(fix.problem, None);
    assert!(fix.verified);
    assert_eq!(fix.path, "models/orders.sql");
    assert_eq!(fix.text, sql);
    assert!(fix
        .diff
        .contains("+    select * rename (ordered_on as order_date) from stg_orders\n"));
    assert!(fix.fixes.iter().all(|d| d.code == "E0101"));
}

#[test]
fn candidate_with_type_error_is_rejected() {
    let (main, branch) = renamed_order_date();
    let sql = branch["models/orders.sql"].replace(
        "orders.order_date,",
        "orders.ordered_on + 'x' as order_date,",
    );
    let fix = check_candidate(&main, &branch, "orders", &format!("```sql\n{sql}```"));
    assert!(!fix.verified);
    let problem = fix.problem.unwrap();
    assert!(problem.starts_with("the model still has E0"), "{problem}");
    assert!(fix
        .diff
        .contains("+        orders.ordered_on + 'x' as order_date,"));
}

#[test]
fn candidate_changing_outputs_is_rejected() {
    let (main, branch) = renamed_order_date();
    let sql = branch["models/orders.sql"].replace("orders.order_date,", "orders.ordered_on,");
    let fix = check_candidate(&main, &branch, "orders", &format!("```sql\n{sql}```"));
    assert!(!fix.verified);
    let problem = fix.problem.unwrap();
    assert!(
        problem.starts_with(
            "the output columns are (order_id INTEGER, customer_id INTEGER, ordered_on DATE"
        ),
        "{problem}"
    );
}

#[test]
fn candidate_breaking_downstream_is_rejected() {
    // The branch removes stg_orders.status, which orders copies and a new
    // model reads from orders. Dropping status from orders is allowed for
    // orders itself, since it reads only the removed column, but it breaks
    // the reader.
    let mut main = common::load_sample();
    main.insert(
        "models/order_statuses.sql".into(),
        "select status, count(*) as orders from orders group by status\n".into(),
    );
    let mut branch = main.clone();
    let path = "models/stg_orders.sql";
    let text = branch[path].replacen(
        "        order_date,\n        status\n",
        "        order_date\n",
        1,
    );
    assert_ne!(text, branch[path]);
    branch.insert(path.to_string(), text);
    let sql = branch["models/orders.sql"].replace("        orders.status,\n", "");
    let fix = check_candidate(&main, &branch, "orders", &format!("```sql\n{sql}```"));
    assert!(!fix.verified);
    let problem = fix.problem.unwrap();
    assert!(
        problem.starts_with("`order_statuses` gets E0101"),
        "{problem}"
    );
}

#[test]
fn candidate_without_sql_is_rejected() {
    let (main, branch) = renamed_order_date();
    let fix = check_candidate(&main, &branch, "orders", "Sorry, I can't.");
    assert!(!fix.verified);
    assert_eq!(
        fix.problem.as_deref(),
        Some("the reply has no SQL code block")
    );
    assert_eq!(fix.diff, "");
    let same = format!("```sql\n{}```", branch["models/orders.sql"]);
    let fix = check_candidate(&main, &branch, "orders", &same);
    assert_eq!(
        fix.problem.as_deref(),
        Some("the reply repeats the model's SQL unchanged")
    );
    let fix = check_candidate(&main, &branch, "nope", "```sql\nselect 1\n```");
    assert_eq!(
        fix.problem.as_deref(),
        Some("the branch has no model `nope`")
    );
}

#[test]
fn candidate_statement_not_query_is_rejected() {
    let (main, branch) = renamed_order_date();
    let fix = check_candidate(
        &main,
        &branch,
        "orders",
        "```sql\ndrop table stg_orders;\n```",
    );
    assert!(!fix.verified);
    assert!(fix.problem.unwrap().starts_with("the model still has E"));
}

#[test]
fn candidate_may_keep_or_drop_removed_column() {
    let main = common::load_sample();
    let mut branch = main.clone();
    let path = "models/stg_orders.sql";
    let text = branch[path].replacen(
        "        order_date,\n        status\n",
        "        order_date\n",
        1,
    );
    branch.insert(path.to_string(), text);
    let orders = branch["models/orders.sql"].clone();

    let kept = orders.replace("        orders.status,\n", "        'unknown' as status,\n");
    let fix = check_candidate(&main, &branch, "orders", &format!("```sql\n{kept}```"));
    assert_eq!(fix.problem, None);

    let dropped = orders.replace("        orders.status,\n", "");
    let fix = check_candidate(&main, &branch, "orders", &format!("```sql\n{dropped}```"));
    assert_eq!(fix.problem, None);

    let moved = orders.replace("        orders.status,\n", "").replace(
        "order_payments.total_amount as amount\n",
        "order_payments.total_amount as amount,\n        'x' as status\n",
    );
    let fix = check_candidate(&main, &branch, "orders", &format!("```sql\n{moved}```"));
    let problem = fix.problem.unwrap();
    assert!(
        problem.contains("amount DOUBLE, status VARCHAR)"),
        "{problem}"
    );
    assert!(
        problem.ends_with(", where status may be left out"),
        "{problem}"
    );
}

#[test]
fn candidate_changing_other_lineage_is_rejected() {
    let (main, branch) = renamed_order_date();
    let sql = branch["models/orders.sql"]
        .replace(
            "    select * from stg_orders\n",
            "    select * rename (ordered_on as order_date) from stg_orders\n",
        )
        .replace(
            "        orders.status,\n",
            "        cast(orders.order_id as varchar) as status,\n",
        );
    let fix = check_candidate(&main, &branch, "orders", &format!("```sql\n{sql}```"));
    assert!(!fix.verified);
    assert_eq!(
        fix.problem.as_deref(),
        Some("`status` now reads stg_orders.order_id instead of stg_orders.status, and none of those changed upstream")
    );
}
