//! Export of the current branch as a .zip in the Rocky folder layout with a
//! `build.sql` for the DuckDB CLI, and the files an imported .zip gives a
//! new branch, through core's archive module.

use rocky_core::archive::{export_files, write_zip, Imported, BUILD_SQL};
use rocky_core::branch::MAIN;
use rocky_core::{Compilation, Diagnostic, ProjectFiles};
use serde::Deserialize;

/// Returns the name of an export's folder and, with `.zip`, of its file:
/// the project's name, and the branch's after a `-` for a branch other
/// than `main`. Characters a file name should not have become `_`.
pub fn export_folder(project: &str, branch: &str) -> String {
    let project = if project.trim().is_empty() {
        "project"
    } else {
        project.trim()
    };
    let name = if branch == MAIN {
        project.to_string()
    } else {
        format!("{project}-{branch}")
    };
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes the .zip of `files`, with the `build.sql` of `compilation`, in
/// the folder `folder`.
pub fn export_zip(files: &ProjectFiles, compilation: &Compilation, folder: &str) -> Vec<u8> {
    write_zip(&export_files(files, compilation), folder)
}

/// Returns true when the files of an import are a dbt project: a
/// `dbt_project.yml` at the top or in a folder, and no `rocky.toml`.
pub fn is_dbt_project(files: &ProjectFiles) -> bool {
    !files.contains_key("rocky.toml")
        && files
            .keys()
            .any(|path| path == "dbt_project.yml" || path.ends_with("/dbt_project.yml"))
}

/// Returns the project files of an import of a Rocky project and the
/// entries left out with why. The `build.sql` at the project's top is left
/// out, because an export writes it from the models and a later export
/// writes it again.
pub fn import_files(imported: Imported) -> (ProjectFiles, Vec<(String, String)>) {
    let Imported {
        mut files,
        mut skipped,
    } = imported;
    if files.remove(BUILD_SQL).is_some() {
        skipped.push((
            BUILD_SQL.to_string(),
            "written by every export, so it is not a project file".to_string(),
        ));
    }
    (files, skipped)
}

/// The result of the dbt importer's module (crates/dbt-web), with the
/// fields of `rocky_dbt::DbtImport`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct DbtImported {
    /// The project in the Rocky layout.
    pub files: ProjectFiles,
    /// Problems, on the dbt project's files.
    pub diagnostics: Vec<Diagnostic>,
    pub models: Vec<String>,
    pub seeds: Vec<String>,
    pub tests: usize,
}

impl DbtImported {
    /// Returns the converted project, keeping the entries `skipped` the
    /// archive reader left out, and the importer's report.
    pub fn into_import(self, skipped: Vec<(String, String)>) -> (Imported, DbtReport) {
        let report = DbtReport {
            models: self.models.len(),
            seeds: self.seeds.len(),
            tests: self.tests,
            errors: self.diagnostics.iter().filter(|d| d.is_error()).count(),
            problems: self
                .diagnostics
                .iter()
                .map(|d| format!("{}:{}: {}", d.file, d.span.start.line, d.message))
                .collect(),
        };
        let imported = Imported {
            files: self.files,
            skipped,
        };
        (imported, report)
    }
}

/// The dbt importer's report on a .zip: counts and problems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbtReport {
    pub models: usize,
    pub seeds: usize,
    pub tests: usize,
    /// How many models were left out for an error.
    pub errors: usize,
    /// Each diagnostic as `file:line: message`, on the dbt project's files.
    pub problems: Vec<String>,
}

impl DbtReport {
    /// Describes the import in one sentence, with at most three problems.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "converted a dbt project: {} models, {} seeds as sources, {} tests",
            self.models, self.seeds, self.tests
        );
        if !self.problems.is_empty() {
            let shown: Vec<&str> = self.problems.iter().take(3).map(String::as_str).collect();
            text.push_str(&format!(
                "; {} problem{}: {}",
                self.problems.len(),
                if self.problems.len() == 1 { "" } else { "s" },
                shown.join("; ")
            ));
            if self.problems.len() > 3 {
                text.push_str("; ...");
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use rocky_core::archive::read_zip;
    use rocky_core::compile;

    use super::*;

    #[test]
    fn folder_names_branch() {
        assert_eq!(export_folder("jaffle_shop", MAIN), "jaffle_shop");
        assert_eq!(
            export_folder("jaffle_shop", "feature"),
            "jaffle_shop-feature"
        );
        assert_eq!(export_folder("my shop/x", MAIN), "my_shop_x");
        assert_eq!(export_folder("", "b"), "project-b");
    }

    #[test]
    fn export_round_trips_through_import() {
        let files = crate::sample::sample_project();
        if files.is_empty() {
            return;
        }
        let compilation = compile(&files);
        let bytes = export_zip(&files, &compilation, "jaffle_shop");
        let imported = match read_zip(&bytes) {
            Ok(imported) => imported,
            Err(error) => panic!("the export does not import: {error}"),
        };
        assert!(imported.files.contains_key(BUILD_SQL));
        assert!(!is_dbt_project(&imported.files));
        let (back, skipped) = import_files(imported);
        assert_eq!(back, files);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].0, BUILD_SQL);
    }
}

/// Runs the dbt importer natively, as the page's dbt module does, through
/// its serialized result.
#[cfg(test)]
pub(crate) fn import_natively(files: &ProjectFiles) -> DbtImported {
    let import = rocky_dbt::import_dbt(files);
    let json = serde_json::to_string(&import).expect("the import serializes");
    serde_json::from_str(&json).expect("DbtImported reads what the module returns")
}

#[cfg(test)]
mod dbt_tests {
    use super::*;

    #[test]
    fn dbt_zip_is_converted() {
        let mut files = ProjectFiles::new();
        files.insert("shop/dbt_project.yml".into(), "name: shop\n".into());
        files.insert("shop/seeds/raw.csv".into(), "id\n1\n".into());
        files.insert(
            "shop/models/a.sql".into(),
            "select id from {{ ref('raw') }}\n".into(),
        );
        files.insert(
            "shop/models/b.sql".into(),
            "select {{ nope() }} as x\n".into(),
        );
        assert!(is_dbt_project(&files));
        let skipped = vec![("shop/.DS_Store".to_string(), "hidden".to_string())];
        let (imported, report) = import_natively(&files).into_import(skipped.clone());
        assert_eq!(imported.skipped, skipped);
        let files = imported.files;
        assert_eq!(files["models/a.sql"], "select id from raw\n");
        assert!(files.contains_key("rocky.toml"));
        assert!(!is_dbt_project(&files));
        assert_eq!(
            (report.models, report.seeds, report.tests, report.errors),
            (1, 1, 0, 1)
        );
        let text = report.describe();
        assert!(text.starts_with("converted a dbt project: 1 models, 1 seeds as sources, 0 tests; 1 problem: models/b.sql:1: unknown macro"), "{text}");
    }

    #[test]
    fn rocky_project_with_dbt_file_is_not_dbt() {
        let mut files = ProjectFiles::new();
        files.insert("rocky.toml".into(), "[project]\nname = \"x\"\n".into());
        files.insert("notes/dbt_project.yml".into(), "name: old\n".into());
        assert!(!is_dbt_project(&files));
        files.remove("rocky.toml");
        assert!(is_dbt_project(&files));
    }
}
