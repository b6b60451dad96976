// Browser tests of how the page keeps its work. Edits that an older
// version left in localStorage move into main's saved session. A browser
// without IndexedDB gets a notice, and the page works on in memory and can
// still export. A saved session the page cannot read is never written over,
// a reload right after a change keeps it, a tab never saves over what
// another tab saved without asking, and deleting a file first shows a
// confirmation dialog of the page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProblems } from './helpers.mjs';
import {
  attribute, browserHooks, byTestId, createBranch, currentBranch, editorText, openFile, openPlaygroundPage,
  replaceOnLine, sampleText, savedFile, usePage, waitForBranch, waitForLoad, waitForSaveSettled,
} from './playground-page.mjs';

const ORDERS = 'models/orders.sql';

let server;
let browser;

browserHooks((started) => {
  ({ server, browser } = started);
});

// Opens the playground in a new page of the shared profile, with `setup`
// run before the page's own scripts when given.
function openPlayground(setup) {
  return openPlaygroundPage(browser, server.url, setup);
}

test('old localStorage edits move into main', async () => {
  const { page, problems } = await openPlayground();
  const sample = await sampleText(ORDERS);
  const edited = sample.replace('select * from stg_orders', 'select * from stg_orders -- kept from localStorage');
  assert.notEqual(edited, sample, 'the sample changed');
  await page.evaluate(({ path, text }) => {
    localStorage.setItem(`rocky-playground:file:${path}`, text);
    localStorage.setItem('rocky-playground:open-path', path);
  }, { path: ORDERS, text: edited });
  await page.reload({ waitUntil: 'load' });
  await waitForLoad();

  assert.equal(await attribute(`${byTestId('file-item')}[data-active="true"]`, 'data-path'), ORDERS);
  assert.match(await editorText(), /kept from localStorage/);
  assert.equal(await attribute(`${byTestId('file-item')}[data-path="${ORDERS}"]`, 'data-change'), 'modified');
  assert.equal(await waitForSaveSettled(), 'saved', 'the migrated edit was not saved');
  assert.equal(await savedFile('main', ORDERS), edited);
  const left = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('rocky-playground:')));
  assert.deepEqual(left, [], 'the migrated keys are still in localStorage');

  await page.reload({ waitUntil: 'load' });
  await waitForLoad();
  assert.match(await editorText(), /kept from localStorage/, 'the edit did not outlive a second reload');
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
  await page.close();
});

test('unreadable session is never overwritten', async () => {
  const { page, problems } = await openPlayground();
  const unreadable = '{"version": 99, "workspace": {}}';
  await page.evaluate((text) => window.rockyBridge.storageSave(text), unreadable);
  await page.reload({ waitUntil: 'load' });
  await waitForLoad();
  const notice = page.locator(`${byTestId('save-notice')}[data-kind="read-failed"]`);
  await notice.waitFor({ timeout: 5000 });
  assert.match(await notice.textContent(), /could not be read \(the saved session has version 99/);
  assert.equal(await attribute(byTestId('save-status'), 'data-state'), 'off');

  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- not saved');
  const unsaved = page.locator(`${byTestId('save-notice')} ${byTestId('unsaved-file')}`);
  await unsaved.first().waitFor({ timeout: 5000 });
  assert.equal(await unsaved.first().getAttribute('data-reason'), 'unreadable');
  // Longer than the 300 ms after which a change would be saved.
  await page.waitForTimeout(800);
  assert.equal(await page.evaluate(() => window.rockyBridge.storageLoad()), unreadable,
    'the page wrote over the session it could not read');
  // The page reported the unreadable session as a console error.
  const expected = problems.filter((line) => /reading the saved session failed/.test(line));
  assert.equal(expected.length, 1, `page problems: ${describeProblems(problems)}`);
  assert.equal(problems.length, 1, `page problems: ${describeProblems(problems)}`);
  await page.evaluate(() => new Promise((resolve) => {
    const request = indexedDB.deleteDatabase('rocky-playground');
    request.onsuccess = resolve;
    request.onerror = resolve;
  }));
  await page.close();
});

test('reload right after a change keeps it', async () => {
  const { page, problems } = await openPlayground();
  await createBranch('quick');
  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- typed just now');
  // No wait: the 300 ms save timer has not fired, so only the copy the
  // page keeps at unload has the edit.
  await page.reload({ waitUntil: 'load' });
  await waitForLoad();
  assert.equal(await currentBranch(), 'quick', 'the reload lost the new branch');
  assert.equal(await attribute(`${byTestId('file-item')}[data-active="true"]`, 'data-path'), ORDERS);
  assert.match(await editorText(), /stg_orders -- typed just now/, 'the reload lost the typing');
  // A later edit saves to IndexedDB, which removes the copy.
  await replaceOnLine('-- typed just now', 'just now', 'and saved');
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.match(await savedFile('quick', ORDERS), /-- typed and saved/);
  const copies = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('rocky-playground:unload:')));
  assert.deepEqual(copies, []);
  await page.locator(byTestId('branch-delete')).click();
  await page.locator(byTestId('branch-confirm-accept')).click();
  await waitForBranch('main');
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
  await page.close();
});

