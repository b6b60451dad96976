// Browser tests of the project-wide problems list: grouping by file, counts,
// and clicks that open a file with the problem's range selected.
// The tests run in order on one page, each starting where the last ended.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { describeProblems, RESULTS } from './helpers.mjs';
import {
  attribute, byTestId, compileCount, hoverText, openFile, playgroundHooks, replaceOnAnyLine, waitForCompileAfter,
  waitInPage,
} from './playground-page.mjs';

let page;
let problems;

playgroundHooks((opened) => {
  ({ page, problems } = opened);
});

// Returns every entry of the problems list in order, from both test ids.
async function entries() {
  return page.locator(`${byTestId('diagnostic')}, ${byTestId('other-file-diagnostic')}`).evaluateAll((elements) =>
    elements.map((element) => ({
      testId: element.dataset.testid,
      path: element.dataset.path,
      code: element.dataset.code,
      line: element.dataset.line,
      column: element.dataset.column,
      severity: element.dataset.severity,
      location: element.closest('.problem')?.querySelector('.problem-location')?.textContent.trim(),
      text: element.textContent.trim(),
    })));
}

async function groups() {
  return page.locator(byTestId('problem-file')).evaluateAll((elements) =>
    elements.map((element) => ({ path: element.dataset.path, open: element.dataset.open })));
}

// Returns the text selected in the editor, which the DOM selection mirrors
// while the editor has the focus.
async function editorSelection() {
  return page.evaluate(() => {
    const editor = document.querySelector('[data-testid="editor"] .cm-editor');
    const focused = editor?.contains(document.activeElement) ?? false;
    return { focused, text: focused ? document.getSelection()?.toString() : null };
  });
}

async function waitForSelection(text) {
  return waitInPage(`the editor to be focused with "${text}" selected`, (expected) => {
    const editor = document.querySelector('[data-testid="editor"] .cm-editor');
    return editor?.contains(document.activeElement) && document.getSelection()?.toString() === expected;
  }, text, 5000).catch(async (error) => {
    const seen = await editorSelection();
    throw new Error(`${error.message}; focused: ${seen.focused}, selection: ${JSON.stringify(seen.text)}`);
  });
}

// Returns true when the rendered editor line containing `text` lies inside
// the editor's visible area.
async function lineInView(text) {
  return page.evaluate((needle) => {
    const scroller = document.querySelector('[data-testid="editor"] .cm-scroller');
    const line = [...document.querySelectorAll('[data-testid="editor"] .cm-line')]
      .find((element) => element.textContent.includes(needle));
    if (!scroller || !line) return false;
    const outer = scroller.getBoundingClientRect();
    const inner = line.getBoundingClientRect();
    return inner.top >= outer.top && inner.bottom <= outer.bottom;
  }, text);
}

async function waitForEntries(what, predicate) {
  const deadline = Date.now() + 10000;
  let found = await entries();
  while (!predicate(found)) {
    if (Date.now() > deadline) {
      assert.fail(`problems list never showed ${what}; entries: ${JSON.stringify(found, null, 1)}; ` +
        `page problems: ${describeProblems(problems)}`);
    }
    await page.waitForTimeout(100);
    found = await entries();
  }
  return found;
}

test('sample has no problems listed', async () => {
  const counts = byTestId('problem-counts');
  assert.equal(await attribute(counts, 'data-errors'), '0');
  assert.equal(await page.locator(byTestId('problem-file')).count(), 0, 'the sample shows a problem-file group');
  assert.match(await page.locator('.problems').textContent(), /No problems in the project/);
});

