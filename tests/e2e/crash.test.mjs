// Browser tests of a crash of the page's WebAssembly. A Rust panic shows
// the crash notice with its message as text, keeps the typing not yet
// saved, and a reload brings it back with compiling paused until the user
// resumes it. A trap that never reaches the panic hook (the stack running
// out, or an uncaught WebAssembly.RuntimeError) shows the notice too and
// keeps the typing as well.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProblems } from './helpers.mjs';
import {
  browserHooks, editorText, openFile, openPlaygroundPage, replaceOnLine, waitForLoad,
} from './playground-page.mjs';

const ORDERS = 'models/orders.sql';
const NOTICE = '#rocky-crash';

let server;
let browser;

browserHooks((started) => {
  ({ server, browser } = started);
});

function openPlayground() {
  return openPlaygroundPage(browser, server.url);
}

// Returns the problems other than the ones a crash is expected to log: the
// panic's console error and the trap that ends the module.
function unexpected(problems) {
  return problems.filter((problem) => !/^console error: panicked at |RuntimeError|Maximum call stack size exceeded/.test(problem));
}

// Keeps the app's module in window.rockyModule, so that a test can call
// it without waiting for an import.
async function loadModule(page) {
  await page.evaluate(async () => {
    window.rockyModule = await import('./rocky_web.js');
  });
}

// After a reload that follows a crash: the files are open, nothing is
// compiled until Compile now, and then the page compiles as usual.
async function checkPausedThenResume(page, crashMessage) {
  const paused = page.locator('[data-testid="paused-notice"]');
  await paused.waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await paused.locator('.paused-message').textContent(), crashMessage);
  const status = page.locator('[data-testid="compile-status"]');
  assert.equal(await status.getAttribute('data-paused'), 'true');
  assert.equal(await status.textContent(), 'Not compiled');
  assert.ok(await page.locator('[data-testid="run-button"]').isDisabled(), 'Run works while paused');
  assert.equal(await page.locator('[data-testid="problem"]').count(), 0);

  await paused.getByRole('button', { name: 'Compile now' }).click();
  await page.waitForFunction(() => {
    const element = document.querySelector('[data-testid="compile-status"]');
    return element && !element.hasAttribute('data-paused') && element.getAttribute('data-current') === 'true';
  });
  assert.equal(await paused.count(), 0);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('rocky-last-crash')), null);
}

test('panic keeps typing and shows text', async () => {
  const { page, problems } = await openPlayground();
  await loadModule(page);
  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- typed before the crash');
  // The last keys go right before the panic, which the 300 ms save timer
  // cannot beat, so they are unsaved when it comes.
  await page.keyboard.type(' now');
  const payload = '<img src=x onerror="window.injected = true"> broken invariant';
  const thrown = await page.evaluate((message) => {
    try {
      window.rockyModule.simulatePanic(message);
      return 'returned';
    } catch (error) {
      return `${error.name}: ${error.message}`;
    }
  }, payload);
  assert.match(thrown, /RuntimeError: unreachable/);

  const notice = page.locator(NOTICE);
  await notice.waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await notice.locator('h2').textContent(), /stopped after an internal error/);
  assert.match(await notice.locator('.crash-message').textContent(), /<img src=x onerror="window\.injected = true"> broken invariant \(at crates\/web\/src\/crash\.rs:\d+\)/);
  assert.equal(await notice.locator('img').count(), 0, 'the message became markup');
  assert.equal(await page.evaluate(() => window.injected), undefined, 'the message ran a script');
  assert.match(await notice.locator('.crash-rescue').textContent(), /not yet saved were kept in this browser/);
  const copies = await page.evaluate(() => Object.entries(localStorage)
    .filter(([key]) => key.startsWith('rocky-playground:unload:'))
    .map(([, value]) => value));
  assert.equal(copies.length, 1, 'the hook kept no copy of the unsaved session');
  assert.match(copies[0], /typed before the crash now/);

  await notice.getByRole('button', { name: 'Reload the page' }).click();
  await page.waitForEvent('load');
  await waitForLoad();
  assert.equal(await page.locator(NOTICE).count(), 0);
  await openFile(ORDERS);
  assert.match(await editorText(), /stg_orders -- typed before the crash now/, 'the reload lost the typing');
  await checkPausedThenResume(page, /<img src=x onerror="window\.injected = true"> broken invariant/);
  assert.equal(await page.locator('[data-testid="paused-notice"] img').count(), 0);

  // The pause lasts until Compile now, not longer.
  await page.reload({ waitUntil: 'load' });
  await waitForLoad();
  assert.equal(await page.locator('[data-testid="paused-notice"]').count(), 0);
  assert.equal(await page.locator('[data-testid="compile-status"]').getAttribute('data-paused'), null);
  assert.deepEqual(unexpected(problems), [], `page problems: ${describeProblems(unexpected(problems))}`);
  assert.ok(problems.some((problem) => problem.includes('<img src=x onerror')), describeProblems(problems));
  await page.close();
});

test('stack overflow keeps typing', async () => {
  const { page, problems } = await openPlayground();
  await loadModule(page);
  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- typed before the overflow');
  await page.keyboard.type(' now');
  // Uncaught, as from an event handler: the trap reaches the window.
  await page.evaluate(() => {
    setTimeout(() => window.rockyModule.simulateStackOverflow());
  });
  const notice = page.locator(NOTICE);
  await notice.waitFor({ state: 'visible', timeout: 10000 });
  const message = await notice.locator('.crash-message').textContent();
  assert.match(message, /^WebAssembly stopped: (Maximum call stack size exceeded|memory access out of bounds)$/);
  await page.waitForFunction((selector) => !/^Keeping the changes not yet saved/.test(document.querySelector(selector).textContent), `${NOTICE} .crash-rescue`);
  assert.match(await notice.locator('.crash-rescue').textContent(), /not yet saved were kept in this browser/,
    `page problems: ${describeProblems(problems)}; save state: ${await page.locator('[data-testid="save-status"]').getAttribute('data-state')}`);

  await notice.getByRole('button', { name: 'Reload the page' }).click();
  await page.waitForEvent('load');
  await waitForLoad();
  await openFile(ORDERS);
  assert.match(await editorText(), /stg_orders -- typed before the overflow now/, 'the reload lost the typing');
  await checkPausedThenResume(page, /^WebAssembly stopped: /);
  assert.deepEqual(unexpected(problems), [], `page problems: ${describeProblems(unexpected(problems))}`);
  await page.close();
});

test('uncaught trap shows the notice', async () => {
  const { page, problems } = await openPlayground();
  await page.evaluate(() => {
    setTimeout(() => {
      throw new WebAssembly.RuntimeError('memory access out of bounds');
    });
  });
  const notice = page.locator(NOTICE);
  await notice.waitFor({ state: 'visible', timeout: 5000 });
  assert.equal(await notice.locator('.crash-message').textContent(), 'WebAssembly stopped: memory access out of bounds');
  // Nothing was typed, so the rescue finds every change saved.
  assert.match(await notice.locator('.crash-rescue').textContent(), /Every change was saved before this happened/);
  assert.deepEqual(unexpected(problems), [], `page problems: ${describeProblems(unexpected(problems))}`);
  await page.close();
});

test('script error is not a crash', async () => {
  const { page } = await openPlayground();
  await page.evaluate(() => {
    setTimeout(() => {
      throw new TypeError('not a trap');
    });
  });
  await page.waitForTimeout(200);
  assert.equal(await page.locator(NOTICE).count(), 0);
  await page.close();
});
