//! Saves the session to IndexedDB while the user works: at most
//! [`SAVE_DELAY_MS`] after a change, and at once when the page is hidden
//! or unloads. At a panic, the crash hook keeps the unsaved changes
//! through this hook.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::console;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use rocky_core::branch::Workspace;
use yew::prelude::*;

use crate::crash::{self, Rescue};
use crate::state::{Action, AppState};
use crate::storage::{self, SaveError};

/// The longest a change waits before it is saved, in milliseconds. The
/// timer starts at the first unsaved change and is not pushed back by
/// later ones, so a crashed tab loses at most this much typing.
pub const SAVE_DELAY_MS: u32 = 300;

#[derive(Default)]
struct Saver {
    /// The state of the latest render, which a due save writes.
    latest: Option<UseReducerHandle<AppState>>,
    timer: Option<Timeout>,
    /// The error of the latest failed save, to log each error once.
    logged: Option<SaveError>,
}

/// Saves the state's session whenever its save revision moves, unless the
/// project is never saved (a generated one) or saving is off because the
/// saved session could not be read.
#[hook]
pub fn use_save_session(state: &UseReducerHandle<AppState>) {
    let saver = use_mut_ref(Saver::default);
    if let Ok(mut current) = saver.try_borrow_mut() {
        current.latest = Some(state.clone());
    }

    {
        let saver = saver.clone();
        let due = saves(state) && !state.save.is_saved();
        use_effect_with(state.save.revision, move |_| {
            if due {
                schedule(&saver);
            }
        });
    }

    use_effect_with((), move |_| {
        {
            let saver = saver.clone();
            crash::set_rescue(move || keep_unsaved(&saver));
        }
        let listeners = web_sys::window().map(|window| {
            let on_hidden = {
                let saver = saver.clone();
                EventListener::new(&window, "visibilitychange", move |_| {
                    let hidden = web_sys::window()
                        .and_then(|window| window.document())
                        .is_some_and(|document| document.hidden());
                    if hidden {
                        save_now(&saver);
                    }
                })
            };
            let on_pagehide = {
                let saver = saver.clone();
                EventListener::new(&window, "pagehide", move |_| {
                    write_unload_copy(&saver);
                    save_now(&saver);
                })
            };
            (on_hidden, on_pagehide)
        });
        move || drop(listeners)
    });
}

fn saves(state: &AppState) -> bool {
    state.persist && state.save.disabled.is_none() && !state.save.leaving
}

/// Starts the timer of a save unless one is due already.
fn schedule(saver: &Rc<RefCell<Saver>>) {
    let Ok(mut current) = saver.try_borrow_mut() else {
        return;
    };
    if current.timer.is_some() {
        return;
    }
    let due = saver.clone();
    current.timer = Some(Timeout::new(SAVE_DELAY_MS, move || save_now(&due)));
}

/// Keeps the latest state's unsaved session in localStorage, which is
/// written before `pagehide` returns, so a reload cannot lose what the
/// IndexedDB write started alongside has not committed yet.
fn write_unload_copy(saver: &Rc<RefCell<Saver>>) {
    if crash::crashed() {
        return;
    }
    if keep_unsaved(saver) == Rescue::Lost {
        console::warn!("keeping the session in localStorage at unload failed");
    }
}

/// Writes the latest state's unsaved session to its unload copy, which the
/// next page load prefers over IndexedDB's.
fn keep_unsaved(saver: &Rc<RefCell<Saver>>) -> Rescue {
    let Some(state) = saver
        .try_borrow()
        .ok()
        .and_then(|current| current.latest.clone())
    else {
        return Rescue::Lost;
    };
    if !saves(&state) {
        return Rescue::Off;
    }
    if state.save.is_saved() {
        return Rescue::Saved;
    }
    // A copy would replace the other tab's session at the next load
    // without asking, so none is kept until the user has chosen.
    if state.save.error == Some(SaveError::Conflict) {
        return Rescue::Lost;
    }
    match state.session_json() {
        Ok(json) if storage::write_unload_copy(&state.session_key, &json) => Rescue::Kept,
        _ => Rescue::Lost,
    }
}

/// Saves the latest state's session now, if it has unsaved changes and
/// the page has not crashed.
fn save_now(saver: &Rc<RefCell<Saver>>) {
    if crash::crashed() {
        return;
    }
    let state = match saver.try_borrow_mut() {
        Ok(mut current) => {
            // Dropping the timer cancels it when this is a flush.
            current.timer = None;
            current.latest.clone()
        }
        Err(_) => return,
    };
    let Some(state) = state.filter(|state| saves(state) && !state.save.is_saved()) else {
        return;
    };
    let revision = state.save.revision;
    let workspace: Rc<Workspace> = Rc::clone(&state.workspace);
    let legacy_pending = state.save.legacy_pending;
    let json = match state.session_json() {
        Ok(json) => json,
        Err(message) => {
            console::error!(format!("saving the session failed: {message}"));
            state.dispatch(Action::Saved {
                revision,
                workspace,
                result: Err(SaveError::Failed(message)),
            });
            return;
        }
    };
    let saved = storage::save_session(&json, &state.session_key, state.save.overwrite);
    let saver = saver.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = saved.await;
        log_outcome(&saver, &result);
        // After a crash the unload copy is the rescue's, newer than what
        // this save started with, so it stays.
        if result.is_ok() && !crash::crashed() {
            storage::clear_unload_copy(&state.session_key);
        }
        if result.is_ok() && legacy_pending {
            storage::clear_legacy_edits();
            state.dispatch(Action::LegacyCleared);
        }
        state.dispatch(Action::Saved {
            revision,
            workspace,
            result,
        });
    });
}

/// Logs a save error when it starts or changes, and the first save that
/// works after one, rather than every retry.
fn log_outcome(saver: &Rc<RefCell<Saver>>, result: &Result<(), SaveError>) {
    let Ok(mut current) = saver.try_borrow_mut() else {
        return;
    };
    match result {
        Err(error) if current.logged.as_ref() != Some(error) => {
            console::warn!(format!("saving the session to IndexedDB failed: {error}"));
            current.logged = Some(error.clone());
        }
        Ok(()) if current.logged.is_some() => {
            console::log!("saved the session to IndexedDB after a failure");
            current.logged = None;
        }
        _ => {}
    }
}
