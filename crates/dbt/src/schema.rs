//! The `schema.yml` files: model and column descriptions (with `{{ doc() }}`
//! blocks from the project's Markdown files), the generic tests unique,
//! not_null, accepted_values and relationships, a model's `materialized`
//! config, and the declared sources with their columns.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use yaml_rust2::{Yaml, YamlLoader};

use super::project::DbtProject;
use super::seeds::quote_identifier;
use super::{toml_key, toml_string, warning};
use rocky_core::diagnostic::{Diagnostic, Span};
use rocky_core::ProjectFiles;

/// What the schema files say about one model.
#[derive(Debug, Default)]
struct ModelDoc {
    name: String,
    file: String,
    line: u32,
    description: Option<String>,
    materialized: Option<String>,
    columns: Vec<ColumnDoc>,
}

#[derive(Debug, Default)]
struct ColumnDoc {
    name: String,
    description: Option<String>,
    tests: Vec<String>,
}

/// A declared source table.
#[derive(Debug)]
struct SourceTable {
    source: String,
    table: String,
    columns: Vec<(String, String)>,
}

/// The schema files of a project, read.
#[derive(Debug, Default)]
pub(super) struct Schema {
    models: BTreeMap<String, ModelDoc>,
    sources: Vec<SourceTable>,
}

/// Reads every `.yml` and `.yaml` file under the model paths, and the
/// `{% docs %}` blocks of the Markdown files there.
pub(super) fn read_schemas(
    files: &ProjectFiles,
    project: &DbtProject,
    diagnostics: &mut Vec<Diagnostic>,
) -> Schema {
    let in_models = |path: &str| {
        project
            .model_paths
            .iter()
            .any(|folder| path.starts_with(&format!("{folder}/")))
    };
    let docs = read_docs(
        files
            .iter()
            .filter(|(path, _)| in_models(path) && path.ends_with(".md")),
    );
    let mut schema = Schema::default();
    for (path, text) in files {
        if !in_models(path) || !(path.ends_with(".yml") || path.ends_with(".yaml")) {
            continue;
        }
        let documents = match YamlLoader::load_from_str(text) {
            Ok(documents) => documents,
            Err(e) => {
                let line = u32::try_from(e.marker().line()).unwrap_or(1).max(1);
                diagnostics.push(warning(
                    path,
                    Span::new(line, 1, line, 2),
                    format!(
                        "{path} is not valid YAML ({}), so its descriptions and tests are left out",
                        e.info()
                    ),
                    "fix the YAML, then import again",
                ));
                continue;
            }
        };
        for document in &documents {
            read_models(path, text, document, &docs, &mut schema, diagnostics);
            read_sources(document, &mut schema);
        }
    }
    schema
}

fn read_models(
    path: &str,
    text: &str,
    document: &Yaml,
    docs: &BTreeMap<String, String>,
    schema: &mut Schema,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(models) = document["models"].as_vec() else {
        return;
    };
    for model in models {
        let Some(name) = model["name"].as_str() else {
            continue;
        };
        let line = line_of(text, name);
        let describe = |value: &Yaml, diagnostics: &mut Vec<Diagnostic>| {
            value
                .as_str()
                .map(|text| render_description(text, docs, path, line, diagnostics))
        };
        let mut doc = ModelDoc {
            name: name.to_string(),
            file: path.to_string(),
            line,
            description: describe(&model["description"], diagnostics),
            materialized: model["config"]["materialized"].as_str().map(str::to_string),
            columns: Vec::new(),
        };
        for column in model["columns"].as_vec().into_iter().flatten() {
            let Some(column_name) = column["name"].as_str() else {
                continue;
            };
            let mut column_doc = ColumnDoc {
                name: column_name.to_string(),
                description: describe(&column["description"], diagnostics),
                tests: Vec::new(),
            };
            let tests = column["tests"]
                .as_vec()
                .or_else(|| column["data_tests"].as_vec());
            for test in tests.into_iter().flatten() {
                match test_block(test, column_name) {
                    Ok(block) => column_doc.tests.push(block),
                    Err(kind) => diagnostics.push(warning(
                        path,
                        Span::new(line, 1, line, 2),
                        format!("the test `{kind}` on {name}.{column_name} is not one of dbt's generic tests, so it is left out"),
                        "Rocky imports unique, not_null, accepted_values and relationships; write others as expression tests in the sidecar",
                    )),
                }
            }
            doc.columns.push(column_doc);
        }
        schema.models.insert(name.to_ascii_lowercase(), doc);
    }
}

