//! Compile-time benchmark: the bundled sample and the TPC-H and TPC-DS
//! queries of the corpus, each compiled as one project. Run with
//! `cargo bench -p rocky-core`; it prints the median of repeated runs.

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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

fn median_time(files: &ProjectFiles, runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            black_box(compile(black_box(files)));
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let corpus = corpus_dir();
    let projects = [
        (
            "sample/jaffle_shop (5 models)",
            read_folder(&repo_root().join("sample/jaffle_shop")),
        ),
        (
            "corpus/tpch (22 models)",
            load_project(&corpus.join("tpch")),
        ),
        (
            "corpus/tpcds (50 models)",
            load_project(&corpus.join("tpcds")),
        ),
    ];
    for (name, files) in &projects {
        let median = median_time(files, 51);
        println!(
            "compile {name}: median {:.2} ms over 51 runs",
            median.as_secs_f64() * 1000.0
        );
    }
}