test('no IndexedDB keeps work in memory', async () => {
  const { page, problems } = await openPlayground(() => {
    Object.defineProperty(window, 'indexedDB', { configurable: true, get: () => undefined });
  });
  const notice = page.locator(byTestId('save-notice'));
  await notice.waitFor({ timeout: 5000 });
  assert.match(await notice.textContent(), /could not be saved in this browser/);
  assert.match(await notice.textContent(), /no IndexedDB/);
  assert.equal(await attribute(byTestId('save-status'), 'data-state'), 'failed');

  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- in memory');
  const unsaved = page.locator(`${byTestId('save-notice')} ${byTestId('unsaved-file')}`);
  await unsaved.first().waitFor({ timeout: 5000 });
  assert.equal(await unsaved.first().getAttribute('data-path'), ORDERS);
  assert.equal(await unsaved.first().getAttribute('data-reason'), 'unavailable');
  assert.equal(await attribute(byTestId('compile-status'), 'data-errors'), '0', 'the page stopped compiling');

  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.locator(byTestId('export-zip')).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'jaffle_shop.zip', 'export does not work without IndexedDB');
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
  await page.close();
});

test('two tabs never overwrite silently', async () => {
  const first = await openPlayground();
  const second = await openPlayground();
  const conflictProblem = /another tab saved this project|saving the session failed/;

  // The first tab saves; the second, which read the session before, must
  // not write over that save.
  usePage(first.page, first.problems);
  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- from the first tab');
  assert.equal(await waitForSaveSettled(), 'saved');
  const branch = await currentBranch();

  usePage(second.page, second.problems);
  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- from the second tab');
  assert.equal(await waitForSaveSettled(), 'failed');
  const notice = second.page.locator(byTestId('save-notice'));
  assert.equal(await notice.getAttribute('data-kind'), 'conflict');
  assert.match(await notice.textContent(), /Another tab saved this project after this tab opened it/);
  assert.match(await savedFile(branch, ORDERS), /-- from the first tab/);
  assert.doesNotMatch(await savedFile(branch, ORDERS), /-- from the second tab/);

  // Keeping the second tab's version saves it over the first tab's.
  await second.page.locator(byTestId('save-conflict-keep')).click();
  await notice.waitFor({ state: 'detached', timeout: 10000 });
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.match(await savedFile(branch, ORDERS), /-- from the second tab/);

  // The first tab now conflicts in turn, and takes the second tab's version.
  usePage(first.page, first.problems);
  await replaceOnLine('-- from the first tab', 'first tab', 'first tab, again');
  assert.equal(await waitForSaveSettled(), 'failed');
  await Promise.all([
    first.page.waitForEvent('load'),
    first.page.locator(byTestId('save-conflict-take')).click(),
  ]);
  await waitForLoad();
  await openFile(ORDERS);
  assert.match(await editorText(), /-- from the second tab/);
  assert.doesNotMatch(await editorText(), /first tab, again/);
  assert.match(await savedFile(branch, ORDERS), /-- from the second tab/);

  for (const { page, problems } of [first, second]) {
    const unexpected = problems.filter((problem) => !conflictProblem.test(problem));
    assert.deepEqual(unexpected, [], `page problems: ${describeProblems(unexpected)}`);
    await page.close();
  }
});

