//! The panic hook. A panic in the page's WebAssembly ends the module: the
//! app can no longer render or save. So the hook first shows the page's
//! crash notice (`www/src/crash.js`) with the panic's message, then keeps
//! the changes not yet saved where the next page load finds them (the
//! session's unload copy in localStorage), and shows on the notice
//! whether that worked.

use std::cell::RefCell;
use std::panic::PanicHookInfo;
use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::prelude::*;

use crate::bridge;

/// The outcome for the changes not yet saved when the page crashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rescue {
    /// Every change was saved already.
    Saved,
    /// The unsaved changes were written where the next load reads them.
    Kept,
    /// Writing them failed.
    Lost,
    /// The project is not saved in this browser (a generated project, or
    /// saving is off because the saved session could not be read).
    Off,
}

impl Rescue {
    /// Returns the outcome's name on the bridge's `crashRescued`.
    pub fn name(self) -> &'static str {
        match self {
            Rescue::Saved => "saved",
            Rescue::Kept => "kept",
            Rescue::Lost => "lost",
            Rescue::Off => "off",
        }
    }
}

thread_local! {
    /// Keeps the unsaved changes; the save hook registers it.
    static RESCUE: RefCell<Option<Box<dyn Fn() -> Rescue>>> = RefCell::new(None);
}

/// True once a panic has started the hook, so a second panic inside it
/// does not start it again.
static CRASHED: AtomicBool = AtomicBool::new(false);

/// Returns true once the page has panicked. The app's state may be half
/// updated then, so nothing saves it after the rescue's one copy.
pub fn crashed() -> bool {
    CRASHED.load(Ordering::SeqCst)
}

/// Sets what keeps the unsaved changes at a crash, replacing the one set
/// before.
pub fn set_rescue(rescue: impl Fn() -> Rescue + 'static) {
    RESCUE.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = Some(Box::new(rescue));
        }
    });
}

/// Installs the panic hook through Yew, which would otherwise install its
/// own at the first render. Call it before the app starts.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(on_panic));
}

fn on_panic(info: &PanicHookInfo) {
    // The message with the JavaScript stack, in the console.
    console_error_panic_hook::hook(info);
    let message = describe(info);
    if CRASHED.swap(true, Ordering::SeqCst) {
        return;
    }
    bridge::show_crash(&message);
    let outcome = RESCUE
        .try_with(|slot| {
            slot.try_borrow()
                .ok()
                .and_then(|rescue| rescue.as_ref().map(|rescue| rescue()))
        })
        .ok()
        .flatten()
        .unwrap_or(Rescue::Lost);
    bridge::crash_rescued(outcome.name());
}

/// Returns the panic's message and where in the source it was raised.
fn describe(info: &PanicHookInfo) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string());
    match info.location() {
        Some(at) => format!("{message} (at {}:{})", at.file(), at.line()),
        None => message,
    }
}

/// Panics with `message`, so a test can check what a crash does to the
/// page. The page itself never calls it.
#[wasm_bindgen(js_name = simulatePanic)]
pub fn simulate_panic(message: &str) {
    panic!("{message}");
}
