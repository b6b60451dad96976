// Browser tests of the editor's hover on the bundled sample: column types
// and sources, and the columns of table names. The tests run in order on one
// page, each starting where the last ended.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { describeProblems, RESULTS } from './helpers.mjs';
import {
  attribute, byTestId, compileCount, hoverText, moveToLine, openFile, playgroundHooks, replaceOnAnyLine,
  waitForCompileAfter,
} from './playground-page.mjs';

let page;
let problems;

playgroundHooks((opened) => {
  ({ page, problems } = opened);
});

const HOVER = '.cm-rocky-hover';

// Returns the column rows of the table hover shown, as [name, type] pairs.
async function hoverRows() {
  return page.locator(`${byTestId('editor')} ${HOVER} .cm-rocky-hover-row`).evaluateAll((rows) =>
    rows.map((row) => [row.querySelector('.cm-rocky-hover-name').textContent,
      row.querySelector('.cm-rocky-hover-type').textContent]));
}

test('column hover shows type and source', async () => {
  await openFile('models/customers.sql');
  await moveToLine('        customers.first_name,');
  const text = await hoverText('        customers.first_name,', 'first_name', HOVER);
  assert.match(text, /customers\.first_name: VARCHAR/, `the hover lacks the column and its type: "${text}"`);
  assert.match(text, /from stg_customers\.first_name/, `the hover lacks the upstream column: "${text}"`);
  await page.screenshot({ path: path.join(RESULTS, 'hover-column.png') });
});

test('computed column hover has no source', async () => {
  const lineText = 'customer_payments.total_amount as customer_lifetime_value';
  const text = await hoverText(lineText, 'total_amount', HOVER);
  assert.match(text, /^customer_payments\.total_amount: [A-Z]/, `the hover lacks the column and its type: "${text}"`);
  assert.doesNotMatch(text, /from /, `a sum is shown as a copy of one column: "${text}"`);
});

test('qualifier hover shows its CTE', async () => {
  const text = await hoverText('        customers.first_name,', 'customers', HOVER);
  assert.match(text, /^CTE customers/, `the qualifier is not shown as the CTE: "${text}"`);
  assert.deepEqual(await hoverRows(), [
    ['customer_id', 'INTEGER'], ['first_name', 'VARCHAR'], ['last_name', 'VARCHAR'],
  ], 'the CTE customers does not list the columns it reads from stg_customers');
});

test('table hover lists model columns', async () => {
  await moveToLine('select * from stg_customers');
  const text = await hoverText('select * from stg_customers', 'stg_customers', HOVER);
  assert.match(text, /^model stg_customers/, `the hover does not name the model: "${text}"`);
  assert.deepEqual(await hoverRows(), [
    ['customer_id', 'INTEGER'], ['first_name', 'VARCHAR'], ['last_name', 'VARCHAR'],
  ]);
  await page.screenshot({ path: path.join(RESULTS, 'hover-table.png') });
});

test('source hover lists declared columns', async () => {
  await openFile('models/stg_orders.sql');
  const text = await hoverText('select * from raw_orders', 'raw_orders', HOVER);
  assert.match(text, /^source raw_orders/, `the hover does not name the source: "${text}"`);
  assert.deepEqual(await hoverRows(), [
    ['id', 'INTEGER'], ['user_id', 'INTEGER'], ['order_date', 'DATE'], ['status', 'VARCHAR'],
  ]);
});

test('diagnostic hover still works', async () => {
  const compiles = await compileCount();
  await replaceOnAnyLine('        status', 'status', 'statuss');
  await waitForCompileAfter(compiles);
  const lint = await hoverText('        statuss', 'statuss', '.cm-tooltip-lint');
  assert.match(lint, /E0101: /, `the lint hover does not show the error: "${lint}"`);
  assert.equal(await page.locator(`${byTestId('editor')} ${HOVER}`).count(), 0,
    'a misspelled column still shows the type of the old name');
  const fixed = await compileCount();
  await replaceOnAnyLine('        statuss', 'statuss', 'status');
  await waitForCompileAfter(fixed);
  assert.equal(await attribute(byTestId('compile-status'), 'data-errors'), '0');
});

test('hover page logged no errors', () => {
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
});