fn read_sources(document: &Yaml, schema: &mut Schema) {
    for source in document["sources"].as_vec().into_iter().flatten() {
        let Some(source_name) = source["name"].as_str() else {
            continue;
        };
        for table in source["tables"].as_vec().into_iter().flatten() {
            let Some(table_name) = table["name"].as_str() else {
                continue;
            };
            let columns = table["columns"]
                .as_vec()
                .into_iter()
                .flatten()
                .filter_map(|column| {
                    let name = column["name"].as_str()?;
                    let ty = column["data_type"].as_str().unwrap_or("VARCHAR");
                    Some((name.to_string(), ty.to_uppercase()))
                })
                .collect();
            schema.sources.push(SourceTable {
                source: source_name.to_string(),
                table: table_name.to_string(),
                columns,
            });
        }
    }
}

/// Returns the `[[tests]]` block of one dbt test entry on `column`, or
/// the test's name when it is not a generic test Rocky has.
fn test_block(test: &Yaml, column: &str) -> Result<String, String> {
    let (kind, arguments) = match test {
        Yaml::String(kind) => (kind.clone(), &Yaml::Null),
        Yaml::Hash(map) if map.len() == 1 => {
            let (key, value) = map.iter().next().expect("one entry");
            (key.as_str().unwrap_or_default().to_string(), value)
        }
        _ => return Err("?".to_string()),
    };
    // dbt 1.10 moves a test's arguments under `arguments:`.
    let arguments = match &arguments["arguments"] {
        Yaml::Hash(_) => &arguments["arguments"],
        _ => arguments,
    };
    let config = &test["config"];
    let mut block = String::from("\n[[tests]]\n");
    let _ = writeln!(block, "type = {}", toml_string(&kind));
    let _ = writeln!(block, "column = {}", toml_string(column));
    match kind.as_str() {
        "unique" | "not_null" => {}
        "accepted_values" => {
            let values: Vec<String> = arguments["values"]
                .as_vec()
                .into_iter()
                .flatten()
                .map(|value| match value {
                    Yaml::Integer(n) => n.to_string(),
                    Yaml::Real(r) => r.clone(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => toml_string(other.as_str().unwrap_or_default()),
                })
                .collect();
            let _ = writeln!(block, "values = [{}]", values.join(", "));
            if let Some(quote) = arguments["quote"].as_bool() {
                let _ = writeln!(block, "quote = {quote}");
            }
        }
        "relationships" => {
            let to = arguments["to"].as_str().unwrap_or_default();
            let field = arguments["field"].as_str().unwrap_or_default();
            let _ = writeln!(block, "to = {}", toml_string(&ref_target(to)));
            let _ = writeln!(block, "field = {}", toml_string(field));
        }
        other => return Err(other.to_string()),
    }
    let config = match config {
        Yaml::Hash(_) => config,
        _ => &arguments["config"],
    };
    if let Some(severity) = config["severity"].as_str() {
        let _ = writeln!(
            block,
            "severity = {}",
            toml_string(&severity.to_ascii_lowercase())
        );
    }
    if let Some(filter) = config["where"].as_str() {
        let _ = writeln!(block, "where = {}", toml_string(filter));
    }
    Ok(block)
}

/// Turns `ref('customers')` into `customers` and `source('raw', 'x')`
/// into `raw.x`; any other text is kept.
fn ref_target(text: &str) -> String {
    let arguments = |prefix: &str| {
        text.trim()
            .strip_prefix(prefix)?
            .strip_suffix(')')
            .map(|inner| {
                inner
                    .split(',')
                    .map(|part| part.trim().trim_matches(['\'', '"']).to_string())
                    .collect::<Vec<_>>()
            })
    };
    if let Some(parts) = arguments("ref(") {
        return parts.last().cloned().unwrap_or_default();
    }
    if let Some(parts) = arguments("source(") {
        return parts.join(".");
    }
    text.to_string()
}

impl Schema {
    /// Returns the sidecar of a model: its description, its strategy from
    /// `materialized`, its tests and its column descriptions. Adds the
    /// number of tests to `tests`.
    pub fn sidecar(&self, model: &str, materialized: &str, tests: &mut usize) -> Option<String> {
        let doc = self.models.get(&model.to_ascii_lowercase());
        let materialized = doc
            .and_then(|doc| doc.materialized.as_deref())
            .unwrap_or(materialized);
        let strategy = match materialized {
            "view" | "ephemeral" => "view",
            _ => "full_refresh",
        };
        let mut text = String::new();
        if let Some(description) = doc.and_then(|doc| doc.description.as_ref()) {
            let _ = writeln!(text, "description = {}", toml_string(description));
        }
        let _ = writeln!(text, "\n[strategy]\ntype = \"{strategy}\"");
        if let Some(doc) = doc {
            for column in &doc.columns {
                for block in &column.tests {
                    text.push_str(block);
                    *tests += 1;
                }
            }
            for column in &doc.columns {
                if let Some(description) = &column.description {
                    let _ = write!(
                        text,
                        "\n[columns.{}]\ndescription = {}\n",
                        toml_key(&column.name),
                        toml_string(description)
                    );
                }
            }
        }
        Some(text.trim_start().to_string())
    }

    /// Returns each declared source's file: a CREATE TABLE per table, in
    /// the source's schema.
    pub fn source_declarations(&self) -> Vec<(String, String)> {
        let mut files: BTreeMap<String, String> = BTreeMap::new();
        for table in &self.sources {
            let text = files.entry(table.source.clone()).or_default();
            let _ = writeln!(
                text,
                "-- The dbt source {}.{}; the types are the schema file's data_type, or VARCHAR.",
                table.source, table.table
            );
            let columns: Vec<String> = table
                .columns
                .iter()
                .map(|(name, ty)| format!("    {} {ty}", quote_identifier(name)))
                .collect();
            let _ = writeln!(
                text,
                "CREATE TABLE {}.{} (\n{}\n);\n",
                quote_identifier(&table.source),
                quote_identifier(&table.table),
                columns.join(",\n")
            );
        }
        files.into_iter().collect()
    }

    /// Lists every declared source table as (source, table, the name a
    /// `source()` call renders to).
    pub fn source_tables(&self) -> Vec<(String, String, String)> {
        self.sources
            .iter()
            .map(|t| {
                let name = format!(
                    "{}.{}",
                    quote_identifier(&t.source),
                    quote_identifier(&t.table)
                );
                (t.source.clone(), t.table.clone(), name)
            })
            .collect()
    }

    /// Warns about schema entries for models the project does not have.
    pub fn report_unknown_models(&self, imported: &[String], diagnostics: &mut Vec<Diagnostic>) {
        for doc in self.models.values() {
            if !imported
                .iter()
                .any(|name| name.eq_ignore_ascii_case(&doc.name))
            {
                diagnostics.push(warning(
                    &doc.file,
                    Span::new(doc.line, 1, doc.line, 2),
                    format!(
                        "{} describes the model `{}`, which was not imported",
                        doc.file, doc.name
                    ),
                    "check the name, or the errors of that model's SQL",
                ));
            }
        }
    }
}

/// Reads the `{% docs name %} ... {% enddocs %}` blocks of Markdown files.
fn read_docs<'a>(
    files: impl Iterator<Item = (&'a String, &'a String)>,
) -> BTreeMap<String, String> {
    let mut docs = BTreeMap::new();
    for (_, text) in files {
        let mut rest = text.as_str();
        while let Some(start) = rest.find("{%") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("%}") else {
                break;
            };
            let tag = after[..end].trim().trim_matches('-').trim();
            rest = &after[end + 2..];
            let Some(name) = tag.strip_prefix("docs").map(str::trim) else {
                continue;
            };
            let Some(close) = rest
                .find("{% enddocs %}")
                .or_else(|| rest.find("{%- enddocs -%}"))
            else {
                break;
            };
            docs.insert(name.to_string(), rest[..close].trim().to_string());
            rest = &rest[close..];
        }
    }
    docs
}

