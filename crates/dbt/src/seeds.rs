//! Seeds: each CSV under the seed paths becomes a source table whose data
//! is the CSV. Column types are read from the values the way dbt's seed
//! loader (agate) reads them: whole numbers are INTEGER (BIGINT past 32
//! bits), other numbers DOUBLE, `true`/`false` BOOLEAN, ISO dates DATE,
//! ISO date-times TIMESTAMP, anything else VARCHAR. Empty values are NULL
//! and do not decide the type.

use rocky_core::diagnostic::{Diagnostic, Span};
use rocky_core::ProjectFiles;

use super::project::DbtProject;
use super::warning;

#[derive(Clone, Debug)]
pub(super) struct Seed {
    pub name: String,
    pub csv: String,
    pub columns: Vec<(String, &'static str)>,
}

impl Seed {
    /// Returns the source declaration: a comment and a CREATE TABLE with
    /// the columns in the CSV header's order.
    pub fn declaration(&self) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|(name, ty)| format!("    {} {ty}", quote_identifier(name)))
            .collect();
        format!(
            "-- The dbt seed {0}; its rows are data/{0}.csv, loaded by the header's column order.\nCREATE TABLE {1} (\n{2}\n);\n",
            self.name,
            quote_identifier(&self.name),
            columns.join(",\n")
        )
    }
}

/// Reads every `.csv` under the seed paths.
pub(super) fn read_seeds(
    files: &ProjectFiles,
    project: &DbtProject,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for (path, text) in files {
        let in_seeds = project
            .seed_paths
            .iter()
            .any(|folder| path.starts_with(&format!("{folder}/")));
        let Some(stem) = path.strip_suffix(".csv").filter(|_| in_seeds) else {
            continue;
        };
        let name = stem.rsplit('/').next().unwrap_or(stem).to_string();
        let rows = parse_csv(text);
        let Some(header) = rows.first() else {
            diagnostics.push(warning(
                path,
                Span::new(1, 1, 1, 1),
                format!("the seed {name} is empty, so it is not imported"),
                "add a header line with the column names",
            ));
            continue;
        };
        check_shape(path, &name, &rows, diagnostics);
        let columns = header
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let values = rows[1..]
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(String::as_str);
                (column.trim().to_string(), infer_type(values))
            })
            .collect();
        let mut csv = text.clone();
        if !csv.ends_with('\n') {
            csv.push('\n');
        }
        seeds.push(Seed { name, csv, columns });
    }
    seeds
}

/// Warns of what makes DuckDB fail to load a seed that dbt's loader may
/// accept: a row with another number of values than the header, and a
/// column name that is empty or repeated (DuckDB's names ignore case).
fn check_shape(path: &str, name: &str, rows: &[Vec<String>], diagnostics: &mut Vec<Diagnostic>) {
    let Some(header) = rows.first() else {
        return;
    };
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for column in header {
        let column = column.trim();
        let problem = if column.is_empty() {
            Some("an empty column name".to_string())
        } else if !seen.insert(column.to_lowercase()) {
            Some(format!("the column `{column}` twice"))
        } else {
            None
        };
        if let Some(problem) = problem {
            diagnostics.push(warning(
                path,
                Span::new(1, 1, 1, 2),
                format!("the seed {name} has {problem}, so DuckDB will not load it"),
                "give every column of the header line a name of its own",
            ));
            break;
        }
    }
    // A blank line is one empty field; DuckDB skips it.
    let ragged = rows
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, row)| row.len() != header.len() && !(row.len() == 1 && row[0].is_empty()));
    if let Some((index, row)) = ragged {
        diagnostics.push(warning(
            path,
            Span::new(1, 1, 1, 2),
            format!(
                "row {} of the seed {name} has {} values and its header {}, so DuckDB will not load it",
                index + 1,
                row.len(),
                header.len()
            ),
            "give every row as many values as the header has columns",
        ));
    }
}

/// Splits CSV text into rows of fields: comma-separated, `"` quotes with
/// `""` inside them, CRLF or LF line ends.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn infer_type<'a>(values: impl Iterator<Item = &'a str>) -> &'static str {
    let values: Vec<&str> = values.map(str::trim).filter(|v| !v.is_empty()).collect();
    if values.is_empty() {
        return "VARCHAR";
    }
    if values.iter().all(|v| v.parse::<i64>().is_ok()) {
        let fits = values.iter().all(|v| v.parse::<i32>().is_ok());
        return if fits { "INTEGER" } else { "BIGINT" };
    }
    if values
        .iter()
        .all(|v| v.parse::<f64>().is_ok_and(f64::is_finite))
    {
        return "DOUBLE";
    }
    if values
        .iter()
        .all(|v| v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false"))
    {
        return "BOOLEAN";
    }
    if values.iter().all(|v| is_date(v)) {
        return "DATE";
    }
    if values.iter().all(|v| is_timestamp(v)) {
        return "TIMESTAMP";
    }
    "VARCHAR"
}

/// Returns true for `YYYY-MM-DD` with a valid month and day.
fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let number = |text: &str, digits: usize| {
        (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    matches!(
        (number(year, 4), number(month, 2), number(day, 2)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

/// Returns true for a date, `T` or a space, and `HH:MM[:SS[.fff]]`.
fn is_timestamp(value: &str) -> bool {
    let Some((date, time)) = value.split_once(['T', ' ']) else {
        return false;
    };
    let parts: Vec<&str> = time.split(':').collect();
    is_date(date)
        && (2..=3).contains(&parts.len())
        && parts.iter().all(|part| {
            let whole = part.split('.').next().unwrap_or_default();
            whole.len() == 2 && part.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        })
}

/// Quotes a name when DuckDB would not read it as written.
pub(super) fn quote_identifier(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_follow_values() {
        assert_eq!(infer_type(["1", "22", ""].into_iter()), "INTEGER");
        assert_eq!(infer_type(["1", "3000000000"].into_iter()), "BIGINT");
        assert_eq!(infer_type(["1", "2.5"].into_iter()), "DOUBLE");
        assert_eq!(infer_type(["true", "FALSE"].into_iter()), "BOOLEAN");
        assert_eq!(infer_type(["2018-01-01", "2018-12-31"].into_iter()), "DATE");
        assert_eq!(infer_type(["2018-13-01"].into_iter()), "VARCHAR");
        assert_eq!(
            infer_type(["2018-01-01 10:00:00", "2018-01-02T11:30"].into_iter()),
            "TIMESTAMP"
        );
        assert_eq!(infer_type(["a", "1"].into_iter()), "VARCHAR");
        assert_eq!(infer_type(["", " "].into_iter()), "VARCHAR");
        assert_eq!(infer_type(["NaN"].into_iter()), "VARCHAR");
    }

    #[test]
    fn csv_quotes_and_line_ends() {
        let rows = parse_csv("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n3,\n");
        assert_eq!(
            rows,
            vec![vec!["a", "b"], vec!["x, y", "say \"hi\""], vec!["3", ""]]
        );
        assert_eq!(parse_csv("a\n1"), vec![vec!["a"], vec!["1"]]);
        assert!(parse_csv("").is_empty());
    }

    #[test]
    fn names_quoted_when_needed() {
        assert_eq!(quote_identifier("raw_orders"), "raw_orders");
        assert_eq!(quote_identifier("Order Date"), "\"Order Date\"");
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_identifier("1st"), "\"1st\"");
    }
}
