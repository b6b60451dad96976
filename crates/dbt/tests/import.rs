//! Import of dbt's jaffle_shop example (from the shared corpus) into the
//! Rocky layout, and of small projects with the Jinja the importer must
//! evaluate or report.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use rocky_core::{compile, ProjectFiles};
use rocky_dbt::import_dbt;

fn jaffle() -> ProjectFiles {
    common::read_folder(&common::corpus_dir().join("dbt/jaffle_shop"))
}

fn project(files: &[(&str, &str)]) -> ProjectFiles {
    let mut all: ProjectFiles = files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    all.entry("dbt_project.yml".into())
        .or_insert_with(|| "name: demo\nmodels:\n  demo:\n    materialized: table\n".into());
    all
}

#[test]
fn jaffle_shop_imports_and_compiles() {
    let import = import_dbt(&jaffle());
    assert!(!import.has_errors(), "{:#?}", import.diagnostics);
    assert_eq!(import.diagnostics, []);
    let mut models = import.models.clone();
    models.sort();
    assert_eq!(
        models,
        [
            "customers",
            "orders",
            "stg_customers",
            "stg_orders",
            "stg_payments"
        ]
    );
    assert_eq!(
        import.seeds,
        ["raw_customers", "raw_orders", "raw_payments"]
    );
    let compilation = compile(&import.files);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let warnings: Vec<_> = compilation.diagnostics.iter().collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    // 2 + 2 + 5 on customers and orders, 2 + 3 + 3 on the staging models.
    assert_eq!(import.tests, 20);
    assert_eq!(
        compilation
            .models
            .iter()
            .map(|m| m.config.tests.len())
            .sum::<usize>(),
        20
    );
}

#[test]
fn jaffle_shop_jinja_rendered() {
    let files = import_dbt(&jaffle()).files;
    let orders = &files["models/orders.sql"];
    // The {% set %} line renders empty, so the lines match the dbt model's.
    assert!(orders.starts_with("\n\nwith orders as ("), "{orders:?}");
    assert!(orders.contains("    select * from stg_orders\n"));
    for method in ["credit_card", "coupon", "bank_transfer", "gift_card"] {
        assert!(
            orders.contains(&format!(
                "sum(case when payment_method = '{method}' then amount else 0 end) as {method}_amount,"
            )),
            "{orders}"
        );
        assert!(
            orders.contains(&format!("order_payments.{method}_amount,")),
            "{orders}"
        );
    }
    assert!(!orders.contains("{{"), "{orders}");
    assert!(!orders.contains("{%"), "{orders}");
    let payments = &files["models/staging/stg_payments.sql"];
    assert!(payments.contains("select * from raw_payments"));
    assert!(
        !payments.contains("Normally we would select"),
        "the {{#- #}} comment stayed"
    );
}

#[test]
fn jaffle_shop_sidecars_and_seeds() {
    let files = import_dbt(&jaffle()).files;
    let orders = &files["models/orders.toml"];
    assert!(
        orders.contains("[strategy]\ntype = \"full_refresh\""),
        "{orders}"
    );
    assert!(orders.contains(
        "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"customers\"\nfield = \"customer_id\"\n"
    ), "{orders}");
    assert!(
        orders.contains(
            "values = [\"placed\", \"shipped\", \"completed\", \"return_pending\", \"returned\"]"
        ),
        "{orders}"
    );
    // The status description is the {% docs orders_status %} block.
    assert!(
        orders.contains(
            "[columns.status]\ndescription = \"Orders can be one of the following statuses:"
        ),
        "{orders}"
    );
    let staging = &files["models/staging/stg_orders.toml"];
    assert!(staging.contains("[strategy]\ntype = \"view\""), "{staging}");
    let customers = &files["sources/raw_customers.sql"];
    assert!(customers.contains("CREATE TABLE raw_customers (\n    id INTEGER,\n    first_name VARCHAR,\n    last_name VARCHAR\n);"), "{customers}");
    assert!(files["sources/raw_orders.sql"].contains("order_date DATE"));
    assert!(
        files["rocky.toml"].contains("[sources.raw_payments]\ndata = \"data/raw_payments.csv\"\n")
    );
    assert!(files["rocky.toml"].starts_with("[project]\nname = \"jaffle_shop\"\n"));
    assert_eq!(
        files["data/raw_orders.csv"],
        jaffle()["seeds/raw_orders.csv"]
    );
}

