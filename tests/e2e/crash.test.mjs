// Browser tests of a crash of the page's WebAssembly. A Rust panic shows
// the crash notice with its message as text, keeps the typing not yet
// saved, and a reload brings it back. A trap that never reaches the panic
// hook (an uncaught WebAssembly.RuntimeError) shows the notice too.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPageProblems, describeProblems, launchBrowser, startServer } from './helpers.mjs';
import { editorText, openFile, replaceOnLine, usePage, waitForLoad } from './playground-page.mjs';

const ORDERS = 'models/orders.sql';
const NOTICE = '#rocky-crash';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPlayground() {
  const page = await browser.context.newPage();
  const problems = collectPageProblems(page);
  usePage(page, problems);
  await page.goto(server.url, { waitUntil: 'load' });
  await waitForLoad();
  return { page, problems };
}

// Returns the problems other than the ones a crash is expected to log: the
// panic's console error and the trap that ends the module.
function unexpected(problems) {
  return problems.filter((problem) => !/^console error: panicked at |RuntimeError/.test(problem));
}

test('panic keeps typing and shows text', async () => {
  const { page, problems } = await openPlayground();
  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- typed before the crash');
  // No wait: the 300 ms save timer has not fired, so the edit is unsaved.
  const payload = '<img src=x onerror="window.injected = true"> broken invariant';
  const thrown = await page.evaluate(async (message) => {
    const module = await import('./rocky_web.js');
    try {
      module.simulatePanic(message);
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
  assert.match(copies[0], /typed before the crash/);

  await notice.getByRole('button', { name: 'Reload the page' }).click();
  await page.waitForEvent('load');
  await waitForLoad();
  assert.equal(await page.locator(NOTICE).count(), 0);
  await openFile(ORDERS);
  assert.match(await editorText(), /stg_orders -- typed before the crash/, 'the reload lost the typing');
  assert.deepEqual(unexpected(problems), [], `page problems: ${describeProblems(unexpected(problems))}`);
  assert.ok(problems.some((problem) => problem.includes('<img src=x onerror')), describeProblems(problems));
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
  assert.match(await notice.locator('.crash-rescue').textContent(), /Changes saved before the error are kept/);
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
