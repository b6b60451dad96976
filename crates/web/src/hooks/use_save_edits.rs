//! Writes edits and the open path to localStorage.

use gloo::console;
use yew::prelude::*;

use crate::state::{Action, AppState, SaveOutcome};
use crate::storage;

/// Saves every file in `pending_saves` after each edit, so a save that
/// failed (a full quota, say) is retried with the next edit of any file.
/// A failure is logged when it starts or changes, not on every retry.
#[hook]
pub fn use_save_edits(state: &UseReducerHandle<AppState>) {
    let state = state.clone();
    use_effect_with(state.edit_count, move |_| {
        if !state.persist {
            return;
        }
        let outcomes: Vec<SaveOutcome> = state
            .pending_saves
            .iter()
            .filter_map(|(path, pending)| {
                let text = state.files.get(path)?;
                let is_sample_text = state.sample.get(path) == Some(text);
                let result = storage::save_file(path, text, is_sample_text);
                match (&result, &pending.error) {
                    (Err(error), previous) if previous.as_ref() != Some(error) => {
                        console::warn!(format!("failed to save {path} to localStorage: {error}"));
                    }
                    (Ok(()), Some(_)) => {
                        console::log!(format!("saved {path} to localStorage after a failure"));
                    }
                    _ => {}
                }
                Some(SaveOutcome {
                    path: path.clone(),
                    edit: pending.edit,
                    result,
                })
            })
            .collect();
        if !outcomes.is_empty() {
            state.dispatch(Action::Saved(outcomes));
        }
    });
}

/// Saves the open file's path whenever it changes, so a reload reopens it.
#[hook]
pub fn use_save_open_path(open_path: Option<String>) {
    use_effect_with(open_path, |open_path| {
        if let Some(path) = open_path {
            storage::save_open_path(path);
        }
    });
}
