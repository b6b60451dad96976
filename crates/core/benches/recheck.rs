//! Recompile after an edit (P2 of docs/benchmarks.md). On the project
//! that `rocky_core::generate::project(1_000, 1)` writes, a `Compiler` that
//! has compiled it once compiles it again after one model of the middle
//! layer changes. Each iteration switches that model between two texts:
//!
//! - `comment`: a trailing comment, so the model keeps its columns and
//!   only it is bound again;
//! - `add_column`: one column more, so the models that read it are bound
//!   again too, and theirs while their columns change;
//! - `unchanged`: no edit, the cost of checking that nothing changed.
//!
//! Run it with `cargo bench -p rocky-core --bench recheck`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rocky_core::{generate, Compiler};

const MODELS: usize = 1_000;

fn bench_recheck(criterion: &mut Criterion) {
    let mut files = generate::project(MODELS, 1);
    let models: Vec<String> = files
        .keys()
        .filter(|path| path.starts_with("models/") && path.ends_with(".sql"))
        .cloned()
        .collect();
    let edited = models[models.len() / 2].clone();
    let original = files[&edited].clone();
    let variants = [
        ("comment", format!("{original}\n-- edited\n")),
        (
            "add_column",
            format!("SELECT *, 1 AS added_column FROM ({original}) AS wrapped"),
        ),
        ("unchanged", original.clone()),
    ];
    let mut group = criterion.benchmark_group("recheck");
    for (name, text) in variants {
        let mut compiler = Compiler::default();
        compiler.compile(&files);
        let texts = [original.clone(), text];
        let mut turn = 0;
        group.bench_function(BenchmarkId::new(name, MODELS), |b| {
            b.iter(|| {
                turn += 1;
                files.insert(edited.clone(), texts[turn % 2].clone());
                black_box(compiler.compile(black_box(&files)))
            })
        });
        files.insert(edited.clone(), original.clone());
        let stats = {
            let mut compiler = Compiler::default();
            compiler.compile(&files);
            files.insert(edited.clone(), texts[1].clone());
            compiler.compile(&files);
            files.insert(edited.clone(), original.clone());
            compiler.stats()
        };
        println!("recheck/{name}/{MODELS}: {stats:?}");
    }
    group.finish();
}

criterion_group!(benches, bench_recheck);
criterion_main!(benches);
