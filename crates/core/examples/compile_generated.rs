//! Compiles a generated project a number of times, for profilers.
//! `cargo run --profile profiling -p rocky-core --example compile_generated -- 1000 3`
//! compiles the 1,000-model project of seed 1 three times. A third
//! argument `parse` times the bare sqlparser parse of the same files
//! instead. The `profiling` profile is the release profile with debug
//! symbols.

use std::time::Instant;

use rocky_core::{compile, generate};

fn main() {
    let mut args = std::env::args().skip(1);
    let models: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let parse_only = args.next().as_deref() == Some("parse");
    let files = generate::project(models, 1);
    for _ in 0..repeats {
        let start = Instant::now();
        if parse_only {
            let dialect = sqlparser::dialect::DuckDbDialect {};
            let statements: usize = files
                .values()
                .filter_map(|text| sqlparser::parser::Parser::parse_sql(&dialect, text).ok())
                .map(|parsed| parsed.len())
                .sum();
            println!(
                "{models} models: {statements} statements parsed in {:.1} ms",
                start.elapsed().as_secs_f64() * 1000.0
            );
            continue;
        }
        let compilation = compile(&files);
        println!(
            "{models} models: {} diagnostics in {:.1} ms",
            compilation.diagnostics.len(),
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
}
