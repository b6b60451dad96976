// Browser tests of the branch compare view on the bundled sample. The
// tests run in order on one page, each starting where the last ended: main
// runs, the branch `feature` keeps payment amounts in cents
// (`amount / 100 as amount` becomes `amount as amount`) and runs, and the
// compare view shows feature against main.
//
// The expected numbers were computed with DuckDB 1.4.4 (Python) on the
// sample's CSVs, with the SQL of core's branch plans and data diff:
// - stg_payments has 113 rows on both sides, matched on payment_id. Only
//   the 3 payments of amount 0 (ids 10, 74 and 87) keep their amount, so
//   110 rows change and amount matches on 3 of 113;
// - orders (99 rows) and customers (100 rows) sum the amounts, so their
//   sums change type from DOUBLE to HUGEINT and 98 orders and 62 customers
//   change;
// - the retyped stg_payments.amount reaches 6 columns in 2 models: 5 sums
//   of orders and customers.customer_lifetime_value.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { RESULTS, collectPageProblems, describeProblems, launchBrowser, startServer } from './helpers.mjs';
import {
  activePath, byTestId, compileCount, createBranch, openFile, replaceOnLine, run, usePage, waitForCompileAfter,
  waitForLoad, waitInPage,
} from './playground-page.mjs';

const STG_PAYMENTS = 'models/stg_payments.sql';

let server;
let browser;
let page;
let problems;

