//! NOT NULL inference: from source declarations through joins,
//! expressions, aggregates, set operations and WHERE conditions.

use rocky_core::{compile, Compilation, ProjectFiles};

const SOURCES: &str = "
CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, city VARCHAR);
CREATE TABLE orders (id INTEGER NOT NULL, customer_id INTEGER NOT NULL, amount DECIMAL(10,2), status VARCHAR NOT NULL, PRIMARY KEY (id));
CREATE TABLE refunds (order_id INTEGER NOT NULL, amount DECIMAL(10,2) NOT NULL);
";

fn compile_one(sql: &str) -> Compilation {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    files.insert("models/m.sql".into(), sql.to_string());
    let compilation = compile(&files);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    compilation
}

/// The names of the model's NOT NULL columns, in order.
fn not_null(sql: &str) -> Vec<String> {
    compile_one(sql)
        .model("m")
        .unwrap()
        .columns
        .iter()
        .filter(|c| c.not_null)
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn source_declarations_carry_through() {
    assert_eq!(not_null("SELECT * FROM customers"), ["id", "name"]);
    assert_eq!(
        not_null("SELECT * FROM orders"),
        ["id", "customer_id", "status"]
    );
    let c = compile_one("SELECT 1 AS x");
    let orders = c.source("orders").unwrap();
    assert!(orders.columns[0].not_null, "table-level PRIMARY KEY");
}

#[test]
fn outer_joins_make_the_other_side_nullable() {
    let left = "SELECT o.id, c.name FROM orders o LEFT JOIN customers c ON c.id = o.customer_id";
    assert_eq!(not_null(left), ["id"]);
    let right = "SELECT o.id, c.name FROM orders o RIGHT JOIN customers c ON c.id = o.customer_id";
    assert_eq!(not_null(right), ["name"]);
    let full = "SELECT o.id, c.name FROM orders o FULL JOIN customers c ON c.id = o.customer_id";
    assert!(not_null(full).is_empty());
    let inner = "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id";
    assert_eq!(not_null(inner), ["id", "name"]);
}

#[test]
fn full_join_using_fills_the_key_from_either_side() {
    let sql = "SELECT id, c.name FROM (SELECT customer_id AS id FROM orders) o FULL JOIN customers c USING (id)";
    assert_eq!(not_null(sql), ["id"]);
}

#[test]
fn a_comma_item_is_not_part_of_a_later_outer_join() {
    let sql = "SELECT r.order_id, c.name FROM refunds r, orders o LEFT JOIN customers c ON c.id = o.customer_id";
    assert_eq!(not_null(sql), ["order_id"]);
}

#[test]
fn expressions_propagate_or_introduce_null() {
    let sql = "SELECT id + 1 AS a, amount * 2 AS b, id // 2 AS c, upper(status) AS d,
        coalesce(amount, 0) AS e, nullif(id, 0) AS f, CAST(id AS VARCHAR) AS g,
        TRY_CAST(status AS INTEGER) AS h, amount IS NULL AS i,
        CASE WHEN id > 0 THEN 'p' ELSE 'n' END AS j, CASE WHEN id > 0 THEN 'p' END AS k,
        concat(status, amount) AS l, 'x' AS m, NULL AS n, [id] AS o, id IN (1, 2) AS p
        FROM orders";
    assert_eq!(
        not_null(sql),
        ["a", "d", "e", "g", "i", "j", "l", "m", "o", "p"]
    );
}

#[test]
fn aggregates_over_groups_and_whole_tables() {
    let grouped = "SELECT customer_id, count(*) AS n, count(amount) AS c, sum(id) AS s,
        sum(amount) AS sa, max(status) AS ms, sum(id) FILTER (WHERE id > 1) AS sf, stddev(id) AS sd
        FROM orders GROUP BY customer_id";
    assert_eq!(not_null(grouped), ["customer_id", "n", "c", "s", "ms"]);
    // Over a whole table the input can be empty: only counts are safe.
    let global = "SELECT count(*) AS n, sum(id) AS s FROM orders";
    assert_eq!(not_null(global), ["n"]);
    // ROLLUP adds rows with NULL keys.
    let rollup = "SELECT customer_id, status, count(*) AS n FROM orders GROUP BY ROLLUP (customer_id, status)";
    assert_eq!(not_null(rollup), ["n"]);
}

#[test]
fn windows_rank_but_offsets_may_be_null() {
    let sql = "SELECT row_number() OVER (ORDER BY id) AS rn, lag(id) OVER (ORDER BY id) AS prev,
        count(*) OVER () AS n FROM orders";
    assert_eq!(not_null(sql), ["rn", "n"]);
}

#[test]
fn set_operations_need_every_branch() {
    let sql = "SELECT id, amount FROM orders UNION ALL SELECT order_id, amount FROM refunds";
    assert_eq!(not_null(sql), ["id"]);
    let by_name = "SELECT id, status FROM orders UNION ALL BY NAME SELECT id FROM customers";
    assert_eq!(not_null(by_name), ["id"]);
}

#[test]
fn where_conditions_rule_out_null() {
    let sql = "SELECT c.city, o.amount FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
        WHERE c.city IS NOT NULL AND o.amount > 0";
    assert_eq!(not_null(sql), ["city", "amount"]);
    // An OR proves nothing about either side.
    let either = "SELECT city FROM customers WHERE city IS NOT NULL OR id > 1";
    assert!(not_null(either).is_empty());
}

#[test]
fn downstream_models_see_upstream_nullability() {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert("sources/raw.sql".into(), SOURCES.into());
    files.insert(
        "models/base.sql".into(),
        "SELECT id, city FROM customers".into(),
    );
    files.insert(
        "models/top.sql".into(),
        "WITH b AS (SELECT * FROM base) SELECT id, city FROM b".into(),
    );
    let c = compile(&files);
    let top = c.model("top").unwrap();
    let flags: Vec<bool> = top.columns.iter().map(|c| c.not_null).collect();
    assert_eq!(flags, [true, false]);
}

#[test]
fn aggregates_without_grouping_keys_can_be_null() {
    // Over no rows, these still return one row of NULL aggregates.
    assert_eq!(
        not_null("SELECT sum(id) AS s, count(*) AS n FROM orders GROUP BY ()"),
        ["n"]
    );
    assert!(not_null("SELECT max(id) AS m FROM orders WHERE id > 100 GROUP BY ALL").is_empty());
    assert_eq!(
        not_null("SELECT status, max(id) AS m FROM orders GROUP BY ALL"),
        ["status", "m"]
    );
}

#[test]
fn values_that_null_hides_in() {
    let mut files = ProjectFiles::new();
    files.insert("rocky.toml".into(), "[project]\nname = \"t\"\n".into());
    files.insert(
        "sources/raw.sql".into(),
        "CREATE TABLE docs (id INTEGER NOT NULL, j JSON NOT NULL, d DATE NOT NULL, l INTEGER[] NOT NULL);".into(),
    );
    files.insert(
        "models/m.sql".into(),
        "SELECT j->>'a' AS field, j::INTEGER AS number, year(d) AS y, extract(month FROM d) AS mo,
            map(l, l) AS pairs, d + 1 AS next_day, j AS doc
         FROM docs"
            .into(),
    );
    let c = compile(&files);
    let flags: Vec<(String, bool)> = c
        .model("m")
        .unwrap()
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.not_null))
        .collect();
    // A missing JSON key, the JSON value `null`, the date `infinity` and a
    // NULL list give NULL; adding days to a date does not.
    assert_eq!(
        flags,
        [
            ("field".to_string(), false),
            ("number".to_string(), false),
            ("y".to_string(), false),
            ("mo".to_string(), false),
            ("pairs".to_string(), false),
            ("next_day".to_string(), true),
            ("doc".to_string(), true),
        ]
    );
}
