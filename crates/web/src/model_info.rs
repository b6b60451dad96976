//! The open model's data for hover and completion in the editor: the type
//! behind each column name, the tables each SELECT can read, and the
//! project's models and source tables.
//!
//! While a model does not parse, its column names and scopes are those of
//! the latest compile in which it did, with the text they refer to, so the
//! bridge can map them onto the text being typed.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use rocky_core::{Column, ColumnUse, Compilation, Model, QueryScope, Span};
use serde::Serialize;

/// A model as a compile that parsed it left it: its SQL, which the spans
/// refer to, with its column names and scopes.
#[derive(Clone, Debug)]
pub struct ParsedModel {
    pub model: Arc<Model>,
}

impl PartialEq for ParsedModel {
    fn eq(&self, other: &ParsedModel) -> bool {
        Arc::ptr_eq(&self.model, &other.model)
    }
}

/// The value `rockyBridge.setEditorModelInfo` takes. Positions are 1-based
/// lines and columns counting characters, in `text`, which may be older
/// than the editor's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditorModelInfo {
    pub text: String,
    pub column_uses: Vec<EditorColumnUse>,
    pub scopes: Vec<EditorScope>,
    /// Every model and source table of the project.
    pub tables: Vec<EditorTable>,
    /// Set when the open file is a model's sidecar, for its completion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sidecar: Option<SidecarInfo>,
}

/// What completion offers in a model's sidecar: the model's columns, the
/// invariant phrases and the top-level keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SidecarInfo {
    pub model: String,
    pub columns: Vec<EditorColumn>,
    pub vocabulary: Vec<VocabularyOption>,
    pub keys: Vec<SidecarKey>,
}

/// One invariant phrase of the vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VocabularyOption {
    /// The phrase with placeholders, such as `one row per <column>, <column>`.
    pub phrase: &'static str,
    /// The text completion inserts: the phrase up to its first placeholder.
    pub insert: &'static str,
    /// `model` or `column`.
    pub scope: &'static str,
    pub description: &'static str,
}

/// A top-level key of a sidecar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SidecarKey {
    pub name: &'static str,
    pub description: &'static str,
}

/// The top-level sidecar keys completion offers, as docs/intent.md and
/// docs/data-tests.md describe them.
const SIDECAR_KEYS: &[SidecarKey] = &[
    SidecarKey {
        name: "intent",
        description: "What the model is for, in a sentence.",
    },
    SidecarKey {
        name: "description",
        description: "What the model contains.",
    },
    SidecarKey {
        name: "owner",
        description: "Who answers for the model.",
    },
    SidecarKey {
        name: "grain",
        description: "The columns that identify a row, as a list.",
    },
    SidecarKey {
        name: "invariants",
        description: "Facts about the whole model, in the invariant vocabulary.",
    },
    SidecarKey {
        name: "depends_on",
        description: "Models this one depends on beyond those it reads.",
    },
];

/// Returns the editor data of a model's sidecar, whose text is `text`.
pub fn sidecar_model_info(compilation: &Compilation, model: &Model, text: &str) -> EditorModelInfo {
    let vocabulary = rocky_core::intent::vocabulary()
        .iter()
        .map(|entry| VocabularyOption {
            phrase: entry.phrase,
            insert: entry.phrase.split('<').next().unwrap_or(entry.phrase),
            scope: match entry.scope {
                rocky_core::intent::InvariantScope::Model => "model",
                rocky_core::intent::InvariantScope::Column => "column",
            },
            description: entry.description,
        })
        .collect();
    EditorModelInfo {
        text: text.to_string(),
        column_uses: Vec::new(),
        scopes: Vec::new(),
        tables: project_tables(compilation),
        sidecar: Some(SidecarInfo {
            model: model.name.clone(),
            columns: model.columns.iter().map(editor_column).collect(),
            vocabulary,
            keys: SIDECAR_KEYS.to_vec(),
        }),
    }
}

/// A column name in the model's SQL and what it resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditorColumnUse {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// The column's name as its table defines it.
    pub name: String,
    /// The FROM item it belongs to, by the name the query uses for it.
    pub table: Option<String>,
    #[serde(rename = "type")]
    pub ty: String,
    /// The upstream column it copies, when it copies exactly one.
    pub source: Option<EditorColumnRef>,
}