#[test]
fn unknown_macro_reported_with_line() {
    let import = import_dbt(&project(&[
        ("models/a.sql", "select 1 as id\n"),
        (
            "models/b.sql",
            "select id,\n  {{ dbt_utils.star(ref('a')) }}\nfrom {{ ref('a') }}\n",
        ),
        (
            "models/c.sql",
            "select {{ cents_to_dollars('x') }} as y from {{ ref('a') }}\n",
        ),
    ]));
    assert_eq!(import.models, ["a"]);
    let found: Vec<(String, u32, String)> = import
        .diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.span.start.line, d.message.clone()))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].0, "models/b.sql");
    assert_eq!(found[0].1, 2);
    assert!(
        found[0].2.starts_with("undefined name") || found[0].2.starts_with("unknown macro"),
        "{found:#?}"
    );
    assert_eq!(found[1].0, "models/c.sql");
    assert_eq!(found[1].1, 1);
    assert!(found[1].2.starts_with("unknown macro"), "{found:#?}");
    assert!(import.has_errors());
}

#[test]
fn project_macros_vars_and_config() {
    let import = import_dbt(&project(&[
        (
            "dbt_project.yml",
            "name: demo\nvars:\n  min_id: 3\nmodels:\n  demo:\n    +materialized: table\n    marts:\n      +materialized: view\n",
        ),
        ("macros/money.sql", "{% macro cents_to_dollars(column) %}({{ column }} / 100){% endmacro %}\n"),
        ("seeds/raw.csv", "id,amount_cents,paid_on\n1,250,2020-01-02\n4,1000,2020-02-03\n"),
        ("models/a.sql", "{{ config(materialized='incremental') }}\nselect id, {{ cents_to_dollars('amount_cents') }} as amount\nfrom {{ ref('raw') }}\nwhere id >= {{ var('min_id') }}\n{% if is_incremental() %}and id > 0{% endif %}\n"),
        ("models/marts/b.sql", "select * from {{ ref('a') }} -- {{ var('missing', 'fallback') }} {{ target.type }}\n"),
    ]));
    assert!(!import.has_errors(), "{:#?}", import.diagnostics);
    let a = &import.files["models/a.sql"];
    assert_eq!(
        a,
        "\nselect id, (amount_cents / 100) as amount\nfrom raw\nwhere id >= 3\n\n"
    );
    assert_eq!(
        import.files["models/marts/b.sql"],
        "select * from a -- fallback duckdb\n"
    );
    assert!(import.files["models/marts/b.toml"].contains("type = \"view\""));
    assert!(import.files["models/a.toml"].contains("type = \"full_refresh\""));
    assert!(import.files["sources/raw.sql"].contains("paid_on DATE"));
    let compilation = compile(&import.files);
    assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
    let b = compilation.model("b").unwrap();
    let columns: Vec<(&str, &str)> = b
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.ty.as_str()))
        .collect();
    assert_eq!(columns, [("id", "INTEGER"), ("amount", "DOUBLE")]);
}

#[test]
fn missing_ref_and_var_are_errors() {
    let import = import_dbt(&project(&[
        ("models/a.sql", "select * from {{ ref('nope') }}\n"),
        ("models/b.sql", "select {{ var('nope') }} as x\n"),
        (
            "models/c.sql",
            "select 1 as x from {{ source('raw', 'orders') }}\n",
        ),
        ("models/d.sql", "select {{ env_var('HOME') }} as x\n"),
        ("models/e.sql", "select {% if %} as x\n"),
    ]));
    assert!(import.models.is_empty(), "{:?}", import.models);
    let messages: Vec<&str> = import
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert!(
        messages[0].contains("ref('nope') names no model or seed"),
        "{messages:#?}"
    );
    assert!(
        messages[1].contains("var('nope') is set in no vars"),
        "{messages:#?}"
    );
    assert!(
        messages[2].contains("source('raw', 'orders') is declared in no schema file"),
        "{messages:#?}"
    );
    assert!(
        messages[3].contains("env_var('HOME') has no default"),
        "{messages:#?}"
    );
    assert!(messages[4].starts_with("invalid Jinja"), "{messages:#?}");
}

#[test]
fn sources_from_schema_files() {
    let import = import_dbt(&project(&[
        (
            "models/sources.yml",
            "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n        columns:\n          - name: id\n            data_type: integer\n          - name: status\n",
        ),
        ("models/a.sql", "select id, status from {{ source('raw', 'orders') }}\n"),
    ]));
    assert!(!import.has_errors(), "{:#?}", import.diagnostics);
    assert_eq!(
        import.files["models/a.sql"],
        "select id, status from raw.orders\n"
    );
    assert!(import.files["sources/raw.sql"]
        .contains("CREATE TABLE raw.orders (\n    id INTEGER,\n    status VARCHAR\n);"));
    let compilation = compile(&import.files);
    assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
}

