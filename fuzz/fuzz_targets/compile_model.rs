//! One model's SQL through the whole compile: parse, bind, type check and
//! lineage, then the column graph, its upstream and downstream queries and
//! the run plan. The model reads two fixed source tables, and a second
//! model reads the fuzzed one with `*`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rocky_core::{compile, run_plan, ColumnGraph, ProjectFiles};

const SOURCES: &str = "\
CREATE TABLE orders (
  id INTEGER NOT NULL,
  customer_id INTEGER,
  amount DECIMAL(10, 2),
  ordered_at TIMESTAMP,
  status VARCHAR,
  items INTEGER[],
  address STRUCT(city VARCHAR, zip VARCHAR)
);
CREATE TABLE customers (id INTEGER NOT NULL, name VARCHAR, tags VARCHAR[]);
";

fuzz_target!(|data: &[u8]| {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    let mut files = ProjectFiles::new();
    files.insert("sources/shop.sql".into(), SOURCES.into());
    files.insert("models/fuzzed.sql".into(), sql.into());
    files.insert("models/reader.sql".into(), "SELECT * FROM fuzzed".into());
    let compilation = compile(&files);
    let graph = ColumnGraph::build(&compilation);
    for (id, _) in graph.columns() {
        graph.upstream(id);
        graph.downstream(id);
    }
    run_plan(&compilation);
});
