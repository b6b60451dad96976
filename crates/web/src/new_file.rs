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
    let mut path = if typed.contains('/') {
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
    let bad_part = path
        .split('/')
        .find(|part| part.is_empty() || *part == "." || *part == ".." || part.starts_with('.'));
    if let Some(part) = bad_part {
        let shown = if part.is_empty() {
            "an empty folder name"
        } else {
            part
        };
        return Err(format!("The path cannot contain {shown}"));
    }
    if path.chars().any(|c| c.is_control()) {
        return Err("The path cannot contain control characters".to_string());
    }
    if files.keys().any(|taken| taken.eq_ignore_ascii_case(&path)) {
        return Err(format!("{path} already exists"));
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
            "The path cannot contain .hidden"
        );
        assert_eq!(
            rejected("MODELS/ORDERS.SQL"),
            "MODELS/ORDERS.SQL already exists"
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
