//! The bundled sample project and how its files are grouped in the file list.

use rocky_core::ProjectFiles;

include!(concat!(env!("OUT_DIR"), "/sample_files.rs"));

/// Returns the sample project as shipped, before any edit.
pub fn sample_project() -> ProjectFiles {
    SAMPLE_FILES
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}

/// A heading of the file list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileGroup {
    Project,
    Sources,
    Models,
    Data,
}

impl FileGroup {
    pub const ALL: [FileGroup; 4] = [
        FileGroup::Project,
        FileGroup::Sources,
        FileGroup::Models,
        FileGroup::Data,
    ];

    pub fn title(self) -> &'static str {
        match self {
            FileGroup::Project => "Project",
            FileGroup::Sources => "Sources",
            FileGroup::Models => "Models",
            FileGroup::Data => "Data",
        }
    }

    /// Returns the group of a project-relative path: its first folder, with
    /// files at the root and in unknown folders under Project.
    pub fn of(path: &str) -> FileGroup {
        match path.split_once('/').map(|(folder, _)| folder) {
            Some("sources") => FileGroup::Sources,
            Some("models") => FileGroup::Models,
            Some("data") => FileGroup::Data,
            _ => FileGroup::Project,
        }
    }
}

/// Returns the file to open first: the first model's SQL, else the first file.
pub fn first_open_path(files: &ProjectFiles) -> Option<String> {
    files
        .keys()
        .find(|path| FileGroup::of(path) == FileGroup::Models && path.ends_with(".sql"))
        .or_else(|| files.keys().next())
        .cloned()
}

/// Returns the paths of the CSV files that a run registers with DuckDB.
pub fn data_files(files: &ProjectFiles) -> Vec<String> {
    files
        .keys()
        .filter(|path| path.ends_with(".csv"))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(paths: &[&str]) -> ProjectFiles {
        paths
            .iter()
            .map(|path| (path.to_string(), String::new()))
            .collect()
    }

    #[test]
    fn groups_follow_first_folder() {
        assert_eq!(FileGroup::of("rocky.toml"), FileGroup::Project);
        assert_eq!(FileGroup::of("sources/raw_orders.sql"), FileGroup::Sources);
        assert_eq!(FileGroup::of("models/orders.sql"), FileGroup::Models);
        assert_eq!(FileGroup::of("models/orders.toml"), FileGroup::Models);
        assert_eq!(FileGroup::of("data/raw_orders.csv"), FileGroup::Data);
        assert_eq!(FileGroup::of("data/LICENSE"), FileGroup::Data);
        assert_eq!(FileGroup::of("docs/notes.md"), FileGroup::Project);
    }

    #[test]
    fn first_open_prefers_model_sql() {
        let files = project(&["data/a.csv", "models/b.toml", "models/b.sql", "rocky.toml"]);
        assert_eq!(first_open_path(&files).as_deref(), Some("models/b.sql"));
    }

    #[test]
    fn first_open_without_models() {
        assert_eq!(
            first_open_path(&project(&["rocky.toml"])).as_deref(),
            Some("rocky.toml")
        );
        assert_eq!(first_open_path(&ProjectFiles::new()), None);
    }

    #[test]
    fn data_files_are_csv_only() {
        let files = project(&["data/LICENSE", "data/a.csv", "data/b.csv", "models/a.sql"]);
        assert_eq!(data_files(&files), vec!["data/a.csv", "data/b.csv"]);
    }

    #[test]
    fn sample_is_bundled_when_present() {
        let sample_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sample/jaffle_shop");
        let files = sample_project();
        if std::path::Path::new(sample_dir).join("rocky.toml").exists() {
            assert!(files.contains_key("rocky.toml"));
            assert!(files.keys().any(|path| path.starts_with("models/")));
        } else {
            assert!(files.is_empty());
        }
    }
}
