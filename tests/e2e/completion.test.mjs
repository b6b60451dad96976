// Browser tests of completion in the editor on the bundled sample: columns
// and tables from the scope at the cursor, the project's tables outside any
// scope, and keys that never drop what was typed. The tests run in order on
// one page, each starting where the last ended.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { describeProblems, RESULTS } from './helpers.mjs';
import {
  attribute, byTestId, compileCount, editorText, moveToLine, openFile, playgroundHooks, replaceOnAnyLine, sampleText,
  savedFile, waitForCompileAfter, waitForSaveSettled,
} from './playground-page.mjs';

let page;
let problems;

playgroundHooks((opened) => {
  ({ page, problems } = opened);
});

const COMPLETIONS = `${byTestId('editor')} .cm-tooltip-autocomplete`;

// Waits for the completion list and returns its options as {label, detail}.
async function completionOptions(what) {
  await page.locator(COMPLETIONS).first().waitFor({ timeout: 5000 }).catch(() => {
    assert.fail(`no completion list ${what}`);
  });
  // Keys act on a list only 75 ms after it opened (CodeMirror's interactionDelay).
  await page.waitForTimeout(150);
  return page.locator(`${COMPLETIONS} li`).evaluateAll((items) => items.map((item) => ({
    label: item.querySelector('.cm-completionLabel')?.textContent,
    detail: item.querySelector('.cm-completionDetail')?.textContent ?? '',
  })));
}

async function closeCompletions() {
  await page.keyboard.press('Escape');
  await page.locator(COMPLETIONS).first().waitFor({ state: 'detached', timeout: 5000 });
}

// Returns the text of the line the cursor is on.
async function cursorLine() {
  return page.locator(`${byTestId('editor')} .cm-activeLine`).first().textContent();
}

test('completion after alias lists its columns', async () => {
  await openFile('models/stg_orders.sql');
  let compiles = await compileCount();
  await replaceOnAnyLine('    from source', 'from source', 'from source as s');
  await waitForCompileAfter(compiles);

  await moveToLine('        status');
  await page.keyboard.press('End');
  await page.keyboard.type(', s.');
  const options = await completionOptions('after "s."');
  // Options that match equally well are listed by name.
  assert.deepEqual(options, [
    { label: 'id', detail: 'INTEGER' },
    { label: 'order_date', detail: 'DATE' },
    { label: 'status', detail: 'VARCHAR' },
    { label: 'user_id', detail: 'INTEGER' },
  ], 'the options after s. are not the columns of the CTE source with their types');
  await page.screenshot({ path: path.join(RESULTS, 'completion-alias.png') });

  await page.keyboard.type('ord');
  const filtered = await completionOptions('after "s.ord"');
  assert.equal(filtered[0]?.label, 'order_date', `typing "ord" did not put order_date first: ${JSON.stringify(filtered)}`);
  await page.keyboard.press('Tab');
  await page.locator(COMPLETIONS).first().waitFor({ state: 'detached', timeout: 5000 });
  assert.equal(await cursorLine(), '        status, s.order_date', 'Tab did not complete order_date');

  compiles = await compileCount();
  await page.keyboard.type(' as placed_on');
  await waitForCompileAfter(compiles);
  const placed = `${byTestId('schema-row')}[data-column="placed_on"]`;
  await page.locator(placed).waitFor({ timeout: 10000 });
  assert.equal(await attribute(placed, 'data-type'), 'DATE', 'the completed column does not compile to a DATE');
});

test('Enter keeps a newline with the list open', async () => {
  await page.keyboard.type(', us');
  const options = await completionOptions('after ", us"');
  assert.ok(options.some((option) => option.label === 'user_id'), `user_id is not offered: ${JSON.stringify(options)}`);
  await page.keyboard.press('Enter');
  await page.locator(COMPLETIONS).first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {
    assert.fail('the completion list stayed open after Enter');
  });
  const lines = (await editorText()).split('\n');
  const index = lines.indexOf('        status, s.order_date as placed_on, us');
  assert.ok(index >= 0, `Enter replaced what was typed: ${JSON.stringify(lines)}`);
  assert.match(lines[index + 1], /^\s*$/, 'Enter did not start a new line');
  assert.equal(await cursorLine(), lines[index + 1], 'the cursor is not on the new line');

  // Backspace takes back the new line and its indentation.
  for (let i = 0; i < 40 && (await cursorLine()) !== lines[index]; i++) await page.keyboard.press('Backspace');
  for (let i = 0; i < ', us'.length; i++) await page.keyboard.press('Backspace');
  assert.equal(await cursorLine(), '        status, s.order_date as placed_on');
});

test('completion falls back to the project outside scopes', async () => {
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('raw_');
  const options = await completionOptions('at the start of the file');
  const tables = options.filter((option) => option.detail === 'source').map((option) => option.label);
  assert.deepEqual(tables.sort(), ['raw_customers', 'raw_orders', 'raw_payments'],
    `the project's source tables are not offered: ${JSON.stringify(options)}`);
  await closeCompletions();
  for (let i = 0; i < 'raw_'.length; i++) await page.keyboard.press('Backspace');
});

test('completion uses the innermost scope', async () => {
  await openFile('models/customers.sql');
  await moveToLine('sum(amount) as total_amount');
  await page.keyboard.press('End');
  await page.keyboard.type(', orders.');
  const labels = (await completionOptions('after "orders." in customer_payments')).map((option) => option.label);
  // The CTE reads stg_orders, which has placed_on since the test above.
  assert.deepEqual(labels, ['customer_id', 'order_date', 'order_id', 'placed_on', 'status'],
    'orders. does not offer the columns of the CTE orders, which shadows the model orders');
  await closeCompletions();

  // On the empty last line, outside every scope, a model's name offers its columns.
  await page.keyboard.press('Control+End');
  await page.keyboard.type('stg_payments.');
  const model = (await completionOptions('after "stg_payments." at the end')).map((option) => option.label);
  assert.deepEqual(model, ['amount', 'order_id', 'payment_id', 'payment_method'],
    'stg_payments. does not offer the columns of the model stg_payments');
  await closeCompletions();
  for (let i = 0; i < 'stg_payments.'.length; i++) await page.keyboard.press('Backspace');
  await moveToLine('sum(amount) as total_amount, orders.');
  await page.keyboard.press('End');
  for (let i = 0; i < ', orders.'.length; i++) await page.keyboard.press('Backspace');
});

test('typed text all reached the app', async () => {
  await openFile('models/stg_orders.sql');
  const expected = (await sampleText('models/stg_orders.sql'))
    .replace('    from source', '    from source as s')
    .replace('        status\n', '        status, s.order_date as placed_on\n');
  assert.equal(await editorText(), expected, 'the editor text is not what was typed');
  assert.equal(await waitForSaveSettled(), 'saved', 'the typed text was not saved');
  const saved = await savedFile('main', 'models/stg_orders.sql');
  assert.equal(saved, expected, 'the saved text is not what was typed');
  await openFile('models/customers.sql');
  const customers = await savedFile('main', 'models/customers.sql');
  assert.equal(customers, await sampleText('models/customers.sql'),
    'the completion tests left an edit in customers.sql');
});

test('no completion outside model files', async () => {
  await openFile('rocky.toml');
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('sel');
  // Longer than the 100 ms CodeMirror waits after typing before it queries completion sources.
  await page.waitForTimeout(500);
  assert.equal(await page.locator(COMPLETIONS).count(), 0, 'rocky.toml offers SQL completions');
  for (let i = 0; i < 'sel'.length; i++) await page.keyboard.press('Backspace');
});

test('completion page logged no errors', () => {
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
});
