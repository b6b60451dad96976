//! .zip export and import: round trips, archives other tools write, the
//! DuckDB CLI script, and hostile archives.

mod common;

use std::path::Path;

use rocky_core::archive::{
    build_sql, crc32, export_files, folder_skip_reason, read_folder, read_zip, read_zip_with,
    write_zip, ArchiveError, Limits, BUILD_SQL,
};
use rocky_core::{compile, ProjectFiles};

fn project(files: &[(&str, &str)]) -> ProjectFiles {
    files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}

fn minimal() -> ProjectFiles {
    project(&[
        ("rocky.toml", "[project]\nname = \"p\"\n"),
        ("models/a.sql", "select 1 as x\n"),
    ])
}

/// Builds an archive entry by entry, stored, so a test can write names
/// and flags the writer never would.
fn stored_zip(entries: &[(&str, &[u8])], flags: u16) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let header = |signature: u32, is_central: bool| {
            let mut bytes = signature.to_le_bytes().to_vec();
            if is_central {
                bytes.extend_from_slice(&20u16.to_le_bytes());
            }
            bytes.extend_from_slice(&20u16.to_le_bytes());
            bytes.extend_from_slice(&flags.to_le_bytes());
            bytes.extend_from_slice(&0u16.to_le_bytes());
            bytes.extend_from_slice(&[0; 4]);
            bytes.extend_from_slice(&crc32(data).to_le_bytes());
            bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
            bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
            bytes.extend_from_slice(&(name.len() as u16).to_le_bytes());
            bytes.extend_from_slice(&0u16.to_le_bytes());
            if is_central {
                bytes.extend_from_slice(&[0; 10]);
                bytes.extend_from_slice(&offset.to_le_bytes());
            }
            bytes.extend_from_slice(name.as_bytes());
            bytes
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn crc32_of_known_text() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
}

#[test]
fn sample_round_trips() {
    let files = common::load_sample();
    let bytes = write_zip(&files, "jaffle_shop");
    let imported = read_zip(&bytes).unwrap();
    assert_eq!(imported.files, files);
    assert!(imported.skipped.is_empty());
    // The same files give the same bytes.
    assert_eq!(write_zip(&files, "jaffle_shop"), bytes);
}

#[test]
fn archive_without_folder_reads() {
    let files = minimal();
    let imported = read_zip(&write_zip(&files, "")).unwrap();
    assert_eq!(imported.files, files);
}

#[test]
fn python_zipfile_archive_reads() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/python-zipfile-project.zip"),
    )
    .unwrap();
    let imported = read_zip(&bytes).unwrap();
    let paths: Vec<&str> = imported.files.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        vec![
            "data/items.csv",
            "models/total.sql",
            "rocky.toml",
            "sources/raw.sql",
            "stored.txt"
        ]
    );
    assert!(imported.files["data/items.csv"].ends_with("199,199.50\n"));
    assert_eq!(imported.files["stored.txt"], "kept as is");
    let skipped: Vec<&str> = imported
        .skipped
        .iter()
        .map(|(path, _)| path.as_str())
        .collect();
    assert_eq!(skipped, vec!["__MACOSX/shop/._rocky.toml", "shop/logo.png"]);
    assert!(!compile(&imported.files).has_errors());
}

#[test]
fn traversal_is_rejected() {
    for name in [
        "../evil.sql",
        "shop/../../evil.sql",
        "/etc/passwd",
        "C:/x.sql",
        "a\\..\\..\\b",
    ] {
        let bytes = stored_zip(&[("rocky.toml", b"[project]\n"), (name, b"x")], 0);
        assert_eq!(
            read_zip(&bytes),
            Err(ArchiveError::UnsafePath {
                path: name.to_string()
            }),
            "{name}"
        );
    }
}

