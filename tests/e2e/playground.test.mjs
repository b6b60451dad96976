// End-to-end tests of the playground in dist/ with the bundled jaffle_shop
// sample, through the data-testid elements of docs/playground-contract.md.
// The tests run in order on one page: each step starts from the previous one.
// They print load and DuckDB timings and the wasm size, and save screenshots
// to test-results/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, RESULTS, collectPageProblems, describeProblems, launchBrowser, startServer } from './helpers.mjs';

const CUSTOMER_COLUMNS = [
  'customer_id',
  'first_name',
  'last_name',
  'first_order',
  'most_recent_order',
  'number_of_orders',
  'customer_lifetime_value',
];
const COMPILE_TIMEOUT_MS = 30000;
const RUN_TIMEOUT_MS = 120000;

let server;
let browser;
let page;
let problems;
const metrics = {};

const byTestId = (id) => `[data-testid="${id}"]`;

// Waits for `condition` (a function run in the page) to return a truthy value,
// and fails with `what` and the page's errors so far when it does not.
async function waitInPage(what, condition, argument, timeout) {
  try {
    const handle = await page.waitForFunction(condition, argument, { timeout });
    return await handle.jsonValue();
  } catch (error) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}; page problems: ${describeProblems(problems)}`,
      { cause: error });
  }
}

async function attribute(selector, name) {
  return page.locator(selector).first().getAttribute(name);
}

async function openFile(filePath) {
  const item = page.locator(`${byTestId('file-item')}[data-path="${filePath}"]`);
  assert.equal(await item.count(), 1, `file list has no single file-item with data-path="${filePath}"`);
  await item.click();
  await waitInPage(`${filePath} to become the active file`, (selector) =>
    document.querySelector(selector)?.getAttribute('data-active') === 'true',
  `${byTestId('file-item')}[data-path="${filePath}"]`, 5000);
}

before(async () => {
  await mkdir(RESULTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = collectPageProblems(page);
  await page.goto(server.url, { waitUntil: 'load' });
}, { timeout: 60000 });

after(async () => {
  await writeFile(path.join(RESULTS, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  await browser?.close();
  await server?.stop();
});

test('page compiles the sample on load', async (t) => {
  // performance.now() counts from the start of navigation, so this is the
  // time from navigation to the first finished compile, to a frame.
  const compiledAt = await waitInPage('compile-status with data-compiles >= 1', (selector) => {
    const status = document.querySelector(selector);
    return Number(status?.getAttribute('data-compiles')) >= 1 ? performance.now() : null;
  }, byTestId('compile-status'), COMPILE_TIMEOUT_MS);
  metrics.loadToFirstCompileMs = Math.round(compiledAt);
  t.diagnostic(`page load to first compile: ${metrics.loadToFirstCompileMs} ms`);
});

test('page loads without errors', () => {
  assert.equal(problems.length, 0, `errors while loading: ${describeProblems(problems)}`);
});

test('sample compiles without errors', async () => {
  const status = byTestId('compile-status');
  const errors = await attribute(status, 'data-errors');
  const text = await page.locator(status).first().textContent();
  assert.equal(errors, '0', `compile-status reports ${errors} errors: "${text}"`);
  const warnings = await attribute(status, 'data-warnings');
  assert.match(warnings ?? '', /^\d+$/, 'compile-status has no numeric data-warnings');
});

test('customers schema lists seven typed columns', async () => {
  await openFile('models/customers.sql');
  const rows = page.locator(`${byTestId('schema-panel')} ${byTestId('schema-row')}`);
  await waitInPage('seven schema-rows for customers', (selector) =>
    document.querySelectorAll(selector).length === 7,
  `${byTestId('schema-panel')} ${byTestId('schema-row')}`, 10000).catch(async (error) => {
    const found = await rows.evaluateAll((elements) => elements.map((element) => element.dataset.column));
    throw new Error(`${error.message}; schema rows found: ${JSON.stringify(found)}`);
  });
  const columns = await rows.evaluateAll((elements) =>
    elements.map((element) => ({ name: element.dataset.column, type: element.dataset.type })));
  assert.deepEqual(columns.map((column) => column.name), CUSTOMER_COLUMNS, 'customers has the wrong columns');
  for (const column of columns) {
    assert.ok(column.type, `column ${column.name} has no data-type`);
    assert.notEqual(column.type.trim(), '', `column ${column.name} has an empty data-type`);
    assert.notEqual(column.type.toUpperCase(), 'UNKNOWN', `column ${column.name} has type UNKNOWN`);
  }
});

test('lineage traces lifetime value to amount', async () => {
  await page.locator(`${byTestId('schema-row')}[data-column="customer_lifetime_value"]`).click();
  const sourceNode = `${byTestId('lineage-panel')} ${byTestId('trace-node')}[data-model="raw_payments"][data-column="amount"]`;
  try {
    await page.locator(sourceNode).first().waitFor({ timeout: 5000 });
  } catch {
    const nodes = await page.locator(byTestId('trace-node')).evaluateAll((elements) =>
      elements.map((element) => `${element.dataset.model}.${element.dataset.column}`));
    assert.fail(`no trace-node raw_payments.amount after clicking customer_lifetime_value; trace: ${JSON.stringify(nodes)}`);
  }
  assert.equal(await attribute(sourceNode, 'data-source'), 'true', 'raw_payments.amount is not marked data-source="true"');
});

test('Run builds every model', async (t) => {
  await page.evaluate(({ status, button }) => {
    // Records each run-status state with its time, from the click on.
    window.rockyRunStates = [];
    const element = document.querySelector(status);
    const record = () => window.rockyRunStates.push({ state: element.getAttribute('data-state'), at: performance.now() });
    new MutationObserver(record).observe(element, { attributes: true, attributeFilter: ['data-state'] });
    document.querySelector(button).addEventListener('click', () => {
      window.rockyRunClickedAt = performance.now();
    }, { capture: true, once: true });
  }, { status: byTestId('run-status'), button: byTestId('run-button') });

  await page.locator(byTestId('run-button')).click();
  const finalState = await waitInPage('run-status data-state "done" or "failed"', (selector) => {
    const state = document.querySelector(selector)?.getAttribute('data-state');
    return state === 'done' || state === 'failed' ? state : null;
  }, byTestId('run-status'), RUN_TIMEOUT_MS);

  const { clickedAt, states } = await page.evaluate(() => ({
    clickedAt: window.rockyRunClickedAt,
    states: window.rockyRunStates,
  }));
  const ready = states.find((entry) => entry.state !== 'loading' && entry.state !== 'idle');
  if (ready && clickedAt !== undefined) {
    metrics.duckdbReadyMs = Math.round(ready.at - clickedAt);
    t.diagnostic(`Run click to DuckDB ready (data-state leaves "loading"): ${metrics.duckdbReadyMs} ms`);
  }
  const last = states.at(-1);
  if (last && clickedAt !== undefined) metrics.runTotalMs = Math.round(last.at - clickedAt);

  const statusText = await page.locator(byTestId('run-status')).first().textContent();
  const modelErrors = await page.locator(byTestId('model-error')).evaluateAll((elements) =>
    elements.map((element) => `${element.dataset.model}: ${element.textContent.trim()}`));
  assert.equal(finalState, 'done',
    `run ended in "${finalState}": "${statusText}"; model errors: ${JSON.stringify(modelErrors)}; states: ${JSON.stringify(states.map((entry) => entry.state))}`);
  assert.deepEqual(modelErrors, [], 'the run reported model errors');
  assert.equal(await page.locator(byTestId('run-button')).isDisabled(), false, 'run-button stays disabled after the run');
});

test('customers result has 100 rows', async () => {
  await openFile('models/customers.sql');
  const table = page.locator(byTestId('result-table'));
  try {
    await table.first().waitFor({ timeout: 15000 });
  } catch {
    const results = await page.locator('.results').first().textContent().catch(() => '(no .results element)');
    assert.fail(`no result-table for customers after the run; results panel: "${results?.trim()}"`);
  }
  assert.equal(await table.first().getAttribute('data-row-count'), '100', 'customers result-table data-row-count');
  await page.screenshot({ path: path.join(RESULTS, 'playground.png') });
});

test('misspelled column gets a did-you-mean', async () => {
  await openFile('models/stg_customers.sql');
  const lines = await page.locator(`${byTestId('editor')} .cm-line`).allTextContents();
  const lineIndex = lines.findIndex((line) => line.trim().startsWith('first_name'));
  assert.ok(lineIndex >= 0, `no line starting with first_name in models/stg_customers.sql: ${JSON.stringify(lines)}`);
  const column = lines[lineIndex].indexOf('first_name');

  // Keyboard only, as a person edits: Ctrl+Home, then down and right. Home
  // would stop at the indentation, so the goal column stays 0 instead.
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < lineIndex; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < column; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < 'first_name'.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type('frist_name');

  const edited = await page.locator(`${byTestId('editor')} .cm-line`).nth(lineIndex).textContent();
  assert.equal(edited.trim(), lines[lineIndex].trim().replace('first_name', 'frist_name'), 'the keyboard edit went wrong');

  const line = String(lineIndex + 1);
  const diagnostic = `${byTestId('diagnostic')}[data-line="${line}"]`;
  try {
    await page.locator(diagnostic).first().waitFor({ timeout: 10000 });
  } catch {
    const shown = await page.locator(byTestId('diagnostic')).evaluateAll((elements) =>
      elements.map((element) => `line ${element.dataset.line}: ${element.textContent.trim()}`));
    assert.fail(`no diagnostic on line ${line} after typing frist_name; diagnostics: ${JSON.stringify(shown)}`);
  }
  const text = await page.locator(diagnostic).first().textContent();
  assert.match(text, /did you mean/i, `diagnostic on line ${line} has no did-you-mean help: "${text}"`);
  assert.match(text, /first_name/, `diagnostic on line ${line} does not name first_name: "${text}"`);
  assert.equal(await attribute(diagnostic, 'data-severity'), 'error', 'the diagnostic is not an error');
  assert.notEqual(await attribute(byTestId('compile-status'), 'data-errors'), '0', 'compile-status still counts 0 errors');

  const underline = page.locator(`${byTestId('editor')} .cm-lintRange-error`);
  await underline.first().waitFor({ timeout: 5000 }).catch(() => {
    assert.fail('no .cm-lintRange-error underline in the editor');
  });
  const underlined = (await underline.allTextContents()).join('');
  assert.match(underlined, /frist_name/, `the underline covers "${underlined}", not frist_name`);
  await page.screenshot({ path: path.join(RESULTS, 'playground-diagnostic.png') });
});

test('page logged no errors', () => {
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
});

test('wasm size is reported', async (t) => {
  const wasm = await readFile(path.join(DIST, 'rocky_web_bg.wasm'));
  metrics.wasmBytes = wasm.length;
  metrics.wasmGzipBytes = gzipSync(wasm, { level: 9 }).length;
  t.diagnostic(`rocky_web_bg.wasm: ${metrics.wasmBytes} bytes raw, ${metrics.wasmGzipBytes} bytes gzipped (zlib level 9)`);
  assert.ok(metrics.wasmBytes > 0);
});
