// Browser tests that end the page while the user types, then reopen it in
// the same profile: the renderer crashes (Chromium's Page.crash, which runs
// no unload handler), or the tab is closed. Every edit older than the save
// debounce must be back. Also a real storage quota, set through Chromium's
// Storage.overrideQuotaForOrigin: saving fails with a notice, the page
// keeps compiling and exporting, and saves again once there is room.
// Each test reports what it measured with `#` lines.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProblems, launchBrowser } from './helpers.mjs';
import {
  attribute, browserHooks, byTestId, editorText, openFile, openPlaygroundPage, replaceOnLine, savedFile,
  waitForSaveSettled,
} from './playground-page.mjs';

const ORDERS = 'models/orders.sql';
// The save debounce of crates/web/src/hooks/use_save_session.rs.
const DEBOUNCE_MS = 300;

let server;
let browser;

browserHooks((started) => {
  ({ server, browser } = started);
});

function openPlayground(own = browser) {
  return openPlaygroundPage(own, server.url);
}

test('renderer crash keeps edits older than the debounce', async (t) => {
  const { page } = await openPlayground();
  await openFile(ORDERS);
  const marks = [];
  for (let i = 1; i <= 5; i++) {
    const mark = `-- crash test keystroke ${i}`;
    const line = i === 1 ? 'select * from stg_orders' : `-- crash test keystroke ${i - 1}`;
    const from = i === 1 ? 'stg_orders' : `keystroke ${i - 1}`;
    const to = i === 1 ? `stg_orders ${mark}` : `keystroke ${i}`;
    await replaceOnLine(line, from, to);
    marks.push(mark);
  }
  // The last edit is older than the debounce, plus the time IndexedDB takes
  // to commit on a loaded machine.
  await page.waitForTimeout(DEBOUNCE_MS + 700);
  const cdp = await page.context().newCDPSession(page);
  const crashed = page.waitForEvent('crash');
  cdp.send('Page.crash').catch(() => {});
  await crashed;
  await page.close().catch(() => {});

  const reopened = await openPlayground();
  await openFile(ORDERS);
  const text = await editorText();
  assert.match(text, /stg_orders -- crash test keystroke 5/, `the edit before the crash is lost:\n${text}`);
  t.diagnostic('edits kept after a renderer crash 1 s after the last keystroke: all 5');
  assert.deepEqual(reopened.problems, [], describeProblems(reopened.problems));

  // Put the file back for the next test.
  await replaceOnLine('-- crash test keystroke 5', ' -- crash test keystroke 5', ' ');
  assert.equal(await waitForSaveSettled(), 'saved');
  await reopened.page.close();
});

test('closing the tab keeps edits older than the debounce', async () => {
  const { page } = await openPlayground();
  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- typed, then the tab closed');
  // Closed at once, the edit depends on the copy the page writes at
  // pagehide, which a tab closed through the DevTools protocol was seen to
  // miss in 1 run of 9; docs/reliability.md has the figures.
  await page.waitForTimeout(DEBOUNCE_MS + 700);
  await page.close({ runBeforeUnload: false });

  const reopened = await openPlayground();
  await openFile(ORDERS);
  assert.match(await editorText(), /stg_orders -- typed, then the tab closed/, 'closing the tab lost the edit');
  await replaceOnLine('-- typed, then the tab closed', ' -- typed, then the tab closed', ' ');
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.deepEqual(reopened.problems, [], describeProblems(reopened.problems));
  await reopened.page.close();
});

test('real quota keeps the page working', async () => {
  // A profile of its own: Chromium was seen to keep the quota it had
  // computed for the origin once the earlier tests had used its storage.
  const own = await launchBrowser();
  const { page, problems } = await openPlayground(own);
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(server.url).origin;
  const { usage } = await page.evaluate(() => navigator.storage.estimate());
  // Room for what is stored now, not for a 2 MB model more.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 64 * 1024 });
  try {
    await openFile(ORDERS);
    const filler = `-- ${'x'.repeat(2 * 1024 * 1024)}`;
    await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- before the big comment');
    // A paste event with the text, as the browser sends for Ctrl+V: typing
    // two megabytes key by key takes minutes.
    await page.keyboard.press('Control+End');
    await page.evaluate(({ selector, text }) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.querySelector(selector).dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, { selector: `${byTestId('editor')} .cm-content`, text: `\n${filler}\n` });
    const notice = page.locator(byTestId('save-notice'));
    await notice.waitFor({ timeout: 15000 });
    assert.equal(await attribute(byTestId('save-status'), 'data-state'), 'failed');
    const unsaved = page.locator(`${byTestId('save-notice')} ${byTestId('unsaved-file')}`);
    await unsaved.first().waitFor({ timeout: 5000 });
    assert.equal(await unsaved.first().getAttribute('data-path'), ORDERS);
    assert.equal(await unsaved.first().getAttribute('data-reason'), 'quota', await notice.textContent());

    // The page goes on: it compiles, and export has the unsaved text.
    assert.equal(await attribute(byTestId('compile-status'), 'data-errors'), '0');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 15000 }),
      page.locator(byTestId('export-zip')).click(),
    ]);
    const size = (await download.createReadStream().then(async (stream) => {
      let bytes = 0;
      for await (const chunk of stream) bytes += chunk.length;
      return bytes;
    }));
    assert.ok(size > 1000, `the export has ${size} bytes`);
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 * 1024 * 1024 });
  }
  // With room again, the next edit saves everything.
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+Home');
  await replaceOnLine('-- before the big comment', 'before', 'after');
  // The status reads failed until the next save has worked.
  await page.locator(byTestId('save-notice')).waitFor({ state: 'detached', timeout: 10000 }).catch(() => {
    assert.fail('the save-notice stays once the quota has room');
  });
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.match(await savedFile('main', ORDERS), /-- after the big comment/);
  assert.deepEqual(problems, [], describeProblems(problems));
  await own.close();
});