/// A column of a model or source table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditorColumnRef {
    pub table: String,
    pub column: String,
}

/// The tables one SELECT can read, with its span from the SELECT keyword
/// to its end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditorScope {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub tables: Vec<EditorScopeTable>,
}

/// A FROM item of a scope, under its alias or its name as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditorScopeTable {
    pub name: String,
    pub columns: Vec<EditorColumn>,
}

/// A model or source table of the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditorTable {
    pub name: String,
    /// `model` or `source`.
    pub kind: &'static str,
    pub columns: Vec<EditorColumn>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditorColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// The description from the model's sidecar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Returns true when the model's SQL parsed in `compilation`, so its column
/// names and scopes are current. A syntax error (E0001) or a file that is
/// not one query (E0002) leaves them empty.
pub fn model_parsed(compilation: &Compilation, model: &Model) -> bool {
    !compilation
        .diagnostics
        .iter()
        .any(|d| d.file == model.file && matches!(d.code.as_str(), "E0001" | "E0002"))
}

/// Returns each model file's latest [`ParsedModel`]: this compile's for the
/// models that parsed, else the one in `previous`.
pub fn update_parsed_models(
    compilation: &Compilation,
    previous: &BTreeMap<String, Rc<ParsedModel>>,
) -> BTreeMap<String, Rc<ParsedModel>> {
    compilation
        .models
        .iter()
        .filter_map(|model| {
            let parsed = if model_parsed(compilation, model) {
                match previous.get(&model.file) {
                    // A recompile keeps the models an edit left alone.
                    Some(kept) if Arc::ptr_eq(&kept.model, model) => Rc::clone(kept),
                    _ => Rc::new(ParsedModel {
                        model: Arc::clone(model),
                    }),
                }
            } else {
                previous.get(&model.file)?.clone()
            };
            Some((model.file.clone(), parsed))
        })
        .collect()
}

/// Builds the editor's data for `model`, with the column names and scopes
/// of `parsed` (its latest compile that parsed) when there is one.
pub fn editor_model_info(
    compilation: &Compilation,
    model: &Model,
    parsed: Option<&ParsedModel>,
) -> EditorModelInfo {
    let (text, column_uses, scopes) = match parsed {
        Some(parsed) => (
            parsed.model.sql.clone(),
            parsed.model.column_uses.iter().map(column_use).collect(),
            parsed.model.scopes.iter().map(scope).collect(),
        ),
        None => (model.sql.clone(), Vec::new(), Vec::new()),
    };
    EditorModelInfo {
        text,
        column_uses,
        scopes,
        tables: project_tables(compilation),
        sidecar: None,
    }
}

/// Returns the project's models, then its source tables, with their columns.
pub fn project_tables(compilation: &Compilation) -> Vec<EditorTable> {
    let models = compilation.models.iter().map(|model| {
        let description = |name: &str| {
            model
                .config
                .column_descriptions
                .iter()
                .find(|(column, _)| column.eq_ignore_ascii_case(name))
                .map(|(_, text)| text.clone())
        };
        EditorTable {
            name: model.name.clone(),
            kind: "model",
            columns: model
                .columns
                .iter()
                .map(|column| EditorColumn {
                    description: description(&column.name),
                    ..editor_column(column)
                })
                .collect(),
        }
    });
    let sources = compilation.sources.iter().map(|source| EditorTable {
        name: source.name.clone(),
        kind: "source",
        columns: source.columns.iter().map(editor_column).collect(),
    });
    models.chain(sources).collect()
}

fn editor_column(column: &Column) -> EditorColumn {
    EditorColumn {
        name: column.name.clone(),
        ty: column.ty.clone(),
        description: None,
    }
}

fn column_use(found: &ColumnUse) -> EditorColumnUse {
    let (line, column, end_line, end_column) = corners(found.span);
    EditorColumnUse {
        line,
        column,
        end_line,
        end_column,
        name: found.column.clone(),
        table: found.table.clone(),
        ty: found.ty.clone(),
        source: found.source.as_ref().map(|source| EditorColumnRef {
            table: source.model.clone(),
            column: source.column.clone(),
        }),
    }
}

