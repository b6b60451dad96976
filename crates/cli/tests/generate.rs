//! Runs `rocky generate` and compiles what it writes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn rocky(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rocky"))
        .args(args)
        .output()
        .expect("the rocky binary runs")
}

/// Returns a directory path under the target folder that does not exist yet.
fn fresh_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn generated_project_compiles_cleanly() {
    let dir = fresh_dir("generate-120");
    let path = dir.to_str().unwrap();
    let output = rocky(&["generate", path, "--models", "120", "--seed", "7"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let models = std::fs::read_dir(dir.join("models")).unwrap().count();
    assert_eq!(models, 120);

    let compiled = rocky(&["compile", path]);
    assert_eq!(
        compiled.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    assert!(String::from_utf8_lossy(&compiled.stderr)
        .contains("compiled 120 models, 5 sources: 0 errors, 0 warnings"));
}

#[test]
fn same_seed_writes_same_files() {
    let first = fresh_dir("generate-seed-a");
    let second = fresh_dir("generate-seed-b");
    for dir in [&first, &second] {
        let output = rocky(&["generate", dir.to_str().unwrap(), "--models", "30"]);
        assert_eq!(output.status.code(), Some(0));
    }
    let read = |dir: &PathBuf| {
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir.join("models"))
            .unwrap()
            .map(|entry| {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&path).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let files = read(&first);
    assert_eq!(files.len(), 30);
    assert_eq!(files, read(&second));
}

#[test]
fn bad_arguments_are_rejected() {
    let dir = fresh_dir("generate-bad");
    let zero = rocky(&["generate", dir.to_str().unwrap(), "--models", "0"]);
    assert_eq!(zero.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&zero.stderr).contains("pass a count from 1 to 50000"));

    let occupied = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let occupied_dir = rocky(&["generate", occupied.to_str().unwrap()]);
    assert_eq!(occupied_dir.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&occupied_dir.stderr).contains("exists and is not empty"));
}
