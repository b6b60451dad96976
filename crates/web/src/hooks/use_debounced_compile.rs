//! Recompiles once typing pauses.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::state::{Action, AppState};

/// Quiet time after the last edit before compiling, in milliseconds.
const COMPILE_DELAY_MS: u32 = 200;

/// Dispatches `Action::Compile` 200 ms after `edit_count` last changed.
/// Each new edit drops the pending timeout, which cancels it.
#[hook]
pub fn use_debounced_compile(edit_count: u32, dispatcher: UseReducerDispatcher<AppState>) {
    use_effect_with(edit_count, move |&edit_count| {
        let timeout = (edit_count > 0).then(|| {
            Timeout::new(COMPILE_DELAY_MS, move || {
                dispatcher.dispatch(Action::Compile)
            })
        });
        move || drop(timeout)
    });
}
