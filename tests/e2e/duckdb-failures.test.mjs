// Browser tests of runs that DuckDB cannot finish: a statement cancelled
// from the page, one that runs past the statement timeout, a CSV with a bad
// date or an extra column, and a model that runs out of memory. Each ends
// the run with the error next to its model or source, and the next run
// works: nothing stays queued in DuckDB's worker.
// The tests run in order on one page.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProblems } from './helpers.mjs';
import {
  byTestId, compileCount, createBranch, openFile, playgroundHooks, replaceOnLine, run, runEnded, runStatus,
  waitForCompileAfter,
  waitInPage, watchRun,
} from './playground-page.mjs';

// A scalar subquery DuckDB needs minutes for, on one thread. stg_payments
// is a view, so the statement that runs it is the one building orders.
const SLOW = '(select max(r % 7) from range(20000000000) t(r))';
const AMOUNT = 'amount / 100';

let page;
let problems;

playgroundHooks((opened) => {
  ({ page, problems } = opened);
});

// Replaces `from` on the line holding `lineText` of `path` and waits for
// the compile of the edit.
async function edit(path, lineText, from, to) {
  await openFile(path);
  const before = await compileCount();
  await replaceOnLine(lineText, from, to);
  await waitForCompileAfter(before);
}

async function modelErrors() {
  return page.locator(byTestId('model-error')).evaluateAll((elements) =>
    elements.map((element) => ({ model: element.dataset.model, text: element.textContent.trim() })));
}

async function skipped() {
  return page.locator(byTestId('model-skipped')).evaluateAll((elements) =>
    Object.fromEntries(elements.map((element) => [element.dataset.model, element.dataset.reason])));
}

// Puts `amount` into stg_payments, starts a run, clicks Cancel 1 s into the
// statement that builds a target `building` matches, and returns the
// milliseconds from the click to the end of the run, which must fail
// within `limit` ms.
async function cancelWhileBuilding(building, amount, limit) {
  await edit('models/stg_payments.sql', `${AMOUNT} as amount`, AMOUNT, amount);
  await watchRun();
  await page.locator(byTestId('run-button')).click();
  await waitInPage(`the run to reach ${building}`, (pattern) =>
    new RegExp(`building ${pattern}`).test(document.querySelector('[data-testid="run-status"]').textContent),
  building.source, 60000);
  // Long enough for DuckDB to be inside the statement.
  await page.waitForTimeout(1000);
  const clicked = Date.now();
  await page.locator(byTestId('run-cancel')).click();
  assert.equal(await runEnded(limit), 'failed');
  return Date.now() - clicked;
}

test('first run builds the sample', async () => {
  assert.equal(await run(), 'done', await runStatus());
});

test('Cancel interrupts a long statement', async () => {
  const stopped = await cancelWhileBuilding(/orders/, SLOW, 15000);
  console.log(`# the cancelled run ended ${stopped} ms after the click`);
  assert.match(await runStatus(), /^Run cancelled at step \d+ of \d+/);
  assert.equal(await page.locator(byTestId('run-cancel')).count(), 0, 'Cancel stays after the run');
  assert.ok(await page.locator(byTestId('run-button')).isEnabled());
  const reasons = await skipped();
  assert.equal(reasons.orders, 'cancelled', JSON.stringify(reasons));
  assert.deepEqual(await modelErrors(), []);

  // DuckDB is free again: the next run does not wait behind the statement.
  await edit('models/stg_payments.sql', `${SLOW} as amount`, SLOW, AMOUNT);
  const started = Date.now();
  assert.equal(await run(), 'done', await runStatus());
  const took = Date.now() - started;
  console.log(`# the run after the cancel took ${took} ms`);
  // The results panel reads the open stg_payments, whose view still has
  // the slow subquery. Unless the Run cancels that read, the run waits
  // minutes behind it.
  assert.ok(took < 30000, `the run after the cancel waited ${took} ms for DuckDB`);
});

