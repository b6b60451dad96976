// Browser tests of the lessons: each bundled lesson is followed step by
// step through the page, as its text instructs a user, and the page must move
// on after each step and call the lesson complete at the end. The lessons
// run in order in one tab, each opened from the previous one's "Next
// lesson" button. Then the user's own project is checked to be untouched
// and the progress to outlive a reload.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { RESULTS } from './helpers.mjs';
import {
  attribute, byTestId, createBranch, moveToLine, openFile, playgroundHooks, queryValue, replaceOnAnyLine, run,
  runStatus, savedFile, waitForBranch, waitForLoad, waitForSaveSettled, waitInPage,
} from './playground-page.mjs';

const LESSONS = ['models-and-dag', 'type-errors', 'column-lineage', 'branches', 'intent-and-tests'];

let page;
let problems;

playgroundHooks((opened) => {
  ({ page, problems } = opened);
});

const panel = byTestId('lesson-panel');

// Waits until the open lesson counts `done` steps done.
async function waitForStepsDone(done) {
  await waitInPage(`the lesson to count ${done} steps done`, ({ selector, wanted }) =>
    document.querySelector(selector)?.getAttribute('data-done') === String(wanted),
  { selector: panel, wanted: done }, 20000);
}

// Waits for the page to show the lesson `id`, after a reload.
async function waitForLesson(id) {
  await waitInPage(`the lesson ${id} to open`, ({ selector, wanted }) =>
    document.querySelector(selector)?.getAttribute('data-lesson') === wanted,
  { selector: panel, wanted: id }, 30000);
  await waitForLoad();
}

async function showView(view) {
  await page.locator(`${byTestId('main-tab')}[data-view="${view}"]`).click();
}

// Picks choice `index` of the current step's question.
async function answer(index) {
  await page.locator(`${byTestId('lesson-choice')}[data-choice="${index}"]`).click();
}

// Focuses `table` in the lineage graph with its search box, then clicks
// its column `column`.
async function selectInGraph(table, column) {
  const search = page.locator(byTestId('lineage-search'));
  await search.fill(table);
  await page.locator(`${byTestId('lineage-search-result')}[data-table="${table}"]`).first().waitFor({ timeout: 5000 });
  await search.press('Enter');
  const row = page.locator(`${byTestId('lineage-column')}[data-table="${table}"][data-column="${column}"]`).first();
  await row.waitFor({ timeout: 5000 });
  await row.click();
}