test('problems list covers every file', async () => {
  const compiles = await compileCount();
  await openFile('models/stg_orders.sql');
  await replaceOnAnyLine('        status', 'status', 'statu');
  await openFile('models/customers.sql');
  await replaceOnAnyLine('select * from final', 'final', 'fnal');
  await openFile('models/stg_customers.sql');
  await waitForCompileAfter(compiles);

  const found = await waitForEntries('errors in stg_orders.sql and customers.sql', (list) =>
    list.some((entry) => entry.path === 'models/stg_orders.sql' && entry.code === 'E0101')
    && list.some((entry) => entry.path === 'models/customers.sql' && entry.code === 'E0103'));
  // Files downstream of stg_orders may get errors of their own.
  const paths = [...new Set(found.map((entry) => entry.path))].sort();
  assert.ok(paths.includes('models/customers.sql'), `no customers.sql entry: ${JSON.stringify(paths)}`);
  assert.ok(paths.includes('models/stg_orders.sql'), `no stg_orders.sql entry: ${JSON.stringify(paths)}`);
  assert.deepEqual(await groups(), paths.map((filePath) => ({ path: filePath, open: 'false' })),
    'the groups are not the files with problems in path order');
  for (const entry of found) {
    assert.equal(entry.testId, 'other-file-diagnostic', `${entry.path} is not the open file: ${JSON.stringify(entry)}`);
    assert.equal(entry.location, `${entry.path}:${entry.line}:${entry.column}`, 'the location is not path:line:column');
    assert.match(entry.text, new RegExp(`^${entry.code}: `), 'the entry does not start with its code');
  }
  const statu = found.find((entry) => entry.code === 'E0101');
  assert.match(statu.text, /statu/, `the E0101 entry does not name statu: "${statu.text}"`);
  assert.match(statu.text, /help: /, `the E0101 entry has no help: "${statu.text}"`);

  const errors = found.filter((entry) => entry.severity === 'error').length;
  const warnings = found.filter((entry) => entry.severity === 'warning').length;
  assert.equal(await attribute(byTestId('problem-counts'), 'data-errors'), String(errors));
  assert.equal(await attribute(byTestId('problem-counts'), 'data-warnings'), String(warnings));
  assert.equal(await attribute(byTestId('compile-status'), 'data-errors'), String(errors),
    'compile-status and the problems list count different errors');
  assert.match(await page.locator(byTestId('problem-counts')).textContent(), new RegExp(`${errors} errors?`));
});

test('open file problems come first', async () => {
  await openFile('models/stg_orders.sql');
  await waitInPage('the stg_orders group to come first', () =>
    document.querySelector('[data-testid="problem-file"]')?.dataset.path === 'models/stg_orders.sql', undefined, 5000);
  const found = await entries();
  const others = [...new Set(found.map((entry) => entry.path))].filter((p) => p !== 'models/stg_orders.sql').sort();
  assert.deepEqual(await groups(), [
    { path: 'models/stg_orders.sql', open: 'true' },
    ...others.map((filePath) => ({ path: filePath, open: 'false' })),
  ]);
  const testIds = found.map((entry) => `${entry.testId} ${entry.path}`);
  assert.deepEqual([...new Set(testIds)], [
    'diagnostic models/stg_orders.sql',
    ...others.map((filePath) => `other-file-diagnostic ${filePath}`),
  ], 'the open file\'s entries are not first and marked diagnostic');
});

test('problem click opens its file at the span', async () => {
  const entry = page.locator('.problem', { has: page.locator(`${byTestId('other-file-diagnostic')}[data-code="E0103"]`) });
  await entry.locator('.diagnostic-message').click();
  await waitInPage('customers.sql to open', () =>
    document.querySelector('[data-testid="file-item"][data-active="true"]')?.dataset.path === 'models/customers.sql',
  undefined, 5000);
  await waitForSelection('fnal');
  assert.ok(await lineInView('select * from fnal'), 'the problem\'s line is not scrolled into view');
  assert.ok(await page.evaluate(() => document.querySelector('[data-testid="editor"] .cm-scroller').scrollTop > 0),
    'the editor did not scroll to the end of customers.sql');
  await page.screenshot({ path: path.join(RESULTS, 'problems-reveal.png') });

  // A second click on the same problem selects it again.
  await page.keyboard.press('Control+Home');
  assert.equal((await editorSelection()).text, '', 'Control+Home left a selection');
  const again = page.locator('.problem', { has: page.locator(`${byTestId('diagnostic')}[data-code="E0103"]`) });
  await again.locator('.diagnostic-message').click();
  await waitForSelection('fnal');

  // Typing replaces the selection, so the fix lands on the problem.
  const compiles = await compileCount();
  await page.keyboard.type('final');
  await waitForCompileAfter(compiles);
  await waitForEntries('no customers.sql entry after the fix', (list) =>
    !list.some((item) => item.path === 'models/customers.sql'));
});