test('timeout cancels a statement', async () => {
  await page.evaluate(() => window.rockyBridge.duckdbSetStatementTimeout(1500));
  try {
    await edit('models/stg_payments.sql', `${AMOUNT} as amount`, AMOUNT, SLOW);
    assert.equal(await run(), 'failed', await runStatus());
    const errors = await modelErrors();
    // Both models that read stg_payments run the subquery.
    assert.deepEqual(errors.map((error) => error.model).sort(), ['customers', 'orders'], JSON.stringify(errors));
    for (const error of errors) {
      assert.match(error.text, /ran longer than 1\.5 s and was cancelled/);
    }
  } finally {
    await page.evaluate(() => window.rockyBridge.duckdbSetStatementTimeout(120000));
  }
  await edit('models/stg_payments.sql', `${SLOW} as amount`, SLOW, AMOUNT);
  assert.equal(await run(), 'done', await runStatus());
});

test('bad date in a CSV fails its source', async () => {
  await edit('data/raw_orders.csv', '2,3,2018-01-02,completed', '2018-01-02', '2018-13-45');
  assert.equal(await run(), 'failed', await runStatus());
  const errors = await modelErrors();
  assert.deepEqual(errors.map((error) => error.model), ['raw_orders'], JSON.stringify(errors));
  assert.match(errors[0].text, /2018-13-45/);
  const reasons = await skipped();
  assert.equal(reasons.stg_orders, 'blocked', JSON.stringify(reasons));
  await edit('data/raw_orders.csv', '2,3,2018-13-45,completed', '2018-13-45', '2018-01-02');
  assert.equal(await run(), 'done', await runStatus());
});

test('extra CSV column fails its source', async () => {
  await edit('data/raw_orders.csv', '2,3,2018-01-02,completed', 'completed', 'completed,surplus');
  assert.equal(await run(), 'failed', await runStatus());
  const errors = await modelErrors();
  assert.deepEqual(errors.map((error) => error.model), ['raw_orders'], JSON.stringify(errors));
  assert.match(errors[0].text, /raw_orders\.csv/);
  await edit('data/raw_orders.csv', '2,3,2018-01-02,completed,surplus', 'completed,surplus', 'completed');
  assert.equal(await run(), 'done', await runStatus());
});

test('out of memory fails its model', async () => {
  // DuckDB's own limit makes it run out at 64 MB instead of the tab's 3 GB.
  await page.evaluate(() => window.rockyBridge.duckdbExec("SET memory_limit = '64MB'"));
  const big = "(select length(string_agg(repeat('x', 100), ',')) from range(3000000))";
  try {
    await edit('models/stg_payments.sql', `${AMOUNT} as amount`, AMOUNT, big);
    assert.equal(await run(), 'failed', await runStatus());
    const errors = await modelErrors();
    assert.deepEqual(errors.map((error) => error.model).sort(), ['customers', 'orders'], JSON.stringify(errors));
    for (const error of errors) {
      assert.match(error.text, /Out of Memory Error/);
    }
  } finally {
    await page.evaluate(() => window.rockyBridge.duckdbExec('RESET memory_limit'));
  }
  await edit('models/stg_payments.sql', `${big} as amount`, big, AMOUNT);
  assert.equal(await run(), 'done', await runStatus());
});

// One call over 40 million values, which DuckDB computes in a single
// slice of work: it checks for a cancel only after it, minutes later.
// Here the run stays at the statement that creates the view stg_payments,
// so DuckDB computes the constant already there; orders would do it too.
const STUCK = '(select len(list_distinct(range(40000000))))';

async function planActions() {
  const items = await page.locator(byTestId('plan-item')).evaluateAll((elements) =>
    elements.map((element) => [element.dataset.name, element.dataset.action]));
  return Object.fromEntries(items);
}

// After DuckDB started a new database, the next run builds every model:
// none keeps a table of the database that is gone.
async function runBuildsEverything(amount) {
  await edit('models/stg_payments.sql', `${amount} as amount`, amount, AMOUNT);
  const actions = await planActions();
  assert.ok(Object.keys(actions).length > 0);
  assert.deepEqual(Object.entries(actions).filter(([, action]) => action !== 'build'), [], JSON.stringify(actions));
  assert.equal(await run(), 'done', await runStatus());
  // The open stg_payments reads from the new database.
  const table = page.locator(byTestId('result-table')).first();
  await table.waitFor({ timeout: 15000 });
  assert.ok(Number(await table.getAttribute('data-row-count')) > 0);
}

