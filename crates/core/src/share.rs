//! Share links: a project's files and what the page shows of them (branch,
//! open file, selected column, view), carried in a URL fragment so that no
//! server stores or even receives them. Browsers do not send the fragment
//! with the request.
//!
//! The fragment is `#share=<payload>`, with `&embed=1` for the compact
//! lineage view meant for an iframe. The payload starts with its format
//! version:
//!
//! - `r2.` then the JSON of [`SharedProject`], deflated (raw DEFLATE, RFC
//!   1951) and written in unpadded base64url (RFC 4648 §5). This is what
//!   [`encode`] writes.
//! - `r1.` then the JSON of the first format, in base64url without
//!   compression: `{"files": {...}, "branch": "...", "path": "...",
//!   "column": "model.column"}`. Links of that form still open.
//!
//! Links are untrusted input: [`decode_fragment`] bounds the link's
//! length, the inflated size and the number of files, checks every path,
//! and reports the first problem with its position in the fragment.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ProjectFiles;

/// The version [`encode`] writes.
pub const LINK_VERSION: u32 = 2;

/// The maximum length of a link the page offers, in characters of the
/// whole URL. A longer project is offered as a file download. Browsers send no
/// fragment to the server, so no server's request-line limit applies, and
/// Chromium reads URLs of up to 2 MiB. The bound is for the people and
/// tools that carry a link: 32 KiB keeps it pasteable into docs, issues
/// and chat, and still fits a project of the bundled sample's size with
/// its CSV data (about 12,500 characters).
pub const MAX_PRACTICAL_LINK_CHARS: usize = 32 * 1024;

/// The maximum fragment length [`decode_fragment`] reads: 2 MiB, Chromium's
/// limit on a URL's length.
pub const MAX_FRAGMENT_CHARS: usize = 2 * 1024 * 1024;

/// The maximum size a payload may inflate to, in bytes, so that a small hostile link
/// cannot make the page allocate gigabytes.
pub const MAX_INFLATED_BYTES: usize = 16 * 1024 * 1024;

/// The maximum number of files in a shared project.
pub const MAX_FILES: usize = 10_000;

/// A project and the place in it that a link opens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SharedProject {
    /// The files of the shared branch.
    pub files: ProjectFiles,
    /// The name of the shared branch, which the opened project shows.
    pub branch: String,
    /// The file open in the editor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_path: Option<String>,
    /// The selected model or source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The selected column of `model`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The main view: `editor`, `lineage` or `compare`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
}

/// A decoded link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedLink {
    pub project: SharedProject,
    /// True when the link requests the embedded lineage view.
    pub embed: bool,
    /// The payload's format version.
    pub version: u32,
}

/// The reason a link could not be read, with the character offset in
/// the fragment (after `#`) where the problem was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError {
    pub message: String,
    pub offset: Option<usize>,
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.offset {
            Some(offset) => write!(
                f,
                "{} (at character {} of the link's fragment)",
                self.message,
                offset + 1
            ),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ShareError {}

fn error(message: impl Into<String>, offset: Option<usize>) -> ShareError {
    ShareError {
        message: message.into(),
        offset,
    }
}

/// Returns the payload of a project: `r2.` and its compressed JSON.
pub fn encode(project: &SharedProject) -> String {
    let json = serde_json::to_vec(project).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("r{LINK_VERSION}.{}", base64url_encode(&packed))
}

/// Returns the fragment of a link, without `#`: `share=<payload>`, and
/// `&embed=1` for the embedded view.
pub fn fragment(project: &SharedProject, embed: bool) -> String {
    let mut fragment = format!("share={}", encode(project));
    if embed {
        fragment.push_str("&embed=1");
    }
    fragment
}

/// Returns the whole link: `base_url` (its own fragment dropped) with the
/// fragment of `project`.
pub fn link(base_url: &str, project: &SharedProject, embed: bool) -> String {
    let base = base_url.split('#').next().unwrap_or(base_url);
    format!("{base}#{}", fragment(project, embed))
}

/// Returns true when a fragment (with or without `#`) contains a share link.
pub fn is_share_fragment(fragment: &str) -> bool {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment.split('&').any(|part| part.starts_with("share="))
}

/// Reads a link's fragment, with or without its `#`. Every problem of the
/// input is an error; nothing panics.
pub fn decode_fragment(fragment: &str) -> Result<DecodedLink, ShareError> {
    let (fragment, base) = match fragment.strip_prefix('#') {
        Some(rest) => (rest, 1),
        None => (fragment, 0),
    };
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(error(
            format!(
                "the link has {} characters, more than the {MAX_FRAGMENT_CHARS} read",
                fragment.len()
            ),
            None,
        ));
    }
    let mut payload = None;
    let mut embed = false;
    let mut offset = 0;
    for part in fragment.split('&') {
        if let Some(value) = part.strip_prefix("share=") {
            payload = Some((value, base + offset + "share=".len()));
        } else if part == "embed=1" {
            embed = true;
        }
        offset += part.len() + 1;
    }
    let Some((payload, start)) = payload else {
        return Err(error("the link has no `share=` part", None));
    };
    let (version, body, body_start) = split_version(payload, start)?;
    let bytes = base64url_decode(body).map_err(|at| {
        error(
            "the link is damaged: a character is not base64url (A-Z, a-z, 0-9, - and _)",
            Some(body_start + at),
        )
    })?;
    let project = match version {
        1 => read_v1(&bytes, body_start)?,
        2 => read_v2(&bytes, body_start)?,
        _ => unreachable!("split_version accepts versions 1 and 2"),
    };
    check_project(&project)?;
    Ok(DecodedLink {
        project,
        embed,
        version,
    })
}

