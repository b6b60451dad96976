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
import {
  COMPILE_TIMEOUT_MS, activePath, attribute, byTestId, clearSavedSession, compileCount, editorText, focusEditor,
  openFile, replaceOnLine, sampleText, savedFile, usePage, waitForCompileAfter, waitForLoad, waitForSaveSettled,
  waitInPage,
} from './playground-page.mjs';

const CUSTOMER_COLUMNS = [
  'customer_id',
  'first_name',
  'last_name',
  'first_order',
  'most_recent_order',
  'number_of_orders',
  'customer_lifetime_value',
];
const RUN_TIMEOUT_MS = 120000;

let server;
let browser;
let page;
let problems;
const metrics = {};

// Clicks Run and waits for that run to end: data-state must pass through
// "loading" or "running" before "done" or "failed" counts, so the previous
// run's outcome is not mistaken for this one's. Returns the outcome.
async function runOnce() {
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
  await page.locator(byTestId('run-button')).click();
  const state = await waitInPage('the run to end in "done" or "failed"', () => window.rockyRunOutcome,
    undefined, RUN_TIMEOUT_MS);
  const text = (await page.locator(byTestId('run-status')).first().textContent()).trim();
  const modelErrors = await page.locator(byTestId('model-error')).evaluateAll((elements) =>
    elements.map((element) => ({ model: element.dataset.model, text: element.textContent.trim() })));
  const skipped = await page.locator(byTestId('model-skipped')).evaluateAll((elements) =>
    elements.map((element) => ({
      model: element.dataset.model,
      reason: element.dataset.reason,
      text: element.textContent.trim(),
    })));
  return { state, text, modelErrors, skipped };
}

// Returns the kinds ("table", "view") of the objects named `name` in every
// database DuckDB has attached, through the bridge the page uses.
async function duckdbObjects(name) {
  const result = await page.evaluate((table) => window.rockyBridge.duckdbQuery(
    `SELECT database_name, 'table' FROM duckdb_tables() WHERE table_name = '${table}'
     UNION ALL SELECT database_name, 'view' FROM duckdb_views() WHERE view_name = '${table}' AND NOT internal`,
    100), name);
  return result.rows.map(([database, kind]) => `${database}:${kind}`);
}

// Returns the action the plan of the next run takes for `name`.
async function planAction(name) {
  return attribute(`${byTestId('plan-item')}[data-name="${name}"]`, 'data-action');
}

