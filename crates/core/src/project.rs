//! Reads a project's files: rocky.toml, source declarations, seed files,
//! model SQL and model sidecars.

use std::collections::BTreeMap;

use sqlparser::ast::{ColumnOption, ObjectName, Statement};

use crate::diagnostic::{Diagnostic, Span};
use crate::output::ModelConfig;
use crate::parse::parse_statements;
use crate::text::LineIndex;
use crate::toml_spans::{Step, TomlSpans};
use crate::types::Type;
use crate::ProjectFiles;

/// rocky.toml tables that Rocky defines; the playground uses `project` and
/// `sources` and accepts the rest without a warning.
const ROCKY_TOML_KEYS: &[&str] = &[
    "project",
    "sources",
    "adapter",
    "adapters",
    "pipeline",
    "pipelines",
    "models",
    "state",
    "hooks",
    "cost",
    "budget",
    "environments",
    "seeds",
    "tests",
    "vars",
    "governance",
    "schema",
    "ai",
    "cache",
    "retry",
    "checks",
    "contracts",
    "execution",
    "lineage",
    "docs",
];

/// Materialization strategies Rocky defines. The playground builds `view`
/// as a view and every other strategy as a table.
const STRATEGIES: &[&str] = &[
    "full_refresh",
    "view",
    "incremental",
    "merge",
    "append",
    "time_interval",
    "snapshot",
    "ephemeral",
    "table",
    "microbatch",
];

/// Sidecar keys Rocky defines.
const SIDECAR_KEYS: &[&str] = &[
    "intent",
    "invariants",
    "grain",
    "depends_on",
    "strategy",
    "target",
    "tests",
    "description",
    "columns",
    "name",
    "tags",
    "owner",
    "freshness",
    "sources",
    "quality",
    "classification",
    "materialization",
    "contract",
    "meta",
    "enabled",
    "tier",
    "schedule",
    "retention",
    "partition_by",
    "cluster_by",
    "grants",
    "adapter",
    "checks",
];

/// A source table declared with CREATE TABLE.
#[derive(Clone, Debug)]
pub(crate) struct SourceDecl {
    /// Name parts as declared, such as `["raw", "orders"]`.
    pub parts: Vec<String>,
    pub file: String,
    pub columns: Vec<(String, Type, bool)>,
    pub data: Option<String>,
    /// INSERT statements from a seed file, run after the table is created.
    pub seed_statements: Vec<String>,
}

impl SourceDecl {
    pub(crate) fn name(&self) -> String {
        self.parts.join(".")
    }
}

/// A model file and its sidecar.
#[derive(Clone, Debug)]
pub(crate) struct ModelInput {
    pub name: String,
    pub file: String,
    pub sql: String,
    pub config: ModelConfig,
    /// The sidecar's text, when the model has one.
    pub sidecar: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct ProjectInput {
    pub name: String,
    pub sources: Vec<SourceDecl>,
    pub models: Vec<ModelInput>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Replaces a leading byte-order mark with a space: editors hide it, the
/// parser rejects it, and a space keeps every character position.
fn without_bom(text: &str) -> std::borrow::Cow<'_, str> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => format!(" {rest}").into(),
        None => text.into(),
    }
}

