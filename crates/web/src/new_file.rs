//! The path and first text of a file the user adds from the file list.

use rocky_core::ProjectFiles;

/// The longest path a new file may have, in bytes.
const MAX_PATH_BYTES: usize = 200;

/// Returns the project-relative path for what the user typed: a bare name
/// goes into `models/`, and a name without an extension gets `.sql`. Empty
/// parts, `.` and `..`, backslashes, an absolute path and a path that is
/// taken are rejected with the reason.
pub fn new_file_path(typed: &str, files: &ProjectFiles) -> Result<String, String> {
    let typed = typed.trim();
    if typed.is_empty() || typed.ends_with('/') {
        return Err("Type a file name, such as models/orders_per_channel.sql".to_string());
    }
    if typed.starts_with('/') || typed.contains('\\') {
        return Err("The path must be relative to the project, with / between folders".to_string());
    }

    // A bare model or sidecar name goes into models/; a bare name of any
    // other kind, such as rocky.toml or README.md, stays at the top.
    let bare_elsewhere = typed == "rocky.toml"
        || typed
            .rsplit_once('.')
            .is_some_and(|(_, extension)| !matches!(extension, "sql" | "toml"));
    let mut path = if typed.contains('/') || bare_elsewhere {
        typed.to_string()
    } else {
        format!("models/{typed}")
    };

    let name = path.rsplit('/').next().unwrap_or_default();
    if !name.contains('.') {
        path.push_str(".sql");
    }

    if path.len() > MAX_PATH_BYTES {
        return Err(format!(
            "The path is longer than {MAX_PATH_BYTES} characters"
        ));
    }

    for part in path.split('/') {
        if part.is_empty() {
            return Err("The path cannot contain an empty folder name".to_string());
        }
        if part == "." || part == ".." {
            return Err(format!("The path cannot contain {part}"));
        }
        if part.starts_with('.') {
            return Err(format!(
                "A file or folder name cannot start with a dot: {part}"
            ));
        }
    }

    if path.chars().any(|c| c.is_control()) {
        return Err("The path cannot contain control characters".to_string());
    }
    if let Some(taken) = files.keys().find(|taken| taken.eq_ignore_ascii_case(&path)) {
        return Err(if *taken == path {
            format!("{path} already exists")
        } else {
            format!("{taken} already exists, and names that differ only in case would clash")
        });
    }
    Ok(path)
}

/// Returns the text a new file starts with: a SELECT for a model, a
/// CREATE TABLE for a source, nothing for any other file.
pub fn starting_text(path: &str) -> String {
    let stem = path
        .rsplit('/')
        .next()
        .and_then(|name| name.split('.').next())
        .unwrap_or("new_table");
    if path.starts_with("models/") && path.ends_with(".sql") {
        "-- One SELECT. Read other models and sources by their table names.\nselect 1 as id\n"
            .to_string()
    } else if path.starts_with("sources/") && path.ends_with(".sql") {
        format!("CREATE TABLE {stem} (\n    id INTEGER NOT NULL\n);\n")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> ProjectFiles {
        [("models/orders.sql".to_string(), "select 1".to_string())]
            .into_iter()
            .collect()
    }

    #[test]
    fn bare_names_become_models() {
        assert_eq!(
            new_file_path("by_day", &files()),
            Ok("models/by_day.sql".into())
        );
        assert_eq!(
            new_file_path(" models/by_day.toml ", &files()),
            Ok("models/by_day.toml".into())
        );
        assert_eq!(
            new_file_path("notes/readme.md", &files()),
            Ok("notes/readme.md".into())
        );
        assert_eq!(
            new_file_path("rocky.toml", &files()),
            Ok("rocky.toml".into())
        );
        assert_eq!(new_file_path("README.md", &files()), Ok("README.md".into()));
        assert_eq!(
            new_file_path("by_day.toml", &files()),
            Ok("models/by_day.toml".into())
        );
    }

    #[test]
    fn bad_paths_are_rejected() {
        let rejected = |typed: &str| new_file_path(typed, &files()).unwrap_err();
        assert!(rejected("").starts_with("Type a file name"));
        assert!(rejected("models/").starts_with("Type a file name"));
        assert!(rejected("/etc/passwd").contains("relative"));
        assert!(rejected("models\\a.sql").contains("relative"));
        assert_eq!(rejected("../a.sql"), "The path cannot contain ..");
        assert_eq!(
            rejected("models//a.sql"),
            "The path cannot contain an empty folder name"
        );
        assert_eq!(
            rejected("models/.hidden"),
            "A file or folder name cannot start with a dot: .hidden"
        );
        assert_eq!(
            rejected("MODELS/ORDERS.SQL"),
            "models/orders.sql already exists, and names that differ only in case would clash"
        );
        assert_eq!(
            rejected("models/orders.sql"),
            "models/orders.sql already exists"
        );
        assert!(rejected(&"a".repeat(300)).contains("longer than"));
    }

    #[test]
    fn starting_text_fits_the_folder() {
        assert!(starting_text("models/a.sql").contains("select 1 as id"));
        assert_eq!(
            starting_text("sources/raw_events.sql"),
            "CREATE TABLE raw_events (\n    id INTEGER NOT NULL\n);\n"
        );
        assert_eq!(starting_text("models/a.toml"), "");
    }
}
