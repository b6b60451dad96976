//! Bundles the sample project into the app: writes `$OUT_DIR/sample_files.rs`,
//! a list of `(project-relative path, include_str!(absolute path))` for every
//! text file under `sample/jaffle_shop/`.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let sample_dir = manifest_dir.join("../../sample/jaffle_shop");
    // Cargo scans a watched folder recursively, and a missing one makes the
    // script rerun on every build, so the sample is picked up once it exists.
    println!("cargo:rerun-if-changed={}", sample_dir.display());

    let mut files = Vec::new();
    collect_files(&sample_dir, &sample_dir, &mut files);
    files.sort();

    let mut source = String::from("pub const SAMPLE_FILES: &[(&str, &str)] = &[\n");
    for (relative, absolute) in &files {
        println!("cargo:rerun-if-changed={}", absolute.display());
        let absolute = absolute.to_string_lossy();
        let _ = writeln!(source, "    ({relative:?}, include_str!({absolute:?})),");
    }
    source.push_str("];\n");

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(error) = fs::write(out_dir.join("sample_files.rs"), source) {
        panic!(
            "failed to write sample_files.rs into {}: {error}",
            out_dir.display()
        );
    }
}

/// Adds every UTF-8 file below `dir` to `files`, with its path relative to
/// `root` written with `/`. Hidden files and non-UTF-8 files are left out,
/// because `include_str!` cannot take the latter.
fn collect_files(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_files(root, &path, files);
            continue;
        }
        let is_text = fs::read(&path).is_ok_and(|bytes| std::str::from_utf8(&bytes).is_ok());
        if !is_text {
            println!(
                "cargo:warning=sample file {} is not UTF-8 text, left out",
                path.display()
            );
            continue;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let relative: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        let absolute = path.canonicalize().unwrap_or(path);
        files.push((relative.join("/"), absolute));
    }
}