fn scope(found: &QueryScope) -> EditorScope {
    let (line, column, end_line, end_column) = corners(found.span);
    EditorScope {
        line,
        column,
        end_line,
        end_column,
        tables: found
            .tables
            .iter()
            .map(|table| EditorScopeTable {
                name: table.name.clone(),
                columns: table.columns.iter().map(editor_column).collect(),
            })
            .collect(),
    }
}

fn corners(span: Span) -> (u32, u32, u32, u32) {
    (
        span.start.line,
        span.start.column,
        span.end.line,
        span.end.column,
    )
}

#[cfg(test)]
mod tests {
    use rocky_core::{compile, ProjectFiles};

    use super::*;

    fn project(model_sql: &str) -> ProjectFiles {
        [
            ("rocky.toml", "[project]\nname = \"t\"\n"),
            (
                "sources/raw.sql",
                "CREATE TABLE raw.orders (id INTEGER, amount DECIMAL(10,2));",
            ),
            ("models/m.sql", model_sql),
            (
                "models/m.toml",
                "[columns.amount]\ndescription = \"in dollars\"\n",
            ),
        ]
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
    }

    fn info_of(
        compilation: &Compilation,
        parsed: &BTreeMap<String, Rc<ParsedModel>>,
    ) -> EditorModelInfo {
        let model = compilation.model("m").expect("model m");
        editor_model_info(
            compilation,
            model,
            parsed.get("models/m.sql").map(Rc::as_ref),
        )
    }

    #[test]
    fn uses_and_scopes_of_parsed_model() {
        let sql = "SELECT o.amount FROM orders AS o";
        let compilation = compile(&project(sql));
        let parsed = update_parsed_models(&compilation, &BTreeMap::new());
        let info = info_of(&compilation, &parsed);
        assert_eq!(info.text, sql);
        assert_eq!(info.column_uses.len(), 1, "{:?}", info.column_uses);
        let amount = &info.column_uses[0];
        assert_eq!(
            (
                amount.line,
                amount.column,
                amount.end_line,
                amount.end_column
            ),
            (1, 8, 1, 16)
        );
        assert_eq!(amount.name, "amount");
        assert_eq!(amount.table.as_deref(), Some("o"));
        assert_eq!(amount.ty, "DECIMAL(10,2)");
        let source = amount
            .source
            .as_ref()
            .expect("amount copies raw.orders.amount");
        assert_eq!(source.column, "amount");
        assert_eq!(info.scopes.len(), 1);
        assert_eq!(info.scopes[0].tables[0].name, "o");
    }

    #[test]
    fn tables_list_models_then_sources() {
        let compilation = compile(&project("SELECT amount FROM raw.orders"));
        let tables = project_tables(&compilation);
        let names: Vec<(&str, &str)> = tables.iter().map(|t| (t.name.as_str(), t.kind)).collect();
        assert_eq!(names, [("m", "model"), ("raw.orders", "source")]);
        let amount = &tables[0].columns[0];
        assert_eq!(amount.name, "amount");
        assert_eq!(amount.description.as_deref(), Some("in dollars"));
        assert_eq!(tables[1].columns[1].ty, "DECIMAL(10,2)");
    }

    #[test]
    fn syntax_error_keeps_last_parse() {
        let good = "SELECT amount FROM raw.orders";
        let first = compile(&project(good));
        let parsed = update_parsed_models(&first, &BTreeMap::new());

        let broken = compile(&project("SELECT amount, FROM raw.orders WHERE"));
        assert!(!model_parsed(&broken, broken.model("m").unwrap()));
        let kept = update_parsed_models(&broken, &parsed);
        let info = info_of(&broken, &kept);
        assert_eq!(
            info.text, good,
            "the positions must refer to the text that parsed"
        );
        assert_eq!(info.scopes.len(), 1);
        assert_eq!(info.column_uses.len(), 1);
    }

    #[test]
    fn never_parsed_model_has_text_only() {
        let compilation = compile(&project("SELECT FROM WHERE"));
        let parsed = update_parsed_models(&compilation, &BTreeMap::new());
        assert!(parsed.is_empty());
        let info = info_of(&compilation, &parsed);
        assert_eq!(info.text, "SELECT FROM WHERE");
        assert!(info.column_uses.is_empty());
        assert!(info.scopes.is_empty());
        assert_eq!(info.tables.len(), 2);
    }
}
