//! The compiler's benchmarks as the page runs them, in WebAssembly: the
//! full compile against the bare parse (P1), the recompile after one edit
//! (P2) and column lineage queries (P3) on a generated project. The page
//! exports [`run_benchmarks`]; `scripts/bench_page.mjs` calls it in
//! headless Chromium and prints the report. The native criterion
//! benchmarks in `crates/core/benches` time the same steps.

use rocky_core::{compile, generate, ColumnGraph, ColumnId, Compiler, ProjectFiles, TableKind};
use serde::Serialize;
use sqlparser::dialect::DuckDbDialect;
use sqlparser::parser::Parser;
use wasm_bindgen::JsCast;

/// Medians and extremes of one timed step, in milliseconds.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Timing {
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
}

/// A recompile after one kind of edit.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Recheck {
    #[serde(flatten)]
    pub timing: Timing,
    /// Models the recompile parsed and bound again.
    pub parsed: usize,
    pub bound: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct BenchReport {
    pub models: usize,
    pub seed: u64,
    pub repeats: usize,
    pub generate_ms: f64,
    /// The bare sqlparser parse of every `.sql` file.
    pub parse: Timing,
    /// A compile from scratch.
    pub compile: Timing,
    pub compile_over_parse: f64,
    /// The edited model, of the middle of the DAG.
    pub edited_model: String,
    pub recheck_comment: Recheck,
    pub recheck_add_column: Recheck,
    pub recheck_unchanged: Recheck,
    pub graph_build: Timing,
    pub upstream: Timing,
    pub upstream_column: String,
    pub upstream_columns: usize,
    pub downstream: Timing,
    pub downstream_column: String,
    pub downstream_columns: usize,
    /// Bytes of WebAssembly memory after the runs; set by the page.
    pub wasm_memory_bytes: Option<f64>,
}

/// Runs `step` `repeats` times and returns its timing by `now`, a clock
/// in milliseconds.
fn time<T>(now: &dyn Fn() -> f64, repeats: usize, mut step: impl FnMut() -> T) -> Timing {
    let mut samples: Vec<f64> = (0..repeats.max(1))
        .map(|_| {
            let start = now();
            std::hint::black_box(step());
            now() - start
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    Timing {
        median_ms: samples[samples.len() / 2],
        min_ms: samples[0],
        max_ms: samples[samples.len() - 1],
    }
}

fn parse_all(files: &ProjectFiles) -> usize {
    let dialect = DuckDbDialect {};
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".sql"))
        .filter_map(|(_, text)| Parser::parse_sql(&dialect, text).ok())
        .map(|statements| statements.len())
        .sum()
}

/// Times every step on the project `generate::project(models, seed)`,
/// each `repeats` times, by the clock `now`.
pub fn benchmark(models: usize, seed: u64, repeats: usize, now: &dyn Fn() -> f64) -> BenchReport {
    let start = now();
    let mut files = generate::project(models, seed);
    let generate_ms = now() - start;
    let parse = time(now, repeats, || parse_all(&files));
    let compile_timing = time(now, repeats, || compile(&files));
    let compile_over_parse = compile_timing.median_ms / parse.median_ms.max(f64::EPSILON);

    let model_files: Vec<String> = files
        .keys()
        .filter(|path| path.starts_with("models/") && path.ends_with(".sql"))
        .cloned()
        .collect();
    let edited = model_files[model_files.len() / 2].clone();
    let original = files[&edited].clone();
    let mut recheck = |edit: &str| {
        let mut compiler = Compiler::default();
        compiler.compile(&files);
        let texts = [original.clone(), edit.to_string()];
        let mut turn = 0;
        let mut stats = compiler.stats();
        let timing = time(now, repeats, || {
            turn += 1;
            files.insert(edited.clone(), texts[turn % 2].clone());
            let compilation = compiler.compile(&files);
            if turn % 2 == 1 {
                stats = compiler.stats();
            }
            compilation
        });
        files.insert(edited.clone(), original.clone());
        Recheck {
            timing,
            parsed: stats.parsed,
            bound: stats.bound,
        }
    };
    let recheck_comment = recheck(&format!("{original}\n-- edited\n"));
    let recheck_add_column = recheck(&format!(
        "SELECT *, 1 AS added_column FROM ({original}) AS wrapped"
    ));
    let recheck_unchanged = recheck(&original);

    let compilation = compile(&files);
    let graph_build = time(now, repeats, || ColumnGraph::build(&compilation));
    let graph = ColumnGraph::build(&compilation);
    let describe = |id: ColumnId| {
        let node = graph.node(id);
        format!("{}.{}", node.table, node.column)
    };
    // The column of the last model with the most upstream columns, and
    // the source column with the largest blast radius.
    let last = compilation
        .models
        .last()
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let deep = graph
        .model_columns(&last)
        .into_iter()
        .max_by_key(|&id| graph.upstream(id).columns.len());
    let source = graph
        .columns()
        .filter(|(_, node)| node.kind == TableKind::Source)
        .map(|(id, _)| id)
        .collect::<Vec<_>>()
        .into_iter()
        .max_by_key(|&id| graph.downstream(id).columns.len());
    let mut report = BenchReport {
        models,
        seed,
        repeats,
        generate_ms,
        parse,
        compile: compile_timing,
        compile_over_parse,
        edited_model: edited,
        recheck_comment,
        recheck_add_column,
        recheck_unchanged,
        graph_build,
        ..BenchReport::default()
    };
    if let Some(id) = deep {
        report.upstream = time(now, repeats, || graph.upstream(id));
        report.upstream_column = describe(id);
        report.upstream_columns = graph.upstream(id).columns.len();
    }
    if let Some(id) = source {
        report.downstream = time(now, repeats, || graph.downstream(id));
        report.downstream_column = describe(id);
        report.downstream_columns = graph.downstream(id).columns.len();
    }
    report
}

/// Runs the benchmarks in the page and returns the report as JSON; the
/// clock is `performance.now()`.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = runBenchmarks)]
pub fn run_benchmarks(models: u32, seed: u32, repeats: u32) -> String {
    let performance = web_sys::window().and_then(|window| window.performance());
    let now = move || performance.as_ref().map_or(0.0, |p| p.now());
    let mut report = benchmark(models as usize, u64::from(seed), repeats as usize, &now);
    report.wasm_memory_bytes = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|memory| memory.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map(|buffer| f64::from(buffer.byte_length()));
    serde_json::to_string(&report).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmark_reports_every_step() {
        let clock = std::time::Instant::now();
        let now = move || clock.elapsed().as_secs_f64() * 1000.0;
        let report = benchmark(60, 1, 3, &now);
        assert_eq!(report.models, 60);
        assert!(report.compile.median_ms > 0.0);
        assert!(report.parse.median_ms > 0.0);
        assert!(report.compile_over_parse > 1.0);
        assert_eq!(
            (report.recheck_comment.parsed, report.recheck_comment.bound),
            (1, 1)
        );
        assert!(report.recheck_add_column.bound >= 1);
        assert_eq!(
            (
                report.recheck_unchanged.parsed,
                report.recheck_unchanged.bound
            ),
            (0, 0)
        );
        assert!(report.upstream_columns > 1, "{}", report.upstream_column);
        assert!(
            report.downstream_columns > 1,
            "{}",
            report.downstream_column
        );
    }
}
