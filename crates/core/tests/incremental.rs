//! The incremental compiler against compiles from scratch: after every
//! edit, `Compiler::compile` must give exactly what `compile` gives, and
//! redo only the models the edit can change.

mod common;

use std::path::Path;

use rocky_core::{compile, generate, CompileStats, Compiler, ProjectFiles};

/// Compiles `files` with `compiler` and from scratch, asserts that both
/// give the same JSON, and returns what the compiler redid.
fn recompile(compiler: &mut Compiler, files: &ProjectFiles, what: &str) -> CompileStats {
    let incremental = compiler.compile(files);
    let fresh = compile(files);
    assert_eq!(
        serde_json::to_string(&incremental).unwrap(),
        serde_json::to_string(&fresh).unwrap(),
        "after {what}"
    );
    compiler.stats()
}

/// Counts the models that read `name` directly.
fn readers(files: &ProjectFiles, name: &str) -> usize {
    let compilation = compile(files);
    compilation
        .models
        .iter()
        .filter(|model| {
            model
                .table_uses
                .iter()
                .any(|read| read.is_model && read.name.eq_ignore_ascii_case(name))
        })
        .count()
}

fn model_files(files: &ProjectFiles) -> Vec<String> {
    files
        .keys()
        .filter(|path| path.starts_with("models/") && path.ends_with(".sql"))
        .cloned()
        .collect()
}

fn stem(path: &str) -> &str {
    path.trim_start_matches("models/").trim_end_matches(".sql")
}

#[test]
fn unchanged_project_redoes_nothing() {
    let files = generate::project(300, 2);
    let mut compiler = Compiler::default();
    let first = recompile(&mut compiler, &files, "the first compile");
    assert_eq!((first.models, first.parsed, first.bound), (300, 300, 300));
    let again = recompile(&mut compiler, &files, "no edit");
    assert_eq!((again.models, again.parsed, again.bound), (300, 0, 0));
}

#[test]
fn parse_ahead_in_steps_then_compile() {
    let mut files = generate::project(300, 2);
    let mut compiler = Compiler::default();
    assert_eq!(compiler.parse_ahead(&files, 100), 200);
    assert_eq!(compiler.parse_ahead(&files, 100), 100);
    assert_eq!(compiler.parse_ahead(&files, 100), 0);
    assert_eq!(compiler.parse_ahead(&files, 100), 0);
    let first = recompile(&mut compiler, &files, "a compile after parsing ahead");
    assert_eq!((first.models, first.parsed, first.bound), (300, 0, 300));

    // An edit between the steps and the compile is parsed by the compile.
    let path = model_files(&files)[150].clone();
    files.get_mut(&path).unwrap().push_str("\n-- edited");
    assert_eq!(compiler.parse_ahead(&files, 0), 1);
    let edited = recompile(&mut compiler, &files, "an edit after parsing ahead");
    assert_eq!(edited.parsed, 1);
}

#[test]
fn edit_that_keeps_the_columns_rebinds_one_model() {
    let mut files = generate::project(300, 3);
    let mut compiler = Compiler::default();
    recompile(&mut compiler, &files, "the first compile");
    for path in model_files(&files).iter().step_by(37) {
        files.get_mut(path).unwrap().push_str("\n-- edited\n");
        let stats = recompile(&mut compiler, &files, &format!("a comment in {path}"));
        assert_eq!((stats.parsed, stats.bound), (1, 1), "{path}");
    }
}

#[test]
fn edit_that_adds_a_column_rebinds_its_readers() {
    let mut files = generate::project(300, 4);
    let mut compiler = Compiler::default();
    recompile(&mut compiler, &files, "the first compile");
    let mut checked = 0;
    for path in model_files(&files).iter().step_by(23) {
        let name = stem(path).to_string();
        let direct = readers(&files, &name);
        let sql = files[path].clone();
        files.insert(
            path.clone(),
            format!("SELECT *, 1 AS added_column FROM ({sql}) AS wrapped"),
        );
        let stats = recompile(&mut compiler, &files, &format!("a column added to {path}"));
        assert_eq!(stats.parsed, 1, "{path}");
        // The model and every direct reader; a reader that selects `*`
        // passes the new column on, so its own readers rebind too.
        assert!(stats.bound > direct, "{path}: {stats:?}, {direct} readers");
        assert!(stats.bound < 300, "{path}: {stats:?}");
        checked += usize::from(direct > 0);
    }
    assert!(checked >= 5, "only {checked} edited models had readers");
}

