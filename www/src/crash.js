// The notice the page shows when its WebAssembly stops: a Rust panic (the
// panic hook in crates/web/src/crash.rs calls showCrash, then crashRescued)
// or a trap that never reaches the hook. A trap reaches the window as an
// uncaught WebAssembly.RuntimeError (out of memory, or the module's own
// stack overrun) or as a RangeError thrown from WebAssembly code (the
// browser's stack limit). The notice is plain DOM, because the Yew app
// cannot render after either; every text is set with textContent, so a
// message never becomes markup.
//
// The crash is also written to sessionStorage, which a reload of the tab
// keeps: the next load then opens the files without compiling them, in case
// the compile itself is what crashed (lastCrash, clearLastCrash).

const NOTICE_ID = 'rocky-crash';
const LAST_CRASH_KEY = 'rocky-last-crash';

/** Set by main.js: keeps the unsaved changes after a trap, returning the outcome. */
let trapRescue = null;

/** Describes what happened to the edits made since the last save. */
const RESCUE_TEXT = {
  saved: 'Every change was saved before this happened. Reload to go on where you left off.',
  kept: 'The changes not yet saved were kept in this browser. Reload to go on where you left off.',
  lost: 'Keeping the changes of the last moments failed, so up to the last 0.3 s of typing may be missing after a reload.',
  off: 'This project is not saved in this browser, so a reload starts it afresh.',
  pending: 'Keeping the changes not yet saved…',
  unknown: 'Changes saved before the error are kept; up to the last 0.3 s of typing may be missing after a reload.',
};

function notice() {
  return document.getElementById(NOTICE_ID);
}

/**
 * Shows the crash notice with `message`, unless one is shown already: the
 * first error is the one that explains the rest.
 */
export function showCrash(message) {
  if (notice()) {
    return;
  }
  try {
    sessionStorage.setItem(LAST_CRASH_KEY, String(message));
  } catch {
    // Without sessionStorage the next load compiles as usual.
  }
  const box = document.createElement('div');
  box.id = NOTICE_ID;
  box.className = 'crash-notice';
  box.setAttribute('role', 'alertdialog');
  box.setAttribute('aria-labelledby', `${NOTICE_ID}-title`);

  const title = document.createElement('h2');
  title.id = `${NOTICE_ID}-title`;
  title.textContent = 'The playground stopped after an internal error';

  const rescue = document.createElement('p');
  rescue.className = 'crash-rescue';
  rescue.textContent = RESCUE_TEXT.pending;

  const details = document.createElement('pre');
  details.className = 'crash-message';
  details.textContent = String(message);

  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Reload the page';
  reload.addEventListener('click', () => window.location.reload());

  const copy = document.createElement('button');
  copy.type = 'button';
  copy.textContent = 'Copy the error';
  copy.addEventListener('click', () => {
    navigator.clipboard?.writeText(String(message)).catch(() => {});
  });

  const buttons = document.createElement('div');
  buttons.className = 'crash-buttons';
  buttons.append(reload, copy);
  box.append(title, rescue, details, buttons);
  document.body.append(box);
  reload.focus();
}

/**
 * Shows on the notice what became of the unsaved changes: `saved`, `kept`,
 * `lost` or `off`.
 */
export function crashRescued(outcome) {
  const rescue = notice()?.querySelector('.crash-rescue');
  if (rescue) {
    rescue.textContent = RESCUE_TEXT[outcome] ?? RESCUE_TEXT.unknown;
  }
}

/**
 * Returns the message of the crash that stopped this tab's last page load,
 * or null.
 */
export function lastCrash() {
  try {
    return sessionStorage.getItem(LAST_CRASH_KEY);
  } catch {
    return null;
  }
}

/** Forgets the last crash, once the user chose to compile again. */
export function clearLastCrash() {
  try {
    sessionStorage.removeItem(LAST_CRASH_KEY);
  } catch {
    // Nothing was stored, then.
  }
}

/**
 * Sets what keeps the unsaved changes after a trap: a function of the
 * WebAssembly module that returns `saved`, `kept`, `lost` or `off`.
 */
export function setTrapRescue(rescue) {
  trapRescue = typeof rescue === 'function' ? rescue : null;
}

/** True when `error` is a trap of WebAssembly code, not a script's error. */
export function isTrap(error) {
  if (error instanceof WebAssembly.RuntimeError) {
    return true;
  }
  // The browser's stack limit raises a RangeError in whatever code runs
  // when it is reached; its stack shows whether that was WebAssembly.
  return error instanceof RangeError && /wasm-function|\.wasm:/.test(String(error.stack));
}

/**
 * Shows the notice for a trap that the panic hook did not report, then has
 * the module keep the unsaved changes. The module's memory is intact
 * after a trap, but a value it was changing may be left locked, in which
 * case the rescue reports `lost`.
 */
function onTrap(error) {
  if (!isTrap(error) || notice()) {
    return;
  }
  showCrash(`WebAssembly stopped: ${error.message}`);
  let outcome = 'unknown';
  if (trapRescue) {
    try {
      outcome = trapRescue();
    } catch (rescueError) {
      console.warn('rockyBridge: keeping the changes after a trap failed', rescueError);
      outcome = 'lost';
    }
  }
  crashRescued(outcome);
}

window.addEventListener('error', (event) => onTrap(event.error));
window.addEventListener('unhandledrejection', (event) => onTrap(event.reason));