/// Reads every file of the project that Rocky understands: rocky.toml,
/// source declarations, seed files, model SQL and sidecars.
pub(crate) fn load(files: &ProjectFiles) -> ProjectInput {
    let cleaned: ProjectFiles;
    let files = if files.values().any(|text| text.starts_with('\u{feff}')) {
        cleaned = files
            .iter()
            .map(|(path, text)| (path.clone(), without_bom(text).into_owned()))
            .collect();
        &cleaned
    } else {
        files
    };
    let mut input = ProjectInput {
        name: "project".to_string(),
        ..Default::default()
    };
    let mut data_overrides = BTreeMap::new();

    match files.get("rocky.toml") {
        Some(text) => read_rocky_toml(text, &mut input, &mut data_overrides),
        None => input.diagnostics.push(
            Diagnostic::warning(
                "W0001",
                "rocky.toml",
                Span::default(),
                "the project has no rocky.toml",
            )
            .with_help("add a rocky.toml with `[project] name = \"...\"`"),
        ),
    }

    for (path, text) in files {
        let is_source_file = path.starts_with("sources/") && path.ends_with(".sql");
        if is_source_file || path == "data/seed.sql" {
            read_source_file(path, text, &mut input);
        }
    }

    let mut model_index: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    for (path, text) in files {
        let Some(rest) = path.strip_prefix("models/") else {
            continue;
        };
        let Some(stem) = rest.strip_suffix(".sql") else {
            continue;
        };
        let name = stem.rsplit('/').next().unwrap_or(stem).to_string();
        if name.contains('.') {
            input.diagnostics.push(
                Diagnostic::error(
                    "E0002",
                    path,
                    Span::new(1, 1, 1, 2),
                    format!("model file name `{name}` has a `.`, so the model cannot be named after it"),
                )
                .with_model(&name)
                .with_help("a `.` in a table name reads as the end of a schema; rename the file without it"),
            );
            continue;
        }
        let sidecar_path = format!("models/{stem}.toml");
        let sidecar = files.get(&sidecar_path).cloned();
        let config = match &sidecar {
            Some(sidecar) => read_sidecar(&sidecar_path, sidecar, &name, &mut input.diagnostics),
            None => ModelConfig {
                strategy: "full_refresh".to_string(),
                ..Default::default()
            },
        };
        // Names are compared without case, through an index, since a
        // scan per model made loading quadratic in the model count.
        let key = name.to_ascii_lowercase();
        if let Some(existing) = model_index.get(&key).map(|&index| &input.models[index]) {
            input.diagnostics.push(
                Diagnostic::error(
                    "E0106",
                    path,
                    Span::new(1, 1, 1, 2),
                    format!("model `{name}` is defined twice"),
                )
                .with_model(&name)
                .with_help(format!(
                    "it is also defined in {}; rename one of the files",
                    existing.file
                )),
            );
            continue;
        }
        model_index.insert(key, input.models.len());
        input.models.push(ModelInput {
            name,
            file: path.clone(),
            sql: text.clone(),
            config,
            sidecar,
        });
    }

    attach_data_files(files, &mut input, &data_overrides);
    input
}

fn read_rocky_toml(
    text: &str,
    input: &mut ProjectInput,
    data_overrides: &mut BTreeMap<String, Option<String>>,
) {
    let index = LineIndex::new(text);
    let table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(error) => {
            input
                .diagnostics
                .push(toml_error("rocky.toml", text, &error));
            return;
        }
    };
    let spans = TomlSpans::new(text);
    for key in table.keys() {
        if !ROCKY_TOML_KEYS.contains(&key.as_str()) {
            let span = spans.key(&[Step::Key(key)]);
            input.diagnostics.push(
                Diagnostic::warning(
                    "W0002",
                    "rocky.toml",
                    span.unwrap_or_default(),
                    format!("unknown key `{key}` in rocky.toml"),
                )
                .with_help(format!(
                    "Rocky reads {}",
                    ROCKY_TOML_KEYS[..3].join(", ") + ", ..."
                )),
            );
        }
    }
    let name_value = table.get("project").and_then(|p| p.get("name"));
    match name_value.and_then(|n| n.as_str()) {
        Some(name) => input.name = name.to_string(),
        None if name_value.is_some() => input.diagnostics.push(
            Diagnostic::warning(
                "W0007",
                "rocky.toml",
                spans
                    .key(&[Step::Key("project"), Step::Key("name")])
                    .unwrap_or_default(),
                "`[project] name` must be a string",
            )
            .with_help("write the name in quotes: `name = \"...\"`"),
        ),
        None => input.diagnostics.push(
            Diagnostic::warning(
                "W0001",
                "rocky.toml",
                index.find_line_start("[project]").unwrap_or_default(),
                "rocky.toml has no `[project] name`",
            )
            .with_help("add `name = \"...\"` under `[project]`"),
        ),
    }
    if let Some(sources) = table.get("sources").and_then(|s| s.as_table()) {
        for (name, settings) in sources {
            // Every section is kept, with or without `data`, so a section
            // for an undeclared source is reported either way.
            data_overrides
                .entry(name.to_ascii_lowercase())
                .or_insert(None);
            match settings.get("data") {
                Some(toml::Value::String(data)) => {
                    data_overrides.insert(name.to_ascii_lowercase(), Some(data.to_string()));
                }
                Some(_) => input.diagnostics.push(
                    Diagnostic::warning(
                        "W0007",
                        "rocky.toml",
                        spans
                            .key(&[Step::Key("sources"), Step::Key(name), Step::Key("data")])
                            .unwrap_or_default(),
                        format!(
                            "`data` of source `{name}` must be a path string; the value is ignored"
                        ),
                    )
                    .with_help("write `data = \"data/<file>.csv\"`"),
                ),
                None => {}
            }
        }
    }
}

