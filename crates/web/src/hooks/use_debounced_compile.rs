//! Recompiles once typing pauses, and compiles a large project once the
//! page has been painted.

use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
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

/// Models parsed in one task before a large project's first compile. A
/// profile of the page parsed 5,000 models in 480 ms, so a step is about
/// 40 ms.
const PARSED_A_STEP: usize = 400;

/// Compiles the project after the next frame is painted while the state
/// has no compile, as a large project starts (`COMPILE_AFTER_SHOWN_OVER`).
/// The models are parsed first, one step a task, and the result is shown
/// in a task of its own, so the three kinds of work block the page in
/// turn rather than in one task.
#[hook]
pub fn use_first_compile(state: &UseReducerHandle<AppState>) {
    let state = state.clone();
    use_effect_with(state.compile_count == 0, move |&pending| {
        if pending {
            // A frame callback runs before that frame's paint; the timeout
            // it starts runs after it.
            let compiles = state.compiler.compiles();
            let after_paint = Closure::once_into_js(move || first_compile_step(state, compiles));
            if let Some(window) = web_sys::window() {
                let _ = window.request_animation_frame(after_paint.unchecked_ref());
            }
        }
    });
}

/// Parses the next step of models in a task of its own, and once none is
/// left, compiles and then shows the compile. Stops once another compile
/// came first, such as an edit's or a branch switch's: the state has its
/// compile then, for newer files.
fn first_compile_step(state: UseReducerHandle<AppState>, compiles: u64) {
    Timeout::new(0, move || {
        if state.compiler.compiles() != compiles {
            return;
        }
        if state.parse_ahead(PARSED_A_STEP) > 0 {
            first_compile_step(state, compiles);
            return;
        }
        let compilation = state.compile_now();
        let (edit_count, compiles) = (state.edit_count, state.compiler.compiles());
        // The reducer drops it when an edit or another compile came in
        // between.
        Timeout::new(0, move || {
            state.dispatch(Action::Compiled {
                compilation,
                edit_count,
                compiles,
            })
        })
        .forget();
    })
    .forget();
}
