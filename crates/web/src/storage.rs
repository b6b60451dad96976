//! The saved session in IndexedDB, through the bridge's `storageLoad` and
//! `storageSave`, and the edits that the page's earlier version kept in
//! localStorage, which the first load moves into the session.

use std::fmt;

use serde::{Deserialize, Serialize};

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
    SAVES_PENDING.with(|pending| pending.set(pending.get() + 1));
    async move {
        let result = saved.await.map_err(|error| save_error(&error));
        SAVES_PENDING.with(|pending| pending.set(pending.get().saturating_sub(1)));
        result
    }
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

/// The prefix of the key beside each unload copy that names the tab which
/// wrote it and the session revision it was made from, as
/// [`UnloadOwner`] JSON.
const UNLOAD_OWNER_PREFIX: &str = "rocky-playground:unload-owner:";

/// The page that wrote an unload copy, and the revision of the saved
/// session it made the copy from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnloadOwner {
    /// The writing page's [`page_id`].
    pub page: String,
    /// The revision of the IndexedDB session the page had read or written.
    pub revision: Option<u64>,
    /// The page's saves still in flight when it wrote the copy: each may
    /// have committed since, one revision each.
    #[serde(default)]
    pub pending: u64,
}

impl UnloadOwner {
    /// Returns true when a session saved at `revision` may hold a save
    /// that did not come from the copy's page: one past its own saves.
    pub fn behind(&self, revision: Option<u64>) -> bool {
        match (self.revision, revision) {
            (Some(known), Some(saved)) => saved > known.saturating_add(self.pending),
            _ => false,
        }
    }
}

thread_local! {
    /// The saves started and not yet settled in this page. Each may still
    /// commit after an unload copy is written, so the copy counts them.
    static SAVES_PENDING: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };

    /// This page load's id, which sets its unload copies apart from another
    /// tab's.
    static PAGE_ID: String = format!("{:016x}", (js_sys::Math::random() * 2f64.powi(53)) as u64);
}

/// Returns this page load's id.
pub fn page_id() -> String {
    PAGE_ID.with(Clone::clone)
}

/// Writes `json` to localStorage, synchronously, as the session of `key`
/// at unload, with this page as its owner. An IndexedDB write started in
/// `pagehide` may not commit before the page is gone; this one is done when
/// it returns. Returns false when localStorage is missing or full.
pub fn write_unload_copy(key: &str, json: &str) -> bool {
    let Some(storage) = local_storage() else {
        return false;
    };
    let owner = UnloadOwner {
        page: page_id(),
        revision: crate::bridge::storage_revision(key),
        pending: SAVES_PENDING.with(std::cell::Cell::get),
    };
    storage
        .set_item(&format!("{UNLOAD_KEY_PREFIX}{key}"), json)
        .is_ok()
        && write_owner(&storage, key, &owner)
}

/// Writes `owner` beside the unload copy of `key`.
fn write_owner(storage: &web_sys::Storage, key: &str, owner: &UnloadOwner) -> bool {
    serde_json::to_string(owner).is_ok_and(|text| {
        storage
            .set_item(&format!("{UNLOAD_OWNER_PREFIX}{key}"), &text)
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

/// Returns who wrote the unload copy of `key`; `None` for a copy written
/// before copies had owners.
pub fn unload_owner(key: &str) -> Option<UnloadOwner> {
    let text = local_storage()?
        .get_item(&format!("{UNLOAD_OWNER_PREFIX}{key}"))
        .ok()
        .flatten()?;
    serde_json::from_str(&text).ok()
}

/// Makes this page the owner of the unload copy of `key`, which it shows,
/// so that its first save removes the copy.
pub fn adopt_unload_copy(key: &str, owner: &UnloadOwner) {
    let adopted = UnloadOwner {
        page: page_id(),
        ..owner.clone()
    };
    if let Some(storage) = local_storage() {
        write_owner(&storage, key, &adopted);
    }
}

/// Removes the unload copy of `key` once IndexedDB has this page's session,
/// unless another tab wrote it: that copy is the other tab's, such as the
/// rescue of a tab that crashed, and stays for its next load.
pub fn clear_unload_copy(key: &str) {
    if unload_owner(key).is_some_and(|owner| owner.page != page_id()) {
        return;
    }
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&format!("{UNLOAD_KEY_PREFIX}{key}"));
        let _ = storage.remove_item(&format!("{UNLOAD_OWNER_PREFIX}{key}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_is_behind_only_past_its_own_saves() {
        let owner = |revision, pending| UnloadOwner {
            page: "a".to_string(),
            revision,
            pending,
        };
        assert!(!owner(Some(3), 0).behind(Some(3)));
        assert!(owner(Some(3), 0).behind(Some(4)), "another tab saved");
        // The page's own save in flight at the copy may have committed.
        assert!(!owner(Some(3), 1).behind(Some(4)));
        assert!(owner(Some(3), 1).behind(Some(5)));
        // Without a revision on either side, no other tab's save is known.
        assert!(!owner(None, 0).behind(Some(9)));
        assert!(!owner(Some(3), 0).behind(None));
        let old: UnloadOwner = serde_json::from_str(r#"{"page":"b","revision":2}"#).unwrap();
        assert_eq!(old.pending, 0);
    }

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