/// The span of a column's type in `CREATE TABLE`, which sqlparser does not
/// keep: from after the column name up to the next `,` or `)` outside
/// parentheses, or a constraint keyword.
fn type_span_after(text: &str, name: Span) -> Option<Span> {
    let index = LineIndex::new(text);
    let start = index.offset(name.end)?;
    let rest = &text[start..];
    let skipped = rest.len() - rest.trim_start().len();
    let begin = start + skipped;
    let mut depth = 0i32;
    let mut end = begin;
    let bytes = text.as_bytes();
    while end < text.len() {
        match bytes[end] {
            b'(' | b'[' => depth += 1,
            b')' | b']' if depth > 0 => depth -= 1,
            b',' | b')' if depth == 0 => break,
            c if depth == 0 && c.is_ascii_whitespace() => {
                let word: String = text[end..]
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect::<String>()
                    .to_ascii_uppercase();
                if matches!(
                    word.as_str(),
                    "NOT"
                        | "NULL"
                        | "PRIMARY"
                        | "DEFAULT"
                        | "CHECK"
                        | "REFERENCES"
                        | "UNIQUE"
                        | "COLLATE"
                        | "GENERATED"
                        | "CONSTRAINT"
                ) {
                    break;
                }
            }
            _ => {}
        }
        end += 1;
    }
    let trimmed = text[begin..end].trim_end();
    (!trimmed.is_empty()).then(|| index.span(begin, begin + trimmed.len()))
}

/// The name of a `[sources.<name>]` section as rocky.toml spells it,
/// matched without regard to case.
fn section_name(text: &str, name: &str) -> Option<String> {
    let table: toml::Table = text.parse().ok()?;
    table
        .get("sources")?
        .as_table()?
        .keys()
        .find(|key| key.eq_ignore_ascii_case(name))
        .cloned()
}

fn toml_error(file: &str, text: &str, error: &toml::de::Error) -> Diagnostic {
    let index = LineIndex::new(text);
    let span = error
        .span()
        .map(|range| index.span(range.start, range.end.max(range.start + 1)))
        .unwrap_or_default();
    let message = error.message().trim().to_string();
    Diagnostic::error("E0003", file, span, format!("invalid TOML: {message}"))
        .with_help("fix the TOML syntax at this position")
}

