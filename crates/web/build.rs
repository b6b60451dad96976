//! Bundles the sample projects and the lessons into the app: writes
//! `$OUT_DIR/sample_files.rs` with, for `sample/jaffle_shop/` (the project
//! the page opens), `sample/retail/` and `lessons/`, a list of
//! `(relative path, include_str!(absolute path))` for every text file.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    // The page's crash handler (www/src/main.js) resets the stack pointer
    // after a trap, which leaves it where the trap happened.
    if env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--export=__stack_pointer");
    }
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut source = String::new();
    for (constant, folder) in [
        ("SAMPLE_FILES", "sample/jaffle_shop"),
        ("RETAIL_FILES", "sample/retail"),
        ("LESSON_FILES", "lessons"),
    ] {
        let dir = manifest_dir.join("../..").join(folder);
        // Cargo scans a watched folder recursively, and a missing one makes
        // the script rerun on every build, so a folder is picked up once it
        // exists.
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files = Vec::new();
        collect_files(&dir, &dir, &mut files);
        files.sort();
        let _ = writeln!(source, "pub const {constant}: &[(&str, &str)] = &[");
        for (relative, absolute) in &files {
            println!("cargo:rerun-if-changed={}", absolute.display());
            let absolute = absolute.to_string_lossy();
            let _ = writeln!(source, "    ({relative:?}, include_str!({absolute:?})),");
        }
        source.push_str("];\n");
    }

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