#[test]
fn structural_edits_match_a_fresh_compile() {
    let mut files = generate::project(200, 5);
    let mut compiler = Compiler::default();
    recompile(&mut compiler, &files, "the first compile");
    let models = model_files(&files);
    let (first, middle, last) = (&models[0], &models[100], &models[199]);

    // A model that does not parse, then its fix.
    let middle_sql = files[middle].clone();
    files.insert(middle.clone(), "SELECT FROM WHERE".to_string());
    recompile(&mut compiler, &files, "a syntax error");
    files.insert(middle.clone(), "SELECT nope FROM missing_table".to_string());
    recompile(&mut compiler, &files, "an unknown table");
    files.insert(middle.clone(), middle_sql);
    recompile(&mut compiler, &files, "the fix");

    // Deleting a model breaks its readers; adding it back mends them.
    let first_sql = files.remove(first).unwrap();
    recompile(&mut compiler, &files, "a deleted model");
    files.insert(first.clone(), first_sql);
    recompile(&mut compiler, &files, "the model added back");

    // A new model, and a rename.
    files.insert(
        "models/brand_new.sql".to_string(),
        format!("SELECT * FROM {}", stem(last)),
    );
    recompile(&mut compiler, &files, "a new model");
    let text = files.remove("models/brand_new.sql").unwrap();
    files.insert("models/renamed.sql".to_string(), text);
    recompile(&mut compiler, &files, "a renamed model");

    // A cycle: the first model reads the last one.
    let first_sql = files[first].clone();
    files.insert(
        first.clone(),
        format!("SELECT * FROM {} AS looped", stem(last)),
    );
    recompile(&mut compiler, &files, "a cycle");
    files.insert(first.clone(), first_sql);
    recompile(&mut compiler, &files, "the cycle broken");

    // Sidecars: a grain, an invariant, a test, a `depends_on`.
    let sidecar = format!("models/{}.toml", stem(middle));
    files.insert(
        sidecar.clone(),
        "grain = [\"nope\"]\ninvariants = [\"no nulls in nope\"]\ndepends_on = [\"missing\"]\n"
            .to_string(),
    );
    recompile(&mut compiler, &files, "a sidecar");
    files.insert(sidecar.clone(), "description = \"x\"\n".to_string());
    recompile(&mut compiler, &files, "a sidecar edited");
    files.remove(&sidecar);
    recompile(&mut compiler, &files, "a sidecar removed");

    // Project files: rocky.toml and the source declarations.
    files.insert(
        "rocky.toml".to_string(),
        "[project]\nname = \"renamed\"\n".to_string(),
    );
    recompile(&mut compiler, &files, "rocky.toml");
    let sources: Vec<String> = files
        .keys()
        .filter(|path| path.starts_with("sources/"))
        .cloned()
        .collect();
    for path in sources {
        let ddl = files.remove(&path).unwrap();
        recompile(&mut compiler, &files, &format!("{path} removed"));
        files.insert(path.clone(), ddl);
        let stats = recompile(&mut compiler, &files, &format!("{path} restored"));
        assert!(stats.bound > 0);
    }
}