test('location button reveals by keyboard', async () => {
  const statu = `${byTestId('other-file-diagnostic')}[data-path="models/stg_orders.sql"][data-code="E0101"]`;
  const button = page.locator('.problem', { has: page.locator(statu) }).locator('.problem-location').first();
  await button.focus();
  await page.keyboard.press('Enter');
  await waitInPage('stg_orders.sql to open', () =>
    document.querySelector('[data-testid="file-item"][data-active="true"]')?.dataset.path === 'models/stg_orders.sql',
  undefined, 5000);
  await waitForSelection('statu');
  const compiles = await compileCount();
  await page.keyboard.type('status');
  await waitForCompileAfter(compiles);
  await waitForEntries('an empty problems list', (list) => list.length === 0);
  assert.equal(await attribute(byTestId('problem-counts'), 'data-errors'), '0');
});

test('type mismatch labels both operands', async () => {
  await openFile('models/customers.sql');
  const original = 'customers.customer_id = customer_orders.customer_id';
  const broken = 'customers.first_name < customer_orders.first_order';
  const compiles = await compileCount();
  const line = await replaceOnAnyLine(`on ${original}`, original, broken);
  await waitForCompileAfter(compiles);
  const lineText = `        on ${broken}`;
  const left = lineText.indexOf('customers.first_name') + 1;
  const right = lineText.indexOf('customer_orders.first_order') + 1;

  const selector = `${byTestId('diagnostic')}[data-code="E0201"][data-line="${line}"]`;
  await page.locator(selector).first().waitFor({ timeout: 10000 }).catch(async () => {
    assert.fail(`no E0201 on line ${line}; entries: ${JSON.stringify(await entries())}`);
  });
  const notes = await page.locator(`${selector} ${byTestId('diagnostic-note')}`).evaluateAll((elements) =>
    elements.map((element) => ({ text: element.textContent.trim(), line: element.dataset.line, column: element.dataset.column })));
  assert.deepEqual(notes, [
    { text: `note at ${line}:${left}: this is VARCHAR`, line: String(line), column: String(left) },
    { text: `note at ${line}:${right}: this is DATE`, line: String(line), column: String(right) },
  ], 'the problems entry does not list both operands as notes');

  const labels = await page.locator(`${byTestId('editor')} .cm-diagnosticLabel`).allTextContents();
  assert.deepEqual(labels, ['customers.first_name', 'customer_orders.first_order'],
    'the editor does not underline both operands as labels');

  const lint = await hoverText(lineText, '<', '.cm-tooltip-lint');
  assert.match(lint, new RegExp(`note at ${line}:${left}: this is VARCHAR`), `the diagnostic hover lacks the notes: "${lint}"`);
  const note = await hoverText(lineText, 'first_order', '.cm-rocky-hover');
  assert.match(note, /note: this is DATE/, `the label hover lacks its note: "${note}"`);
  assert.match(note, /for E0201: /, `the label hover does not name its diagnostic: "${note}"`);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(RESULTS, 'problems-labels.png') });

  await page.locator(`${selector} ${byTestId('diagnostic-note')}`).nth(1).click();
  await waitForSelection('customer_orders.first_order');
  await page.keyboard.type('customer_orders.customer_id');
  const fixing = await compileCount();
  await replaceOnAnyLine('on customers.first_name <', 'first_name <', 'customer_id =');
  await waitForCompileAfter(fixing);
  await waitForEntries('no problems after restoring the join', (list) => list.length === 0);
});

test('problems page logged no errors', () => {
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
});
