//! The share link codec: round trips, the first format, and damaged,
//! hostile and oversized links.

mod common;

use rocky_core::share::{
    decode_fragment, encode, encode_v1, fragment, is_share_fragment, link, SharedProject,
    MAX_FRAGMENT_CHARS, MAX_PRACTICAL_LINK_CHARS,
};
use rocky_core::ProjectFiles;

fn sample_project() -> SharedProject {
    SharedProject {
        files: common::load_sample(),
        branch: "feature".into(),
        open_path: Some("models/orders.sql".into()),
        model: Some("orders".into()),
        column: Some("amount".into()),
        view: Some("lineage".into()),
    }
}

#[test]
fn round_trip_keeps_everything() {
    let project = sample_project();
    let decoded = decode_fragment(&fragment(&project, false)).unwrap();
    assert_eq!(decoded.project, project);
    assert!(!decoded.embed);
    assert_eq!(decoded.version, 2);
    let decoded = decode_fragment(&format!("#{}", fragment(&project, true))).unwrap();
    assert!(decoded.embed);
    assert_eq!(decoded.project, project);
}

#[test]
fn round_trip_unicode_and_binary_looking_text() {
    let mut files = ProjectFiles::new();
    files.insert(
        "rocky.toml".into(),
        "[project]\nname = \"ünï — 名前\"\n".into(),
    );
    files.insert(
        "models/a.sql".into(),
        "select '\u{0}\u{1f600}\\' as x -- \r\n".into(),
    );
    let project = SharedProject {
        files,
        branch: "main".into(),
        ..SharedProject::default()
    };
    for length in 0..3 {
        // Payloads of each length modulo 3 exercise every base64 tail.
        let mut project = project.clone();
        project.branch.push_str(&"x".repeat(length));
        assert_eq!(
            decode_fragment(&fragment(&project, false)).unwrap().project,
            project
        );
    }
}

#[test]
fn sample_link_is_practical() {
    let url = link("http://127.0.0.1:8080/#old", &sample_project(), false);
    assert!(url.starts_with("http://127.0.0.1:8080/#share=r2."), "{url}");
    assert!(!url.contains("#old"));
    assert!(
        url.len() < MAX_PRACTICAL_LINK_CHARS,
        "the sample's link has {} characters",
        url.len()
    );
    assert!(url
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.:/#=&".contains(&b)));
}

#[test]
fn first_format_still_opens() {
    let files = common::load_sample();
    let payload = encode_v1(
        &files,
        "main",
        Some("models/customers.sql"),
        Some("customers.first_name"),
    );
    let decoded = decode_fragment(&format!("share={payload}&embed=1")).unwrap();
    assert_eq!(decoded.version, 1);
    assert!(decoded.embed);
    assert_eq!(decoded.project.files, files);
    assert_eq!(decoded.project.branch, "main");
    assert_eq!(
        decoded.project.open_path.as_deref(),
        Some("models/customers.sql")
    );
    assert_eq!(decoded.project.model.as_deref(), Some("customers"));
    assert_eq!(decoded.project.column.as_deref(), Some("first_name"));
    assert_eq!(decoded.project.view, None);
}

#[test]
fn truncated_link_is_an_error() {
    let full = fragment(&sample_project(), false);
    for keep in [full.len() - 1, full.len() - 7, full.len() / 2, 20, 9] {
        let error = decode_fragment(&full[..keep]).unwrap_err();
        let text = error.to_string();
        assert!(
            text.starts_with("the link is damaged")
                || text.starts_with("the link's project is invalid"),
            "cut at {keep}: {text}"
        );
    }
}

#[test]
fn corrupted_character_has_position() {
    let full = fragment(&sample_project(), false);
    let at = full.len() / 2;
    let mut corrupted = full.clone();
    corrupted.replace_range(at..at + 1, "*");
    let error = decode_fragment(&corrupted).unwrap_err();
    assert_eq!(error.offset, Some(at));
    assert!(error
        .to_string()
        .contains(&format!("at character {}", at + 1)));
    // The same with the leading `#`, which counts as a character.
    let error = decode_fragment(&format!("#{corrupted}")).unwrap_err();
    assert_eq!(error.offset, Some(at + 1));
}

#[test]
fn flipped_bits_never_panic() {
    let full = fragment(&sample_project(), false);
    let bytes = full.as_bytes();
    let alphabet = b"AZaz09-_";
    for i in (7..bytes.len()).step_by(97) {
        for replacement in alphabet {
            let mut changed = bytes.to_vec();
            changed[i] = *replacement;
            let text = String::from_utf8(changed).unwrap();
            // Either it still decodes (the change hit a don't-care bit) or it
            // is an error; it must not panic.
            let _ = decode_fragment(&text);
        }
    }
}

#[test]
fn version_and_shape_errors() {
    assert_eq!(
        decode_fragment("view=lineage").unwrap_err().message,
        "the link has no `share=` part"
    );
    assert!(decode_fragment("share=abc")
        .unwrap_err()
        .message
        .contains("no version"));
    let newer = decode_fragment("share=r9.AAAA").unwrap_err();
    assert!(newer
        .message
        .contains("format version 9, newer than this page reads (2)"));
    assert_eq!(newer.offset, Some(6));
    assert!(decode_fragment("share=x2.AAAA")
        .unwrap_err()
        .message
        .contains("is not `r` and a number"));
    assert!(decode_fragment("share=r0.AAAA")
        .unwrap_err()
        .message
        .contains("unknown format version 0"));
    assert!(is_share_fragment("#share=r2.x&embed=1"));
    assert!(is_share_fragment("embed=1&share=r2.x"));
    assert!(!is_share_fragment("#lesson=1"));
}

#[test]
fn hostile_paths_are_rejected() {
    for path in [
        "../etc/passwd",
        "/abs.sql",
        "models/../../x.sql",
        "a\\b.sql",
        "",
    ] {
        let mut files = ProjectFiles::new();
        files.insert("rocky.toml".into(), "[project]\nname = \"x\"\n".into());
        files.insert(path.into(), "select 1".into());
        let project = SharedProject {
            files,
            ..SharedProject::default()
        };
        let error = decode_fragment(&fragment(&project, false)).unwrap_err();
        assert!(
            error
                .message
                .starts_with("the shared project has an invalid file path"),
            "{path}: {error}"
        );
    }
    let mut project = sample_project();
    project.open_path = Some("models/missing.sql".into());
    let error = decode_fragment(&fragment(&project, false)).unwrap_err();
    assert_eq!(
        error.message,
        "the link opens `models/missing.sql`, which the project does not have"
    );
    let empty = SharedProject::default();
    assert_eq!(
        decode_fragment(&fragment(&empty, false))
            .unwrap_err()
            .message,
        "the shared project has no files"
    );
}

#[test]
fn bombs_and_oversized_links_are_refused() {
    // 20 MiB of one byte deflates to a few kilobytes.
    let mut files = ProjectFiles::new();
    files.insert("models/a.sql".into(), "a".repeat(20 * 1024 * 1024));
    let project = SharedProject {
        files,
        ..SharedProject::default()
    };
    let payload = encode(&project);
    assert!(
        payload.len() < 200_000,
        "the bomb is {} characters",
        payload.len()
    );
    let error = decode_fragment(&format!("share={payload}")).unwrap_err();
    assert_eq!(
        error.message,
        "the shared project is larger than 16 MiB unpacked"
    );

    let long = format!("share=r2.{}", "A".repeat(MAX_FRAGMENT_CHARS));
    assert!(decode_fragment(&long)
        .unwrap_err()
        .message
        .contains("more than the 2097152 read"));
}
