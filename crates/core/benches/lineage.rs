//! Lineage benchmark, measured with criterion on projects from
//! `rocky_core::generate` of 1,000 and 5,000 models. It times building the
//! column graph, the upstream of a column in the last layer, and the
//! downstream blast radius of a source column and of a mid-layer model
//! column. It also times the full compile of the 1,000-model project and
//! the generator itself. Run it with
//! `cargo bench -p rocky-core --bench lineage`. docs/benchmarks.md records
//! the figures.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rocky_core::{compile, generate, ColumnGraph, ColumnId, Compilation, TableKind};

/// Project sizes, in models.
const SIZES: [usize; 2] = [1_000, 5_000];

/// The seed of every benchmarked project, so runs measure the same files.
const SEED: u64 = 1;

/// The columns each query starts from, chosen once per project as the
/// worst cases of their kind.
struct Starts {
    /// The column of a last-layer model with the most upstream columns.
    deep: ColumnId,
    /// The source column with the largest blast radius.
    source: ColumnId,
    /// The column of a model in the middle layer with the largest blast
    /// radius.
    middle: ColumnId,
}

/// Returns each model's layer: 1 for models that read only sources, and
/// one more than the highest layer among a model's inputs otherwise.
fn layers(compilation: &Compilation) -> HashMap<String, usize> {
    let mut layer: HashMap<String, usize> = HashMap::new();
    // Models come in topological order, so every input is already placed.
    for model in &compilation.models {
        let below = model
            .depends_on
            .iter()
            .filter_map(|input| layer.get(&input.to_ascii_lowercase()))
            .max()
            .copied()
            .unwrap_or(0);
        layer.insert(model.name.to_ascii_lowercase(), below + 1);
    }
    layer
}

/// Picks the column among `candidates` that maximizes `size`, first one on
/// ties.
fn largest(candidates: &[ColumnId], size: impl Fn(ColumnId) -> usize) -> ColumnId {
    let mut best = candidates[0];
    let mut best_size = size(best);
    for &candidate in &candidates[1..] {
        let candidate_size = size(candidate);
        if candidate_size > best_size {
            best = candidate;
            best_size = candidate_size;
        }
    }
    best
}

fn choose_starts(compilation: &Compilation, graph: &ColumnGraph) -> Starts {
    let layer = layers(compilation);
    let top = layer.values().max().copied().unwrap_or(1);
    let in_layer = |wanted: usize| -> Vec<ColumnId> {
        compilation
            .models
            .iter()
            .filter(|m| layer[&m.name.to_ascii_lowercase()] == wanted)
            .flat_map(|m| graph.model_columns(&m.name))
            .collect()
    };
    let sources: Vec<ColumnId> = graph
        .columns()
        .filter(|(_, node)| node.kind == TableKind::Source && node.unresolved.is_none())
        .map(|(id, _)| id)
        .collect();
    Starts {
        deep: largest(&in_layer(top), |id| graph.upstream(id).columns.len()),
        source: largest(&sources, |id| graph.downstream(id).columns.len()),
        middle: largest(&in_layer(top / 2), |id| graph.downstream(id).columns.len()),
    }
}

fn describe(graph: &ColumnGraph, id: ColumnId) -> String {
    let node = graph.node(id);
    format!("{}.{}", node.table, node.column)
}

fn bench_lineage(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("lineage");
    group.measurement_time(Duration::from_secs(10));
    for models in SIZES {
        let files = generate::project(models, SEED);
        let compilation = compile(&files);
        let graph = ColumnGraph::build(&compilation);
        let starts = choose_starts(&compilation, &graph);
        // The sizes behind the timings, printed once per project.
        let upstream = graph.upstream(starts.deep);
        let from_source = graph.downstream(starts.source);
        let from_middle = graph.downstream(starts.middle);
        eprintln!(
            "{models} models: {} columns in the graph, {} diagnostics",
            graph.column_count(),
            compilation.diagnostics.len()
        );
        eprintln!(
            "  upstream of {}: {} columns, {} sources, {} indirect",
            describe(&graph, starts.deep),
            upstream.columns.len(),
            upstream.sources.len(),
            upstream.indirect.len()
        );
        for (label, id, radius) in [
            ("source", starts.source, &from_source),
            ("middle", starts.middle, &from_middle),
        ] {
            eprintln!(
                "  downstream of {label} {}: {} columns in {} models",
                describe(&graph, id),
                radius.columns.len(),
                radius.models.len()
            );
        }

        group.bench_with_input(BenchmarkId::new("build", models), &compilation, |b, c| {
            b.iter(|| ColumnGraph::build(black_box(c)))
        });
        group.bench_with_input(BenchmarkId::new("upstream_deep", models), &graph, |b, g| {
            b.iter(|| g.upstream(black_box(starts.deep)))
        });
        group.bench_with_input(
            BenchmarkId::new("downstream_source", models),
            &graph,
            |b, g| b.iter(|| g.downstream(black_box(starts.source))),
        );
        group.bench_with_input(
            BenchmarkId::new("downstream_middle", models),
            &graph,
            |b, g| b.iter(|| g.downstream(black_box(starts.middle))),
        );
    }
    group.finish();
}

fn bench_compile_generated(criterion: &mut Criterion) {
    let files = generate::project(1_000, SEED);
    let mut group = criterion.benchmark_group("compile_generated");
    // One compile of 1,000 models takes about 0.2 s. Criterion's default of
    // 100 linear samples would need at least 5,050 compiles, so this group
    // takes 20 flat samples, each of the same number of compiles.
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(30));
    group.sampling_mode(criterion::SamplingMode::Flat);
    group.bench_with_input(BenchmarkId::from_parameter(1_000), &files, |b, f| {
        b.iter(|| compile(black_box(f)))
    });
    group.finish();
}

fn bench_generate(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("generate");
    for models in SIZES {
        group.bench_with_input(BenchmarkId::from_parameter(models), &models, |b, &n| {
            b.iter(|| generate::project(black_box(n), SEED))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Without the plotters feature and gnuplot there is nothing to plot with.
    config = Criterion::default().without_plots();
    targets = bench_lineage, bench_compile_generated, bench_generate
}
criterion_main!(benches);