/// Splits `r<version>.` off the payload, which starts at `start`.
fn split_version(payload: &str, start: usize) -> Result<(u32, &str, usize), ShareError> {
    let Some((head, body)) = payload.split_once('.') else {
        return Err(error(
            "the link is damaged: its payload has no version (`r2.`)",
            Some(start),
        ));
    };
    let version = head
        .strip_prefix('r')
        .and_then(|digits| digits.parse::<u32>().ok())
        .ok_or_else(|| {
            error(
                format!("the link's version `{head}` is not `r` and a number"),
                Some(start),
            )
        })?;
    match version {
        1 | 2 => Ok((version, body, start + head.len() + 1)),
        newer if newer > LINK_VERSION => Err(error(
            format!("the link has format version {newer}, newer than this page reads ({LINK_VERSION}); open it in a newer version of the playground"),
            Some(start),
        )),
        _ => Err(error(format!("the link has the unknown format version {version}"), Some(start))),
    }
}

/// The first format's JSON: files, a branch, an open path and a column as
/// `model.column`.
#[derive(Deserialize)]
struct LinkV1 {
    files: ProjectFiles,
    #[serde(default)]
    branch: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    column: Option<String>,
}

fn read_v1(bytes: &[u8], start: usize) -> Result<SharedProject, ShareError> {
    let old: LinkV1 = serde_json::from_slice(bytes).map_err(|e| json_error(&e, start))?;
    let (model, column) = match old.column.as_deref().and_then(|c| c.split_once('.')) {
        Some((model, column)) => (Some(model.to_string()), Some(column.to_string())),
        None => (None, None),
    };
    Ok(SharedProject {
        files: old.files,
        branch: old.branch,
        open_path: old.path,
        model,
        column,
        view: None,
    })
}

fn read_v2(bytes: &[u8], start: usize) -> Result<SharedProject, ShareError> {
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => error(
                format!("the shared project is larger than {} MiB unpacked", MAX_INFLATED_BYTES / 1024 / 1024),
                Some(start),
            ),
            _ => error(
                "the link is damaged or cut short: its compressed data does not unpack; copy the whole link again",
                Some(start),
            ),
        })?;
    serde_json::from_slice(&json).map_err(|e| json_error(&e, start))
}

fn json_error(e: &serde_json::Error, start: usize) -> ShareError {
    error(format!("the link's project is invalid: {e}"), Some(start))
}

/// Checks the decoded project: the number of files and each path.
fn check_project(project: &SharedProject) -> Result<(), ShareError> {
    if project.files.len() > MAX_FILES {
        return Err(error(
            format!(
                "the shared project has {} files, more than the {MAX_FILES} read",
                project.files.len()
            ),
            None,
        ));
    }
    if project.files.is_empty() {
        return Err(error("the shared project has no files", None));
    }
    for path in project.files.keys() {
        if let Err(reason) = crate::branch::check_path(path) {
            return Err(error(
                format!("the shared project has an invalid file path: {reason}"),
                None,
            ));
        }
    }
    if let Some(path) = &project.open_path {
        if !project.files.contains_key(path) {
            return Err(error(
                format!("the link opens `{path}`, which the project does not have"),
                None,
            ));
        }
    }
    Ok(())
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Writes `bytes` in base64url without padding.
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Reads unpadded base64url, and accepts a trailing `=`. The error is the
/// offset of the first character outside the alphabet, or of the end when
/// the length is impossible.
fn base64url_decode(text: &str) -> Result<Vec<u8>, usize> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut buffer = 0u32;
    let mut bits = 0;
    for (i, byte) in text.bytes().enumerate() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return Err(i),
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if text.len() % 4 == 1 {
        return Err(text.len());
    }
    Ok(out)
}

/// Returns a first-format payload (`r1.`) of `files`, for tests of old
/// links and for tools that write links without compression.
pub fn encode_v1(
    files: &ProjectFiles,
    branch: &str,
    path: Option<&str>,
    column: Option<&str>,
) -> String {
    let mut value = BTreeMap::new();
    value.insert("files", serde_json::to_value(files).unwrap_or_default());
    value.insert("branch", serde_json::Value::from(branch));
    if let Some(path) = path {
        value.insert("path", serde_json::Value::from(path));
    }
    if let Some(column) = column {
        value.insert("column", serde_json::Value::from(column));
    }
    let json = serde_json::to_vec(&value).unwrap_or_default();
    format!("r1.{}", base64url_encode(&json))
}
