//! Compiles a generated project a number of times, for profilers:
//! `cargo run --profile profiling -p rocky-core --example compile_generated -- 1000 3`
//! compiles the 1,000-model project of seed 1 three times. The
//! `profiling` profile is the release profile with debug symbols.

use std::time::Instant;

use rocky_core::{compile, generate};

fn main() {
    let mut args = std::env::args().skip(1);
    let models: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let files = generate::project(models, 1);
    for _ in 0..repeats {
        let start = Instant::now();
        let compilation = compile(&files);
        println!(
            "{models} models: {} diagnostics in {:.1} ms",
            compilation.diagnostics.len(),
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
}
