//! Import of a dbt project into the Rocky folder layout.
//!
//! Each model's Jinja is rendered with minijinja: `ref()` and `source()`
//! become plain table names, `config()` records the materialization,
//! `var()` reads `dbt_project.yml`'s vars or the default, and the project's
//! own macros are available. A call of anything else (an adapter macro, a
//! package's macro, `run_query`) is reported with its file and line and the
//! model is left out: the importer does not guess what a macro would have
//! returned. `schema.yml` descriptions, `{{ doc() }}` blocks and the generic
//! tests (unique, not_null, accepted_values, relationships) become sidecars.
//! Seeds become source tables with their CSV as data, with column types read
//! from the values as dbt's seed loader infers them.

use serde::{Deserialize, Serialize};

use rocky_core::diagnostic::{Diagnostic, Severity, Span};
use rocky_core::ProjectFiles;

mod project;
mod render;
mod schema;
mod seeds;

use project::DbtProject;

/// The result of an import: the Rocky project and what the importer
/// reports about the dbt one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbtImport {
    /// The Rocky project: rocky.toml, sources/, data/, models/ with
    /// sidecars.
    pub files: ProjectFiles,
    /// Problems found in the dbt project, each on its file (a path of the
    /// dbt project) and line. Errors leave out what they are about.
    pub diagnostics: Vec<Diagnostic>,
    /// The names of the imported models.
    pub models: Vec<String>,
    /// The names of the seeds imported as source tables.
    pub seeds: Vec<String>,
    /// How many dbt tests became sidecar tests.
    pub tests: usize,
}

impl DbtImport {
    /// Returns true when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Imports the dbt project in `files` (paths relative to the folder that
/// contains `dbt_project.yml`, or to a folder above it holding a single
/// project, as a .zip of the folder has).
pub fn import_dbt(files: &ProjectFiles) -> DbtImport {
    let mut import = DbtImport::default();
    let Some(prefix) = project_root(files) else {
        import.diagnostics.push(problem(
            "dbt_project.yml",
            Span::default(),
            "no dbt_project.yml found",
            "import the folder that contains dbt_project.yml, or a .zip of it",
        ));
        return import;
    };
    let files: ProjectFiles = files
        .iter()
        .filter_map(|(path, text)| {
            path.strip_prefix(prefix.as_str())
                .map(|rest| (rest.to_string(), text.clone()))
        })
        .collect();
    let project = match DbtProject::read(&files) {
        Ok(project) => project,
        Err(diagnostic) => {
            import.diagnostics.push(*diagnostic);
            return import;
        }
    };

    let schema = schema::read_schemas(&files, &project, &mut import.diagnostics);
    let seeds = seeds::read_seeds(&files, &project, &mut import.diagnostics);
    let models = render::render_models(&files, &project, &schema, &seeds, &mut import.diagnostics);

    let mut rocky_toml = format!("[project]\nname = {}\n", toml_string(&project.name));
    for seed in &seeds {
        import
            .files
            .insert(format!("sources/{}.sql", seed.name), seed.declaration());
        import
            .files
            .insert(format!("data/{}.csv", seed.name), seed.csv.clone());
        rocky_toml.push_str(&format!(
            "\n[sources.{}]\ndata = \"data/{}.csv\"\n",
            toml_key(&seed.name),
            seed.name
        ));
        import.seeds.push(seed.name.clone());
    }
    for (source, text) in schema.source_declarations() {
        import.files.insert(format!("sources/{source}.sql"), text);
    }
    import.files.insert("rocky.toml".to_string(), rocky_toml);

    for model in models {
        let sidecar = schema.sidecar(&model.name, &model.materialized, &mut import.tests);
        let stem = model.path.strip_suffix(".sql").unwrap_or(&model.path);
        if let Some(sidecar) = sidecar {
            import.files.insert(format!("models/{stem}.toml"), sidecar);
        }
        import.files.insert(format!("models/{stem}.sql"), model.sql);
        import.models.push(model.name);
    }
    schema.report_unknown_models(&import.models, &mut import.diagnostics);
    import
}

/// Returns the path prefix of the folder that contains `dbt_project.yml`:
/// empty at the top, `name/` for a single folder above it.
fn project_root(files: &ProjectFiles) -> Option<String> {
    let mut roots: Vec<&str> = files
        .keys()
        .filter_map(|path| path.strip_suffix("dbt_project.yml"))
        .filter(|prefix| prefix.is_empty() || prefix.ends_with('/'))
        .collect();
    // The shallowest one; packages under dbt_packages/ have their own.
    roots.sort_by_key(|prefix| prefix.matches('/').count());
    roots.first().map(|prefix| prefix.to_string())
}

/// Creates an error on a file of the dbt project.
fn problem(file: &str, span: Span, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic {
        code: "E0801".to_string(),
        severity: Severity::Error,
        model: None,
        file: file.to_string(),
        message: message.into(),
        span,
        help: Some(help.to_string()),
        labels: Vec::new(),
    }
}

/// Creates a warning on a file of the dbt project.
fn warning(file: &str, span: Span, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic {
        code: "W0801".to_string(),
        severity: Severity::Warning,
        ..problem(file, span, message, help)
    }
}

/// Writes a TOML basic string, with `"`, `\\` and control characters
/// escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a TOML key, quoted unless it is bare.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_string()
    } else {
        toml_string(key)
    }
}