fn read_source_file(path: &str, text: &str, input: &mut ProjectInput) {
    let statement_spans = crate::parse::statement_spans(text);
    let parsed: Vec<(Statement, Span)> = match parse_statements(text, path) {
        Ok(statements) => statements
            .into_iter()
            .enumerate()
            .map(|(number, statement)| {
                let span = statement_spans
                    .get(number)
                    .copied()
                    .unwrap_or(Span::new(1, 1, 1, 2));
                (statement, span)
            })
            .collect(),
        // One statement that does not parse loses only its own table.
        Err(_) => parse_each(text, path, &statement_spans, &mut input.diagnostics),
    };
    for (statement, statement_span) in parsed {
        match statement {
            Statement::CreateTable(create) => {
                let parts = name_parts(&create.name);
                if parts.iter().any(|part| part.contains('.')) {
                    input.diagnostics.push(
                        Diagnostic::error(
                            "E0004",
                            path,
                            crate::bind::object_span(&create.name),
                            format!(
                                "source table name `{}` has a `.` inside quotes",
                                create.name
                            ),
                        )
                        .with_help("Rocky reads a `.` in a table name as the schema's end; name the table without it"),
                    );
                    continue;
                }
                if parts.len() > 2 {
                    input.diagnostics.push(
                        Diagnostic::error(
                            "E0004",
                            path,
                            crate::bind::object_span(&create.name),
                            format!("source table name `{}` has too many parts", parts.join(".")),
                        )
                        .with_help("name a source `table` or `schema.table`"),
                    );
                    continue;
                }
                let mut columns = Vec::new();
                for column in &create.columns {
                    let not_null = column.options.iter().any(|o| {
                        matches!(
                            o.option,
                            ColumnOption::NotNull | ColumnOption::PrimaryKey(_)
                        )
                    });
                    let ty = Type::from_sql(&column.data_type).unwrap_or_else(|| {
                        let name_span = crate::bind::span_of(&column.name.span);
                        let span = type_span_after(text, name_span).unwrap_or(name_span);
                        if let Some((width, scale)) = crate::types::invalid_decimal(&column.data_type) {
                            input.diagnostics.push(
                                Diagnostic::error(
                                    "E0004",
                                    path,
                                    span,
                                    format!(
                                        "type `{}` of column `{}` is invalid: DECIMAL({width},{scale}) needs a width from 1 to 38 and a scale from 0 to the width",
                                        column.data_type, column.name.value
                                    ),
                                )
                                .with_help("write DECIMAL(width,scale) with scale <= width, as in DECIMAL(12,2)"),
                            );
                            return Type::Unknown;
                        }
                        // `DECMAL(10,2)` is matched on `DECMAL`.
                        let written = column.data_type.to_string();
                        let base = written.split(['(', '[']).next().unwrap_or(&written).trim();
                        input.diagnostics.push(
                            Diagnostic::error(
                                "E0004",
                                path,
                                span,
                                format!("type `{}` of column `{}` not found", column.data_type, column.name.value),
                            )
                            .with_help(match crate::text::closest(base, crate::types::TYPE_NAMES.iter().copied()) {
                                Some(similar) => format!("did you mean `{similar}`?"),
                                None => "use a DuckDB type such as INTEGER, VARCHAR, DECIMAL(p,s), DATE or TIMESTAMP".to_string(),
                            }),
                        );
                        Type::Unknown
                    });
                    columns.push((column.name.value.clone(), ty, not_null));
                }
                // A table-level PRIMARY KEY makes its columns NOT NULL too.
                for constraint in &create.constraints {
                    if let sqlparser::ast::TableConstraint::PrimaryKey(key) = constraint {
                        for key_column in &key.columns {
                            if let sqlparser::ast::Expr::Identifier(ident) = &key_column.column.expr
                            {
                                for (name, _, not_null) in &mut columns {
                                    if name.eq_ignore_ascii_case(&ident.value) {
                                        *not_null = true;
                                    }
                                }
                            }
                        }
                    }
                }
                if let Some(existing) = input
                    .sources
                    .iter()
                    .find(|s| s.parts.join(".").eq_ignore_ascii_case(&parts.join(".")))
                {
                    let span = crate::bind::object_span(&create.name);
                    input.diagnostics.push(
                        Diagnostic::error(
                            "E0107",
                            path,
                            span,
                            format!("source table `{}` is declared twice", parts.join(".")),
                        )
                        .with_help(format!("it is also declared in {}", existing.file)),
                    );
                    continue;
                }
                input.sources.push(SourceDecl {
                    parts,
                    file: path.to_string(),
                    columns,
                    data: None,
                    seed_statements: Vec::new(),
                });
            }
            Statement::Insert(insert) => {
                let insert_target_span = match &insert.table {
                    sqlparser::ast::TableObject::TableName(name) => crate::bind::object_span(name),
                    _ => statement_span,
                };
                let target = insert.table.to_string();
                let target_parts: Vec<String> = target
                    .split('.')
                    .map(|p| p.trim_matches('"').to_string())
                    .collect();
                let statement_text = Statement::Insert(insert).to_string();
                match input.sources.iter_mut().find(|s| {
                    s.parts
                        .join(".")
                        .eq_ignore_ascii_case(&target_parts.join("."))
                }) {
                    Some(source) => source.seed_statements.push(statement_text),
                    None => input.diagnostics.push(
                        Diagnostic::error(
                            "E0108",
                            path,
                            insert_target_span,
                            format!("INSERT into `{target}`, which is not declared"),
                        )
                        .with_help("declare the table with CREATE TABLE before inserting into it"),
                    ),
                }
            }
            Statement::CreateSchema { .. } => {}
            other => {
                let kind = other
                    .to_string()
                    .split_whitespace()
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ");
                input.diagnostics.push(
                    Diagnostic::warning("W0004", path, statement_span, format!("`{kind} ...` is ignored in a source file"))
                        .with_help("source files declare tables with CREATE TABLE and may fill them with INSERT"),
                );
            }
        }
    }
}

