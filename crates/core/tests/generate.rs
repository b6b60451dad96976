//! The project generator: the same seed gives the same files, every
//! generated project compiles with no error, and the SQL uses the mix of
//! constructs the generator documents.

use rocky_core::{compile, generate, Compilation, ProjectFiles};

fn errors(compilation: &Compilation) -> Vec<String> {
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let at = d.span.start;
            format!(
                "{}:{}:{} {} {}",
                d.file, at.line, at.column, d.code, d.message
            )
        })
        .collect()
}

fn model_paths(files: &ProjectFiles) -> Vec<&String> {
    files
        .keys()
        .filter(|path| path.starts_with("models/"))
        .collect()
}

/// Reads the number at the end of a generated model's name, such as 42 for
/// `int_joined_0042`, or `None` for a staging model.
fn model_number(name: &str) -> Option<usize> {
    if name.starts_with("stg_") {
        return None;
    }
    name.rsplit('_').next().and_then(|n| n.parse().ok())
}

#[test]
fn same_seed_same_files() {
    assert_eq!(generate::project(300, 7), generate::project(300, 7));
    assert_eq!(generate::project(0, 7), generate::project(0, 7));
}

#[test]
fn different_seeds_differ() {
    let first = generate::project(300, 7);
    let second = generate::project(300, 8);
    assert_ne!(first, second);
    let changed = first
        .iter()
        .filter(|(path, text)| second.get(*path) != Some(*text))
        .count();
    assert!(changed > 100, "only {changed} files differ");
}

#[test]
fn file_layout() {
    let files = generate::project(100, 1);
    assert!(files.contains_key("rocky.toml"));
    let sources = files.keys().filter(|p| p.starts_with("sources/")).count();
    assert_eq!(sources, 5);
    assert_eq!(model_paths(&files).len(), 100);
    assert_eq!(files.len(), 106, "rocky.toml, sources and models only");
    for path in model_paths(&files) {
        assert!(path.ends_with(".sql"), "{path}");
    }
}

#[test]
fn small_counts() {
    for models in [0, 1, 4, 5, 6, 7, 15] {
        let files = generate::project(models, 3);
        assert_eq!(model_paths(&files).len(), models, "{models} models");
        let compilation = compile(&files);
        assert_eq!(
            errors(&compilation),
            Vec::<String>::new(),
            "{models} models"
        );
    }
}

#[test]
fn no_errors_at_100_models() {
    for seed in [1, 2, 3, 4, 5, 0xDEAD_BEEF] {
        let compilation = compile(&generate::project(100, seed));
        assert_eq!(compilation.models.len(), 100, "seed {seed}");
        assert_eq!(errors(&compilation), Vec::<String>::new(), "seed {seed}");
    }
}

#[test]
fn no_errors_at_1000_models() {
    for seed in [1, 2, 3] {
        let compilation = compile(&generate::project(1000, seed));
        assert_eq!(compilation.models.len(), 1000, "seed {seed}");
        assert_eq!(errors(&compilation), Vec::<String>::new(), "seed {seed}");
    }
}

#[test]
fn models_read_earlier_layers() {
    let compilation = compile(&generate::project(1000, 2));
    for model in &compilation.models {
        let reads = model.depends_on.len();
        assert!((1..=3).contains(&reads), "{} reads {reads}", model.name);
        for input in &model.depends_on {
            if compilation.source(input).is_some() {
                continue;
            }
            assert!(
                compilation.model(input).is_some(),
                "{} reads unknown {input}",
                model.name
            );
            let earlier = match (model_number(&model.name), model_number(input)) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(number), Some(other)) => other < number,
            };
            assert!(
                earlier,
                "{} reads {input}, not an earlier model",
                model.name
            );
        }
    }
}

#[test]
fn layers_form_deep_chains() {
    let compilation = compile(&generate::project(1000, 2));
    // The longest path of model reads: the models come in topological order.
    let mut depth = std::collections::HashMap::new();
    for model in &compilation.models {
        let below = model
            .depends_on
            .iter()
            .filter_map(|input| depth.get(input.as_str()))
            .max()
            .copied()
            .unwrap_or(0);
        depth.insert(model.name.as_str(), below + 1);
    }
    let deepest = depth.values().max().copied().unwrap_or(0);
    // One staging layer and 20 layers above it, each reading the one below.
    assert_eq!(deepest, 21);
}

