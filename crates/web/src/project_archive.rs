//! Export of the current branch as a .zip in the Rocky folder layout with a
//! `build.sql` for the DuckDB CLI, and the files an imported .zip gives a
//! new branch, through core's archive module.

use rocky_core::archive::{export_files, write_zip, Imported, BUILD_SQL};
use rocky_core::branch::MAIN;
use rocky_core::{Compilation, ProjectFiles};

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

/// Returns the project files of an import and the entries left out, with
/// why. The `build.sql` at the project's top is left out, because an
/// export writes it from the models and a later export writes it again.
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
        let (back, skipped) = import_files(imported);
        assert_eq!(back, files);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].0, BUILD_SQL);
    }
}
