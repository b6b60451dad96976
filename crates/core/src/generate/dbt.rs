//! The dbt twin of a Rocky project, so `dbt parse` can be timed on the
//! same models as Rocky's compile: every model read becomes `{{ ref() }}`
//! and every source read `{{ source() }}`.

use std::collections::BTreeMap;

use crate::text::LineIndex;
use crate::{compile, Position, ProjectFiles};

/// Returns a dbt project with the models of `files`. Each table a model
/// reads, at the span the compiler found it, becomes a `ref` or a
/// `source`. A source declared as `schema.table` is the table `table` of
/// the dbt source `schema`, and an unqualified one belongs to the source
/// `main`. The project has `dbt_project.yml`, a `profiles.yml` for
/// dbt-duckdb and `models/sources.yml`.
pub fn dbt_twin(files: &ProjectFiles) -> ProjectFiles {
    let compilation = compile(files);
    let name: String = compilation
        .project
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let mut out = ProjectFiles::new();
    out.insert(
        "dbt_project.yml".to_string(),
        format!(
            "name: '{name}'\nversion: '1.0.0'\nconfig-version: 2\nprofile: '{name}'\nmodel-paths: ['models']\n"
        ),
    );
    out.insert(
        "profiles.yml".to_string(),
        format!(
            "{name}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '{name}.duckdb'\n"
        ),
    );

    // dbt source name → its tables.
    let mut sources: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for source in &compilation.sources {
        let (schema, table) = source_parts(&source.name);
        sources.entry(schema).or_default().push(table);
    }
    let mut yaml = String::from("version: 2\n\nsources:\n");
    for (schema, tables) in &sources {
        yaml.push_str(&format!(
            "  - name: {schema}\n    schema: {schema}\n    tables:\n"
        ));
        for table in tables {
            yaml.push_str(&format!("      - name: {table}\n"));
        }
    }
    out.insert("models/sources.yml".to_string(), yaml);

    for model in &compilation.models {
        let index = LineIndex::new(&model.sql);
        let offset = |position: Position| index.offset(position);
        let mut uses: Vec<(usize, usize, String)> = model
            .table_uses
            .iter()
            .filter_map(|read| {
                let start = offset(read.span.start)?;
                let end = offset(read.span.end)?;
                let jinja = if read.is_model {
                    format!("{{{{ ref('{}') }}}}", read.name)
                } else {
                    let (schema, table) = source_parts(&read.name);
                    format!("{{{{ source('{schema}', '{table}') }}}}")
                };
                Some((start, end, jinja))
            })
            .collect();
        // Replaced from the end, so the earlier offsets stay true.
        uses.sort_by_key(|read| std::cmp::Reverse(read.0));
        let mut sql = model.sql.clone();
        for (start, end, jinja) in uses {
            if start <= end && end <= sql.len() {
                sql.replace_range(start..end, &jinja);
            }
        }
        out.insert(model.file.clone(), sql);
    }
    out
}

/// Splits a declared source name into its dbt source and table.
fn source_parts(declared: &str) -> (String, String) {
    match declared.rsplit_once('.') {
        Some((schema, table)) => (schema.to_string(), table.to_string()),
        None => ("main".to_string(), declared.to_string()),
    }
}
