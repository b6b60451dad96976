//! Compiles a generated project a number of times, for profilers.
//! `cargo run --profile profiling -p rocky-core --example compile_generated -- 1000 3`
//! compiles the 1,000-model project of seed 1 three times. A third
//! argument `parse` times the bare sqlparser parse of the same files
//! instead, and `recheck` compiles it once and then again after each of
//! `repeats` edits of one model, with one `Compiler`. The `profiling`
//! profile is the release profile with debug symbols.

use std::time::Instant;

use rocky_core::{compile, generate, Compiler};

fn main() {
    let mut args = std::env::args().skip(1);
    let models: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let mode = args.next();
    let parse_only = mode.as_deref() == Some("parse");
    let mut files = generate::project(models, 1);
    if mode.as_deref() == Some("recheck") {
        let mut compiler = Compiler::default();
        compiler.compile(&files);
        let path = files
            .keys()
            .filter(|path| path.starts_with("models/"))
            .nth(models / 2)
            .cloned()
            .unwrap_or_default();
        for turn in 0..repeats {
            if let Some(text) = files.get_mut(&path) {
                text.push_str(if turn % 2 == 0 { " " } else { "\n" });
            }
            let start = Instant::now();
            let compilation = compiler.compile(&files);
            println!(
                "{models} models, {path} edited: {} diagnostics, {:?}, in {:.2} ms",
                compilation.diagnostics.len(),
                compiler.stats(),
                start.elapsed().as_secs_f64() * 1000.0
            );
        }
        return;
    }
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
