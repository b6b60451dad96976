// Browser tests of the intent layer on the bundled jaffle_shop sample. The
// tests run in order on one page, each starting where the last ended: the
// Intent panel explains a model; an invariant typed with completion
// proposes a test, which is accepted and run; a branch renames
// stg_orders.order_date, the Repair section's fix-its are applied, the
// repaired models give main's rows, and the branch is promoted. Then a
// language model, served by a mock on 127.0.0.1, words an explanation and
// proposes edits, one of which Rocky rejects.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startAssistantMock } from './assistant-mock.mjs';
import { RESULTS, ROOT, collectPageProblems, launchBrowser, startServer } from './helpers.mjs';
import {
  attribute, byTestId, compileCount, createBranch, editorText, openFile, queryValue, replaceOnLine, run, runStatus,
  savedFile, usePage, waitForBranch, waitForCompileAfter, waitForCompileOfEdits, waitForLoad, waitForSaveSettled, waitInPage,
} from './playground-page.mjs';

const ORDERS_SIDECAR = 'models/orders.toml';
const STG_ORDERS = 'models/stg_orders.sql';
const API_KEY = 'sk-test-key-123';

let server;
let mock;
let browser;
let page;
let problems;
// The name of the test accepted from a proposal.
let acceptedTest;

before(async () => {
  server = await startServer();
  mock = await startAssistantMock();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = collectPageProblems(page);
  usePage(page, problems);
  await page.goto(server.url, { waitUntil: 'load' });
  await waitForLoad();
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await mock?.stop();
  await server?.stop();
});

// Waits until the saved session's `filePath` on `branch` matches `pattern`:
// a save follows an edit by up to 300 ms.
async function savedMatching(branch, filePath, pattern) {
  const deadline = Date.now() + 10000;
  let text = null;
  while (Date.now() < deadline) {
    text = await savedFile(branch, filePath);
    if (pattern.test(text ?? '')) return text;
    await page.waitForTimeout(100);
  }
  assert.match(text ?? '', pattern, `the saved ${filePath} never matched`);
  return text;
}

async function errorCount() {
  return Number(await attribute(byTestId('compile-status'), 'data-errors'));
}

async function showRepair() {
  await page.locator(`${byTestId('main-tab')}[data-view="compare"]`).click();
  await page.locator(`${byTestId('compare-tab')}[data-section="repair"]`).click();
}

async function showEditor() {
  await page.locator(`${byTestId('main-tab')}[data-view="editor"]`).click();
}

// Returns the rows of `query` that the other side lacks, counted both ways:
// 0 when both relations hold the same rows.
async function rowsDiffering(left, right) {
  const count = (a, b) => queryValue(`SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`);
  return Number(await count(left, right)) + Number(await count(right, left));
}

// Every value of the sample's CSV rows that is data only: six characters
// or more and in no model's SQL, as the core test of the prompts reads it.
async function dataValues() {
  const data = path.join(ROOT, 'sample', 'jaffle_shop', 'data');
  const models = path.join(ROOT, 'sample', 'jaffle_shop', 'models');
  const code = (await Promise.all(['orders.sql', 'customers.sql', 'stg_orders.sql', 'stg_payments.sql',
    'stg_customers.sql'].map((file) => readFile(path.join(models, file), 'utf8')))).join('\n');
  const values = new Set();
  for (const file of ['raw_customers.csv', 'raw_orders.csv', 'raw_payments.csv']) {
    const lines = (await readFile(path.join(data, file), 'utf8')).trim().split('\n').slice(1);
    for (const value of lines.flatMap((line) => line.split(','))) {
      if (value.length >= 6 && !code.includes(value)) values.add(value);
    }
  }
  return [...values];
}