/// Renders a description's `{{ doc('name') }}` calls; an unknown block is
/// a warning and the text stays as written.
fn render_description(
    text: &str,
    docs: &BTreeMap<String, String>,
    file: &str,
    line: u32,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    if !text.contains("{{") && !text.contains("{%") {
        return text.trim().to_string();
    }
    let mut env = minijinja::Environment::new();
    let blocks = docs.clone();
    env.add_function(
        "doc",
        move |name: String| -> Result<String, minijinja::Error> {
            blocks.get(&name).cloned().ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("no {{% docs {name} %}} block"),
                )
            })
        },
    );
    match env.render_str(text, ()) {
        Ok(rendered) => rendered.trim().to_string(),
        Err(error) => {
            diagnostics.push(warning(
                file,
                Span::new(line, 1, line, 2),
                format!(
                    "a description could not be rendered: {}",
                    error.detail().unwrap_or("invalid Jinja")
                ),
                "add the docs block to a Markdown file under the models folder",
            ));
            text.trim().to_string()
        }
    }
}

/// Returns the 1-based line of the first `name: <name>` in `text`.
fn line_of(text: &str, name: &str) -> u32 {
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches("- ").trim_start();
            line.strip_prefix("name:")
                .is_some_and(|rest| rest.trim().trim_matches(['\'', '"']) == name)
        })
        .map_or(1, |i| u32::try_from(i + 1).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_targets() {
        assert_eq!(ref_target("ref('customers')"), "customers");
        assert_eq!(ref_target("ref(\"pkg\", \"customers\")"), "customers");
        assert_eq!(ref_target("source('raw', 'orders')"), "raw.orders");
        assert_eq!(ref_target("customers"), "customers");
    }

    #[test]
    fn docs_blocks_read() {
        let text =
            "{% docs a %}\nAlpha\n{% enddocs %}\n\n{% docs b %}Beta{% enddocs %}".to_string();
        let path = "models/docs.md".to_string();
        let docs = read_docs([(&path, &text)].into_iter());
        assert_eq!(docs["a"], "Alpha");
        assert_eq!(docs["b"], "Beta");
    }

    #[test]
    fn generic_tests_become_blocks() {
        let yaml = YamlLoader::load_from_str(
            "- unique\n- accepted_values:\n    values: ['a', 1]\n    config:\n      severity: warn\n- relationships:\n    to: ref('customers')\n    field: id\n- dbt_utils.at_least_one\n",
        )
        .unwrap();
        let tests = yaml[0].as_vec().unwrap();
        assert_eq!(
            test_block(&tests[0], "c").unwrap(),
            "\n[[tests]]\ntype = \"unique\"\ncolumn = \"c\"\n"
        );
        assert_eq!(
            test_block(&tests[1], "c").unwrap(),
            "\n[[tests]]\ntype = \"accepted_values\"\ncolumn = \"c\"\nvalues = [\"a\", 1]\nseverity = \"warn\"\n"
        );
        assert_eq!(
            test_block(&tests[2], "c").unwrap(),
            "\n[[tests]]\ntype = \"relationships\"\ncolumn = \"c\"\nto = \"customers\"\nfield = \"id\"\n"
        );
        assert_eq!(
            test_block(&tests[3], "c").unwrap_err(),
            "dbt_utils.at_least_one"
        );
    }
}
