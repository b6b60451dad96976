//! The panic hook. A panic in the page's WebAssembly ends the module: the
//! app can no longer render or save. So the hook first shows the page's
//! crash notice (`www/src/crash.js`) with the panic's message, then keeps
//! the changes not yet saved where the next page load finds them (the
//! session's unload copy in localStorage), and shows on the notice
//! whether that worked.
//!
//! A trap (the stack or the memory running out) skips the hook. `crash.js`
//! shows the notice for it and calls [`rescue_after_trap`].

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

/// Keeps the unsaved changes once, after a panic or a trap.
fn rescue() -> Rescue {
    RESCUE
        .try_with(|slot| {
            slot.try_borrow()
                .ok()
                .and_then(|rescue| rescue.as_ref().map(|rescue| rescue()))
        })
        .ok()
        .flatten()
        .unwrap_or(Rescue::Lost)
}

/// Stops saving and keeps the unsaved changes after a trap, returning the
/// outcome's name. `main.js` calls it through `crash.js`, after it has put
/// the stack pointer back where it was before the trap.
///
/// A trap leaves the module's memory as it was, so the rescue can still
/// read the session. Should the trap have come while the session was being
/// changed, its cell stays borrowed and the outcome is `lost`.
#[wasm_bindgen(js_name = rescueAfterTrap)]
pub fn rescue_after_trap() -> String {
    let outcome = if CRASHED.swap(true, Ordering::SeqCst) {
        Rescue::Lost
    } else {
        rescue()
    };
    outcome.name().to_string()
}

fn on_panic(info: &PanicHookInfo) {
    // The message with the JavaScript stack, in the console.
    console_error_panic_hook::hook(info);
    let message = describe(info);
    if CRASHED.swap(true, Ordering::SeqCst) {
        return;
    }
    bridge::show_crash(&message);
    bridge::crash_rescued(rescue().name());
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

/// Recurses until the stack runs out, so a test can check what a trap
/// does to the page. The page itself never calls it.
#[wasm_bindgen(js_name = simulateStackOverflow)]
pub fn simulate_stack_overflow() -> u32 {
    fn descend(depth: u32) -> u32 {
        // A frame of 1 KiB that the optimizer cannot drop or turn into a loop.
        let frame = std::hint::black_box([depth as u8; 1024]);
        if depth == u32::MAX {
            return 0;
        }
        let below = descend(std::hint::black_box(depth + 1));
        below.wrapping_add(u32::from(frame[usize::from(frame[0]) % 1024]))
    }
    descend(0)
}

/// Panics with `message`, so a test can check what a crash does to the
/// page. The page itself never calls it.
#[wasm_bindgen(js_name = simulatePanic)]
pub fn simulate_panic(message: &str) {
    panic!("{message}");
}