test("a crashed tab's rescue outlives another tab's save", async () => {
  const crashed = await openPlayground();
  const other = await openPlayground();
  const unloadKey = 'rocky-playground:unload:current';

  // The first tab crashes with an edit its save timer has not written.
  usePage(crashed.page, crashed.problems);
  await crashed.page.evaluate(async () => {
    window.rockyModule = await import('./rocky_web.js');
  });
  await openFile(ORDERS);
  await replaceOnLine('select * from stg_orders', 'stg_orders', 'stg_orders -- rescued');
  await crashed.page.keyboard.type(' edit');
  await crashed.page.evaluate(() => {
    try {
      window.rockyModule.simulatePanic('a crash in the first tab');
    } catch {
      // The panic ends the call with a trap.
    }
  });
  const notice = crashed.page.locator('#rocky-crash');
  await notice.waitFor({ timeout: 5000 });
  assert.match(await notice.locator('.crash-rescue').textContent(), /not yet saved were kept/);

  // The other tab saves an edit of its own; the rescue stays.
  usePage(other.page, other.problems);
  await openFile('models/customers.sql');
  await replaceOnLine('select * from stg_customers', 'stg_customers', 'stg_customers -- other tab');
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.match(await other.page.evaluate((key) => localStorage.getItem(key) ?? '', unloadKey), /-- rescued edit/,
    "the other tab's save removed the crashed tab's rescue");

  // The crashed tab reloads with its edit, and its first save finds the
  // other tab's save instead of writing over it.
  usePage(crashed.page, crashed.problems);
  await Promise.all([crashed.page.waitForEvent('load'), notice.getByRole('button', { name: 'Reload the page' }).click()]);
  await waitForLoad();
  await openFile(ORDERS);
  assert.match(await editorText(), /-- rescued edit/, 'the reload lost the rescued edit');
  await replaceOnLine('-- rescued edit', 'edit', 'edit, then more');
  assert.equal(await waitForSaveSettled(), 'failed');
  const conflict = crashed.page.locator(byTestId('save-notice'));
  assert.equal(await conflict.getAttribute('data-kind'), 'conflict');
  assert.match(await savedFile('main', 'models/customers.sql'), /-- other tab/);

  // Keeping it saves the rescued version, by the user's choice.
  await crashed.page.locator(byTestId('save-conflict-keep')).click();
  await conflict.waitFor({ state: 'detached', timeout: 10000 });
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.match(await savedFile('main', ORDERS), /-- rescued edit, then more/);
  assert.equal(await crashed.page.evaluate((key) => localStorage.getItem(key), unloadKey), null);

  const expected = /another tab saved this project|saving the session failed|panicked at|RuntimeError/;
  for (const { page, problems } of [crashed, other]) {
    const unexpected = problems.filter((problem) => !expected.test(problem));
    assert.deepEqual(unexpected, [], `page problems: ${describeProblems(unexpected)}`);
    await page.close();
  }
});

test('deleting a file asks first', async () => {
  const { page, problems } = await openPlayground();
  await createBranch('deleting');
  await openFile(ORDERS);
  const item = page.locator(`${byTestId('file-item')}[data-path="${ORDERS}"]`);
  const dialog = page.locator(byTestId('confirm-dialog'));

  // Cancel has the focus, so Enter keeps the file; so does Escape.
  for (const key of ['Enter', 'Escape']) {
    await page.locator(byTestId('delete-file')).click();
    await dialog.waitFor({ timeout: 5000 });
    assert.equal(await dialog.getAttribute('data-kind'), 'delete-file');
    assert.match(await dialog.textContent(), /Delete models\/orders\.sql from the branch deleting\?/);
    await page.keyboard.press(key);
    await dialog.waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await item.getAttribute('data-change'), null, `${key} deleted the file`);
  }

  // Tab and Shift+Tab stay inside the dialog, so Escape still reaches it.
  await page.locator(byTestId('delete-file')).click();
  await dialog.waitFor({ timeout: 5000 });
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    assert.ok(await page.evaluate(() => document.activeElement?.closest('[data-testid="confirm-dialog"]') !== null),
      `${key} moved the focus out of the dialog`);
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached', timeout: 5000 });

  await page.locator(byTestId('delete-file')).click();
  await page.locator(byTestId('confirm-accept')).click();
  // A branch lists a file it deleted as deleted, for the compare.
  await page.locator(`${byTestId('file-item')}[data-path="${ORDERS}"][data-change="deleted"]`).waitFor({ timeout: 5000 });
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.equal(await savedFile('deleting', ORDERS), null, 'the deleted file is still saved');
  assert.match(await savedFile('main', ORDERS), /select \* from stg_orders/, 'the delete reached main');
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
  await page.close();
});