#[test]
fn every_construct_at_100_models() {
    for seed in [1, 2, 3] {
        let files = generate::project(100, seed);
        let sql: String = model_paths(&files)
            .into_iter()
            .map(|path| files[path].as_str())
            .collect();
        let constructs = [
            ("CTE", "WITH "),
            ("CTE chain", "),\n\nscored AS ("),
            ("three-step CTE chain", "),\n\nlabelled AS ("),
            ("inner join", "INNER JOIN "),
            ("left join", "LEFT JOIN "),
            ("USING join", " USING ("),
            ("aggregate", "sum("),
            ("count", "count("),
            ("GROUP BY", "GROUP BY "),
            ("HAVING", "HAVING "),
            ("subquery in FROM", ") AS recent"),
            ("window function", "row_number() OVER (PARTITION BY "),
            ("window aggregate", ") OVER (PARTITION BY "),
            ("offset window function", "lag("),
            ("CASE", "CASE WHEN "),
            ("UNION ALL", "UNION ALL"),
            ("SELECT *", "SELECT\n    *,\n"),
            ("SELECT * FROM", "SELECT * FROM "),
            ("* EXCLUDE", "* EXCLUDE ("),
            ("WHERE", "WHERE "),
            ("CAST", "CAST("),
        ];
        for (construct, text) in constructs {
            assert!(sql.contains(text), "seed {seed}: no {construct} (`{text}`)");
        }
    }
}

/// Undoes the twin's Jinja: `{{ ref('x') }}` becomes `x`, and
/// `{{ source('s', 't') }}` becomes `t` (or `s.t` unless `s` is `main`).
fn without_jinja(sql: &str) -> String {
    let mut out = String::new();
    let mut rest = sql;
    while let Some(start) = rest.find("{{ ") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find(" }}").expect("closed Jinja") + start;
        let call = &rest[start + 3..end];
        let args: Vec<&str> = call
            .split_once('(')
            .and_then(|(_, args)| args.strip_suffix(')'))
            .expect("a call")
            .split(", ")
            .map(|arg| arg.trim_matches('\''))
            .collect();
        match args.as_slice() {
            [name] => out.push_str(name),
            ["main", table] => out.push_str(table),
            [schema, table] => out.push_str(&format!("{schema}.{table}")),
            _ => panic!("unexpected call {call}"),
        }
        rest = &rest[end + 3..];
    }
    out.push_str(rest);
    out
}

#[test]
fn dbt_twin_refs_every_read() {
    let files = generate::project(120, 3);
    let twin = generate::dbt_twin(&files);
    for (path, sql) in files.iter().filter(|(p, _)| p.starts_with("models/")) {
        let converted = &twin[path];
        assert_eq!(&without_jinja(converted), sql, "{path}");
        let reads_a_table = sql.to_ascii_lowercase().contains(" from ");
        assert!(
            !reads_a_table || converted.contains("{{ "),
            "{path}: {converted}"
        );
    }
    assert!(twin["models/sources.yml"].contains("      - name: raw_orders\n"));
    assert!(twin["dbt_project.yml"].contains("profile: 'generated'"));
    assert!(twin["profiles.yml"].contains("type: duckdb"));
}

#[test]
fn dbt_twin_names_schema_sources() {
    let files: rocky_core::ProjectFiles = [
        ("rocky.toml", "[project]\nname = \"shop\"\n"),
        (
            "sources/raw.sql",
            "CREATE TABLE raw.orders (id INTEGER, amount DOUBLE);",
        ),
        ("models/stg.sql", "select id, amount from raw.orders"),
        (
            "models/mart.sql",
            "select s.id from stg as s join orders o using (id)",
        ),
    ]
    .iter()
    .map(|(p, t)| (p.to_string(), t.to_string()))
    .collect();
    let twin = generate::dbt_twin(&files);
    assert_eq!(
        twin["models/stg.sql"],
        "select id, amount from {{ source('raw', 'orders') }}"
    );
    assert_eq!(
        twin["models/mart.sql"],
        "select s.id from {{ ref('stg') }} as s join {{ source('raw', 'orders') }} o using (id)"
    );
    assert!(twin["models/sources.yml"].contains("  - name: raw\n    schema: raw\n"));
}