test('intent panel explains the open model', async () => {
  await openFile('models/customers.sql');
  const panel = page.locator(byTestId('intent-panel'));
  await waitInPage('the intent panel to show customers', (selector) =>
    document.querySelector(selector)?.getAttribute('data-model') === 'customers', byTestId('intent-panel'), 10000);
  assert.match(await panel.locator(byTestId('intent-text')).textContent(), /^Summarise each customer/);
  const kinds = await panel.locator(byTestId('explain-section')).evaluateAll((elements) =>
    elements.map((element) => element.dataset.kind));
  assert.deepEqual(kinds, ['grain', 'reads', 'joins', 'aggregations', 'pass_through', 'intent']);
  const facts = (await panel.locator(byTestId('explain-fact')).allTextContents()).join('\n');
  assert.match(facts, /one row per customer_id \(by construction\)/);
  assert.match(facts, /customer_lifetime_value = sum\(amount\) from stg_payments\.amount/);
  assert.equal(await attribute(byTestId('proposed-tests'), 'data-open'), '0',
    'the sidecar already has the grain tests');
  assert.equal(await page.locator(byTestId('assistant-explain')).count(), 0,
    'the language model button shows while it is off');
});

test('typed invariant proposes a test', async () => {
  await openFile(ORDERS_SIDECAR);
  // The sidecar ends in the [columns.amount] table, so the invariant is
  // the column's.
  const warnings = await attribute(byTestId('compile-status'), 'data-warnings');
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\ninvariants = ["nev');
  // The compile of the typed text updates the editor's data, and a Tab
  // pressed at that moment finds the completion closing and indents, so
  // the test waits for that compile first.
  await waitForCompileOfEdits();
  const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'never negative' });
  if (await option.count() === 0) await page.keyboard.press('Control+Space');
  await option.first().waitFor({ timeout: 5000 });
  await page.keyboard.press('Tab');
  await page.keyboard.type('"]');
  // CodeMirror renders only the lines in view, so the text is read from
  // the saved session.
  await savedMatching('main', ORDERS_SIDECAR, /invariants = \["never negative"\]$/);
  // A compile may have read the text before the closing quote.
  await waitInPage('the sidecar to compile with no error', (selector) =>
    document.querySelector(selector)?.getAttribute('data-errors') === '0', byTestId('compile-status'), 10000);
  assert.equal(await attribute(byTestId('compile-status'), 'data-warnings'), warnings,
    'the invariant is not read as the vocabulary phrase');

  const proposal = page.locator(`${byTestId('proposed-test')}[data-exists="false"]`);
  await proposal.first().waitFor({ timeout: 10000 });
  assert.equal(await proposal.count(), 1);
  acceptedTest = await proposal.getAttribute('data-name');
  const name = acceptedTest;
  assert.match(await proposal.textContent(), /never negative/);
  const before = await compileCount();
  await proposal.locator(byTestId('accept-test')).click();
  await waitForCompileAfter(before);
  await savedMatching('main', ORDERS_SIDECAR, /type = "expression"\nexpression = "amount >= 0"/);
  assert.equal(await page.locator(`${byTestId('proposed-test')}[data-exists="false"]`).count(), 0,
    'the accepted test is still proposed');
  assert.equal(await attribute(`${byTestId('proposed-test')}[data-name="${name}"]`, 'data-exists'), 'true');
  await page.screenshot({ path: path.join(RESULTS, 'intent-panel.png') });
});

test('accepted test runs and passes', async () => {
  assert.equal(await run(), 'done', `the run ended as "${await runStatus()}"`);
  const result = `${byTestId('test-result')}[data-name="${acceptedTest}"]`;
  assert.equal(await page.locator(result).count(), 1, `no result of the accepted test ${acceptedTest}`);
  assert.equal(await attribute(result, 'data-status'), 'passed');
  assert.equal(await attribute(byTestId('test-results'), 'data-failed'), '0');
});

test('rename upstream, apply the repairs', async () => {
  await createBranch('rename');
  await openFile(STG_ORDERS);
  const compiles = await compileCount();
  await replaceOnLine('order_date,', 'order_date,', 'order_date as ordered_on,');
  await waitForCompileAfter(compiles);
  assert.ok(await errorCount() > 0, 'the rename broke nothing downstream');

  await showRepair();
  const fixes = page.locator(byTestId('repair-fix'));
  await fixes.first().waitFor({ timeout: 10000 });
  const models = await fixes.evaluateAll((elements) => elements.map((element) =>
    `${element.dataset.model} ${element.dataset.verified} ${element.dataset.kinds}`));
  assert.deepEqual(models, ['orders true rename', 'customers true rename']);
  assert.match(await fixes.first().locator(byTestId('repair-diff')).textContent(),
    /\+\s+select \* RENAME \(ordered_on AS order_date\) from stg_orders/);
  await page.screenshot({ path: path.join(RESULTS, 'intent-repair.png') });

  // Each apply recompiles the branch and the section computes the rest again.
  for (let applied = 0; applied < 2; applied++) {
    const before = await compileCount();
    await page.locator(byTestId('repair-apply')).first().click();
    await waitForCompileAfter(before);
  }
  await page.locator(byTestId('repair-none')).waitFor({ timeout: 10000 });
  assert.equal(await errorCount(), 0);
  await showEditor();
  await openFile('models/orders.sql');
  assert.match(await editorText(), /select \* RENAME \(ordered_on AS order_date\) from stg_orders/);
});

