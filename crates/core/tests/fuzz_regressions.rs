//! Inputs that the fuzz targets in `fuzz/` found to panic, cut down to
//! what triggers the panic. Each must now compile to diagnostics.

use rocky_core::{compile, ColumnGraph, ProjectFiles, Severity};

fn project(files: &[(&str, &str)]) -> ProjectFiles {
    files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}

fn errors(files: &ProjectFiles) -> Vec<String> {
    let compilation = compile(files);
    ColumnGraph::build(&compilation);
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}:{} {}", d.code, d.file, d.span.start.line, d.message))
        .collect()
}

/// `share_link` found a source column declared DECIMAL(1,2): the common
/// type of two decimals subtracted the scale from the width and
/// overflowed.
#[test]
fn decimal_scale_above_width() {
    let files = project(&[
        (
            "sources/schema.sql",
            "CREATE TABLE budget (dept_id INTEGER, amount DECIMAL(12,2));\n\
             CREATE TABLE actuals (dept_id INTEGER, spent DECIMAL(01,2));\n",
        ),
        (
            "models/variance.sql",
            "SELECT coalesce(spent, 0) - coalesce(amount, 0) AS variance\n\
             FROM budget FULL OUTER JOIN actuals USING (dept_id)\n",
        ),
    ]);
    let errors = errors(&files);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "E0004 sources/schema.sql:2 type `DECIMAL(1,2)` of column `spent` is invalid"
        ),
        "{errors:?}"
    );
}

/// The same DECIMAL in a cast.
#[test]
fn decimal_cast_scale_above_width() {
    let files = project(&[
        ("sources/schema.sql", "CREATE TABLE t (x DECIMAL(12,2));\n"),
        (
            "models/m.sql",
            "SELECT CAST(x AS DECIMAL(1,2)) + x AS y, x::DECIMAL(0,0) AS z FROM t\n",
        ),
    ]);
    let errors = errors(&files);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("E0208 models/m.sql:1 type `DECIMAL(1,2)` is invalid"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("E0208 models/m.sql:1 type `DECIMAL(0,0)` is invalid"),
        "{errors:?}"
    );
}
