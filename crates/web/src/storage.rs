//! The saved session in IndexedDB, through the bridge's `storageLoad` and
//! `storageSave`, and the edits that the page's earlier version kept in
//! localStorage, which the first load moves into the session.

use std::fmt;

use gloo::console;
use wasm_bindgen::JsCast;

use crate::bridge;
use crate::session::LegacyEdits;

const LEGACY_KEY_PREFIX: &str = "rocky-playground:file:";
/// Outside `LEGACY_KEY_PREFIX`, so it is never read as a file.
const LEGACY_OPEN_PATH_KEY: &str = "rocky-playground:open-path";

/// Returns the localStorage key under which the earlier version saved a path.
pub fn legacy_storage_key(path: &str) -> String {
    format!("{LEGACY_KEY_PREFIX}{path}")
}

/// The reason the session could not be read or written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// The origin's storage quota is used up (`QuotaExceededError`).
    QuotaExceeded,
    /// The browser gives the page no IndexedDB, as some private windows do.
    Unavailable(String),
    /// Another tab saved the session after this page read or wrote it;
    /// nothing was written.
    Conflict,
    /// Any other error, with its message.
    Failed(String),
}

impl SaveError {
    /// Returns the `data-reason` value of the contract.
    pub fn as_str(&self) -> &'static str {
        match self {
            SaveError::QuotaExceeded => "quota",
            SaveError::Unavailable(_) => "unavailable",
            SaveError::Conflict => "conflict",
            SaveError::Failed(_) => "error",
        }
    }

    /// Classifies an error by the `name` the bridge gives it: a
    /// DOMException's name, or `UnavailableError` when the page has no
    /// IndexedDB.
    pub fn from_name(name: &str, message: &str) -> SaveError {
        match name {
            "QuotaExceededError" => SaveError::QuotaExceeded,
            "ConflictError" => SaveError::Conflict,
            "UnavailableError" => SaveError::Unavailable(message.to_string()),
            _ => SaveError::Failed(format!("{name}: {message}")),
        }
    }
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::QuotaExceeded => f.write_str("the browser's storage for this page is full"),
            SaveError::Unavailable(message) => {
                write!(f, "this browser gives the page no IndexedDB ({message})")
            }
            SaveError::Conflict => {
                write!(f, "another tab saved this project after this tab read it")
            }
            SaveError::Failed(message) => write!(f, "IndexedDB failed: {message}"),
        }
    }
}

fn save_error(error: &wasm_bindgen::JsValue) -> SaveError {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => {
            SaveError::from_name(&String::from(error.name()), &String::from(error.message()))
        }
        None => SaveError::Failed(bridge::error_message(error)),
    }
}

/// The record key of the user's own project's session.
pub const OWN_SESSION_KEY: &str = "current";

/// Reads the JSON of the session saved under `key`, or `None` when nothing
/// is saved yet.
pub async fn load_session(key: &str) -> Result<Option<String>, SaveError> {
    bridge::storage_load(key)
        .await
        .map_err(|error| save_error(&error))
}

/// Replaces the session saved under `key` with `json`. On failure the
/// stored session stays the one of the latest save that worked. Another
/// tab's newer save fails it with [`SaveError::Conflict`], unless
/// `overwrite` is true. The write starts before this returns.
pub fn save_session(
    json: &str,
    key: &str,
    overwrite: bool,
) -> impl std::future::Future<Output = Result<(), SaveError>> {
    let saved = bridge::storage_save(json, key, overwrite);
    async move { saved.await.map_err(|error| save_error(&error)) }
}

fn local_storage() -> Option<web_sys::Storage> {
    // `local_storage()` fails where storage is disabled, such as some
    // private windows.
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the edits and the open path that the earlier version saved.
pub fn load_legacy_edits() -> LegacyEdits {
    let mut edits = LegacyEdits::default();
    let Some(storage) = local_storage() else {
        return edits;
    };
    let length = storage.length().unwrap_or(0);
    for index in 0..length {
        let Ok(Some(key)) = storage.key(index) else {
            continue;
        };
        let Some(path) = key.strip_prefix(LEGACY_KEY_PREFIX) else {
            continue;
        };
        if let Ok(Some(text)) = storage.get_item(&key) {
            edits.files.insert(path.to_string(), text);
        }
    }
    edits.open_path = storage.get_item(LEGACY_OPEN_PATH_KEY).ok().flatten();
    edits
}

/// Removes the earlier version's keys, once the session that contains
/// their edits is saved in IndexedDB.
pub fn clear_legacy_edits() {
    let Some(storage) = local_storage() else {
        return;
    };
    let length = storage.length().unwrap_or(0);
    // Keys are collected first, because removing shifts the indexes.
    let keys: Vec<String> = (0..length)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(LEGACY_KEY_PREFIX) || key == LEGACY_OPEN_PATH_KEY)
        .collect();
    for key in keys {
        if let Err(error) = storage.remove_item(&key) {
            console::warn!(format!(
                "failed to remove {key} from localStorage: {}",
                bridge::error_message(&error)
            ));
        }
    }
}

/// The localStorage key prefix of the copy a session writes when the page
/// unloads with unsaved changes, per session record key.
const UNLOAD_KEY_PREFIX: &str = "rocky-playground:unload:";

/// Writes `json` to localStorage, synchronously, as the session of `key`
/// at unload. An IndexedDB write started in `pagehide` may not commit
/// before the page is gone; this one is done when it returns. Returns false
/// when localStorage is missing or full.
pub fn write_unload_copy(key: &str, json: &str) -> bool {
    local_storage().is_some_and(|storage| {
        storage
            .set_item(&format!("{UNLOAD_KEY_PREFIX}{key}"), json)
            .is_ok()
    })
}

/// Returns the unload copy of the session of `key`, if one is kept.
pub fn read_unload_copy(key: &str) -> Option<String> {
    local_storage()?
        .get_item(&format!("{UNLOAD_KEY_PREFIX}{key}"))
        .ok()
        .flatten()
}

/// Removes the unload copy of `key`, once IndexedDB has its session.
pub fn clear_unload_copy(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&format!("{UNLOAD_KEY_PREFIX}{key}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_key_contains_path() {
        assert_eq!(
            legacy_storage_key("models/orders.sql"),
            "rocky-playground:file:models/orders.sql"
        );
    }

    #[test]
    fn open_path_key_is_not_a_file_key() {
        assert!(!LEGACY_OPEN_PATH_KEY.starts_with(LEGACY_KEY_PREFIX));
    }

    #[test]
    fn save_error_reasons_match_contract() {
        assert_eq!(SaveError::QuotaExceeded.as_str(), "quota");
        assert_eq!(SaveError::Unavailable("x".into()).as_str(), "unavailable");
        assert_eq!(SaveError::Failed("x".to_string()).as_str(), "error");
    }

    #[test]
    fn save_error_classified_by_name() {
        assert_eq!(
            SaveError::from_name("QuotaExceededError", "full"),
            SaveError::QuotaExceeded
        );
        assert_eq!(
            SaveError::from_name("UnavailableError", "no indexedDB"),
            SaveError::Unavailable("no indexedDB".to_string())
        );
        assert_eq!(
            SaveError::from_name("InvalidStateError", "closing"),
            SaveError::Failed("InvalidStateError: closing".to_string())
        );
    }

    #[test]
    fn save_error_messages_name_cause() {
        assert_eq!(
            SaveError::QuotaExceeded.to_string(),
            "the browser's storage for this page is full"
        );
        assert_eq!(
            SaveError::Failed("SecurityError: denied".to_string()).to_string(),
            "IndexedDB failed: SecurityError: denied"
        );
    }
}
