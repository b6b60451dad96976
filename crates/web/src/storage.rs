//! Edited files kept in the browser's localStorage, one key per path, so a
//! reload keeps them until "Reset sample".

use std::collections::BTreeMap;

use gloo::console;

const KEY_PREFIX: &str = "rocky-playground:file:";

/// Returns the localStorage key of a project path.
pub fn storage_key(path: &str) -> String {
    format!("{KEY_PREFIX}{path}")
}

fn local_storage() -> Option<web_sys::Storage> {
    // `local_storage()` fails where storage is disabled, such as some
    // private windows; edits then last only until the page closes.
    web_sys::window()?.local_storage().ok().flatten()
}

/// Returns every saved file, by project path.
pub fn load_saved_files() -> BTreeMap<String, String> {
    let mut saved = BTreeMap::new();
    let Some(storage) = local_storage() else {
        return saved;
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
            saved.insert(path.to_string(), text);
        }
    }
    saved
}

/// Saves an edited file, or removes its key when the text is the sample's
/// again.
pub fn save_file(path: &str, text: &str, is_sample_text: bool) {
    let Some(storage) = local_storage() else {
        return;
    };
    let key = storage_key(path);
    let outcome = if is_sample_text {
        storage.remove_item(&key)
    } else {
        storage.set_item(&key, text)
    };
    if let Err(error) = outcome {
        console::warn!(format!("failed to save {path} to localStorage: {error:?}"));
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
}