test('repaired models give main\'s rows', async () => {
  assert.equal(await run(), 'done', `the branch's run ended as "${await runStatus()}"`);
  for (const model of ['orders', 'customers']) {
    assert.equal(await rowsDiffering(`"main"."${model}"`, `"branch_rename"."${model}"`), 0,
      `the repaired ${model} differs from main`);
  }
  assert.equal(await queryValue('SELECT count(*) FROM "branch_rename"."orders"'), '99');
  const columns = await queryValue(`SELECT string_agg(column_name, ',' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_schema = 'branch_rename' AND table_name = 'stg_orders'`);
  assert.equal(columns, 'order_id,customer_id,ordered_on,status');
});

test('promote brings the repair to main', async () => {
  await page.locator(byTestId('branch-promote')).click();
  await page.locator(byTestId('promote-dialog')).waitFor({ timeout: 30000 });
  const confirm = page.locator(byTestId('promote-confirm-blockers'));
  if (await confirm.count() > 0) await confirm.check();
  await page.locator(byTestId('promote-submit')).click();
  await waitForBranch('main');
  const columns = await queryValue(`SELECT string_agg(column_name, ',' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'stg_orders'`);
  assert.equal(columns, 'order_id,customer_id,ordered_on,status');
  assert.equal(await queryValue('SELECT count(*) FROM "main"."orders"'), '99');
  assert.equal(await errorCount(), 0);
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.match(await savedFile('main', 'models/customers.sql'), /select \* RENAME \(ordered_on AS order_date\) from stg_orders/);
  assert.match(await savedFile('main', STG_ORDERS), /order_date as ordered_on,/);
});

test('language model stays off until set up', async () => {
  assert.equal(mock.requests.length, 0, 'the page called the language model while it was off');
  await page.locator(byTestId('assistant-settings')).click();
  const dialog = page.locator(byTestId('assistant-dialog'));
  await dialog.waitFor({ timeout: 5000 });
  await page.locator(byTestId('assistant-enabled')).check();
  await page.locator(byTestId('assistant-endpoint')).fill('ftp://nowhere');
  await page.locator(byTestId('assistant-model')).fill('mock-model');
  await page.locator(byTestId('assistant-save')).click();
  assert.match(await page.locator(byTestId('assistant-settings-error')).textContent(), /not an http/);
  await page.locator(byTestId('assistant-endpoint')).fill(mock.url);
  await page.locator(byTestId('assistant-key')).fill(API_KEY);
  // A new endpoint reloads the page, whose request policy then allows it.
  await Promise.all([page.waitForEvent('load'), page.locator(byTestId('assistant-save')).click()]);
  await waitForLoad();
  assert.equal(await dialog.count(), 0, 'saving did not close the dialog');
  assert.equal(await attribute(byTestId('assistant-settings'), 'data-state'), 'on');
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('rocky-playground:assistant')));
  assert.deepEqual(saved, { enabled: true, endpoint: mock.url, model: 'mock-model', apiKey: API_KEY });
});

test('language model words an explanation', async () => {
  mock.setReply(() => 'Each row is one customer with their order dates, count and lifetime value.');
  await openFile('models/customers.sql');
  await page.locator(byTestId('assistant-explain')).click();
  const wording = page.locator(byTestId('assistant-wording'));
  await wording.waitFor({ timeout: 15000 });
  assert.match(await wording.textContent(), /^Each row is one customer/);
  assert.equal(await wording.getAttribute('data-model'), 'mock-model');
  assert.equal(mock.requests.length, 1);
  const { headers, body } = mock.requests[0];
  assert.equal(headers.authorization, `Bearer ${API_KEY}`);
  assert.equal(body.model, 'mock-model');
  assert.deepEqual(body.messages.map((message) => message.role), ['system', 'user']);
  assert.match(body.messages[1].content, /^Model: customers \(models\/customers\.sql\)/);
  const sent = JSON.stringify(body);
  for (const value of await dataValues()) {
    assert.ok(!sent.includes(value), `the request holds the data value ${value}`);
  }
});