before(async () => {
  await mkdir(RESULTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = collectPageProblems(page);
  usePage(page, problems);
  await page.goto(server.url, { waitUntil: 'load' });
  await waitForLoad();
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function showCompare() {
  await page.locator(`${byTestId('main-tab')}[data-view="compare"]`).click();
  await page.locator(byTestId('compare-view')).waitFor({ timeout: 10000 });
}

async function showSection(section) {
  const tab = page.locator(`${byTestId('compare-tab')}[data-section="${section}"]`);
  await tab.click();
  assert.equal(await tab.getAttribute('aria-selected'), 'true');
}

const dataset = (selector) => page.locator(selector).first().evaluate((element) => ({ ...element.dataset }));

const columnChange = (model, column) =>
  `${byTestId('compare-column-change')}[data-model="${model}"][data-column="${column}"]`;

test('main and the cents branch run', { timeout: 240000 }, async () => {
  assert.equal(await run(), 'done', `main's run failed; page problems: ${describeProblems(problems)}`);
  await createBranch('feature');
  await openFile(STG_PAYMENTS);
  const compiles = await compileCount();
  await replaceOnLine('amount / 100 as amount', 'amount / 100 as amount', 'amount as amount');
  await waitForCompileAfter(compiles);
  assert.equal(await run(), 'done', `feature's run failed; page problems: ${describeProblems(problems)}`);
  assert.equal(await page.locator(byTestId('run-status')).getAttribute('data-branch'), 'feature');
});

test('code section shows the one changed line', async () => {
  await showCompare();
  const view = await dataset(byTestId('compare-view'));
  assert.equal(view.parent, 'main');
  assert.equal(view.branch, 'feature');
  const summary = await dataset(byTestId('compare-summary'));
  assert.equal(summary.files, '1');
  assert.equal(summary.models, '3');
  assert.equal(summary.breaking, '1');

  const files = page.locator(byTestId('compare-file'));
  assert.equal(await files.count(), 1);
  const file = await dataset(byTestId('compare-file'));
  assert.equal(file.path, STG_PAYMENTS);
  assert.equal(file.status, 'modified');
  assert.equal(file.added, '1');
  assert.equal(file.removed, '1');
  assert.equal((await page.locator(byTestId('compare-line-counts')).textContent()).trim(), '+1 \u22121');

  const changed = await page.locator(`${byTestId('compare-line')}:not([data-tag="context"])`).evaluateAll((rows) =>
    rows.map((row) => ({
      tag: row.dataset.tag,
      old: row.dataset.oldLine,
      new: row.dataset.newLine,
      text: row.querySelector('.compare-line-text').textContent.slice(1).trim(),
    })));
  assert.deepEqual(changed, [
    { tag: 'removed', old: '15', new: '', text: 'amount / 100 as amount' },
    { tag: 'added', old: '', new: '15', text: 'amount as amount' },
  ]);
});

test('schema section retypes amount and its sums', async () => {
  await showSection('schema');
  const payments = await dataset(`${byTestId('compare-model')}[data-model="stg_payments"]`);
  assert.equal(payments.status, 'modified');
  assert.equal(payments.cause, 'own-sql');
  const amount = await dataset(columnChange('stg_payments', 'amount'));
  assert.equal(amount.change, 'retyped');
  assert.equal(amount.from, 'DOUBLE');
  assert.equal(amount.to, 'INTEGER');

  for (const model of ['orders', 'customers']) {
    const entry = page.locator(`${byTestId('compare-model')}[data-model="${model}"]`);
    assert.equal(await entry.getAttribute('data-cause'), 'upstream', `${model} keeps its SQL`);
    assert.match(await entry.textContent(), /changed by stg_payments upstream/);
  }
  const orders = await page.locator(`${byTestId('compare-column-change')}[data-model="orders"]`).evaluateAll((rows) =>
    rows.map((row) => `${row.dataset.column} ${row.dataset.change} ${row.dataset.from} ${row.dataset.to}`));
  assert.deepEqual(orders, [
    'credit_card_amount retyped DOUBLE HUGEINT',
    'coupon_amount retyped DOUBLE HUGEINT',
    'bank_transfer_amount retyped DOUBLE HUGEINT',
    'gift_card_amount retyped DOUBLE HUGEINT',
    'amount retyped DOUBLE HUGEINT',
  ]);
  const lifetime = await dataset(columnChange('customers', 'customer_lifetime_value'));
  assert.equal(lifetime.change, 'retyped');
  assert.equal(lifetime.to, 'HUGEINT');
});

test('impact section classifies the retype breaking', async () => {
  await showSection('impact');
  const summary = await dataset(byTestId('compare-impact-summary'));
  assert.equal(summary.affectedColumns, '6');
  assert.equal(summary.affectedModels, '2');
  assert.equal(summary.breaking, '1');
  assert.match(await page.locator(byTestId('compare-impact-summary')).textContent(),
    /The changes affect 6 columns in 2 models; 1 breaking change/);

  const amount = page.locator(`${byTestId('compare-change')}[data-model="stg_payments"][data-column="amount"]`);
  assert.equal(await amount.getAttribute('data-class'), 'breaking');
  const consumers = await amount.locator(byTestId('compare-consumer')).evaluateAll((elements) =>
    elements.map((element) => element.dataset.model).sort());
  assert.deepEqual(consumers, ['customers', 'orders']);
  const ordersChanges = await page.locator(`${byTestId('compare-change')}[data-model="orders"]`).evaluateAll(
    (elements) => elements.map((element) => element.dataset.class));
  assert.equal(ordersChanges.length, 5);
  assert.ok(ordersChanges.every((kind) => kind === 'non-breaking'), JSON.stringify(ordersChanges));
});

test('data section diffs stg_payments on payment_id', { timeout: 60000 }, async () => {
  await showSection('data');
  const payments = `${byTestId('compare-data-model')}[data-model="stg_payments"]`;
  await waitInPage('the stg_payments data diff to finish', (selector) => {
    const state = document.querySelector(selector)?.dataset.state;
    return state === 'done' || state === 'failed' ? state : null;
  }, payments, 30000);
  const errors = await page.locator(`${payments} ${byTestId('compare-data-error')}`).allTextContents();
  assert.deepEqual(errors, []);
  assert.equal(await page.locator(`${payments} ${byTestId('compare-key')}`).getAttribute('data-key'), 'payment_id');

  const counts = await dataset(`${payments} ${byTestId('compare-data-counts')}`);
  assert.equal(counts.parentRows, '113');
  assert.equal(counts.branchRows, '113');
  assert.equal(counts.onlyInParent, '0');
  assert.equal(counts.onlyInBranch, '0');
  assert.equal(counts.inBoth, '113');
  assert.equal(counts.changed, '110');

  const rates = await page.locator(`${payments} ${byTestId('compare-match-rate')}`).evaluateAll((rows) =>
    rows.map((row) => `${row.dataset.column} ${row.dataset.matches}/${row.dataset.inBoth} ${row.querySelector('.compare-rate-text').textContent}`));
  assert.deepEqual(rates, ['order_id 113/113 100 %', 'payment_method 113/113 100 %', 'amount 3/113 2.7 %']);
  assert.equal(await page.locator(`${payments} ${byTestId('compare-duplicate-keys')}`).count(), 0);

  const samples = await page.locator(`${payments} ${byTestId('compare-sample')}`).evaluateAll((elements) =>
    elements.map((element) => `${element.dataset.kind} ${element.dataset.rows}`));
  assert.deepEqual(samples, ['only-in-parent 0', 'only-in-branch 0', 'changed 10']);
  const firstChanged = await page.locator(`${payments} ${byTestId('compare-sample')}[data-kind="changed"] tbody tr`)
    .first().locator('td').allTextContents();
  // payment_id, then parent and branch values of order_id, payment_method, amount.
  assert.deepEqual(firstChanged, ['1', '1', '1', 'credit_card', 'credit_card', '10.0', '1000']);

  for (const [model, rows, changed] of [['orders', '99', '98'], ['customers', '100', '62']]) {
    const selector = `${byTestId('compare-data-model')}[data-model="${model}"]`;
    await waitInPage(`the ${model} data diff to finish`, (element) =>
      document.querySelector(element)?.dataset.state === 'done', selector, 30000);
    const modelCounts = await dataset(`${selector} ${byTestId('compare-data-counts')}`);
    assert.equal(modelCounts.parentRows, rows, `${model} rows in main`);
    assert.equal(modelCounts.branchRows, rows, `${model} rows in feature`);
    assert.equal(modelCounts.changed, changed, `${model} changed rows`);
  }
  await page.screenshot({ path: path.join(RESULTS, 'compare-data.png') });
});

test('picked key reruns the data diff', { timeout: 60000 }, async () => {
  // order_id is not unique in stg_payments: 13 orders have more than one
  // payment, so pairing by it gives 143 pairs, of which 140 differ
  // (DuckDB 1.4.4 on the sample).
  const payments = `${byTestId('compare-data-model')}[data-model="stg_payments"]`;
  await page.locator(`${payments} ${byTestId('compare-key-change')}`).click();
  await page.locator(`${payments} ${byTestId('compare-key-option')}[data-column="payment_id"]`).uncheck();
  assert.equal(await page.locator(`${payments} ${byTestId('compare-key-apply')}`).isDisabled(), true,
    'no key column is ticked');
  await page.locator(`${payments} ${byTestId('compare-key-option')}[data-column="order_id"]`).check();
  await page.locator(`${payments} ${byTestId('compare-key-apply')}`).click();
  await waitInPage('the data diff on order_id', (selector) => {
    const element = document.querySelector(selector);
    return element?.dataset.state === 'done'
      && element.querySelector('[data-testid="compare-key"]')?.dataset.key === 'order_id';
  }, payments, 30000);
  assert.match(await page.locator(`${payments} ${byTestId('compare-key')}`).textContent(), /order_id \(picked\)/);
  const duplicates = page.locator(`${payments} ${byTestId('compare-duplicate-keys')}`);
  // 13 order_ids repeat on each side; the list shows the first 10 of each.
  assert.equal(await duplicates.getAttribute('data-rows'), '20');
  assert.equal(await duplicates.getAttribute('data-parent-keys'), '13');
  assert.equal(await duplicates.getAttribute('data-branch-keys'), '13');
  const counts = await dataset(`${payments} ${byTestId('compare-data-counts')}`);
  assert.equal(counts.inBoth, '143');
  assert.equal(counts.changed, '140');
});

test('consumer click opens its file', async () => {
  await showSection('impact');
  await page.locator(`${byTestId('compare-change')}[data-column="amount"] ${byTestId('compare-consumer')}[data-model="orders"] button`).click();
  await waitInPage('models/orders.sql to open', () =>
    document.querySelector('[data-testid="file-item"][data-active="true"]')?.dataset.path === 'models/orders.sql',
  undefined, 5000);
  assert.equal(await activePath(), 'models/orders.sql');
  assert.equal(await page.locator(`${byTestId('main-tab')}[data-view="editor"]`).getAttribute('aria-selected'), 'true');
});

test('new errors link to their ranges', async () => {
  await openFile(STG_PAYMENTS);
  const compiles = await compileCount();
  // A comment in place of the column removes it from the output.
  await replaceOnLine('payment_method,', 'payment_method,', '-- no payment_method');
  await waitForCompileAfter(compiles);
  await showCompare();
  await showSection('impact');
  const removed = page.locator(`${byTestId('compare-change')}[data-model="stg_payments"][data-column="payment_method"]`);
  assert.equal(await removed.getAttribute('data-class'), 'breaking');
  assert.equal(await removed.getAttribute('data-change'), 'removed');
  const diagnostics = removed.locator(byTestId('compare-diagnostic'));
  assert.ok(await diagnostics.count() > 0, 'the removed column gives orders new errors');
  const first = await diagnostics.first().evaluate((element) => ({ ...element.dataset }));
  assert.equal(first.path, 'models/orders.sql');
  assert.equal(first.code, 'E0101');
  await diagnostics.first().click();
  await waitInPage('models/orders.sql to open', () =>
    document.querySelector('[data-testid="file-item"][data-active="true"]')?.dataset.path === 'models/orders.sql',
  undefined, 5000);
  const selection = await page.evaluate(() => window.getSelection().toString());
  assert.equal(selection, 'payment_method', `the click selects the diagnostic's range (line ${first.line})`);
});

test('unrun branch asks for both runs', async () => {
  await createBranch('unrun');
  await showCompare();
  await showSection('data');
  const missing = page.locator(byTestId('compare-data-missing'));
  await missing.waitFor({ timeout: 5000 });
  assert.equal(await missing.getAttribute('data-missing'), 'branch');
  assert.equal((await missing.textContent()).trim(), 'Run both branches to compare data: unrun has not run yet.');
  assert.equal(await page.locator(byTestId('compare-view')).getAttribute('data-parent'), 'feature');
});

test('page has no errors', () => {
  assert.deepEqual(problems, [], `page problems: ${describeProblems(problems)}`);
});
