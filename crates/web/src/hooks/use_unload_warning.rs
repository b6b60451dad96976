//! Asks before the page unloads while edits exist only in the page.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Makes the browser ask before leaving or reloading the page while
/// `active` is true, because the edits that failed to save would be lost.
/// Browsers show their own wording and may skip the question on a page the
/// user never interacted with.
#[hook]
pub fn use_unload_warning(active: bool) {
    use_effect_with(active, |&active| {
        let listener = active.then(add_listener).flatten();
        move || {
            if let Some(listener) = listener {
                remove_listener(&listener);
            }
        }
    });
}

type Listener = Closure<dyn FnMut(web_sys::BeforeUnloadEvent)>;

fn add_listener() -> Option<Listener> {
    let window = web_sys::window()?;
    let listener = Listener::new(|event: web_sys::BeforeUnloadEvent| {
        event.prevent_default();
        // Chromium before version 119 ignores preventDefault here and shows
        // the prompt only when returnValue is set.
        event.set_return_value("unsaved");
    });
    window
        .add_event_listener_with_callback("beforeunload", listener.as_ref().unchecked_ref())
        .ok()?;
    Some(listener)
}

fn remove_listener(listener: &Listener) {
    if let Some(window) = web_sys::window() {
        let _ = window
            .remove_event_listener_with_callback("beforeunload", listener.as_ref().unchecked_ref());
    }
}