test('model edit is compiled before it is offered', async () => {
  await createBranch('drop');
  await openFile(STG_ORDERS);
  const compiles = await compileCount();
  await replaceOnLine('ordered_on,', 'ordered_on,', 'ordered_on');
  await replaceOnLine('status', 'status', '-- status removed');
  await waitForCompileAfter(compiles);
  assert.ok(await errorCount() > 0, 'removing status broke nothing downstream');
  const orders = (await readFile(path.join(ROOT, 'sample', 'jaffle_shop', 'models', 'orders.sql'), 'utf8'))
    .replace('select * from stg_orders', 'select * RENAME (ordered_on AS order_date) from stg_orders');

  await showRepair();
  const fix = page.locator(`${byTestId('repair-fix')}[data-model="orders"]`);
  await fix.waitFor({ timeout: 10000 });
  // First a reply with a type error, then one that compiles.
  mock.setReply(() => `Here:\n\`\`\`sql\n${orders.replace('orders.status,', "orders.order_date + 'x' as status,")}\`\`\`\n`);
  await fix.locator(byTestId('repair-ask')).click();
  const candidate = fix.locator(byTestId('repair-candidate'));
  await candidate.waitFor({ timeout: 15000 });
  assert.equal(await candidate.getAttribute('data-verified'), 'false');
  assert.match(await candidate.locator(byTestId('repair-candidate-problem')).textContent(), /^the model still has E0/);
  assert.equal(await candidate.locator(byTestId('repair-candidate-apply')).count(), 0, 'a rejected edit can be applied');
  assert.match(mock.requests.at(-1).body.messages[1].content, /stg_orders: column `status` was removed/);

  mock.setReply(() => `\`\`\`sql\n${orders.replace('orders.status,', "'unknown' as status,")}\`\`\``);
  await fix.locator(byTestId('repair-ask')).click();
  // The page shows "Asking" before it sends the request, so once the mock
  // has it, the candidate on the page is the new one or on its way.
  const deadline = Date.now() + 15000;
  while (mock.requests.length < 3 && Date.now() < deadline) await page.waitForTimeout(50);
  await candidate.waitFor({ timeout: 15000 });
  assert.equal(mock.requests.length, 3);
  const problem = await fix.locator(byTestId('repair-candidate-problem')).count() > 0
    ? await fix.locator(byTestId('repair-candidate-problem')).textContent() : null;
  assert.equal(problem, null, 'the edit that compiles was rejected');
  assert.equal(await candidate.getAttribute('data-verified'), 'true');
  await page.screenshot({ path: path.join(RESULTS, 'intent-candidate.png') });
  const before = await compileCount();
  await fix.locator(byTestId('repair-candidate-apply')).click();
  await waitForCompileAfter(before);
  assert.equal(await page.locator(`${byTestId('repair-fix')}[data-model="orders"]`).count(), 0,
    'orders is still broken after the edit');
  await showEditor();
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.match(await savedFile('drop', 'models/orders.sql'), /'unknown' as status,/);
});

test('unreachable model reports the error', async () => {
  // A port that was just free and is closed again.
  const closed = await startAssistantMock();
  await closed.stop();
  await page.locator(byTestId('assistant-settings')).click();
  await page.locator(byTestId('assistant-endpoint')).fill(closed.url);
  await Promise.all([page.waitForEvent('load'), page.locator(byTestId('assistant-save')).click()]);
  await waitForLoad();
  await openFile('models/customers.sql');
  await page.locator(byTestId('assistant-explain')).click();
  const error = page.locator(byTestId('assistant-error'));
  await error.waitFor({ timeout: 15000 });
  const message = await error.textContent();
  assert.match(message, /^the language model request failed: could not reach/);
  assert.ok(!message.includes(API_KEY), 'the error shows the API key');
});
