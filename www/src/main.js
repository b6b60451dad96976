// Starts the Yew app: loads rocky_web.js and its WebAssembly, or shows why
// it failed. A file of its own, because the page's Content-Security-Policy
// allows no inline script.

import init from './rocky_web.js';

try {
  await init();
} catch (error) {
  const app = document.getElementById('app');
  app.replaceChildren();
  const message = document.createElement('p');
  message.className = 'app-failed';
  message.textContent = `The Rocky compiler failed to start: ${error?.message ?? error}`;
  app.append(message);
  throw error;
}