/// Edits every `step`th model of a real project in turn, keeping and then
/// changing its columns, and compares each recompile with a fresh one.
fn edit_models(files: &ProjectFiles, step: usize) {
    let mut files = files.clone();
    let mut compiler = Compiler::default();
    recompile(&mut compiler, &files, "the first compile");
    for path in model_files(&files).into_iter().step_by(step) {
        let sql = files[&path].clone();
        files.insert(path.clone(), format!("{sql}\n-- edited\n"));
        recompile(&mut compiler, &files, &format!("a comment in {path}"));
        files.insert(
            path.clone(),
            format!("SELECT *, 1 AS added_column FROM ({sql}) AS wrapped"),
        );
        recompile(&mut compiler, &files, &format!("a column added to {path}"));
        // Without its first column, the readers of that column break.
        let first_column = compile(&files)
            .model(stem(&path))
            .and_then(|model| model.columns.first().map(|c| c.name.clone()));
        if let Some(column) = first_column {
            let quoted = column.replace('"', "\"\"");
            files.insert(
                path.clone(),
                format!("SELECT * EXCLUDE (\"{quoted}\") FROM ({sql}) AS wrapped"),
            );
            recompile(&mut compiler, &files, &format!("{path} without {column}"));
        }
        files.insert(path.clone(), sql);
        let stats = recompile(&mut compiler, &files, &format!("{path} restored"));
        assert!(stats.bound >= 1, "{path}");
    }
}

#[test]
fn samples_match_a_fresh_compile_after_each_edit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample");
    for sample in ["jaffle_shop", "retail"] {
        edit_models(&common::read_folder(&root.join(sample)), 1);
    }
}

#[test]
fn corpus_matches_a_fresh_compile_after_edits() {
    let corpus = common::corpus_dir();
    edit_models(&common::load_project(&corpus.join("tpch")), 1);
    edit_models(&common::load_project(&corpus.join("tpcds")), 7);
}

/// A small deterministic generator for the random edits.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Applies one random edit to one random model, sidecar or source file:
/// a deleted range, an inserted token, a duplicated line or another
/// model's text.
fn random_edit(files: &mut ProjectFiles, random: &mut Lcg) -> String {
    const TOKENS: &[&str] = &[
        " , ",
        "1",
        " select ",
        "(",
        ")",
        "*",
        " x ",
        " join ",
        "\n",
        "'",
        "\"",
        " as y",
        " group by 1",
        "grain = [\"id\"]\n",
        "invariants = [\"never negative\"]\n",
    ];
    let paths: Vec<String> = files
        .keys()
        .filter(|p| p.starts_with("models/") || p.starts_with("sources/"))
        .cloned()
        .collect();
    let path = paths[random.below(paths.len())].clone();
    let other = files[&paths[random.below(paths.len())]].clone();
    let text = files.get_mut(&path).unwrap();
    let boundaries: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    let at = boundaries[random.below(boundaries.len())];
    let what = match random.below(4) {
        0 => {
            let end = boundaries
                .iter()
                .copied()
                .find(|&i| i >= at + random.below(12))
                .unwrap_or(text.len());
            text.replace_range(at..end, "");
            "a deleted range"
        }
        1 => {
            text.insert_str(at, TOKENS[random.below(TOKENS.len())]);
            "an inserted token"
        }
        2 => {
            let line = text
                .lines()
                .nth(random.below(text.lines().count()))
                .unwrap_or("")
                .to_string();
            text.push('\n');
            text.push_str(&line);
            "a duplicated line"
        }
        _ => {
            *text = other;
            "another file's text"
        }
    };
    format!("{what} in {path}")
}

#[test]
fn random_edits_match_a_fresh_compile() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample");
    let projects = [
        common::read_folder(&root.join("retail")),
        common::read_folder(&root.join("jaffle_shop")),
        generate::project(80, 7),
    ];
    for (seed, project) in projects.into_iter().enumerate() {
        let mut files = project;
        let mut random = Lcg(seed as u64 + 11);
        let mut compiler = Compiler::default();
        recompile(&mut compiler, &files, "the first compile");
        for step in 0..40 {
            let what = random_edit(&mut files, &mut random);
            recompile(
                &mut compiler,
                &files,
                &format!("step {step} of project {seed}: {what}"),
            );
        }
    }
}
