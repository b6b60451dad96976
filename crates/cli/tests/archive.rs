//! `rocky build-sql`, `rocky export` and `rocky import` on the bundled
//! sample, run through the built binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rocky(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rocky"))
        .args(args)
        .output()
        .expect("failed to run rocky")
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample/jaffle_shop")
}

/// A fresh directory under the system temp directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rocky-cli-archive-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Reads every file under `dir` by its relative path, with `/` separators.
fn files_under(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.push((relative, fs::read_to_string(&path).unwrap_or_default()));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn build_sql_prints_script() {
    let output = rocky(&[Path::new("build-sql"), &sample()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let script = String::from_utf8(output.stdout).unwrap();
    assert!(script.starts_with("-- Builds the Rocky project `jaffle_shop` in DuckDB."));
    let copy = script
        .find("COPY \"raw_payments\" FROM 'data/raw_payments.csv'")
        .unwrap();
    let customers = script
        .find("CREATE OR REPLACE TABLE \"customers\"")
        .unwrap();
    assert!(copy < customers);
}

#[test]
fn export_then_import_round_trips() {
    let dir = scratch("round-trip");
    let zip = dir.join("shop.zip");
    let exported = rocky(&[Path::new("export"), &sample(), &zip]);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let target = dir.join("shop");
    let imported = rocky(&[Path::new("import"), &zip, &target]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let mut files = files_under(&target);
    let build = files
        .iter()
        .position(|(path, _)| path == "build.sql")
        .unwrap();
    files.remove(build);
    // The sample's files come back as they were; the reader skips dot files.
    let original: Vec<(String, String)> = files_under(&sample())
        .into_iter()
        .filter(|(path, _)| !path.rsplit('/').next().unwrap_or("").starts_with('.'))
        .collect();
    assert_eq!(files, original);
    let compiled = rocky(&[Path::new("compile"), &target]);
    assert!(compiled.status.success());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn import_refuses_busy_directory_and_bad_zip() {
    let dir = scratch("refuse");
    let zip = dir.join("shop.zip");
    assert!(rocky(&[Path::new("export"), &sample(), &zip])
        .status
        .success());
    let busy = dir.join("busy");
    fs::create_dir_all(&busy).unwrap();
    fs::write(busy.join("keep.txt"), "mine").unwrap();
    let output = rocky(&[Path::new("import"), &zip, &busy]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not empty"));
    assert_eq!(fs::read_to_string(busy.join("keep.txt")).unwrap(), "mine");

    let bad = dir.join("bad.zip");
    fs::write(&bad, b"PK\x03\x04 not really").unwrap();
    let output = rocky(&[Path::new("import"), &bad, &dir.join("new")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid .zip file"));
    assert!(!dir.join("new").exists());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn import_dbt_writes_project() {
    let src =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/dbt/jaffle_shop");
    let dst = std::env::temp_dir().join(format!("rocky-import-dbt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dst);
    let output = Command::new(env!("CARGO_BIN_EXE_rocky"))
        .args(["import-dbt", src.to_str().unwrap(), dst.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.ends_with(&format!(
            "imported 5 models, 3 seeds and 20 tests into {}\n",
            dst.display()
        )),
        "{stderr}"
    );
    assert!(dst.join("models/staging/stg_orders.sql").is_file());
    assert!(dst.join("data/raw_payments.csv").is_file());
    let compiled = Command::new(env!("CARGO_BIN_EXE_rocky"))
        .args(["compile", dst.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        compiled.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&compiled.stderr)
    );

    let again = Command::new(env!("CARGO_BIN_EXE_rocky"))
        .args(["import-dbt", src.to_str().unwrap(), dst.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(2),
        "an occupied directory is a usage error"
    );
    let _ = std::fs::remove_dir_all(&dst);
}
