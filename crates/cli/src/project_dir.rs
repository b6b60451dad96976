//! Reading a project directory from disk into rocky-core's in-memory
//! [`ProjectFiles`].

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rocky_core::ProjectFiles;

/// Directory names that contain build output or installed packages rather
/// than project sources. They are skipped at any depth.
const SKIPPED_DIRS: [&str; 2] = ["target", "node_modules"];

/// The files read from a project directory, and the files left out.
#[derive(Debug, Default)]
pub struct ProjectRead {
    pub files: ProjectFiles,
    /// Files that were found but could not be passed to the compiler.
    pub skipped: Vec<SkippedFile>,
}

/// A file left out of [`ProjectRead::files`], with the reason.
#[derive(Debug, PartialEq, Eq)]
pub struct SkippedFile {
    /// The path relative to the project directory, or the full path when it
    /// is not valid UTF-8.
    pub path: String,
    pub reason: &'static str,
}

impl fmt::Display for SkippedFile {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {}", self.path, self.reason)
    }
}

/// An IO error on a file or directory of the project.
#[derive(Debug)]
pub struct ReadProjectError {
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for ReadProjectError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "failed to read {}: {}",
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for ReadProjectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Reads every file under `root` into a map keyed by the path relative to
/// `root`, with `/` separators on every platform.
///
/// Hidden files and directories (names starting with `.`) and directories
/// named `target` or `node_modules` are left out silently. Files that are
/// not valid UTF-8, whose name is not valid UTF-8, and symbolic links to
/// directories or to nothing are listed in [`ProjectRead::skipped`].
/// Linked directories are not followed, so a link cycle cannot recurse
/// forever. Any other IO error, including a `root` that is missing or not
/// a directory, fails the whole read.
pub fn read_project(root: &Path) -> Result<ProjectRead, ReadProjectError> {
    let mut project = ProjectRead::default();
    read_directory(root, "", &mut project)?;
    Ok(project)
}

fn read_directory(
    directory: &Path,
    prefix: &str,
    project: &mut ProjectRead,
) -> Result<(), ReadProjectError> {
    let with_path = |source| ReadProjectError {
        path: directory.to_path_buf(),
        source,
    };
    let mut entries = fs::read_dir(directory)
        .map_err(with_path)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(with_path)?;
    // Sorted so that warnings come out in the same order on every run.
    entries.sort_by_key(|entry| entry.file_name());

    for entry in entries {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            project.skipped.push(SkippedFile {
                path: path.display().to_string(),
                reason: "the file name is not valid UTF-8",
            });
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let relative = format!("{prefix}{name}");

        let io_error = |source| ReadProjectError {
            path: path.clone(),
            source,
        };

        let file_type = entry.file_type().map_err(io_error)?;
        if file_type.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                read_directory(&path, &format!("{relative}/"), project)?;
            }
            continue;
        }
        // `metadata` follows a symbolic link, so a link is read as the file it points to.
        let metadata = match fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) if file_type.is_symlink() && error.kind() == io::ErrorKind::NotFound => {
                project.skipped.push(SkippedFile {
                    path: relative,
                    reason: "the symbolic link points to nothing",
                });
                continue;
            }
            Err(error) => return Err(io_error(error)),
        };
        if metadata.is_dir() {
            project.skipped.push(SkippedFile {
                path: relative,
                reason: "symbolic links to directories are not followed",
            });
            continue;
        }

        let bytes = fs::read(&path).map_err(io_error)?;
        match String::from_utf8(bytes) {
            Ok(contents) => {
                project.files.insert(relative, contents);
            }
            Err(_) => project.skipped.push(SkippedFile {
                path: relative,
                reason: "the file is not valid UTF-8",
            }),
        }
    }
    Ok(())
}