pub(crate) fn name_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|part| match part.as_ident() {
            Some(ident) => ident.value.clone(),
            None => part.to_string(),
        })
        .collect()
}

/// Attaches `data/<table>.csv` (or the path rocky.toml gives) to each source.
fn attach_data_files(
    files: &ProjectFiles,
    input: &mut ProjectInput,
    overrides: &BTreeMap<String, Option<String>>,
) {
    for source in &mut input.sources {
        if !source.seed_statements.is_empty() {
            continue;
        }
        let full = source.name().to_ascii_lowercase();
        let table = source
            .parts
            .last()
            .cloned()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let configured = overrides
            .get(&full)
            .and_then(Option::as_ref)
            .or_else(|| overrides.get(&table).and_then(Option::as_ref));
        if let Some(path) = configured {
            if files.contains_key(path) {
                source.data = Some(path.clone());
            } else {
                let section = if overrides.get(&full).is_some_and(Option::is_some) {
                    &full
                } else {
                    &table
                };
                let span = files
                    .get("rocky.toml")
                    .and_then(|text| {
                        let spans = TomlSpans::new(text);
                        // The section may be spelled in another case.
                        let written = section_name(text, section)?;
                        spans.key(&[Step::Key("sources"), Step::Key(&written), Step::Key("data")])
                    })
                    .unwrap_or_default();
                input.diagnostics.push(
                    Diagnostic::error(
                        "E0109",
                        "rocky.toml",
                        span,
                        format!("data file `{path}` of source `{}` not found", source.name()),
                    )
                    .with_help("add the CSV file to the project or fix the path"),
                );
            }
            continue;
        }
        let candidates = [
            format!("data/{}.csv", source.name()),
            format!(
                "data/{}.csv",
                source.parts.last().cloned().unwrap_or_default()
            ),
        ];
        source.data = candidates.iter().find_map(|candidate| {
            files
                .keys()
                .find(|path| path.eq_ignore_ascii_case(candidate))
                .cloned()
        });
    }
    for configured in overrides.keys() {
        let declared = input.sources.iter().any(|source| {
            source.name().eq_ignore_ascii_case(configured)
                || source
                    .parts
                    .last()
                    .is_some_and(|t| t.eq_ignore_ascii_case(configured))
        });
        if !declared {
            let span = files
                .get("rocky.toml")
                .and_then(|text| {
                    let written = section_name(text, configured)?;
                    TomlSpans::new(text).key(&[Step::Key("sources"), Step::Key(&written)])
                })
                .unwrap_or_default();
            input.diagnostics.push(
                Diagnostic::warning(
                    "W0009",
                    "rocky.toml",
                    span,
                    format!("rocky.toml configures source `{configured}`, which no file declares"),
                )
                .with_help("declare it with CREATE TABLE in sources/*.sql, or remove the section"),
            );
        }
    }
    for source in &input.sources {
        if let Some(text) = source.data.as_ref().and_then(|path| files.get(path)) {
            check_csv_header(source, text, &mut input.diagnostics);
        }
    }
}

