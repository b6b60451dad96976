// Starts the Yew app: loads rocky_web.js and its WebAssembly, or shows why
// it failed. A file of its own, because the page's Content-Security-Policy
// allows no inline script.

import init, { rescueAfterTrap } from './rocky_web.js';

try {
  const exports = await init();
  // A trap skips the panic hook and leaves the module's stack pointer where
  // it was when it came. No WebAssembly code runs now, so the pointer's
  // value is the top of the stack, which the rescue after a trap restores
  // before it calls into the module.
  const stackPointer = exports.__stack_pointer;
  const stackTop = stackPointer?.value;
  window.rockyBridge.setTrapRescue(() => {
    if (stackPointer) {
      stackPointer.value = stackTop;
    }
    return rescueAfterTrap();
  });
} catch (error) {
  const app = document.getElementById('app');
  app.replaceChildren();
  const message = document.createElement('p');
  message.className = 'app-failed';
  message.textContent = `The Rocky compiler failed to start: ${error?.message ?? error}`;
  app.append(message);
  throw error;
}
