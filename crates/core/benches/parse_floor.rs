//! Compile time against the parse floor. For projects from
//! `rocky_core::generate` of 100, 1,000 and 5,000 models, criterion times
//! the full compile (parse, resolve, type check, lineage). It also times
//! the bare sqlparser parse of the same files with the DuckDB dialect,
//! which no compile can beat. The ratio of the two estimates is the figure
//! docs/benchmarks.md records. Run it with
//! `cargo bench -p rocky-core --bench parse_floor`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use rocky_core::{compile, generate, ProjectFiles};
use sqlparser::dialect::DuckDbDialect;
use sqlparser::parser::Parser;

/// Project sizes, in models.
const SIZES: [usize; 3] = [100, 1_000, 5_000];

/// The seed of every benchmarked project, as in the lineage benchmark.
const SEED: u64 = 1;

/// Parses every SQL file of the project (models and source DDL) and
/// returns the statement count, so the parse cannot be optimized away.
fn parse_all(files: &ProjectFiles) -> usize {
    let dialect = DuckDbDialect {};
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".sql"))
        .map(|(_, text)| {
            Parser::parse_sql(&dialect, text)
                .map(|statements| statements.len())
                .unwrap_or(0)
        })
        .sum()
}

fn bench_parse_floor(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("parse_floor");
    // A compile of 5,000 models takes about a second, so every size takes
    // flat samples of equal iteration counts rather than 5,050 compiles.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.sampling_mode(SamplingMode::Flat);
    for models in SIZES {
        let files = generate::project(models, SEED);
        let statements = parse_all(&files);
        assert_eq!(
            statements,
            files.keys().filter(|path| path.ends_with(".sql")).count(),
            "a generated file did not parse as one statement"
        );
        group.bench_with_input(BenchmarkId::new("parse", models), &files, |b, f| {
            b.iter(|| parse_all(black_box(f)))
        });
        group.bench_with_input(BenchmarkId::new("compile", models), &files, |b, f| {
            b.iter(|| compile(black_box(f)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse_floor);
criterion_main!(benches);