/// The span of each field of a CSV header line, quotes included and
/// surrounding spaces left out.
fn csv_field_spans(line: &str) -> Vec<Span> {
    let chars: Vec<char> = line.chars().collect();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut push = |from: usize, to: usize| {
        let mut a = from;
        let mut b = to;
        while a < b && chars[a].is_whitespace() {
            a += 1;
        }
        while b > a && chars[b - 1].is_whitespace() {
            b -= 1;
        }
        spans.push(Span::new(1, a as u32 + 1, 1, b as u32 + 1));
    };
    for (i, c) in chars.iter().enumerate() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                push(start, i);
                start = i + 1;
            }
            _ => {}
        }
    }
    push(start, chars.len());
    spans
}

/// Compares a CSV file's header with the declared columns. Rows are loaded
/// by position, so a different count fails the load and a different name
/// most likely means a column in the wrong place.
fn check_csv_header(source: &SourceDecl, text: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(path) = &source.data else { return };
    let header_line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    let header: Vec<String> = split_csv_line(header_line);
    let declared: Vec<&str> = source
        .columns
        .iter()
        .map(|(name, _, _)| name.as_str())
        .collect();
    let span = Span::new(1, 1, 1, header_line.chars().count() as u32 + 1);
    if header.len() != declared.len() {
        diagnostics.push(
            Diagnostic::error(
                "E0005",
                path,
                span,
                format!(
                    "{path} has {} columns but source `{}` declares {}",
                    header.len(),
                    source.name(),
                    declared.len()
                ),
            )
            .with_help(format!(
                "the header is ({}); declare the same columns in that order in {}",
                header.join(", "),
                source.file
            )),
        );
        return;
    }
    let field_spans = csv_field_spans(header_line);
    for (position, (found, want)) in header.iter().zip(&declared).enumerate() {
        if !found.eq_ignore_ascii_case(want) {
            diagnostics.push(
                Diagnostic::warning(
                    "W0006",
                    path,
                    field_spans.get(position).copied().unwrap_or(span),
                    format!(
                        "column {} of {path} is `{found}`, but source `{}` declares `{want}` there",
                        position + 1,
                        source.name()
                    ),
                )
                .with_help("rows load by position, so check the column order"),
            );
        }
    }
}

/// Splits one CSV line at commas outside double quotes and unquotes each field.
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(field) = fields.last_mut() {
                    field.push('"');
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields.into_iter().map(|f| f.trim().to_string()).collect()
}

