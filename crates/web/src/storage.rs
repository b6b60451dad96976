//! Edited files kept in the browser's localStorage, one key per path, so a
//! reload keeps them until "Reset sample", and the path of the open file.

use std::collections::BTreeMap;
use std::fmt;

use gloo::console;
use wasm_bindgen::JsCast;

const KEY_PREFIX: &str = "rocky-playground:file:";
/// Outside `KEY_PREFIX`, so it is never read as a file.
const OPEN_PATH_KEY: &str = "rocky-playground:open-path";

/// Returns the localStorage key of a project path.
pub fn storage_key(path: &str) -> String {
    format!("{KEY_PREFIX}{path}")
}

/// The edits and the open file that an earlier visit left in the browser.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SavedSession {
    /// Saved text by project path.
    pub files: BTreeMap<String, String>,
    pub open_path: Option<String>,
}

/// The reason a file's text could not be written to localStorage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// The origin's storage quota is used up (`QuotaExceededError`).
    QuotaExceeded,
    /// The browser gives the page no localStorage, as some private windows do.
    Unavailable,
    /// Any other error from `setItem` or `removeItem`, with its message.
    Failed(String),
}

impl SaveError {
    /// Returns the `data-reason` value of the contract.
    pub fn as_str(&self) -> &'static str {
        match self {
            SaveError::QuotaExceeded => "quota",
            SaveError::Unavailable => "unavailable",
            SaveError::Failed(_) => "error",
        }
    }
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::QuotaExceeded => f.write_str("the browser's storage for this page is full"),
            SaveError::Unavailable => f.write_str("this browser gives the page no localStorage"),
            SaveError::Failed(message) => write!(f, "localStorage failed: {message}"),
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    // `local_storage()` fails where storage is disabled, such as some
    // private windows; edits then last only until the page closes.
    web_sys::window()?.local_storage().ok().flatten()
}

/// Returns every saved file, by project path, and the saved open path.
pub fn load_session() -> SavedSession {
    let mut session = SavedSession::default();
    let Some(storage) = local_storage() else {
        return session;
    };
    let length = storage.length().unwrap_or(0);
    for index in 0..length {
        let Ok(Some(key)) = storage.key(index) else {
            continue;
        };
        let Some(path) = key.strip_prefix(KEY_PREFIX) else {
            continue;
        };
        if let Ok(Some(text)) = storage.get_item(&key) {
            session.files.insert(path.to_string(), text);
        }
    }
    session.open_path = storage.get_item(OPEN_PATH_KEY).ok().flatten();
    session
}

/// Saves an edited file, or removes its key when the text is the sample's
/// again. On failure the key keeps the text of the latest save that worked.
pub fn save_file(path: &str, text: &str, is_sample_text: bool) -> Result<(), SaveError> {
    let storage = local_storage().ok_or(SaveError::Unavailable)?;
    let key = storage_key(path);
    let outcome = if is_sample_text {
        storage.remove_item(&key)
    } else {
        storage.set_item(&key, text)
    };
    // The caller logs failures, since it retries them on every edit.
    outcome.map_err(|error| save_error(&error))
}

fn save_error(error: &wasm_bindgen::JsValue) -> SaveError {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(exception) if exception.name() == "QuotaExceededError" => SaveError::QuotaExceeded,
        Some(exception) => {
            SaveError::Failed(format!("{}: {}", exception.name(), exception.message()))
        }
        None => SaveError::Failed(crate::bridge::error_message(error)),
    }
}

/// Saves the path of the open file, so a reload opens it again. A failure
/// is only logged, because the file's text is not at stake.
pub fn save_open_path(path: &str) {
    let Some(storage) = local_storage() else {
        return;
    };
    if let Err(error) = storage.set_item(OPEN_PATH_KEY, path) {
        console::warn!(format!(
            "failed to save the open path {path} to localStorage: {}",
            save_error(&error)
        ));
    }
}

/// Removes every saved file.
pub fn clear_saved_files() {
    let Some(storage) = local_storage() else {
        return;
    };
    let length = storage.length().unwrap_or(0);
    // Keys are collected first, because removing shifts the indexes.
    let keys: Vec<String> = (0..length)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(KEY_PREFIX))
        .collect();
    for key in keys {
        if let Err(error) = storage.remove_item(&key) {
            console::warn!(format!(
                "failed to remove {key} from localStorage: {error:?}"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_contains_path() {
        assert_eq!(
            storage_key("models/orders.sql"),
            "rocky-playground:file:models/orders.sql"
        );
    }

    #[test]
    fn open_path_key_is_not_a_file_key() {
        assert!(!OPEN_PATH_KEY.starts_with(KEY_PREFIX));
    }

    #[test]
    fn save_error_reasons_match_contract() {
        assert_eq!(SaveError::QuotaExceeded.as_str(), "quota");
        assert_eq!(SaveError::Unavailable.as_str(), "unavailable");
        assert_eq!(SaveError::Failed("x".to_string()).as_str(), "error");
    }

    #[test]
    fn save_error_messages_name_cause() {
        assert_eq!(
            SaveError::QuotaExceeded.to_string(),
            "the browser's storage for this page is full"
        );
        assert_eq!(
            SaveError::Failed("SecurityError: denied".to_string()).to_string(),
            "localStorage failed: SecurityError: denied"
        );
    }
}