/// Returns true when `dir` exists and has an entry, so a command that
/// creates a project there must not write into it.
pub fn is_occupied(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

/// Writes every file of a project under `dir`, creating folders as needed.
/// The error names the file that could not be written.
pub fn write_project(dir: &Path, files: &ProjectFiles) -> Result<(), String> {
    for (path, text) in files {
        let target = dir.join(path);
        target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&target, text))
            .map_err(|error| format!("failed to write {}: {error}", target.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system temp directory, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let path =
                std::env::temp_dir().join(format!("rocky-cli-unit-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&path);
            fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }

        fn write(&self, relative: &str, contents: &[u8]) {
            let path = self.0.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn reads_nested_files_with_slashes() {
        let directory = TempDir::new("nested");
        directory.write("rocky.toml", b"[project]\nname = \"t\"\n");
        directory.write("models/a.sql", b"SELECT 1 AS x");
        directory.write("models/deep/b.sql", b"SELECT 2 AS y");

        let project = read_project(&directory.0).unwrap();

        let paths: Vec<&str> = project.files.keys().map(String::as_str).collect();
        assert_eq!(paths, ["models/a.sql", "models/deep/b.sql", "rocky.toml"]);
        assert_eq!(project.files["models/a.sql"], "SELECT 1 AS x");
        assert!(project.skipped.is_empty());
    }

    #[test]
    fn skips_build_hidden_and_package_directories() {
        let directory = TempDir::new("skipped-dirs");
        directory.write("models/a.sql", b"SELECT 1 AS x");
        directory.write("target/run/a.sql", b"SELECT 1 AS x");
        directory.write("node_modules/pkg/index.js", b"");
        directory.write(".git/HEAD", b"ref: refs/heads/main\n");
        directory.write("models/.hidden/c.sql", b"SELECT 3 AS z");
        directory.write("data/.gitattributes", b"*.csv -text\n");

        let project = read_project(&directory.0).unwrap();

        let paths: Vec<&str> = project.files.keys().map(String::as_str).collect();
        assert_eq!(paths, ["models/a.sql"]);
        assert!(project.skipped.is_empty());
    }

    #[test]
    fn lists_non_utf8_file_as_skipped() {
        let directory = TempDir::new("non-utf8");
        directory.write("models/a.sql", b"SELECT 1 AS x");
        directory.write("data/blob.bin", &[0xff, 0xfe, 0x00, 0x80]);

        let project = read_project(&directory.0).unwrap();

        assert!(project.files.contains_key("models/a.sql"));
        assert!(!project.files.contains_key("data/blob.bin"));
        assert_eq!(
            project.skipped,
            [SkippedFile {
                path: "data/blob.bin".to_string(),
                reason: "the file is not valid UTF-8"
            }]
        );
    }

    #[test]
    fn missing_root_fails() {
        let missing =
            std::env::temp_dir().join(format!("rocky-cli-unit-{}-missing", std::process::id()));

        let error = read_project(&missing).unwrap_err();

        assert_eq!(error.path, missing);
        assert_eq!(error.source.kind(), io::ErrorKind::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn directory_symlink_is_not_followed() {
        let directory = TempDir::new("symlink");
        directory.write("models/a.sql", b"SELECT 1 AS x");
        std::os::unix::fs::symlink(&directory.0, directory.0.join("models/loop")).unwrap();

        let project = read_project(&directory.0).unwrap();

        assert_eq!(project.files.len(), 1);
        assert_eq!(project.skipped.len(), 1);
        assert_eq!(project.skipped[0].path, "models/loop");
    }

    #[cfg(unix)]
    #[test]
    fn dangling_symlink_is_skipped() {
        let directory = TempDir::new("dangling");
        directory.write("models/a.sql", b"SELECT 1 AS x");
        std::os::unix::fs::symlink(
            directory.0.join("gone.sql"),
            directory.0.join("models/b.sql"),
        )
        .unwrap();

        let project = read_project(&directory.0).unwrap();

        assert_eq!(project.files.len(), 1);
        assert_eq!(
            project.skipped,
            [SkippedFile {
                path: "models/b.sql".to_string(),
                reason: "the symbolic link points to nothing"
            }]
        );
    }
}
