//! Oversized and deeply nested input: each must end in a result or a clear
//! diagnostic, never a panic or a stack overflow. The page's WebAssembly has
//! a 1 MiB stack, so every compile here runs on a thread with that stack.

use rocky_core::{compile, ColumnGraph, Compilation, ProjectFiles, Severity};

/// The stack that rustc gives a wasm32-unknown-unknown module.
const WASM_STACK: usize = 1 << 20;

/// Runs `work` on a thread with the page's stack size.
fn on_page_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(WASM_STACK)
        .spawn(work)
        .expect("spawn the thread")
        .join()
        .expect("the work must not panic or overflow its stack")
}

/// Compiles `files` on a thread with the page's stack size.
fn compile_on_page_stack(files: ProjectFiles) -> Compilation {
    on_page_stack(move || compile(&files))
}

/// Returns a project with one source table `wide` of `columns` INTEGER
/// columns, and `models`.
fn project(columns: usize, models: &[(&str, String)]) -> ProjectFiles {
    let mut files = ProjectFiles::new();
    let ddl: Vec<String> = (0..columns).map(|i| format!("  c{i} INTEGER")).collect();
    files.insert(
        "sources/wide.sql".into(),
        format!("CREATE TABLE wide (\n{}\n);\n", ddl.join(",\n")),
    );
    for (name, sql) in models {
        files.insert(format!("models/{name}.sql"), sql.clone());
    }
    files
}

fn errors(compilation: &Compilation) -> Vec<String> {
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}:{} {}", d.code, d.file, d.span.start.line, d.message))
        .collect()
}

#[test]
fn ten_thousand_nested_parentheses() {
    let sql = format!("SELECT {}1{} AS x", "(".repeat(10_000), ")".repeat(10_000));
    let compilation = compile_on_page_stack(project(1, &[("deep", sql)]));
    let errors = errors(&compilation);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("E0001 models/deep.sql:1"),
        "{errors:?}"
    );
}

#[test]
fn ten_thousand_nested_subqueries() {
    let sql = format!(
        "SELECT x FROM {}SELECT 1 AS x{}",
        "(SELECT x FROM ".repeat(10_000),
        ") AS t".repeat(10_000)
    );
    let compilation = compile_on_page_stack(project(1, &[("deep", sql)]));
    let errors = errors(&compilation);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("E0001 models/deep.sql:1"),
        "{errors:?}"
    );
}

#[test]
fn ten_thousand_columns() {
    let select: Vec<String> = (0..10_000).map(|i| format!("c{i} + 1 AS d{i}")).collect();
    let sql = format!("SELECT\n  {}\nFROM wide", select.join(",\n  "));
    let downstream = "SELECT d0, d9999 FROM many".to_string();
    let compilation =
        compile_on_page_stack(project(10_000, &[("many", sql), ("pick", downstream)]));
    assert_eq!(errors(&compilation), Vec::<String>::new());
    let many = compilation
        .models
        .iter()
        .find(|m| m.name == "many")
        .unwrap();
    assert_eq!(many.columns.len(), 10_000);
    assert_eq!(many.columns[9_999].name, "d9999");
    assert_eq!(many.columns[9_999].ty, "INTEGER");
    let pick = compilation
        .models
        .iter()
        .find(|m| m.name == "pick")
        .unwrap();
    assert_eq!(pick.columns.len(), 2);
}

#[test]
fn one_megabyte_model() {
    // About 1 MB: a CASE with one branch per line over a 4-column table.
    let branches: Vec<String> = (0..26_000)
        .map(|i| format!("    WHEN c0 = {i} THEN 'label {i:>6}'"))
        .collect();
    let sql = format!(
        "SELECT\n  CASE\n{}\n    ELSE 'other'\n  END AS label\nFROM wide\n",
        branches.join("\n")
    );
    assert!(sql.len() > 1_000_000, "{} bytes", sql.len());
    let compilation = compile_on_page_stack(project(4, &[("big", sql)]));
    assert_eq!(errors(&compilation), Vec::<String>::new());
    let big = &compilation.models[0];
    assert_eq!(big.columns[0].name, "label");
    assert_eq!(big.columns[0].ty, "VARCHAR");
}

#[test]
fn five_thousand_models() {
    let files = rocky_core::generate::project(5_000, 1);
    let compilation = compile_on_page_stack(files);
    assert_eq!(errors(&compilation), Vec::<String>::new());
    assert_eq!(compilation.models.len(), 5_000);
}

#[test]
fn ten_thousand_model_chain() {
    // Each model reads the one before it: the dependency graph is one path
    // 10,000 models deep.
    let mut models = vec![("m0".to_string(), "SELECT c0 AS x FROM wide".to_string())];
    for i in 1..10_000 {
        models.push((
            format!("m{i}"),
            format!("SELECT x + 1 AS x FROM m{}", i - 1),
        ));
    }
    let models: Vec<(&str, String)> = models
        .iter()
        .map(|(n, s)| (n.as_str(), s.clone()))
        .collect();
    let files = project(1, &models);
    let (errors, models, ty, upstream, downstream) = on_page_stack(move || {
        let compilation = compile(&files);
        let graph = ColumnGraph::build(&compilation);
        let last = graph.find("m9999", "x").expect("m9999.x in the graph");
        let first = graph.find("wide", "c0").expect("wide.c0 in the graph");
        let ty = compilation
            .models
            .iter()
            .find(|m| m.name == "m9999")
            .map(|m| m.columns[0].ty.clone());
        (
            errors(&compilation),
            compilation.models.len(),
            ty,
            graph.upstream(last).columns.len(),
            graph.downstream(first).columns.len(),
        )
    });
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(models, 10_000);
    assert_eq!(ty.as_deref(), Some("INTEGER"));
    assert_eq!(upstream, 10_000, "m0.x to m9998.x and wide.c0");
    assert_eq!(downstream, 10_000);
}

#[test]
fn five_thousand_chained_ctes() {
    let ctes: Vec<String> = (1..5_000)
        .map(|i| format!("c{i} AS (SELECT x + 1 AS x FROM c{})", i - 1))
        .collect();
    let sql = format!(
        "WITH c0 AS (SELECT c0 AS x FROM wide),\n{}\nSELECT x FROM c4999",
        ctes.join(",\n")
    );
    let compilation = compile_on_page_stack(project(1, &[("deep", sql)]));
    assert_eq!(errors(&compilation), Vec::<String>::new());
    let column = &compilation.models[0].columns[0];
    assert_eq!(column.ty, "INTEGER");
    assert_eq!(column.lineage.len(), 1, "{:?}", column.lineage);
    assert_eq!(column.lineage[0].model, "wide");
}
