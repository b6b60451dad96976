// Steps on the playground page that several browser test files share:
// waiting, opening files, keyboard edits and reading the editor. A test
// file calls usePage once with its page and the problem list that
// collectPageProblems returned.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { ROOT, collectPageProblems, describeProblems, launchBrowser, startServer } from './helpers.mjs';

export const COMPILE_TIMEOUT_MS = 30000;

let page;
let problems;

/** Makes the helpers below act on `playgroundPage`, reporting `pageProblems` on timeouts. */
export function usePage(playgroundPage, pageProblems) {
  page = playgroundPage;
  problems = pageProblems;
}

export const byTestId = (id) => `[data-testid="${id}"]`;

// Waits for `condition` (a function run in the page) to return a truthy value,
// and fails with `what` and the page's errors so far when it does not.
export async function waitInPage(what, condition, argument, timeout) {
  try {
    const handle = await page.waitForFunction(condition, argument, { timeout });
    return await handle.jsonValue();
  } catch (error) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}; page problems: ${describeProblems(problems)}`,
      { cause: error });
  }
}

export async function attribute(selector, name) {
  return page.locator(selector).first().getAttribute(name);
}

export async function openFile(filePath) {
  const item = page.locator(`${byTestId('file-item')}[data-path="${filePath}"]`);
  assert.equal(await item.count(), 1, `file list has no single file-item with data-path="${filePath}"`);
  await item.click();
  await waitInPage(`${filePath} to become the active file`, (selector) =>
    document.querySelector(selector)?.getAttribute('data-active') === 'true',
  `${byTestId('file-item')}[data-path="${filePath}"]`, 5000);
}

// Replaces the first `from` on the first line of the open file that contains
// `lineText`, by keyboard as a person edits, and returns the line's 1-based
// number. Only lines CodeMirror has rendered are found, which covers the
// short sample files.
export async function replaceOnLine(lineText, from, to) {
  const lines = await page.locator(`${byTestId('editor')} .cm-line`).allTextContents();
  const lineIndex = lines.findIndex((line) => line.includes(lineText));
  assert.ok(lineIndex >= 0, `no line containing ${JSON.stringify(lineText)} in the editor: ${JSON.stringify(lines)}`);
  const column = lines[lineIndex].indexOf(from);
  assert.ok(column >= 0, `line ${lineIndex + 1} has no ${JSON.stringify(from)}: ${JSON.stringify(lines[lineIndex])}`);

  // ArrowDown always lands on the right line (the editor does not wrap), but
  // the column it keeps comes from measured pixels, which were seen to be
  // off while the editor re-rendered. End and ArrowLeft count characters.
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < lineIndex; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  for (let i = column; i < lines[lineIndex].length; i++) await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < from.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type(to);

  const edited = await page.locator(`${byTestId('editor')} .cm-line`).nth(lineIndex).textContent();
  const expected = lines[lineIndex].slice(0, column) + to + lines[lineIndex].slice(column + from.length);
  assert.equal(edited, expected, `the keyboard edit of line ${lineIndex + 1} went wrong`);
  return lineIndex + 1;
}

// Waits until compile-status counts more compiles than `before`.
export async function waitForCompileAfter(before) {
  await waitInPage(`a compile after compile ${before}`, ({ selector, count }) =>
    Number(document.querySelector(selector)?.getAttribute('data-compiles')) > count,
  { selector: byTestId('compile-status'), count: before }, COMPILE_TIMEOUT_MS);
}

// Waits until the page has compiled the latest edit.
export async function waitForCompileOfEdits() {
  await waitInPage('a compile of the latest edit', (selector) =>
    document.querySelector(selector)?.getAttribute('data-current') === 'true',
  byTestId('compile-status'), COMPILE_TIMEOUT_MS);
}

export async function compileCount() {
  return Number(await attribute(byTestId('compile-status'), 'data-compiles'));
}

// Returns the sample's text of a project path, as the page bundles it.
export async function sampleText(filePath) {
  return readFile(path.join(ROOT, 'sample', 'jaffle_shop', filePath), 'utf8');
}

// Returns the open file's text. CodeMirror renders only the lines in view,
// which covers the short sample files.
export async function editorText() {
  return (await page.locator(`${byTestId('editor')} .cm-line`).allTextContents()).join('\n');
}

// Focuses the editor without a click, which would move its cursor.
export async function focusEditor() {
  await page.locator(`${byTestId('editor')} .cm-content`).focus();
}

export async function waitForLoad() {
  await waitInPage('the first compile after loading', (selector) =>
    Number(document.querySelector(selector)?.getAttribute('data-compiles')) >= 1
    && document.querySelector('[data-testid="editor"] .cm-content') !== null,
  byTestId('compile-status'), COMPILE_TIMEOUT_MS);
}

const RUN_END_TIMEOUT_MS = 120000;

// Starts watching run-status, so that runEnded waits for the end of the
// run started after this call and not the previous run's.
export async function watchRun() {
  await page.evaluate((selector) => {
    const element = document.querySelector(selector);
    window.rockyRunOutcome = null;
    let busy = false;
    const observer = new MutationObserver(() => {
      const state = element.getAttribute('data-state');
      if (state === 'loading' || state === 'running') busy = true;
      else if (busy && (state === 'done' || state === 'failed')) {
        window.rockyRunOutcome = state;
        observer.disconnect();
      }
    });
    observer.observe(element, { attributes: true, attributeFilter: ['data-state'] });
  }, byTestId('run-status'));
}

// Waits for the run that watchRun saw start to end; returns its final
// data-state, "done" or "failed".
export async function runEnded(timeout = RUN_END_TIMEOUT_MS) {
  return waitInPage('the run to end in "done" or "failed"', () => window.rockyRunOutcome, undefined, timeout);
}

export async function activePath() {
  return attribute(`${byTestId('file-item')}[data-active="true"]`, 'data-path');
}

// Moves the cursor onto the first line of the open file that contains
// `lineText`, going down line by line, so it also reaches lines
// CodeMirror has not rendered. Returns the line's 1-based number and text.
export async function moveToLine(lineText) {
  const activeLine = () => page.locator(`${byTestId('editor')} .cm-activeLine`).first().textContent();
  const lineNumber = async () => Number(await page.evaluate(() =>
    document.querySelector('[data-testid="editor"] .cm-lineNumbers .cm-activeLineGutter')?.textContent));
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+Home');
  let number = 1;
  let line = await activeLine();
  while (!line.includes(lineText)) {
    await page.keyboard.press('ArrowDown');
    const next = await activeLine();
    const moved = await lineNumber();
    if (moved === number) assert.fail(`no line containing ${JSON.stringify(lineText)} in the open file`);
    number = moved;
    line = next;
  }
  return { number, line };
}

// Replaces the first `from` on the first line of the open file that contains
// `lineText`, as replaceOnLine does, but finds the line with moveToLine, so
// it also reaches lines CodeMirror has not rendered. Returns the line's
// 1-based number.
export async function replaceOnAnyLine(lineText, from, to) {
  const { number, line } = await moveToLine(lineText);
  const column = line.indexOf(from);
  assert.ok(column >= 0, `line ${number} has no ${JSON.stringify(from)}: ${JSON.stringify(line)}`);
  await page.keyboard.press('End');
  for (let i = column; i < line.length; i++) await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < from.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type(to);
  const expected = line.slice(0, column) + to + line.slice(column + from.length);
  const edited = await page.locator(`${byTestId('editor')} .cm-activeLine`).first().textContent();
  assert.equal(edited, expected, `the keyboard edit of line ${number} went wrong`);
  return number;
}

// Scrolls the first rendered editor line that contains `lineText` into view
// and returns the page coordinates of the middle of `needle` on it, or null
// when no such line is rendered.
export async function pointOf(lineText, needle) {
  return page.evaluate(({ lineText, needle }) => {
    const line = [...document.querySelectorAll('[data-testid="editor"] .cm-line')]
      .find((element) => element.textContent.includes(lineText));
    const start = line?.textContent.indexOf(needle) ?? -1;
    if (start < 0) return null;
    line.scrollIntoView({ block: 'center' });
    const end = start + needle.length;
    const range = document.createRange();
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    let offset = 0;
    let started = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.textContent.length;
      if (!started && start < offset + length) {
        range.setStart(node, start - offset);
        started = true;
      }
      if (started && end <= offset + length) {
        range.setEnd(node, end - offset);
        break;
      }
      offset += length;
    }
    const rect = range.getBoundingClientRect();
    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
  }, { lineText, needle });
}

// Moves the mouse away, so earlier hover tooltips close, then onto `needle`
// (see pointOf) and returns the text of the first `tooltipSelector` shown.
export async function hoverText(lineText, needle, tooltipSelector) {
  await page.mouse.move(0, 0);
  await page.locator(`${byTestId('editor')} .cm-tooltip-hover`).first().waitFor({ state: 'detached', timeout: 5000 })
    .catch(() => {});
  const point = await pointOf(lineText, needle);
  assert.ok(point, `no rendered line containing ${JSON.stringify(lineText)} with ${JSON.stringify(needle)}`);
  await page.mouse.move(point.x, point.y);
  const tooltip = page.locator(`${byTestId('editor')} ${tooltipSelector}`).first();
  await tooltip.waitFor({ timeout: 5000 }).catch(() => {
    assert.fail(`no ${tooltipSelector} tooltip over ${JSON.stringify(needle)} in ${JSON.stringify(lineText)}`);
  });
  return (await tooltip.textContent()).trim();
}

// Returns the session the page saved in IndexedDB, parsed, or null when
// nothing is saved (docs/playground-contract.md describes its shape).
export async function savedSession() {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open('rocky-playground');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const database = request.result;
      if (!database.objectStoreNames.contains('session')) {
        database.close();
        resolve(null);
        return;
      }
      const get = database.transaction('session').objectStore('session').get('current');
      get.onsuccess = () => {
        database.close();
        resolve(typeof get.result === 'string' ? JSON.parse(get.result) : null);
      };
      get.onerror = () => reject(get.error);
    };
  }));
}

// Returns the saved text of `filePath` on `branch`, or null when the saved
// session has no such branch or file.
export async function savedFile(branch, filePath) {
  const session = await savedSession();
  const saved = Object.values(session?.workspace?.branches ?? {}).find((entry) => entry.name === branch);
  if (!saved) return null;
  if (Object.hasOwn(saved.changes, filePath)) return saved.changes[filePath];
  return saved.base[filePath] ?? null;
}

// Waits until the page has saved its latest change, or reports that saving
// failed, so that a reload afterwards shows what a user would see.
export async function waitForSaveSettled() {
  return waitInPage('save-status to leave "pending"', (selector) => {
    const state = document.querySelector(selector)?.getAttribute('data-state');
    return state && state !== 'pending' ? state : null;
  }, byTestId('save-status'), 10000);
}

// Deletes the saved session, as a new browser profile would have none.
export async function clearSavedSession() {
  await page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase('rocky-playground');
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  }));
}

// Clicks Run and waits until the run of the current branch ends; returns
// its final data-state, "done" or "failed".
export async function run() {
  await watchRun();
  await page.locator(byTestId('run-button')).click();
  return runEnded();
}

export async function runStatus() {
  return (await page.locator(byTestId('run-status')).textContent()).trim();
}

// Runs `sql` on the page's own DuckDB connection and returns the first
// column of the first row, or null when there is no row.
export async function queryValue(sql) {
  const result = await page.evaluate((query) => window.rockyBridge.duckdbQuery(query, 1), sql);
  return result.rows[0]?.[0] ?? null;
}

export async function currentBranch() {
  return attribute(byTestId('branch-bar'), 'data-branch');
}

export async function waitForBranch(name) {
  await waitInPage(`branch ${name} to be current`, ({ selector, wanted }) =>
    document.querySelector(selector)?.getAttribute('data-branch') === wanted,
  { selector: byTestId('branch-bar'), wanted: name }, 10000);
}

// Forks a branch named `name` from the current branch and waits until it
// is the current one.
export async function createBranch(name) {
  await page.locator(byTestId('branch-create')).click();
  await page.locator(byTestId('branch-name-input')).fill(name);
  await page.locator(byTestId('branch-dialog-submit')).click();
  await waitForBranch(name);
}

// Opens the playground at `url` in a new page of `browser`'s profile, with
// `setup` run before the page's own scripts when given. Makes it the page
// these helpers drive, waits for its first compile and returns the page
// with the list its problems are collected in.
export async function openPlaygroundPage(browser, url, setup) {
  const page = await browser.context.newPage();
  const problems = collectPageProblems(page);
  usePage(page, problems);
  if (setup) await page.addInitScript(setup);
  await page.goto(url, { waitUntil: 'load' });
  await waitForLoad();
  return { page, problems };
}

// Registers the hooks of a test file that opens its own pages: before its
// tests, a server of dist/ and a browser, given to `onStart` as
// { server, browser } (awaited); after them, both closed.
export function browserHooks(onStart) {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await onStart({ server, browser });
  }, { timeout: 60000 });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

// Registers the hooks of a test file that drives one playground page: those
// of browserHooks, with the page loaded and compiled before the tests and
// given to `onOpen` as { server, browser, page, problems }.
export function playgroundHooks(onOpen) {
  browserHooks(async (started) => {
    onOpen({ ...started, ...(await openPlaygroundPage(started.browser, started.server.url)) });
  });
}