test('Cancel of a statement that does not stop starts a new database', async () => {
  const stopped = await cancelWhileBuilding(/stg_payments|orders/, STUCK, 20000);
  console.log(`# the run whose statement did not stop ended ${stopped} ms after the Cancel click`);
  assert.match(await runStatus(),
    /^Run cancelled at step \d+ of \d+\. DuckDB did not stop the statement, so the page started a new database/);
  assert.equal(await page.evaluate(() => window.rockyBridge.duckdbRestarts()), 1);
  assert.equal((await skipped()).orders, 'cancelled');
  await runBuildsEverything(STUCK);
});

test('timeout of a statement that does not stop starts a new database', async () => {
  await page.evaluate(() => window.rockyBridge.duckdbSetStatementTimeout(1500));
  try {
    await edit('models/stg_payments.sql', `${AMOUNT} as amount`, AMOUNT, STUCK);
    assert.equal(await run(), 'failed', await runStatus());
  } finally {
    await page.evaluate(() => window.rockyBridge.duckdbSetStatementTimeout(120000));
  }
  assert.match(await runStatus(), /^Run stopped at step \d+ of \d+, where the page started a new database/);
  // The model whose statement timed out, and nothing after it.
  const errors = await modelErrors();
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0].text, /ran longer than 1\.5 s; DuckDB did not stop it, so the page started a new database/);
  assert.equal(await page.evaluate(() => window.rockyBridge.duckdbRestarts()), 2);
  await runBuildsEverything(STUCK);
});

// Without DuckDB's ICU extension, AT TIME ZONE traps in its worker.
const ZONED = `${AMOUNT} + hour(timestamp '2020-01-01 00:00:00' at time zone 'UTC')`;

// Runs stg_payments with a time zone function, which crashes DuckDB.
// DuckDB's worker requests ICU from its extension server anyway, and the
// page's policy blocks the request: returns those blocked requests, which
// it removes from the page's problems.
async function crashWithTimeZone() {
  await edit('models/stg_payments.sql', `${AMOUNT} as amount`, AMOUNT, ZONED);
  assert.equal(await run(), 'failed', await runStatus());
  const blocked = problems.filter((problem) => /^request failed: \S+\/icu\.\S+: csp$/.test(problem));
  problems.splice(0, problems.length, ...problems.filter((problem) => !blocked.includes(problem)));
  return blocked;
}

test('a time zone function crashes DuckDB, which starts anew', async () => {
  const blocked = await crashWithTimeZone();
  assert.match(await runStatus(), /^Run stopped at step \d+ of \d+, where the page started a new database/);
  assert.ok(blocked.length >= 1, `no blocked request for ICU among ${describeProblems(problems)}`);
  const errors = await modelErrors();
  assert.deepEqual(errors.map((error) => error.model), ['stg_payments'], JSON.stringify(errors));
  assert.match(errors[0].text, /crashed DuckDB \("[^"]+"\), so the page started a new database/);
  assert.match(errors[0].text, /The statement uses a time zone: time zone functions need DuckDB's ICU extension/);
  assert.equal(await page.evaluate(() => window.rockyBridge.duckdbRestarts()), 3);
  await runBuildsEverything(ZONED);
});

test('compare view says the database is new', async () => {
  await crashWithTimeZone();
  assert.equal(await page.evaluate(() => window.rockyBridge.duckdbRestarts()), 4);
  await createBranch('after-restart');
  await page.locator(`${byTestId('main-tab')}[data-view="compare"]`).click();
  await page.locator(`${byTestId('compare-tab')}[data-section="data"]`).click();
  const missing = page.locator(byTestId('compare-data-missing'));
  await missing.waitFor({ timeout: 5000 });
  assert.equal(await missing.getAttribute('data-missing'), 'both');
  assert.equal((await missing.textContent()).trim(),
    'DuckDB started a new database, so no branch has tables: run main and after-restart to compare data.');
});

test('page logged no errors', () => {
  assert.deepEqual(problems, [], `page problems: ${describeProblems(problems)}`);
});