before(async () => {
  await mkdir(RESULTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = collectPageProblems(page);
  usePage(page, problems);
  await page.addInitScript(installStorageLimit);
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

test('strategy change between runs rebuilds', async () => {
  await openFile('models/stg_orders.toml');
  for (const [from, to, kind] of [['view', 'full_refresh', 'table'], ['full_refresh', 'view', 'view']]) {
    const compiles = await compileCount();
    await replaceOnLine(`type = "${from}"`, from, to);
    await waitForCompileAfter(compiles);
    const outcome = await runOnce();
    assert.equal(outcome.state, 'done', `the run after changing stg_orders to ${to} ended in "${outcome.state}": ` +
      `"${outcome.text}"; model errors: ${JSON.stringify(outcome.modelErrors)}`);
    assert.deepEqual(outcome.modelErrors, [], `the run after changing stg_orders to ${to} reported model errors`);
    assert.deepEqual(outcome.skipped, [], `the run after changing stg_orders to ${to} skipped targets`);
    const objects = await duckdbObjects('stg_orders');
    assert.equal(objects.length, 1, `DuckDB has not exactly one stg_orders: ${JSON.stringify(objects)}`);
    assert.match(objects[0], new RegExp(`:${kind}$`), `stg_orders is not a ${kind} after changing it to ${to}`);
  }
});

test('model with compile errors is skipped', async () => {
  await openFile('models/orders.sql');
  let compiles = await compileCount();
  const line = await replaceOnLine('select * from stg_payments', 'stg_payments', 'stg_paymnts');
  await waitForCompileAfter(compiles);
  const diagnostic = `${byTestId('diagnostic')}[data-line="${line}"][data-severity="error"]`;
  await page.locator(diagnostic).first().waitFor({ timeout: 10000 }).catch(() => {
    assert.fail(`no error diagnostic on line ${line} of models/orders.sql after misspelling stg_payments`);
  });

  const outcome = await runOnce();
  assert.equal(outcome.state, 'failed', `the run with a compile error ended in "${outcome.state}": "${outcome.text}"`);
  assert.match(outcome.text, /1 skipped/, `run-status does not count the skipped model: "${outcome.text}"`);
  assert.deepEqual(outcome.modelErrors, [], 'DuckDB was sent a model with compile errors');
  const orders = outcome.skipped.find((entry) => entry.model === 'orders');
  assert.ok(orders, `orders is not shown as skipped: ${JSON.stringify(outcome.skipped)}`);
  assert.equal(orders.reason, 'compile-errors', 'orders is skipped for the wrong reason');
  assert.match(orders.text, /compile errors/, `the skipped orders entry does not name compile errors: "${orders.text}"`);
  // The database lives as long as the page, so the previous run's orders
  // stays, but it is never shown and the next run after the fix rebuilds it.
  assert.deepEqual(await duckdbObjects('orders'), ['memory:table'], 'orders is not the previous run\'s table');
  assert.equal(await page.locator(byTestId('result-table')).count(), 0, 'orders shows rows although it was not built');
  const results = await page.locator('.results').first().textContent();
  assert.match(results, /orders was not built/, `the results panel does not say orders was not built: "${results.trim()}"`);
  assert.equal(await planAction('orders'), 'blocked', 'the plan does not block orders while it has errors');

  compiles = await compileCount();
  await replaceOnLine('select * from stg_paymnts', 'stg_paymnts', 'stg_payments');
  await waitForCompileAfter(compiles);
  assert.equal(await planAction('orders'), 'build', 'the plan after the fix does not rebuild the kept orders');
  const fixed = await runOnce();
  assert.equal(fixed.state, 'done', `the run after fixing orders ended in "${fixed.state}": "${fixed.text}"`);
  assert.deepEqual(fixed.skipped, [], 'the run after fixing orders skipped targets');
  const table = page.locator(byTestId('result-table'));
  await table.first().waitFor({ timeout: 15000 }).catch(() => {
    assert.fail('no result-table for orders after fixing it');
  });
  assert.equal(await table.first().getAttribute('data-row-count'), '99', 'orders result-table data-row-count');
});

test('DuckDB error marks its model line', async () => {
  await openFile('models/stg_payments.sql');
  let compiles = await compileCount();
  // Rocky leaves the element type of a list of mixed nested values to
  // DuckDB, whose binder rejects this one with a LINE position.
  const broken = "[amount, {'a': 1}][1]";
  const line = await replaceOnLine('amount / 100 as amount', 'amount / 100', broken);
  await waitForCompileAfter(compiles);

  const outcome = await runOnce();
  assert.equal(outcome.state, 'failed', `the run with a lambda DuckDB rejects ended in "${outcome.state}": "${outcome.text}"`);
  assert.deepEqual(outcome.modelErrors.map((error) => error.model), ['stg_payments'],
    `model errors: ${JSON.stringify(outcome.modelErrors)}`);
  assert.match(outcome.modelErrors[0].text, /Cannot deduce template type/,
    'the model-error does not show DuckDB\'s message');

  const duckdb = `${byTestId('diagnostic')}[data-code="DuckDB"]`;
  await page.locator(duckdb).first().waitFor({ timeout: 5000 }).catch(async () => {
    const shown = await page.locator(byTestId('diagnostic')).evaluateAll((elements) =>
      elements.map((element) => `${element.dataset.code} line ${element.dataset.line}`));
    assert.fail(`no DuckDB diagnostic in models/stg_payments.sql; diagnostics: ${JSON.stringify(shown)}`);
  });
  assert.equal(await attribute(duckdb, 'data-line'), String(line), 'the DuckDB diagnostic is on the wrong line');
  assert.equal(await attribute(duckdb, 'data-severity'), 'error', 'the DuckDB diagnostic is not an error');
  assert.match(await page.locator(duckdb).first().textContent(), /Cannot deduce template type/,
    'the DuckDB diagnostic does not keep DuckDB\'s message');
  const underlined = (await page.locator(`${byTestId('editor')} .cm-lintRange-error`).allTextContents()).join('');
  assert.ok(underlined.includes(`${broken} as amount`), `the error underline covers "${underlined}", not line ${line}`);
  await page.screenshot({ path: path.join(RESULTS, 'playground-duckdb-error.png') });

  compiles = await compileCount();
  await replaceOnLine(`${broken} as amount`, broken, 'amount / 100');
  await page.locator(duckdb).first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {
    assert.fail('the DuckDB diagnostic stays after editing models/stg_payments.sql');
  });
  await waitForCompileAfter(compiles);
  const fixed = await runOnce();
  assert.equal(fixed.state, 'done', `the run after fixing stg_payments ended in "${fixed.state}": "${fixed.text}"`);
});

test('misspelled column gets a did-you-mean', async () => {
  await openFile('models/stg_customers.sql');
  const lineNumber = await replaceOnLine('first_name', 'first_name', 'frist_name');

  const line = String(lineNumber);
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

// Reloads the page and returns the types of the dialogs it raised, which
// are accepted so that the reload goes ahead. It first waits for the save
// of the latest change to finish or fail.
async function reload() {
  await waitForSaveSettled();
  const dialogs = [];
  const onDialog = (dialog) => {
    dialogs.push(dialog.type());
    dialog.accept().catch(() => {});
  };
  page.on('dialog', onDialog);
  try {
    await page.reload({ waitUntil: 'load' });
    await waitForLoad();
  } finally {
    page.off('dialog', onDialog);
  }
  return dialogs;
}

// Clicks `selector` and returns the download it starts, with its text.
async function download(selector) {
  const [started] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.locator(selector).first().click(),
  ]);
  const file = await started.path();
  return { name: started.suggestedFilename(), text: await readFile(file, 'utf8') };
}

// Returns the whole text of the open file as the page has it, through its
// download, because CodeMirror renders only the lines near the view.
async function openFileText() {
  return (await download(byTestId('download-button'))).text;
}

// Makes IndexedDB reject every put of a text longer than `characters` with
// a QuotaExceededError DOMException, as a full origin does; `null` lifts the
// limit. The limit lives in sessionStorage, so it outlasts a reload.
// NOTE: Chromium 156's DevTools quota override (Storage.overrideQuotaForOrigin)
// was measured to reject writes only on a database opened after the
// override, and the page keeps its database open, hence this stand-in.
async function limitStorage(characters) {
  await page.evaluate((limit) => {
    if (limit === null) sessionStorage.removeItem('e2e-storage-limit');
    else sessionStorage.setItem('e2e-storage-limit', String(limit));
  }, characters);
}

function installStorageLimit() {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function limitedPut(value, key) {
    const limit = sessionStorage.getItem('e2e-storage-limit');
    if (limit !== null && typeof value === 'string' && value.length > Number(limit)) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return put.call(this, value, key);
  };
}

async function savedText(filePath) {
  return savedFile('main', filePath);
}

test('reload reopens the edited file', async () => {
  assert.equal(await activePath(), 'models/stg_customers.sql', 'the previous test left another file open');
  const dialogs = await reload();
  assert.deepEqual(dialogs, [], 'the reload asked before leaving although every edit was saved');
  assert.equal(await activePath(), 'models/stg_customers.sql', 'the reload opened another file');
  assert.match(await editorText(), /frist_name/, 'the reload lost the edit of models/stg_customers.sql');
});

test('undo history survives switching files', async () => {
  const ordersSample = await sampleText('models/stg_orders.sql');
  await openFile('models/stg_orders.sql');
  assert.equal(await editorText(), ordersSample, 'models/stg_orders.sql does not start as the sample');
  await replaceOnLine('order_date,', 'order_date', 'order_date as ordered_on');
  const ordersEdited = ordersSample.replace('order_date,', 'order_date as ordered_on,');

  await openFile('models/stg_payments.sql');
  await replaceOnLine('payment_method,', 'payment_method', 'payment_method as method');
  const paymentsEdited = (await sampleText('models/stg_payments.sql'))
    .replace('payment_method,', 'payment_method as method,');
  assert.equal(await editorText(), paymentsEdited);

  await openFile('models/stg_orders.sql');
  assert.equal(await editorText(), ordersEdited);
  // The cursor comes back where the edit left it, after "ordered_on".
  // Shift+Home selects back to the first non-blank character of the line.
  await focusEditor();
  await page.keyboard.press('Shift+Home');
  const selected = await page.evaluate(() => document.getSelection()?.toString());
  assert.equal(selected, 'order_date as ordered_on', 'the cursor of models/stg_orders.sql was not kept');
  await page.keyboard.press('End');

  await page.keyboard.press('Control+z');
  assert.equal(await editorText(), ordersSample, 'Ctrl+Z did not undo the edit made before switching files');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
  assert.equal(await editorText(), ordersSample, 'Ctrl+Z went past the start of models/stg_orders.sql');
  await page.keyboard.press('Control+Shift+z');
  assert.equal(await editorText(), ordersEdited, 'redo did not bring the edit back');

  await openFile('models/stg_payments.sql');
  assert.equal(await editorText(), paymentsEdited, 'undo in one file changed another');
  await focusEditor();
  await page.keyboard.press('Control+z');
  assert.equal(await editorText(), await sampleText('models/stg_payments.sql'),
    'Ctrl+Z did not undo the edit of models/stg_payments.sql');
});

test('Reset sample asks before discarding', async () => {
  const edited = ['models/stg_customers.sql', 'models/stg_orders.sql'];
  const marked = await page.locator(`${byTestId('file-item')}:has(.file-edited)`).evaluateAll((elements) =>
    elements.map((element) => element.dataset.path));
  assert.deepEqual(marked, edited, 'the files marked as edited are not the ones this test expects');
  await openFile('models/stg_orders.sql');

  const confirm = page.locator(byTestId('reset-confirm'));
  await page.locator(byTestId('reset-button')).click();
  await confirm.waitFor({ timeout: 5000 });
  assert.match(await confirm.textContent(), /Discard your edits to 2 files\?/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'reset-keep',
    'the question does not focus Keep');
  await page.locator(byTestId('reset-keep')).click();
  assert.equal(await confirm.count(), 0, 'Keep did not close the question');
  assert.match(await editorText(), /ordered_on/, 'Keep discarded the edits');

  await page.locator(byTestId('reset-button')).click();
  await confirm.waitFor({ timeout: 5000 });
  await page.keyboard.press('Escape');
  assert.equal(await confirm.count(), 0, 'Escape did not close the question');
  assert.match(await editorText(), /ordered_on/, 'Escape discarded the edits');

  const compiles = await compileCount();
  await page.locator(byTestId('reset-button')).click();
  await page.locator(byTestId('reset-discard')).click();
  assert.equal(await confirm.count(), 0, 'Discard did not close the question');
  await waitForCompileAfter(compiles);
  assert.equal(await editorText(), await sampleText('models/stg_orders.sql'), 'Discard did not restore the sample');
  assert.equal(await attribute(byTestId('compile-status'), 'data-errors'), '0');
  assert.equal(await page.locator(byTestId('reset-button')).isDisabled(), true,
    'reset-button stays enabled without edits');
  assert.equal(await waitForSaveSettled(), 'saved');
  for (const filePath of edited) {
    assert.equal(await savedText(filePath), await sampleText(filePath), `${filePath} is still saved after the reset`);
  }
  await focusEditor();
  await page.keyboard.press('Control+z');
  assert.equal(await editorText(), await sampleText('models/stg_orders.sql'), 'Ctrl+Z undid the reset');
});

test('failed save shows a notice and download', async () => {
  await clearSavedSession();
  await reload();
  await openFile('models/customers.sql');
  const sample = await sampleText('models/customers.sql');
  assert.equal(await waitForSaveSettled(), 'saved', 'the open file was not saved before the quota was set');
  // Room for far less than the session's JSON.
  await limitStorage(1000);

  await replaceOnLine('select * from stg_customers', 'select *', 'SELECT *');
  const notice = page.locator(byTestId('save-notice'));
  await notice.waitFor({ timeout: 5000 }).catch(() => {
    assert.fail('no save-notice after an edit that IndexedDB had no room for');
  });
  assert.match(await notice.textContent(), /could not be saved in this browser/);
  assert.equal(await attribute(byTestId('save-status'), 'data-state'), 'failed');
  const unsaved = page.locator(`${byTestId('save-notice')} ${byTestId('unsaved-file')}`);
  assert.deepEqual(await unsaved.evaluateAll((elements) => elements.map((element) => element.dataset.path)),
    ['models/customers.sql']);
  assert.equal(await unsaved.first().getAttribute('data-reason'), 'quota');
  assert.equal(await unsaved.first().getAttribute('data-branch'), 'main');
  assert.equal(await savedText('models/customers.sql'), sample, 'the failed save stored something');

  // A later edit retries and fails again; the notice stays.
  await replaceOnLine('select * from stg_orders', 'select *', 'SELECT *');
  const edited = sample
    .replace('select * from stg_customers', 'SELECT * from stg_customers')
    .replace('select * from stg_orders', 'SELECT * from stg_orders');
  await page.waitForTimeout(600);
  assert.equal(await notice.count(), 1, 'the notice went away although the save still fails');

  const fromButton = await download(byTestId('download-button'));
  assert.equal(fromButton.name, 'customers.sql');
  assert.equal(fromButton.text, edited, 'the download is not the edited text');
  const fromNotice = await download(`${byTestId('unsaved-file')}[data-path="models/customers.sql"] ${byTestId('unsaved-download')}`);
  assert.equal(fromNotice.name, 'customers.sql');
  assert.equal(fromNotice.text, edited, "the notice's download is not the edited text");
  await page.screenshot({ path: path.join(RESULTS, 'playground-save-failed.png') });

  // IndexedDB lacks the edits, so a reload asks first. The copy the page
  // keeps in localStorage as it unloads brings them back.
  const dialogs = await reload();
  assert.deepEqual(dialogs, ['beforeunload'], 'the reload did not ask before leaving unsaved edits');
  assert.equal(await activePath(), 'models/customers.sql');
  assert.equal(await openFileText(), edited, 'the reload lost the edits IndexedDB had no room for');
  assert.equal(await savedText('models/customers.sql'), sample, 'IndexedDB holds edits it had no room for');
  // Without the copy the page shows what IndexedDB holds, for the next tests.
  await page.evaluate(() => localStorage.removeItem('rocky-playground:unload:current'));
  await reload();
  assert.equal(await openFileText(), sample, 'after the reload customers.sql is not the last saved text');
  assert.equal(await page.locator(byTestId('save-notice')).count(), 0, 'the notice outlived the reload');
});

test('save works again once storage has room', async () => {
  const sample = await sampleText('models/customers.sql');
  await replaceOnLine('select * from stg_customers', 'select *', 'SELECT *');
  const notice = page.locator(byTestId('save-notice'));
  await notice.waitFor({ timeout: 5000 }).catch(() => {
    assert.fail('no save-notice with the quota still too small');
  });

  await limitStorage(null);
  await replaceOnLine('select * from stg_orders', 'select *', 'SELECT *');
  await notice.waitFor({ state: 'detached', timeout: 5000 }).catch(() => {
    assert.fail('the save-notice stays after a save that worked');
  });
  const edited = sample
    .replace('select * from stg_customers', 'SELECT * from stg_customers')
    .replace('select * from stg_orders', 'SELECT * from stg_orders');
  assert.equal(await savedText('models/customers.sql'), edited, 'IndexedDB does not hold both edits');

  const dialogs = await reload();
  assert.deepEqual(dialogs, [], 'the reload asked although every edit was saved');
  assert.equal(await openFileText(), edited, 'the reload lost an edit');
});

test('six megabyte paste is reported and downloadable', async () => {
  await openFile('README.md');
  assert.equal(await waitForSaveSettled(), 'saved');
  // Room for the session, but not with 6 MB more in it.
  await limitStorage(3 * 1024 * 1024);
  const line = 'x'.repeat(1023);
  const pasted = `${line}\n`.repeat(6 * 1024);
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+a');
  // A paste event with the text, as the browser sends for Ctrl+V. Chromium's
  // keyboard.insertText took minutes for 6 MB, in a plain textarea too.
  await page.evaluate(({ selector, text }) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.querySelector(selector).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, { selector: `${byTestId('editor')} .cm-content`, text: pasted });
  const unsaved = `${byTestId('save-notice')} ${byTestId('unsaved-file')}[data-path="README.md"]`;
  await page.locator(unsaved).waitFor({ timeout: 30000 }).catch(() => {
    assert.fail('no save-notice for README.md after a 6 MB paste');
  });
  assert.equal(await attribute(unsaved, 'data-reason'), 'quota');

  const exported = await download(byTestId('download-button'));
  assert.equal(exported.name, 'README.md');
  assert.equal(exported.text.length, pasted.length, 'the download is not the whole paste');
  assert.ok(exported.text === pasted, 'the download differs from the paste');

  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('short');
  await page.locator(byTestId('save-notice')).waitFor({ state: 'detached', timeout: 10000 }).catch(() => {
    assert.fail('the save-notice stays after the text became small enough to save');
  });
  const dialogs = await reload();
  await limitStorage(null);
  assert.deepEqual(dialogs, []);
  assert.equal(await activePath(), 'README.md', 'the reload did not reopen README.md');
  assert.equal(await editorText(), 'short');
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