// Replaces the whole text of the open file by keyboard.
async function typeWholeFile(text) {
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function nextLesson(id) {
  await page.locator(byTestId('lesson-complete')).waitFor({ timeout: 10000 });
  await page.locator(byTestId('lesson-next')).click();
  await waitForLesson(id);
}

test('the lessons list shows every lesson, none started', async () => {
  await page.locator(byTestId('lessons-button')).click();
  const items = page.locator(byTestId('lesson-item'));
  const ids = await items.evaluateAll((elements) => elements.map((element) => element.dataset.lesson));
  assert.deepEqual(ids, LESSONS);
  for (const status of await page.locator(byTestId('lesson-status')).allTextContents()) {
    assert.match(status, /^0 of \d+ steps done$/);
  }
  await page.locator(`${byTestId('lesson-item')}[data-lesson="models-and-dag"] ${byTestId('lesson-open')}`).click();
  await waitForLesson('models-and-dag');
  assert.equal(await attribute(panel, 'data-done'), '0');
  assert.equal(await page.locator(byTestId('shared-banner')).count(), 0);
});

test('lesson 1: models and the DAG', async () => {
  await openFile('models/stg_orders.sql');
  await waitForStepsDone(1);
  await showView('lineage');
  await waitForStepsDone(2);
  // A wrong choice shows a message and keeps the step.
  await answer(0);
  await page.locator(byTestId('lesson-wrong')).waitFor({ timeout: 5000 });
  assert.equal(await attribute(panel, 'data-done'), '2');
  await answer(1);
  await waitForStepsDone(3);

  await showView('editor');
  await page.locator(byTestId('new-file')).click();
  // A taken path is refused with the reason.
  await page.locator(byTestId('new-file-path')).fill('models/orders.sql');
  await page.locator(byTestId('new-file-create')).click();
  assert.equal(await page.locator(byTestId('new-file-error')).textContent(), 'models/orders.sql already exists');
  await page.locator(byTestId('new-file-path')).fill('models/orders_per_channel.sql');
  await page.locator(byTestId('new-file-create')).click();
  await waitInPage('the new file to open', () =>
    document.querySelector('[data-testid="file-item"][data-active="true"]')?.dataset.path
      === 'models/orders_per_channel.sql', undefined, 5000);
  await typeWholeFile('select channel, count(*) as order_count from orders group by channel\n');
  await waitForStepsDone(4);

  assert.equal(await run(), 'done', `the run ended as "${await runStatus()}"`);
  await waitForStepsDone(5);
  assert.equal(await attribute(panel, 'data-complete'), 'true');
  assert.equal(await queryValue('SELECT sum(order_count) FROM "main"."orders_per_channel"'), '300');
});

test('lesson 2: type errors', async () => {
  await nextLesson('type-errors');
  assert.equal(await attribute(byTestId('compile-status'), 'data-errors'), '3');
  await page.locator('.problem', {
    has: page.locator('[data-code="E0101"][data-path="models/returns_by_reason.sql"]'),
  }).click();
  await waitForStepsDone(1);
  await replaceOnAnyLine('days_to_retrun', 'days_to_retrun', 'days_to_return');
  await waitForStepsDone(2);
  await replaceOnAnyLine('returned_on,', 'returned_on,', 'max(returned_on) as last_returned_on,');
  await waitForStepsDone(3);
  await openFile('models/channel_summary.sql');
  await replaceOnAnyLine('as revenue_gap', 'by_channel.channel', 'coalesce(refunds.refunded_amount, 0)');
  await waitForStepsDone(4);
  assert.equal(await attribute(byTestId('compile-status'), 'data-errors'), '0');
  assert.equal(await run(), 'done', `the run ended as "${await runStatus()}"`);
  await waitForStepsDone(5);
});

test('lesson 3: column lineage and blast radius', async () => {
  await nextLesson('column-lineage');
  await showView('lineage');
  await waitForStepsDone(1);
  await selectInGraph('monthly_revenue', 'revenue');
  await waitForStepsDone(2);
  await answer(1);
  await waitForStepsDone(3);
  await selectInGraph('raw_returns', 'reason');
  await waitForStepsDone(4);
  await answer(2);
  await waitForStepsDone(5);
  await page.screenshot({ path: path.join(RESULTS, 'lesson-complete.png') });
});

test('lesson 4: branches, compare and promote', async () => {
  await nextLesson('branches');
  await createBranch('large-orders');
  await waitForStepsDone(1);
  await openFile('models/orders.sql');
  await replaceOnAnyLine('order_payments.total_amount as amount', 'as amount',
    'as amount, order_payments.total_amount >= 50 as is_large_order');
  await waitForStepsDone(2);
  assert.equal(await run(), 'done', `the run ended as "${await runStatus()}"`);
  await waitForStepsDone(3);
  await showView('compare');
  await waitForStepsDone(4);
  await page.locator(byTestId('branch-promote')).click();
  await page.locator(byTestId('promote-dialog')).waitFor({ timeout: 30000 });
  await page.locator(byTestId('promote-submit')).click();
  await waitForBranch('main');
  await waitForStepsDone(5);
  const columns = await queryValue(`SELECT string_agg(column_name, ',' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'orders'`);
  assert.match(columns, /,is_large_order$/);
});

test('lesson 5: intent and generated tests', async () => {
  await nextLesson('intent-and-tests');
  await openFile('models/returns_by_reason.sql');
  await waitForStepsDone(1);
  await openFile('models/returns_by_reason.toml');
  await moveToLine('What was refunded for the reason');
  await page.keyboard.press('End');
  await page.keyboard.type('\ninvariants = ["never negative"]');
  await page.keyboard.press('Escape');
  await waitForStepsDone(2);

  await openFile('models/returns_by_reason.sql');
  const proposal = page.locator(`${byTestId('proposed-test')}[data-exists="false"]`);
  await proposal.first().waitFor({ timeout: 10000 });
  assert.match(await proposal.first().textContent(), /never negative/);
  await proposal.first().locator(byTestId('accept-test')).click();
  await waitForStepsDone(3);

  await replaceOnAnyLine('as refunded_amount', 'sum(refund_amount)', '-sum(refund_amount)');
  assert.equal(await run(), 'failed', 'the run passed with negative refunds');
  await waitForStepsDone(4);
  const failed = page.locator(`${byTestId('test-result')}[data-status="failed"]`);
  assert.equal(await failed.count(), 1);
  assert.match(await failed.getAttribute('data-name'), /refunded_amount/);

  await replaceOnAnyLine('as refunded_amount', '-sum(refund_amount)', 'sum(refund_amount)');
  assert.equal(await run(), 'done', `the run ended as "${await runStatus()}"`);
  await waitForStepsDone(5);
  assert.equal(await attribute(panel, 'data-complete'), 'true');
  // The last lesson offers the list instead of a next lesson.
  assert.equal(await page.locator(byTestId('lesson-next')).textContent(), 'All lessons');
});

test('progress outlives a reload, and the own project is untouched', async () => {
  assert.equal(await waitForSaveSettled(), 'saved');
  await page.locator(byTestId('lesson-leave')).click();
  await waitInPage('the own project to open', () =>
    document.querySelector('[data-testid="compile-status"]') !== null
    && document.querySelector('[data-testid="lesson-panel"]') === null
    && window.location.hash === '', undefined, 30000);
  await waitForLoad();
  const files = await page.locator(byTestId('file-item')).evaluateAll((elements) =>
    elements.map((element) => element.dataset.path));
  assert.ok(files.includes('models/stg_payments.sql'), 'the own project is not jaffle_shop');
  assert.ok(!files.includes('models/orders_per_channel.sql'), 'a lesson wrote into the own project');
  assert.equal(await savedFile('main', 'models/orders_per_channel.sql'), null,
    'the own saved session holds a lesson\'s model');

  await page.locator(byTestId('lessons-button')).click();
  for (const id of LESSONS) {
    const item = `${byTestId('lesson-item')}[data-lesson="${id}"]`;
    assert.equal(await attribute(item, 'data-done'), await attribute(item, 'data-steps'), `${id} is not complete`);
  }
  assert.deepEqual([...new Set(await page.locator(byTestId('lesson-status')).allTextContents())], ['Completed']);

  // Reopening a lesson keeps its edits; Restart brings back its start.
  await page.locator(`${byTestId('lesson-item')}[data-lesson="models-and-dag"] ${byTestId('lesson-open')}`).click();
  await waitForLesson('models-and-dag');
  assert.equal(await attribute(panel, 'data-complete'), 'true');
  assert.equal(await page.locator(`${byTestId('file-item')}[data-path="models/orders_per_channel.sql"]`).count(), 1);
  // Restart shows a confirmation first, since it drops the lesson's edits.
  await page.locator(byTestId('lesson-restart')).click();
  const confirm = page.locator(byTestId('confirm-dialog'));
  await confirm.waitFor({ timeout: 5000 });
  assert.equal(await confirm.getAttribute('data-kind'), 'restart-lesson');
  await page.locator(byTestId('confirm-accept')).click();
  await waitForStepsDone(0);
  await waitInPage('the added model to go', () =>
    !document.querySelector('[data-testid="file-item"][data-path="models/orders_per_channel.sql"]'), undefined, 5000);
});
