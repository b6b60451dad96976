//! Compile-time benchmark, measured with criterion: the bundled sample and
//! the TPC-H and TPC-DS queries of the corpus, each compiled as one project.
//! Run with `cargo bench -p rocky-core`; docs/benchmarks.md records the
//! figures.

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rocky_core::{compile, ProjectFiles};

#[path = "../tests/common/mod.rs"]
mod common;

use common::{corpus_dir, load_project};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads every file under `dir` into a project, with paths relative to it.
fn read_folder(dir: &Path) -> ProjectFiles {
    let mut files = ProjectFiles::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(text) = fs::read_to_string(&path) {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, text);
            }
        }
    }
    files
}

fn bench_compile(criterion: &mut Criterion) {
    let corpus = corpus_dir();
    let projects = [
        (
            "jaffle_shop",
            read_folder(&repo_root().join("sample/jaffle_shop")),
        ),
        ("tpch", load_project(&corpus.join("tpch"))),
        ("tpcds", load_project(&corpus.join("tpcds"))),
    ];
    let mut group = criterion.benchmark_group("compile");
    // Criterion's default of 5 s is too short for the sample project: its
    // 100 linear samples take at least 1 + 2 + ... + 100 = 5,050 compiles.
    group.measurement_time(Duration::from_secs(10));
    for (name, files) in &projects {
        group.bench_with_input(
            BenchmarkId::from_parameter(name),
            files,
            |bencher, files| bencher.iter(|| compile(black_box(files))),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Without the plotters feature and gnuplot there is nothing to plot with.
    config = Criterion::default().without_plots();
    targets = bench_compile
}
criterion_main!(benches);
