//! Branch names the page checks or makes up: a new or renamed branch's
//! name, checked with core's own rules before anything runs, and the
//! branch an imported .zip goes into, named after the file.

use rocky_core::branch::{BranchError, Workspace, MAIN, MAX_NAME_CHARS};
use rocky_core::ProjectFiles;

/// Checks `name` for a new branch, or for the branch `renaming` renamed,
/// with the errors `Workspace::create` gives. It checks against an empty
/// copy of the branch names, so no file is copied.
pub fn check_new_name(
    workspace: &Workspace,
    name: &str,
    renaming: Option<&str>,
) -> Result<(), BranchError> {
    let mut names = Workspace::new(ProjectFiles::new());
    for branch in workspace.branches() {
        let skipped = renaming.is_some_and(|old| old.eq_ignore_ascii_case(&branch.name));
        if branch.name != MAIN && !skipped {
            names.create(&branch.name, MAIN)?;
        }
    }
    names.create(name, MAIN).map(drop)
}

/// Returns a free, valid branch name for a .zip named `file_name`: its
/// stem with other characters than letters, digits, `_` and `-` replaced
/// by `-`, starting with a letter, and `-2`, `-3`, ... when taken. Returns
/// `None` when every number up to 999 is taken too.
pub fn import_branch_name(file_name: &str, workspace: &Workspace) -> Option<String> {
    let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = stem
        .strip_suffix(".zip")
        .or_else(|| stem.strip_suffix(".ZIP"))
        .unwrap_or(stem);
    let mut base: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base.insert_str(0, "import-");
    }
    // Room for a `-99` suffix.
    let room = MAX_NAME_CHARS - 4;
    if base.chars().count() > room {
        base = base.chars().take(room).collect();
    }
    if check_new_name(workspace, &base, None).is_ok() {
        return Some(base);
    }
    (2..1000)
        .map(|number| format!("{base}-{number}"))
        .find(|candidate| check_new_name(workspace, candidate, None).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(branches: &[&str]) -> Workspace {
        let mut workspace = Workspace::new(ProjectFiles::new());
        for name in branches {
            workspace.create(name, MAIN).unwrap();
        }
        workspace
    }

    #[test]
    fn new_names_checked_like_core() {
        let workspace = workspace(&["feature"]);
        assert_eq!(check_new_name(&workspace, "other", None), Ok(()));
        assert!(matches!(
            check_new_name(&workspace, "Feature", None),
            Err(BranchError::AlreadyExists { .. })
        ));
        assert!(matches!(
            check_new_name(&workspace, "main", None),
            Err(BranchError::AlreadyExists { .. })
        ));
        let error = check_new_name(&workspace, "has space", None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid branch name `has space`: ` ` is not allowed; use letters, digits, `_` and `-`"
        );
    }

    #[test]
    fn rename_may_keep_own_name() {
        let workspace = workspace(&["feature", "other"]);
        assert_eq!(
            check_new_name(&workspace, "FEATURE", Some("feature")),
            Ok(())
        );
        assert!(check_new_name(&workspace, "other", Some("feature")).is_err());
    }

    #[test]
    fn import_names_from_file() {
        let empty = workspace(&[]);
        let name = |file: &str, workspace: &Workspace| import_branch_name(file, workspace);
        assert_eq!(
            name("jaffle_shop-feature.zip", &empty).as_deref(),
            Some("jaffle_shop-feature")
        );
        assert_eq!(
            name("C:\\Downloads\\my project (1).zip", &empty).as_deref(),
            Some("my-project--1-")
        );
        assert_eq!(name("2024.zip", &empty).as_deref(), Some("import-2024"));
        assert_eq!(name("main.zip", &empty).as_deref(), Some("main-2"));
        let taken = workspace(&["shop", "shop-2"]);
        assert_eq!(name("shop.zip", &taken).as_deref(), Some("shop-3"));
        let long = name(&format!("{}.zip", "x".repeat(80)), &empty).unwrap_or_default();
        assert_eq!(long.chars().count(), MAX_NAME_CHARS - 4);
    }
}
