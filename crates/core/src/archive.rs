//! Projects as .zip files: export in the Rocky folder layout, with a
//! `build.sql` for the DuckDB CLI, and import with limits.
//!
//! The writer stores each file deflated, with a fixed timestamp so the same
//! files give the same bytes. The reader takes stored and deflated entries,
//! checks each one's CRC-32, rejects paths that would leave the project
//! folder and stops at [`Limits`], so a hostile archive cannot fill the
//! page's memory.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::output::Compilation;
use crate::plan::run_plan;
use crate::ProjectFiles;

/// The name of the DuckDB CLI script in an exported project.
pub const BUILD_SQL: &str = "build.sql";

/// The maximum sizes and counts an import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Size of the .zip file itself.
    pub archive_bytes: usize,
    pub entries: usize,
    /// Uncompressed size of one file.
    pub file_bytes: usize,
    /// Uncompressed size of all files together.
    pub total_bytes: usize,
}

impl Default for Limits {
    /// 20 MB of archive, 5,000 entries, 10 MB per file and 50 MB in all:
    /// far above a project of SQL and sample CSVs, far below what fills a
    /// tab's memory.
    fn default() -> Limits {
        Limits {
            archive_bytes: 20 * 1024 * 1024,
            entries: 5_000,
            file_bytes: 10 * 1024 * 1024,
            total_bytes: 50 * 1024 * 1024,
        }
    }
}

/// The files an import read, and the entries it left out with why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub files: ProjectFiles,
    /// (entry name, reason), such as a binary file or a folder entry of
    /// macOS's archive tool.
    pub skipped: Vec<(String, String)>,
}

/// An archive that cannot be imported. Nothing of it is used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ArchiveError {
    /// Not a .zip file, or a damaged one, with what is wrong and where.
    Invalid { reason: String },
    /// A limit of [`Limits`] is exceeded.
    TooLarge { reason: String },
    /// An entry name that is absolute or leaves the project folder.
    UnsafePath { path: String },
    /// A feature this reader does not support: encryption, ZIP64, or a
    /// compression method other than store and deflate.
    Unsupported { path: String, reason: String },
    /// The archive has no `rocky.toml`, at its top or in one folder.
    NoProject,
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchiveError::Invalid { reason } => write!(formatter, "invalid .zip file: {reason}"),
            ArchiveError::TooLarge { reason } => write!(formatter, "archive too large: {reason}"),
            ArchiveError::UnsafePath { path } => write!(
                formatter,
                "entry `{path}` points outside the project folder; the archive is rejected"
            ),
            ArchiveError::Unsupported { path, reason } => {
                write!(formatter, "entry `{path}` cannot be read: {reason}")
            }
            ArchiveError::NoProject => write!(
                formatter,
                "no rocky.toml or dbt_project.yml in the archive; zip the project folder that contains it"
            ),
        }
    }
}

impl std::error::Error for ArchiveError {}

/// Returns the project's files with a `build.sql` that builds it in the
/// DuckDB CLI, for an export.
pub fn export_files(files: &ProjectFiles, compilation: &Compilation) -> ProjectFiles {
    let mut exported = files.clone();
    exported.insert(BUILD_SQL.to_string(), build_sql(compilation));
    exported
}

/// Writes a script that rebuilds the project in the DuckDB CLI, run from
/// the project folder: `duckdb project.duckdb < build.sql`. Source tables
/// come first, then the models in dependency order. A model with compile
/// errors is left out, with a comment, and so is every model that reads it.
pub fn build_sql(compilation: &Compilation) -> String {
    let mut script = format!(
        "-- Builds the Rocky project `{}` in DuckDB.\n\
         -- Run it from the project folder: duckdb project.duckdb < build.sql\n\n",
        compilation.project
    );
    let mut blocked: Vec<String> = Vec::new();
    for step in run_plan(compilation) {
        if step.is_model {
            let model = compilation.model(&step.target);
            let errors = compilation
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.model.as_deref() == Some(step.target.as_str()));
            let upstream = model.and_then(|m| {
                m.depends_on
                    .iter()
                    .find(|d| blocked.iter().any(|b| b.eq_ignore_ascii_case(d)))
                    .cloned()
            });
            if errors || upstream.is_some() {
                let why = match upstream {
                    Some(name) => format!("it reads `{name}`, which is left out"),
                    None => "it has compile errors".to_string(),
                };
                script.push_str(&format!("-- `{}` is left out: {why}.\n\n", step.target));
                blocked.push(step.target.clone());
                continue;
            }
            script.push_str(&format!("-- model {}\n", step.target));
        }
        script.push_str(step.sql.trim_end());
        script.push_str(";\n\n");
    }
    script
}