#[test]
fn no_project_file_is_an_error() {
    let import = import_dbt(&ProjectFiles::new());
    assert_eq!(import.diagnostics[0].message, "no dbt_project.yml found");
    // A .zip of the folder puts the project one level down.
    let mut files = ProjectFiles::new();
    files.insert("shop/dbt_project.yml".into(), "name: shop\n".into());
    files.insert("shop/models/a.sql".into(), "select 1 as x\n".into());
    let import = import_dbt(&files);
    assert_eq!(import.models, ["a"]);
    assert_eq!(import.files["models/a.sql"], "select 1 as x\n");
}

#[test]
fn hostile_yaml_and_jinja_do_not_panic() {
    for text in [
        "{{",
        "{% for x in range(10000000) %}{% endfor %}",
        "{{ ''.join(['a'] * 10) }}",
        "{% macro x() %}{{ x() }}{% endmacro %}{{ x() }}",
    ] {
        let import = import_dbt(&project(&[("models/a.sql", text)]));
        let _ = import.has_errors();
    }
    for yaml in [
        "models: [",
        "models:\n  - name: [1, 2]\n",
        "- - - -",
        "models:\n  - columns: 5\n",
    ] {
        let import = import_dbt(&project(&[
            ("models/schema.yml", yaml),
            ("models/a.sql", "select 1 as x\n"),
        ]));
        assert_eq!(import.models, ["a"]);
    }
}

#[test]
fn endless_loop_runs_out_of_steps() {
    let import = import_dbt(&project(&[
        ("models/a.sql", "select 1 as id\n"),
        (
            "models/b.sql",
            "select 1 as x\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        ),
    ]));
    assert_eq!(import.models, ["a"]);
    let problem = import
        .diagnostics
        .iter()
        .find(|d| d.file == "models/b.sql")
        .expect("the loop is reported on its model");
    assert!(problem.is_error());
    assert!(
        problem.message.contains("more than 5000000 template steps"),
        "{}",
        problem.message
    );
    assert_eq!(problem.span.start.line, 2);
}

#[test]
fn oversized_render_is_left_out() {
    let import = import_dbt(&project(&[
        ("models/a.sql", "select 1 as id\n"),
        (
            "models/big.sql",
            "select 1 as x\n{% for i in range(200) %}-- {{ 'x' * 100000 }}\n{% endfor %}",
        ),
    ]));
    assert_eq!(import.models, ["a"]);
    let problem = import
        .diagnostics
        .iter()
        .find(|d| d.file == "models/big.sql")
        .expect("the oversized model is reported");
    assert!(
        problem
            .message
            .contains("more than the 10485760 bytes a file may have"),
        "{}",
        problem.message
    );
}

#[test]
fn malformed_seeds_are_warned_of() {
    let import = import_dbt(&project(&[
        ("seeds/ragged.csv", "a,b,c\n1,2,3\n\n4,5\n"),
        ("seeds/twice.csv", "id,ID,name\n1,2,x\n"),
        ("seeds/unnamed.csv", "id,,name\n1,2,x\n"),
        ("seeds/fine.csv", "id,name\n1,\"x, y\"\n"),
    ]));
    assert_eq!(import.seeds.len(), 4, "malformed seeds are still imported");
    let found: Vec<(&str, &str)> = import
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "seeds/ragged.csv",
                "row 4 of the seed ragged has 2 values and its header 3, so DuckDB will not load it"
            ),
            (
                "seeds/twice.csv",
                "the seed twice has the column `ID` twice, so DuckDB will not load it"
            ),
            (
                "seeds/unnamed.csv",
                "the seed unnamed has an empty column name, so DuckDB will not load it"
            ),
        ]
    );
    assert!(import.diagnostics.iter().all(|d| !d.is_error()));
}

#[test]
fn duplicate_names_are_errors() {
    let import = import_dbt(&project(&[
        ("models/a/x.sql", "select 1 as id\n"),
        ("models/b/x.sql", "select 2 as id\n"),
        ("models/raw.sql", "select 3 as id\n"),
        ("seeds/raw.csv", "id\n1\n"),
    ]));
    assert_eq!(import.models, ["x"]);
    assert_eq!(import.files["models/a/x.sql"], "select 1 as id\n");
    let found: Vec<(&str, &str)> = import
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "models/b/x.sql",
                "the model name `x` is taken by models/a/x.sql; the model is left out"
            ),
            (
                "models/raw.sql",
                "the model name `raw` is taken by the seed raw; the model is left out"
            ),
        ]
    );
}