#[test]
fn deflate_bomb_stops_at_limit() {
    let zeros = "0".repeat(4 * 1024 * 1024);
    let bytes = write_zip(
        &project(&[("rocky.toml", "[project]\n"), ("data/big.csv", &zeros)]),
        "",
    );
    assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
    let limits = Limits {
        file_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let error = read_zip_with(&bytes, limits).unwrap_err();
    assert!(matches!(error, ArchiveError::TooLarge { .. }), "{error}");
    let total = Limits {
        total_bytes: 1024 * 1024,
        ..Limits::default()
    };
    assert!(matches!(
        read_zip_with(&bytes, total),
        Err(ArchiveError::TooLarge { .. })
    ));
}

#[test]
fn lying_size_is_caught() {
    // The directory claims a small size, and the data inflates to more.
    let zeros = "0".repeat(100_000);
    let mut bytes = write_zip(
        &project(&[("rocky.toml", "[project]\n"), ("a.csv", &zeros)]),
        "",
    );
    let limits = Limits {
        file_bytes: 50_000,
        ..Limits::default()
    };
    // Sizes in the central directory entry of `a.csv`, the first entry.
    let central =
        u32::from_le_bytes(bytes[bytes.len() - 6..bytes.len() - 2].try_into().unwrap()) as usize;
    bytes[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
    let error = read_zip_with(&bytes, limits).unwrap_err();
    assert!(
        matches!(
            error,
            ArchiveError::TooLarge { .. } | ArchiveError::Invalid { .. }
        ),
        "{error}"
    );
}

#[test]
fn damaged_archives_give_clear_errors() {
    assert!(matches!(
        read_zip(b"not a zip at all"),
        Err(ArchiveError::Invalid { .. })
    ));
    assert!(matches!(read_zip(b""), Err(ArchiveError::Invalid { .. })));
    let good = write_zip(&minimal(), "p");
    // Every truncation is an error, never a panic.
    for cut in 0..good.len() {
        assert!(read_zip(&good[..cut]).is_err(), "cut at {cut}");
    }
    // A flipped byte in the first entry's data, after its 30-byte header
    // and its name `p/models/a.sql`, fails the CRC check.
    let mut flipped = good.clone();
    flipped[30 + 14 + 2] ^= 0xFF;
    assert!(read_zip(&flipped).is_err());
}

#[test]
fn encrypted_entry_is_unsupported() {
    let bytes = stored_zip(&[("rocky.toml", b"[project]\n")], 1);
    assert!(matches!(
        read_zip(&bytes),
        Err(ArchiveError::Unsupported { .. })
    ));
}

#[test]
fn archive_needs_one_project() {
    let none = write_zip(&project(&[("models/a.sql", "select 1")]), "p");
    assert_eq!(read_zip(&none), Err(ArchiveError::NoProject));
    let two = write_zip(
        &project(&[
            ("a/rocky.toml", "[project]\n"),
            ("b/rocky.toml", "[project]\n"),
        ]),
        "",
    );
    let error = read_zip(&two).unwrap_err();
    assert!(error.to_string().contains("several folders"), "{error}");
}

#[test]
fn duplicate_entry_is_invalid() {
    let bytes = stored_zip(&[("rocky.toml", b"a"), ("rocky.toml", b"b")], 0);
    assert!(matches!(
        read_zip(&bytes),
        Err(ArchiveError::Invalid { .. })
    ));
}

#[test]
fn build_sql_orders_and_skips() {
    let files = project(&[
        ("rocky.toml", "[project]\nname = \"p\"\n"),
        ("sources/raw.sql", "CREATE TABLE raw.items (id INTEGER);\n"),
        ("data/items.csv", "id\n1\n"),
        ("models/base.sql", "select id from items"),
        ("models/broken.sql", "select nope from base"),
        ("models/after.sql", "select * from broken"),
        ("models/top.sql", "select count(*) as n from base"),
    ]);
    let compilation = compile(&files);
    let script = build_sql(&compilation);
    let base = script.find("CREATE OR REPLACE TABLE \"base\"").unwrap();
    let top = script.find("CREATE OR REPLACE TABLE \"top\"").unwrap();
    assert!(
        script
            .find("COPY \"raw\".\"items\" FROM 'data/items.csv'")
            .unwrap()
            < base
    );
    assert!(base < top);
    assert!(script.contains("-- `broken` is left out: it has compile errors."));
    assert!(script.contains("-- `after` is left out: it reads `broken`, which is left out."));
    assert!(!script.contains("FROM broken;"));
    let exported = export_files(&files, &compilation);
    assert_eq!(exported[BUILD_SQL], script);
}

#[test]
fn dbt_project_archive_reads() {
    let files = project(&[
        ("dbt_project.yml", "name: shop\n"),
        ("models/a.sql", "select 1 as x\n"),
        ("dbt_packages/utils/dbt_project.yml", "name: utils\n"),
    ]);
    let imported = read_zip(&write_zip(&files, "shop")).unwrap();
    assert_eq!(imported.files["dbt_project.yml"], "name: shop\n");
    assert_eq!(imported.files["models/a.sql"], "select 1 as x\n");
    let none = project(&[("models/a.sql", "select 1 as x\n")]);
    let error = read_zip(&write_zip(&none, "shop")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no rocky.toml or dbt_project.yml in the archive; zip the project folder that contains it"
    );
}

fn picked(files: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
        .collect()
}

#[test]
fn picked_folder_reads_like_a_zip() {
    let imported = read_folder(
        picked(&[
            ("shop/rocky.toml", "[project]\nname = \"shop\"\n"),
            ("shop/models/a.sql", "select 1 as id"),
            ("other/notes.txt", "outside"),
        ]),
        Limits::default(),
    )
    .unwrap();
    let paths: Vec<&str> = imported.files.keys().map(String::as_str).collect();
    assert_eq!(paths, ["models/a.sql", "rocky.toml"]);
    assert_eq!(imported.skipped[0].0, "other/notes.txt");
}

#[test]
fn picked_folder_is_checked() {
    let error = read_folder(picked(&[("../rocky.toml", "")]), Limits::default()).unwrap_err();
    assert!(matches!(error, ArchiveError::UnsafePath { .. }), "{error}");
    let error =
        read_folder(picked(&[("a/models/x.sql", "select 1")]), Limits::default()).unwrap_err();
    assert_eq!(error, ArchiveError::NoProject);
    let small = Limits {
        file_bytes: 4,
        ..Limits::default()
    };
    let error = read_folder(picked(&[("p/rocky.toml", "12345")]), small).unwrap_err();
    assert_eq!(
        error.to_string(),
        "archive too large: p/rocky.toml has 5 bytes, more than the 4 one file may have"
    );
    let few = Limits {
        entries: 1,
        ..Limits::default()
    };
    let two = picked(&[("p/rocky.toml", ""), ("p/a.sql", "")]);
    assert!(read_folder(two, few)
        .unwrap_err()
        .to_string()
        .contains("2 files"));
}

#[test]
fn built_and_hidden_folders_are_left_out() {
    assert_eq!(folder_skip_reason("shop/.git/config"), Some("hidden"));
    assert_eq!(folder_skip_reason("shop/.DS_Store"), Some("hidden"));
    assert_eq!(
        folder_skip_reason("shop/target/compiled/x.sql"),
        Some("in a folder of built or installed files")
    );
    assert_eq!(
        folder_skip_reason("shop/dbt_packages/utils/dbt_project.yml"),
        Some("in a folder of built or installed files")
    );
    assert_eq!(folder_skip_reason("shop/models/target.sql"), None);
    assert_eq!(folder_skip_reason("shop/models/orders.sql"), None);
}

#[test]
fn marker_file_must_be_utf8() {
    for marker in ["rocky.toml", "dbt_project.yml"] {
        let files = vec![
            (format!("p/{marker}"), b"name: \xff\xfe\n".to_vec()),
            ("p/models/a.sql".to_string(), b"select 1".to_vec()),
        ];
        let error = read_folder(files, Limits::default()).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("invalid .zip file: p/{marker} is not UTF-8 text; save it as UTF-8")
        );
    }
}

#[test]
fn skip_reason_names_the_dbt_marker() {
    let imported = read_folder(
        picked(&[
            ("a/dbt_project.yml", "name: a\n"),
            ("b/dbt_project.yml", "name: b\n"),
        ]),
        Limits::default(),
    )
    .unwrap();
    assert_eq!(
        imported.files.keys().collect::<Vec<_>>(),
        ["dbt_project.yml"]
    );
    assert_eq!(
        imported.skipped,
        [(
            "b/dbt_project.yml".to_string(),
            "outside the folder of dbt_project.yml".to_string()
        )]
    );
}