/// Writes `files` as a .zip whose entries sit in the folder `folder`.
pub fn write_zip(files: &ProjectFiles, folder: &str) -> Vec<u8> {
    let folder = folder.trim_matches('/');
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut count: u16 = 0;
    for (path, text) in files {
        let name = if folder.is_empty() {
            path.clone()
        } else {
            format!("{folder}/{path}")
        };
        let data = text.as_bytes();
        let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
        let (method, body): (u16, &[u8]) = if packed.len() < data.len() {
            (8, &packed)
        } else {
            (0, data)
        };
        let crc = crc32(data);
        let offset = out.len() as u32;
        // Bit 11: the name is UTF-8.
        let flags: u16 = 0x0800;
        let header = |signature: u32, central: bool| {
            let mut bytes = Vec::new();
            bytes.extend_from_slice(&signature.to_le_bytes());
            if central {
                bytes.extend_from_slice(&20u16.to_le_bytes());
            }
            bytes.extend_from_slice(&20u16.to_le_bytes());
            bytes.extend_from_slice(&flags.to_le_bytes());
            bytes.extend_from_slice(&method.to_le_bytes());
            // 1980-01-01 00:00, the earliest time the format has.
            bytes.extend_from_slice(&0u16.to_le_bytes());
            bytes.extend_from_slice(&0x21u16.to_le_bytes());
            bytes.extend_from_slice(&crc.to_le_bytes());
            bytes.extend_from_slice(&(body.len() as u32).to_le_bytes());
            bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
            bytes.extend_from_slice(&(name.len() as u16).to_le_bytes());
            bytes.extend_from_slice(&0u16.to_le_bytes());
            if central {
                // Comment length, disk, internal and external attributes.
                bytes.extend_from_slice(&[0; 10]);
                bytes.extend_from_slice(&offset.to_le_bytes());
            }
            bytes.extend_from_slice(name.as_bytes());
            bytes
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(body);
        central.extend(header(0x0201_4b50, true));
        count = count.saturating_add(1);
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Reads a .zip of a project folder within the default [`Limits`].
pub fn read_zip(bytes: &[u8]) -> Result<Imported, ArchiveError> {
    read_zip_with(bytes, Limits::default())
}

/// Reads a .zip of a project folder. The project is the folder that contains
/// `rocky.toml`: the archive's top, or its one folder that has one.
pub fn read_zip_with(bytes: &[u8], limits: Limits) -> Result<Imported, ArchiveError> {
    if bytes.len() > limits.archive_bytes {
        return Err(ArchiveError::TooLarge {
            reason: format!(
                "{} bytes, more than the {} bytes an import reads",
                bytes.len(),
                limits.archive_bytes
            ),
        });
    }
    let entries = entries(bytes, limits)?;
    let mut raw: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut skipped = Vec::new();
    let mut total = 0usize;
    for entry in entries {
        if entry.name.ends_with('/') {
            continue;
        }
        let path = safe_path(&entry.name)?;
        if path
            .split('/')
            .any(|part| part == "__MACOSX" || part == ".DS_Store")
        {
            skipped.push((
                entry.name.clone(),
                "a file of macOS's archive tool".to_string(),
            ));
            continue;
        }
        let data = entry.data(bytes, limits)?;
        total += data.len();
        if total > limits.total_bytes {
            return Err(ArchiveError::TooLarge {
                reason: format!("the files unpack to more than {} bytes", limits.total_bytes),
            });
        }
        if raw.insert(path.clone(), data).is_some() {
            return Err(ArchiveError::Invalid {
                reason: format!("entry `{path}` appears twice"),
            });
        }
    }
    into_project(raw, skipped)
}

/// Returns why a file of a folder picked or dropped in a browser is left
/// out before it is read: hidden files and folders such as `.git`, the
/// folders dbt writes (`target`, `logs`) or installs packages into
/// (`dbt_packages`), and `node_modules`. None of these is a project file.
pub fn folder_skip_reason(path: &str) -> Option<&'static str> {
    let folders: Vec<&str> = path.split(['/', '\\']).collect();
    let (name, parents) = folders.split_last()?;
    if name.starts_with('.') || parents.iter().any(|part| part.starts_with('.')) {
        return Some("hidden");
    }
    if parents
        .iter()
        .any(|part| matches!(*part, "target" | "logs" | "dbt_packages" | "node_modules"))
    {
        return Some("in a folder of built or installed files");
    }
    None
}

/// Reads the files of a project folder picked or dropped in a browser, as
/// (path, bytes) with paths relative to the folder's parent, such as
/// `jaffle_shop/models/orders.sql`. The same limits and checks apply as to
/// a .zip: the project is the folder of `rocky.toml` (or of
/// `dbt_project.yml`), paths must stay inside it, and files must be UTF-8.
pub fn read_folder(
    files: Vec<(String, Vec<u8>)>,
    limits: Limits,
) -> Result<Imported, ArchiveError> {
    if files.len() > limits.entries {
        return Err(ArchiveError::TooLarge {
            reason: format!(
                "{} files, more than the {} an import reads",
                files.len(),
                limits.entries
            ),
        });
    }
    let mut raw: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut total = 0usize;
    for (name, data) in files {
        let path = safe_path(&name)?;
        if data.len() > limits.file_bytes {
            return Err(ArchiveError::TooLarge {
                reason: format!(
                    "{path} has {} bytes, more than the {} one file may have",
                    data.len(),
                    limits.file_bytes
                ),
            });
        }
        total += data.len();
        if total > limits.total_bytes {
            return Err(ArchiveError::TooLarge {
                reason: format!("the files hold more than {} bytes", limits.total_bytes),
            });
        }
        if raw.insert(path.clone(), data).is_some() {
            return Err(ArchiveError::Invalid {
                reason: format!("the file `{path}` appears twice"),
            });
        }
    }
    into_project(raw, Vec::new())
}

/// Keeps the files inside the project's folder, relative to it, and the
/// UTF-8 ones among them; the rest go to `skipped` with why.
fn into_project(
    raw: BTreeMap<String, Vec<u8>>,
    mut skipped: Vec<(String, String)>,
) -> Result<Imported, ArchiveError> {
    let (root, marker) = project_root(raw.keys())?;
    let mut files = ProjectFiles::new();
    for (path, data) in raw {
        let Some(relative) = path.strip_prefix(&root) else {
            skipped.push((path, format!("outside the folder of {marker}")));
            continue;
        };
        match String::from_utf8(data) {
            Ok(text) => {
                files.insert(relative.to_string(), text);
            }
            // Without its marker file the project would import as another
            // kind of project, or as none.
            Err(_) if relative == marker => {
                return Err(ArchiveError::Invalid {
                    reason: format!("{path} is not UTF-8 text; save it as UTF-8"),
                })
            }
            Err(_) => skipped.push((path, "not UTF-8 text".to_string())),
        }
    }
    Ok(Imported { files, skipped })
}

/// Returns the prefix (`""` or `folder/`) of the folder that contains
/// `rocky.toml`, or without one, of the shallowest folder with a
/// `dbt_project.yml`, a dbt project for the dbt importer to convert; and
/// which of the two files marks it.
fn project_root<'a>(
    paths: impl Iterator<Item = &'a String> + Clone,
) -> Result<(String, &'static str), ArchiveError> {
    let roots_of = |marker: &str| -> Vec<String> {
        paths
            .clone()
            .filter_map(|path| path.strip_suffix(marker))
            .filter(|prefix| prefix.is_empty() || prefix.ends_with('/'))
            .map(str::to_string)
            .collect()
    };
    let mut roots = roots_of("rocky.toml");
    if roots.is_empty() {
        let mut dbt = roots_of("dbt_project.yml");
        dbt.sort_by_key(|root| root.len());
        // Packages under dbt_packages/ have their own; the project's is the
        // shallowest.
        return dbt
            .into_iter()
            .next()
            .map(|root| (root, "dbt_project.yml"))
            .ok_or(ArchiveError::NoProject);
    }
    roots.sort_by_key(|root| root.len());
    match roots.first() {
        Some(root) if roots.iter().filter(|r| r.len() == root.len()).count() == 1 => {
            Ok((root.clone(), "rocky.toml"))
        }
        Some(_) => Err(ArchiveError::Invalid {
            reason: format!(
                "several folders have a rocky.toml ({}); zip one project",
                roots.join(", ")
            ),
        }),
        None => Err(ArchiveError::NoProject),
    }
}

/// Checks an entry name: relative, with no `..` part and no drive letter.
/// Backslashes count as separators, as Windows tools write them.
fn safe_path(name: &str) -> Result<String, ArchiveError> {
    let normalized = name.replace('\\', "/");
    let unsafe_path = normalized.starts_with('/')
        || normalized.as_bytes().get(1) == Some(&b':')
        || normalized.split('/').any(|part| part == "..")
        || normalized.contains('\0');
    if unsafe_path {
        return Err(ArchiveError::UnsafePath {
            path: name.to_string(),
        });
    }
    Ok(normalized
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/"))
}

/// An entry of the central directory.
struct Entry {
    name: String,
    method: u16,
    flags: u16,
    crc: u32,
    packed_size: usize,
    size: usize,
    header_offset: usize,
}

impl Entry {
    /// Returns the entry's bytes, inflated and checked against its CRC.
    fn data(&self, bytes: &[u8], limits: Limits) -> Result<Vec<u8>, ArchiveError> {
        let invalid = |reason: &str| ArchiveError::Invalid {
            reason: format!("entry `{}`: {reason}", self.name),
        };
        if self.flags & 1 != 0 {
            return Err(ArchiveError::Unsupported {
                path: self.name.clone(),
                reason: "it is encrypted".to_string(),
            });
        }
        if self.size > limits.file_bytes {
            return Err(ArchiveError::TooLarge {
                reason: format!(
                    "`{}` unpacks to {} bytes, more than {}",
                    self.name, self.size, limits.file_bytes
                ),
            });
        }
        let local = self.header_offset;
        if read_u32(bytes, local) != Some(0x0403_4b50) {
            return Err(invalid("no local header where the directory points"));
        }
        let name_len = read_u16(bytes, local + 26).ok_or_else(|| invalid("cut short"))? as usize;
        let extra_len = read_u16(bytes, local + 28).ok_or_else(|| invalid("cut short"))? as usize;
        let start = local + 30 + name_len + extra_len;
        let body = bytes
            .get(start..start.saturating_add(self.packed_size))
            .ok_or_else(|| invalid("its data runs past the end of the file"))?;
        let data = match self.method {
            0 => body.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(body, limits.file_bytes)
                .map_err(|error| match error.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ArchiveError::TooLarge {
                        reason: format!(
                            "`{}` unpacks to more than {} bytes",
                            self.name, limits.file_bytes
                        ),
                    },
                    _ => invalid("its deflated data is damaged"),
                })?,
            other => {
                return Err(ArchiveError::Unsupported {
                    path: self.name.clone(),
                    reason: format!("compression method {other}; use store or deflate"),
                })
            }
        };
        if data.len() != self.size || crc32(&data) != self.crc {
            return Err(invalid("its size or CRC-32 does not match"));
        }
        Ok(data)
    }
}

/// Reads the central directory.
fn entries(bytes: &[u8], limits: Limits) -> Result<Vec<Entry>, ArchiveError> {
    let invalid = |reason: &str| ArchiveError::Invalid {
        reason: reason.to_string(),
    };
    // The end record is 22 bytes plus a comment of up to 65,535.
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let end = (search_from..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&at| read_u32(bytes, at) == Some(0x0605_4b50))
        .ok_or_else(|| invalid("no end of central directory record; is it a .zip file?"))?;
    let count = read_u16(bytes, end + 10).ok_or_else(|| invalid("cut short"))? as usize;
    let offset = read_u32(bytes, end + 16).ok_or_else(|| invalid("cut short"))?;
    if offset == u32::MAX || count == usize::from(u16::MAX) {
        return Err(ArchiveError::Unsupported {
            path: String::new(),
            reason: "ZIP64 archives are not supported".to_string(),
        });
    }
    if count > limits.entries {
        return Err(ArchiveError::TooLarge {
            reason: format!("{count} entries, more than {}", limits.entries),
        });
    }
    let mut at = offset as usize;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        if read_u32(bytes, at) != Some(0x0201_4b50) {
            return Err(invalid("the central directory is damaged"));
        }
        let field16 =
            |delta: usize| read_u16(bytes, at + delta).ok_or_else(|| invalid("cut short"));
        let field32 =
            |delta: usize| read_u32(bytes, at + delta).ok_or_else(|| invalid("cut short"));
        let flags = field16(8)?;
        let method = field16(10)?;
        let crc = field32(16)?;
        let packed_size = field32(20)?;
        let size = field32(24)?;
        let name_len = field16(28)? as usize;
        let extra_len = field16(30)? as usize;
        let comment_len = field16(32)? as usize;
        let header_offset = field32(42)?;
        let name_bytes = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| invalid("cut short"))?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        if [packed_size, size, header_offset].contains(&u32::MAX) {
            return Err(ArchiveError::Unsupported {
                path: name,
                reason: "ZIP64 entries are not supported".to_string(),
            });
        }
        entries.push(Entry {
            name,
            method,
            flags,
            crc,
            packed_size: packed_size as usize,
            size: size as usize,
            header_offset: header_offset as usize,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(entries)
}

fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    let slice = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([slice[0], slice[1]]))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let slice = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([slice[0], slice[1], slice[2], slice[3]]))
}

/// Computes the CRC-32 (IEEE 802.3, as .zip files use) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}