fn read_sidecar(
    path: &str,
    text: &str,
    model: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> ModelConfig {
    let mut config = ModelConfig {
        strategy: "full_refresh".to_string(),
        ..Default::default()
    };
    let table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(error) => {
            diagnostics.push(toml_error(path, text, &error).with_model(model));
            return config;
        }
    };
    let spans = TomlSpans::new(text);
    for key in table.keys() {
        if !SIDECAR_KEYS.contains(&key.as_str()) {
            let span = spans.key(&[Step::Key(key)]).unwrap_or_default();
            let help = match crate::text::closest(key, SIDECAR_KEYS.iter().copied()) {
                Some(similar) => format!("did you mean `{similar}`?"),
                None => "Rocky's model keys include intent, description, strategy, target, tests and columns".to_string(),
            };
            diagnostics.push(
                Diagnostic::warning(
                    "W0002",
                    path,
                    span,
                    format!("unknown key `{key}` in model sidecar"),
                )
                .with_model(model)
                .with_help(help),
            );
        }
    }
    let invalid = |diagnostics: &mut Vec<Diagnostic>, key: &str, expected: &str| {
        let span = spans.key(&[Step::Key(key)]).unwrap_or_default();
        diagnostics.push(
            Diagnostic::warning(
                "W0007",
                path,
                span,
                format!("`{key}` must be {expected}; the value is ignored"),
            )
            .with_model(model)
            .with_help(format!("write `{key}` as {expected}")),
        );
    };
    match table.get("owner") {
        None => {}
        Some(toml::Value::String(owner)) => config.owner = Some(owner.clone()),
        Some(_) => invalid(diagnostics, "owner", "a string"),
    }
    for key in ["intent", "description"] {
        match table.get(key) {
            None => {}
            Some(toml::Value::String(text)) if key == "intent" => {
                config.intent = Some(text.clone())
            }
            Some(toml::Value::String(text)) => config.description = Some(text.clone()),
            Some(_) => invalid(diagnostics, key, "a string"),
        }
    }
    if let Some(strategy) = table.get("strategy") {
        let kind = strategy
            .as_str()
            .or_else(|| strategy.get("type").and_then(|t| t.as_str()));
        match kind {
            Some(kind) if STRATEGIES.contains(&kind) => config.strategy = kind.to_string(),
            Some(kind) => {
                let span = spans
                    .key(&[Step::Key("strategy"), Step::Key("type")])
                    .or_else(|| spans.key(&[Step::Key("strategy")]))
                    .unwrap_or_default();
                let help = match crate::text::closest(kind, STRATEGIES.iter().copied()) {
                    Some(similar) => {
                        format!("did you mean `{similar}`? The playground builds it as a table")
                    }
                    None => format!(
                        "Rocky's strategies are {}; the playground builds it as a table",
                        STRATEGIES.join(", ")
                    ),
                };
                diagnostics.push(
                    Diagnostic::warning("W0008", path, span, format!("unknown strategy `{kind}`"))
                        .with_model(model)
                        .with_help(help),
                );
            }
            None => invalid(diagnostics, "strategy", "a table with `type = \"...\"`"),
        }
    }
    match table.get("depends_on") {
        None => {}
        Some(toml::Value::Array(items)) if items.iter().all(toml::Value::is_str) => {
            config.depends_on = items
                .iter()
                .filter_map(|d| d.as_str().map(str::to_string))
                .collect();
        }
        Some(_) => invalid(diagnostics, "depends_on", "a list of model names"),
    }
    match table.get("grain") {
        None => {}
        Some(toml::Value::String(column)) => config.grain = vec![column.clone()],
        Some(toml::Value::Array(items))
            if !items.is_empty() && items.iter().all(toml::Value::is_str) =>
        {
            config.grain = items
                .iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect();
        }
        Some(_) => invalid(
            diagnostics,
            "grain",
            "a column name or a list of column names",
        ),
    }
    match table.get("tests") {
        None => {}
        Some(toml::Value::Array(tests)) => {
            config.tests =
                crate::data_tests::sidecar::read_tests(path, text, model, tests, diagnostics);
        }
        Some(_) => invalid(diagnostics, "tests", "an array of tables (`[[tests]]`)"),
    }
    if let Some(columns) = table.get("columns").and_then(|c| c.as_table()) {
        for (name, settings) in columns {
            if let Some(description) = settings.get("description").and_then(|d| d.as_str()) {
                config
                    .column_descriptions
                    .push((name.clone(), description.to_string()));
            }
        }
    }
    config
}

/// Parses each statement of a source file on its own, with the rest of
/// the text blanked so that positions stay true, and reports the ones
/// that do not parse.
fn parse_each(
    text: &str,
    path: &str,
    spans: &[Span],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Statement, Span)> {
    let index = LineIndex::new(text);
    let mut parsed = Vec::new();
    for span in spans {
        let (Some(start), Some(end)) = (index.offset(span.start), index.offset(span.end)) else {
            continue;
        };
        let masked: String = text
            .char_indices()
            .map(|(at, c)| {
                if (start..end).contains(&at) || c == '\n' {
                    c
                } else {
                    ' '
                }
            })
            .collect();
        match parse_statements(&masked, path) {
            Ok(statements) => parsed.extend(statements.into_iter().map(|s| (s, *span))),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    parsed
}
