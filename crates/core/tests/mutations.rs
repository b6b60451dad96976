//! Mutation fuzzing on stable Rust: corpus queries with random byte-level
//! and token-level edits go through `compile`, which must never panic.
//! `ROCKY_FUZZ_ITERATIONS` sets the number of mutants (default 2000).

use std::fs;
use std::path::{Path, PathBuf};

use rocky_core::{compile, ProjectFiles};

/// A small deterministic generator (xorshift64*), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that stress the parser and binder when spliced in.
const FRAGMENTS: &[&str] = &[
    "(",
    ")",
    ",",
    "'",
    "\"",
    "--",
    "/*",
    "*/",
    ";",
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP BY",
    "ORDER BY",
    "UNION ALL",
    "JOIN",
    "USING (",
    "ON",
    "CASE WHEN",
    "THEN",
    "END",
    "OVER (",
    "PARTITION BY",
    "*",
    "EXCLUDE (",
    "::",
    "[",
    "]",
    "{",
    "}",
    "->",
    "NULL",
    "1e309",
    "99999999999999999999999999999999999",
    "0.",
    "ñ",
    "😀",
    "\u{feff}",
    "\0",
    "WITH x AS (SELECT 1)",
    "LATERAL",
    "UNNEST(",
    "QUALIFY",
    "count(*)",
    "sum(",
    "DISTINCT",
    "INTERVAL",
    "DATE '",
    "COLUMNS(",
    "PIVOT",
    "t.*",
    "AS",
    "IS NOT",
    "UNPIVOT",
    "IN (",
    "USING",
    "INTO NAME",
    "VALUE",
    "POSITIONAL JOIN",
    "ASOF LEFT JOIN",
    "GLOB",
    "^@",
    "x -> x",
    "list_transform(",
    "COLUMNS('",
    "COLUMNS(c -> c LIKE '",
    "MAP {",
    "CAST(",
    "::DECIMAL(",
    "FILTER (WHERE",
    "(1, 2)",
    "struct_pack(",
    "TIMESTAMP_NS",
    "[3]",
];

fn corpus_queries() -> Vec<String> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut queries = Vec::new();
    let mut folders = vec!["tpch/models".to_string(), "tpcds/models".to_string()];
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path().join("models"))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    folders.extend(cases.iter().map(|p| p.display().to_string()));
    for folder in &folders {
        let mut paths: Vec<PathBuf> = fs::read_dir(corpus.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        queries.extend(paths.iter().map(|p| fs::read_to_string(p).unwrap()));
    }
    queries
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(5) {
            0 if !chars.is_empty() => {
                let end = (at + 1 + rng.below(20)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => {
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())];
                chars.splice(at..at, fragment.chars());
            }
            2 if !chars.is_empty() => {
                // Duplicate a slice, which repeats clauses and parentheses.
                let start = rng.below(chars.len());
                let end = (start + rng.below(40)).min(chars.len());
                let copy: Vec<char> = chars[start..end].to_vec();
                chars.splice(at..at, copy);
            }
            3 if !chars.is_empty() => {
                let index = rng.below(chars.len());
                chars[index] = char::from(32 + rng.below(95) as u8);
            }
            _ => chars.truncate(at),
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_queries_never_panic() {
    let iterations: usize = std::env::var("ROCKY_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let queries = corpus_queries();
    assert!(!queries.is_empty());
    let schema = "CREATE TABLE lineitem (l_orderkey BIGINT, l_quantity DECIMAL(15,2));";
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for i in 0..iterations {
        let base = &queries[rng.below(queries.len())];
        let sql = mutate(&mut rng, base);
        let mut files = ProjectFiles::new();
        files.insert("rocky.toml".into(), "[project]\nname = \"fuzz\"\n".into());
        files.insert("sources/s.sql".into(), schema.into());
        files.insert("models/m.sql".into(), sql.clone());
        files.insert("models/n.sql".into(), "SELECT * FROM m".into());
        let result = std::panic::catch_unwind(|| compile(&files));
        assert!(result.is_ok(), "mutant {i} panicked:\n{sql}");
    }
}
