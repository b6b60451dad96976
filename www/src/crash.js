// The notice the page shows when its WebAssembly stops: a Rust panic (the
// panic hook in crates/web/src/crash.rs calls showCrash, then crashRescued)
// or a trap that never reaches the hook, such as running out of memory,
// which reaches the window as an uncaught WebAssembly.RuntimeError. The notice is
// plain DOM, because the Yew app cannot render after either; every text is
// set with textContent, so a message never becomes markup.

const NOTICE_ID = 'rocky-crash';

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
 * Shows the notice for a trap that the panic hook did not report. The
 * WebAssembly instance is unusable after a trap, so nothing is rescued.
 */
function onTrap(error) {
  if (!(error instanceof WebAssembly.RuntimeError) || notice()) {
    return;
  }
  showCrash(`WebAssembly stopped: ${error.message}`);
  crashRescued('unknown');
}

window.addEventListener('error', (event) => onTrap(event.error));
window.addEventListener('unhandledrejection', (event) => onTrap(event.reason));
