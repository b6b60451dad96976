// Browser tests of a model with 2,000 columns, pasted over customers.sql.
// The panels that list columns draw the first ones and offer the rest, the
// lineage canvas draws the rows near what it shows, and the SVG export
// still has every row. The tests run in order on one page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describeProblems } from './helpers.mjs';
import {
  byTestId, compileCount, openFile, playgroundHooks, waitForCompileAfter, waitInPage,
} from './playground-page.mjs';

const COLUMNS = 2000;
const WIDE = `select\n${Array.from({ length: COLUMNS }, (_, i) => `  ${i} as c${i}`).join(',\n')}\n`;
const BOX = `${byTestId('lineage-box')}[data-table="customers"]`;

let page;
let problems;

playgroundHooks((opened) => {
  ({ page, problems } = opened);
});

// Pastes `text` over the whole of the open file and waits for its compile.
async function pasteOverOpenFile(text) {
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+a');
  const before = await compileCount();
  // A paste, as a user would bring in a generated model.
  await page.evaluate((pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    document.querySelector('[data-testid="editor"] .cm-content').dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  await waitForCompileAfter(before);
}

// Returns the names of the columns the customers box draws.
async function drawnRows() {
  return page.locator(`${BOX} ${byTestId('lineage-column')}`).evaluateAll((rows) =>
    rows.map((row) => row.dataset.column));
}

test('pasted wide model compiles', async () => {
  await openFile('models/customers.sql');
  await pasteOverOpenFile(WIDE);
});

test('schema panel lists first 200 columns', async () => {
  const rows = page.locator(byTestId('schema-row'));
  assert.equal(await rows.count(), 200);
  const more = page.locator(byTestId('schema-show-all'));
  assert.equal(await more.getAttribute('data-hidden'), String(COLUMNS - 200));
  await more.click();
  await waitInPage('every schema row', (count) =>
    document.querySelectorAll('[data-testid="schema-row"]').length === count, COLUMNS, 10000);
  assert.equal(await page.locator(byTestId('schema-show-all')).count(), 0);
  assert.equal(await rows.last().getAttribute('data-column'), `c${COLUMNS - 1}`);
});

test('intent panel lists first 100 facts', async () => {
  const section = page.locator(`${byTestId('explain-section')}[data-kind="computed"]`);
  assert.equal(await section.locator(byTestId('explain-fact')).count(), 100);
  await section.locator(byTestId('explain-show-all')).click();
  await waitInPage('every computed fact', (count) =>
    document.querySelectorAll('[data-testid="explain-section"][data-kind="computed"] [data-testid="explain-fact"]')
      .length === count, COLUMNS, 10000);
});

test('canvas draws rows near its view', async () => {
  await page.locator(`${byTestId('main-tab')}[data-view="lineage"]`).click();
  await page.locator(BOX).waitFor({ timeout: 15000 });
  await waitInPage('the canvas to be measured and fitted', (selector) =>
    document.querySelectorAll(`${selector} [data-testid="lineage-column"]`).length > 0, BOX, 10000);
  const first = await drawnRows();
  assert.equal(first[0], 'c0');
  assert.ok(first.length < COLUMNS / 2, `the canvas drew ${first.length} of ${COLUMNS} rows`);
  assert.ok(!first.includes(`c${COLUMNS - 1}`));

  // Dragging the background upwards brings the last rows into view: they
  // are 36,000 layout units down, 7,200 pixels at the fitted scale of 0.2.
  const canvas = page.locator(byTestId('lineage-canvas'));
  const box = await canvas.boundingBox();
  const x = box.x + box.width - 20;
  const last = `c${COLUMNS - 1}`;
  let drags = 0;
  while (!(await drawnRows()).includes(last)) {
    drags += 1;
    assert.ok(drags <= 40, `after 40 drags the canvas has not drawn ${last}`);
    await page.mouse.move(x, box.y + box.height - 10);
    await page.mouse.down();
    await page.mouse.move(x, box.y + 10, { steps: 4 });
    await page.mouse.up();
  }
  assert.ok(drags >= 10, `${drags} drags of ${box.height - 20} pixels reached ${last}`);
  const later = await drawnRows();
  assert.ok(!later.includes('c0'), 'the first rows are still drawn after the pan');
});

test('SVG export has every row', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.locator(`${byTestId('lineage-export')}[data-format="svg"]`).click(),
  ]);
  const text = await readFile(await download.path(), 'utf8');
  const rows = await page.evaluate((svg) => {
    const document = new DOMParser().parseFromString(svg, 'image/svg+xml');
    return document.querySelectorAll('[data-testid="lineage-box"][data-table="customers"] [data-testid="lineage-column"]')
      .length;
  }, text);
  assert.equal(rows, COLUMNS);
  // The canvas goes back to drawing the rows near its visible part.
  await waitInPage('the canvas to draw fewer rows again', ([selector, count]) =>
    document.querySelectorAll(`${selector} [data-testid="lineage-column"]`).length < count, [BOX, COLUMNS], 10000);
});

test('schema pick drawn in lineage view', async () => {
  await page.locator(`${byTestId('main-tab')}[data-view="editor"]`).click();
  await page.locator(`${byTestId('schema-row')}[data-column="c1000"]`).click();
  await page.locator(`${byTestId('main-tab')}[data-view="lineage"]`).click();
  await waitInPage('the picked row to be drawn as selected', (selector) =>
    document.querySelector(`${selector} [data-testid="lineage-column"][data-column="c1000"][data-role="selected"]`)
      !== null, BOX, 10000);
});

test('problems list first 200 warnings', async () => {
  await page.locator(`${byTestId('main-tab')}[data-view="editor"]`).click();
  // 300 CTEs that nothing reads, a warning each, and one unknown column.
  const ctes = Array.from({ length: 301 }, (_, i) => `c${i} as (select ${i} as a)`).join(',\n');
  await pasteOverOpenFile(`with ${ctes}\nselect a, missing from c300\n`);
  const group = page.locator(`${byTestId('problem-file')}[data-path="models/customers.sql"]`);
  const listed = group.locator(byTestId('diagnostic'));
  assert.equal(await listed.count(), 201);
  assert.equal(await group.locator(`${byTestId('diagnostic')}[data-severity="error"]`).count(), 1,
    'the error is listed with the first warnings');
  const more = group.locator(byTestId('problems-show-all'));
  assert.equal(await more.getAttribute('data-hidden'), '100');
  await more.click();
  await waitInPage('every problem of customers.sql', (selector) =>
    document.querySelectorAll(`${selector} [data-testid="diagnostic"]`).length === 301,
  `${byTestId('problem-file')}[data-path="models/customers.sql"]`, 10000);
});

test('page logged no errors', () => {
  assert.deepEqual(problems, [], `page problems: ${describeProblems(problems)}`);
});
