// Browser tests of branches on the bundled jaffle_shop sample. The tests
// run in order on one page, each starting where the last ended. Main runs,
// and the branch `feature` keeps payment amounts in cents, so its plan
// rebuilds only what that change reaches. A failing data test blocks the
// promote and its fix lets it through, and the branch is dropped with its
// schema. Then come a reload in the middle of editing, and a .zip export
// and import.
//
// The sums were checked against DuckDB 1.4.4 (Python package) on the
// sample: sum(orders.amount) is 1672.0 in dollars and 167200 in cents, and
// 74 payments are of 1000 cents or more.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeProblems, RESULTS } from './helpers.mjs';
import {
  attribute, byTestId, compileCount, createBranch, currentBranch, editorText, openFile, playgroundHooks, queryValue,
  replaceOnLine, run, runEnded, runStatus, sampleText, savedFile, waitForBranch, waitForCompileAfter, waitForLoad,
  waitForSaveSettled, watchRun,
} from './playground-page.mjs';

const RUN_TIMEOUT_MS = 120000;
const STG_PAYMENTS = 'models/stg_payments.sql';
const STG_PAYMENTS_SIDECAR = 'models/stg_payments.toml';
const FAILING_TEST = `
[[tests]]
type = "expression"
expression = "amount < 1000"
name = "amount_below_1000"
`;

let page;
let problems;
let exported;

playgroundHooks((opened) => {
  ({ page, problems } = opened);
});

// Returns the plan of the next run as {name: action}.
async function planActions() {
  const items = await page.locator(byTestId('plan-item')).evaluateAll((elements) =>
    elements.map((element) => [element.dataset.name, element.dataset.action]));
  return Object.fromEntries(items);
}

async function planText(name) {
  return (await page.locator(`${byTestId('plan-item')}[data-name="${name}"]`).textContent()).trim();
}

async function namesWith(actions, action) {
  return Object.entries(actions).filter(([, value]) => value === action).map(([name]) => name).sort();
}

// Pastes `text` at the end of the open file, as Ctrl+V does.
async function appendToOpenFile(text) {
  await page.locator(`${byTestId('editor')} .cm-content`).click();
  await page.keyboard.press('Control+End');
  await page.evaluate(({ selector, pasted }) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    document.querySelector(selector).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, { selector: `${byTestId('editor')} .cm-content`, pasted: text });
}

async function openPromote() {
  await page.locator(byTestId('branch-promote')).click();
  await page.locator(byTestId('promote-dialog')).waitFor({ timeout: RUN_TIMEOUT_MS });
}

async function blockerKinds() {
  return page.locator(byTestId('promote-blocker')).evaluateAll((elements) =>
    elements.map((element) => element.dataset.kind).sort());
}

async function fileChange(filePath) {
  return attribute(`${byTestId('file-item')}[data-path="${filePath}"]`, 'data-change');
}

test('main runs and builds everything', async () => {
  const actions = await planActions();
  assert.equal(Object.keys(actions).length, 8, `the plan lists ${JSON.stringify(actions)}`);
  assert.ok(Object.values(actions).every((action) => action === 'build'), 'main\'s first plan builds everything');
  assert.match(await planText('orders'), /not built yet/);
  assert.equal(await run(), 'done', `main's run ended as "${await runStatus()}"`);
  assert.match(await runStatus(), /^Built 8 of 8; tests: \d+ passed$/);
  assert.equal(await attribute(byTestId('test-results'), 'data-failed'), '0');
  assert.equal(await queryValue('SELECT sum(amount) FROM "main"."orders"'), '1672.0');
  const after = await planActions();
  assert.ok(Object.values(after).every((action) => action === 'keep'), `main is not up to date: ${JSON.stringify(after)}`);
});

test('branch names are checked as typed', async () => {
  await page.locator(byTestId('branch-create')).click();
  const input = page.locator(byTestId('branch-name-input'));
  const error = page.locator(byTestId('branch-name-error'));
  const submit = page.locator(byTestId('branch-dialog-submit'));
  await input.fill('1st');
  assert.equal(await error.textContent(), 'invalid branch name `1st`: it must start with a letter');
  assert.equal(await submit.isDisabled(), true, 'an invalid name can be submitted');
  await input.fill('Main');
  assert.equal(await error.textContent(), 'a branch named `Main` already exists');
  await input.fill('feature');
  assert.equal(await error.count(), 0, 'a valid name shows an error');
  assert.equal(await submit.isDisabled(), false);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(byTestId('branch-dialog')).count(), 0, 'Escape did not close the dialog');
  assert.equal(await currentBranch(), 'main');
});

test('edit on feature leaves main alone', async () => {
  await openFile(STG_PAYMENTS);
  await createBranch('feature');
  assert.equal(await attribute(byTestId('branch-bar'), 'data-parent'), 'main');
  assert.equal(await attribute(`${byTestId('file-item')}[data-active="true"]`, 'data-path'), STG_PAYMENTS,
    'the new branch does not keep the open file');
  const compiles = await compileCount();
  await replaceOnLine('amount / 100 as amount', 'amount / 100 as amount', 'amount as amount');
  await waitForCompileAfter(compiles);
  assert.equal(await fileChange(STG_PAYMENTS), 'modified');
  assert.equal(await fileChange('models/orders.sql'), null);
  assert.equal(await waitForSaveSettled(), 'saved');
  const sample = await sampleText(STG_PAYMENTS);
  assert.equal(await savedFile('main', STG_PAYMENTS), sample, 'the edit reached main');
  assert.equal(await savedFile('feature', STG_PAYMENTS), sample.replace('amount / 100 as amount', 'amount as amount'));
});

test('plan rebuilds what the change reaches', async () => {
  const actions = await planActions();
  assert.deepEqual(await namesWith(actions, 'build'), ['customers', 'orders', 'stg_payments']);
  assert.deepEqual(await namesWith(actions, 'reuse'),
    ['raw_customers', 'raw_orders', 'raw_payments', 'stg_customers', 'stg_orders']);
  assert.equal(await planText('stg_payments'), 'buildstg_paymentsSQL changed');
  assert.match(await planText('orders'), /upstream stg_payments changed$/);
  assert.match(await planText('stg_orders'), /reused from main$/);
  assert.equal(await attribute(byTestId('plan-panel'), 'data-schema'), 'branch_feature');
  await page.screenshot({ path: path.join(RESULTS, 'branches-plan.png') });
});

test('feature run keeps amounts in cents', async () => {
  assert.equal(await run(), 'done', `feature's run ended as "${await runStatus()}"`);
  assert.match(await runStatus(), /^Built 3 of 3, reused 5; tests: \d+ passed$/);
  assert.equal(await attribute(byTestId('run-status'), 'data-branch'), 'feature');
  assert.equal(await queryValue('SELECT sum(amount) FROM "branch_feature"."orders"'), '167200');
  assert.equal(await queryValue('SELECT sum(amount) FROM "main"."orders"'), '1672.0', 'the branch run changed main');
  await openFile('models/orders.sql');
  const table = page.locator(byTestId('result-table'));
  await table.first().waitFor({ timeout: 15000 });
  assert.equal(await page.locator(byTestId('results-relation')).textContent(), '"branch_feature"."orders"');
  assert.equal(await table.first().getAttribute('data-row-count'), '99');
});

test('failing error test blocks promote', async () => {
  await openFile(STG_PAYMENTS_SIDECAR);
  const compiles = await compileCount();
  await appendToOpenFile(FAILING_TEST);
  await waitForCompileAfter(compiles);
  assert.equal(await attribute(byTestId('compile-status'), 'data-errors'), '0', 'the test does not compile');
  assert.equal(await run(), 'failed', 'a failing error test did not fail the run');
  const failing = `${byTestId('test-result')}[data-name="amount_below_1000"]`;
  assert.equal(await attribute(failing, 'data-status'), 'failed');
  assert.equal(await attribute(failing, 'data-severity'), 'error');
  assert.match(await page.locator(failing).textContent(), /failed: 74 failing rows/);
  const rows = page.locator(`${failing} ${byTestId('test-failing-rows')}`);
  assert.equal(await rows.getAttribute('data-row-count'), '74');
  assert.equal(await rows.locator('tbody tr').count(), 10, 'the first ten failing rows are not shown');
  assert.match(await runStatus(), /1 failed/);

  await openPromote();
  assert.deepEqual(await blockerKinds(), ['breaking', 'failing-tests']);
  const tests = await page.locator(`${byTestId('promote-blocker')}[data-kind="failing-tests"]`).textContent();
  assert.match(tests, /amount_below_1000/);
  const breaking = await page.locator(`${byTestId('promote-blocker')}[data-kind="breaking"]`).textContent();
  assert.match(breaking, /stg_payments\.amount/);
  const submit = page.locator(byTestId('promote-submit'));
  assert.equal(await submit.isDisabled(), true, 'promote goes ahead without a confirm');
  await page.locator(byTestId('promote-confirm-blockers')).check();
  assert.equal(await submit.isDisabled(), false, 'the confirm does not allow the promote');
  await page.screenshot({ path: path.join(RESULTS, 'branches-promote-blocked.png') });
  await page.locator(byTestId('promote-cancel')).click();
  assert.equal(await page.locator(byTestId('promote-dialog')).count(), 0);
  assert.equal(await queryValue('SELECT sum(amount) FROM "main"."orders"'), '1672.0');
});

test('fixed test lets promote through', async () => {
  const compiles = await compileCount();
  await replaceOnLine('expression = "amount < 1000"', 'amount < 1000', 'amount < 100000');
  await waitForCompileAfter(compiles);
  // The edit made the branch's run stale, so Promote runs it first.
  await watchRun();
  await page.locator(byTestId('branch-promote')).click();
  assert.equal(await runEnded(), 'done', `the run before the promote ended as "${await runStatus()}"`);
  await page.locator(byTestId('promote-dialog')).waitFor({ timeout: 15000 });
  assert.equal(await attribute(`${byTestId('test-result')}[data-name="amount_below_1000"]`, 'data-status'), 'passed');
  assert.deepEqual(await blockerKinds(), ['breaking'], 'only the retyped amount is left to confirm');
  const files = await page.locator(byTestId('promote-file')).evaluateAll((elements) =>
    elements.map((element) => `${element.dataset.status} ${element.dataset.path}`));
  assert.deepEqual(files, [`modified ${STG_PAYMENTS}`, `modified ${STG_PAYMENTS_SIDECAR}`]);
  assert.match(await page.locator(byTestId('promote-tables')).textContent(), /customers/);
  await page.locator(byTestId('promote-confirm-blockers')).check();
  await page.locator(byTestId('promote-submit')).click();
  await waitForBranch('main');
  assert.equal(await page.locator(byTestId('promote-dialog')).count(), 0);
  assert.match(await page.locator(byTestId('branch-notice')).textContent(), /Promoted `feature` into `main`: 2 files written/);

  assert.equal(await queryValue('SELECT sum(amount) FROM "main"."orders"'), '167200', 'main\'s tables lack the change');
  assert.equal(await fileChange(STG_PAYMENTS), 'modified', 'main does not show the promoted file as changed');
  await openFile(STG_PAYMENTS);
  assert.match(await editorText(), /amount as amount/);
  const actions = await planActions();
  assert.ok(Object.values(actions).every((action) => action === 'keep'),
    `main's tables and files disagree after the promote: ${JSON.stringify(actions)}`);
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.match(await savedFile('main', STG_PAYMENTS), /amount as amount/);
  assert.match(await savedFile('main', STG_PAYMENTS_SIDECAR), /amount < 100000/);
});

test('failed copy rolls back and keeps main', async () => {
  await page.locator(byTestId('branch-select')).selectOption('feature');
  await waitForBranch('feature');
  assert.equal(await fileChange(STG_PAYMENTS), null, 'the promoted branch still differs from main');
  const compiles = await compileCount();
  await openFile(STG_PAYMENTS);
  await replaceOnLine('amount as amount', 'amount as amount', 'amount * 2 as amount');
  await waitForCompileAfter(compiles);
  assert.equal(await run(), 'done');
  assert.equal(await queryValue('SELECT sum(amount) FROM "branch_feature"."orders"'), '334400');
  // With the branch's table gone, the copy into main fails halfway.
  await page.evaluate(() => window.rockyBridge.duckdbExec(
    'ALTER TABLE "branch_feature"."orders" RENAME TO "orders_hidden"'));
  await openPromote();
  assert.deepEqual(await blockerKinds(), [], 'doubling an INTEGER column is no breaking change');
  await page.locator(byTestId('promote-submit')).click();
  const error = page.locator(byTestId('promote-error'));
  await error.waitFor({ timeout: 15000 });
  assert.match(await error.textContent(), /copying orders failed: [\s\S]*rolled back, so nothing changed/);
  assert.equal(await currentBranch(), 'feature');
  assert.equal(await queryValue('SELECT sum(amount) FROM "main"."stg_payments"'), '167200',
    'the rolled-back promote changed main\'s view');
  assert.equal(await queryValue('SELECT sum(amount) FROM "main"."orders"'), '167200');
  assert.match(await savedFile('main', STG_PAYMENTS), /amount as amount/);
  assert.doesNotMatch(await savedFile('main', STG_PAYMENTS), /amount \* 2/, 'the failed promote wrote main\'s file');
  await page.locator(byTestId('promote-cancel')).click();
  await page.evaluate(() => window.rockyBridge.duckdbExec(
    'ALTER TABLE "branch_feature"."orders_hidden" RENAME TO "orders"'));
});

test('reset brings back the parent files', async () => {
  await page.locator(byTestId('branch-reset')).click();
  const dialog = page.locator(`${byTestId('branch-dialog')}[data-kind="reset"]`);
  await dialog.waitFor({ timeout: 5000 });
  assert.match(await dialog.textContent(), /Discard the 1 file changed in feature/);
  await page.locator(byTestId('branch-confirm-accept')).click();
  assert.equal(await page.locator(byTestId('branch-dialog')).count(), 0);
  assert.equal(await fileChange(STG_PAYMENTS), null);
  assert.match(await editorText(), /amount as amount/);
  assert.doesNotMatch(await editorText(), /amount \* 2/);
});

test('delete drops the branch schema', async () => {
  const schemas = "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'branch_feature'";
  assert.equal(await queryValue(schemas), '1');
  await page.locator(byTestId('branch-delete')).click();
  const dialog = page.locator(`${byTestId('branch-dialog')}[data-kind="delete"]`);
  await dialog.waitFor({ timeout: 5000 });
  assert.match(await dialog.textContent(), /drop its DuckDB schema branch_feature/);
  await page.locator(byTestId('branch-confirm-accept')).click();
  await waitForBranch('main');
  assert.equal(await queryValue(schemas), '0', 'the schema branch_feature is still in DuckDB');
  const options = await page.locator(`${byTestId('branch-select')} option`).allTextContents();
  assert.deepEqual(options, ['main']);
  assert.equal(await queryValue('SELECT sum(amount) FROM "main"."orders"'), '167200', 'the drop touched main');
});

test('conflicting file needs a side', async () => {
  await createBranch('topic');
  await openFile('README.md');
  await replaceOnLine('# ', '# ', '# Topic: ');
  await openFile('data/NOTICE');
  await appendToOpenFile('Changed on topic.\n');
  await page.locator(byTestId('branch-select')).selectOption('main');
  await waitForBranch('main');
  await openFile('README.md');
  await replaceOnLine('# ', '# ', '# Main: ');
  const mainReadme = await editorText();
  await page.locator(byTestId('branch-select')).selectOption('topic');
  await waitForBranch('topic');

  await watchRun();
  await page.locator(byTestId('branch-promote')).click();
  assert.equal(await runEnded(), 'done', 'the branch did not run before the promote');
  await page.locator(byTestId('promote-dialog')).waitFor({ timeout: 15000 });
  const conflict = page.locator(`${byTestId('promote-conflict')}[data-path="README.md"]`);
  assert.equal(await page.locator(byTestId('promote-conflict')).count(), 1, 'data/NOTICE is shown as a conflict');
  assert.match(await conflict.locator(`${byTestId('promote-diff')}[data-side="ours"]`).textContent(), /\+# Topic: /);
  assert.match(await conflict.locator(`${byTestId('promote-diff')}[data-side="theirs"]`).textContent(), /\+# Main: /);
  assert.match(await page.locator(byTestId('promote-tables')).textContent(), /No table changes/);
  const submit = page.locator(byTestId('promote-submit'));
  assert.equal(await submit.isDisabled(), true, 'the promote goes ahead without a side for README.md');
  await conflict.locator(`${byTestId('promote-side')}[data-side="theirs"]`).check();
  assert.equal(await submit.isDisabled(), false);
  await submit.click();
  await waitForBranch('main');
  assert.match(await page.locator(byTestId('branch-notice')).textContent(), /: 1 file written, no table changes/);
  await openFile('README.md');
  assert.equal(await editorText(), mainReadme, 'theirs did not keep main\'s README.md');
  await openFile('data/NOTICE');
  assert.match(await editorText(), /Changed on topic\./);

  await page.locator(byTestId('branch-select')).selectOption('topic');
  await waitForBranch('topic');
  await page.locator(byTestId('branch-delete')).click();
  await page.locator(byTestId('branch-confirm-accept')).click();
  await waitForBranch('main');
});

test('reload keeps the typing and the branch', async () => {
  await createBranch('draft');
  await openFile('models/customers.sql');
  await replaceOnLine('select * from stg_customers', 'stg_customers', 'stg_customers -- draft note');
  // Past the 300 ms after which a change is saved, with no wait for the
  // save itself.
  await page.waitForTimeout(600);
  await page.reload({ waitUntil: 'load' });
  await waitForLoad();
  assert.equal(await currentBranch(), 'draft', 'the reload lost the branch');
  assert.equal(await attribute(`${byTestId('file-item')}[data-active="true"]`, 'data-path'), 'models/customers.sql');
  assert.match(await editorText(), /stg_customers -- draft note/, 'the reload lost the typing');
  assert.equal(await fileChange('models/customers.sql'), 'modified');
  await page.locator(byTestId('branch-select')).selectOption('main');
  await waitForBranch('main');
  // The conflict test left data/NOTICE open on main.
  assert.equal(await attribute(`${byTestId('file-item')}[data-active="true"]`, 'data-path'), 'data/NOTICE',
    'main does not keep its own open file');
  assert.equal(await savedFile('main', 'models/customers.sql'), await sampleText('models/customers.sql'));
});

test('export writes the branch as a zip', async () => {
  await page.locator(byTestId('branch-select')).selectOption('draft');
  await waitForBranch('draft');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.locator(byTestId('export-zip')).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'jaffle_shop-draft.zip');
  exported = path.join(RESULTS, 'jaffle_shop-draft.zip');
  await download.saveAs(exported);
  // Python's zipfile checks every entry's CRC-32 in testzip.
  const check = spawnSync('python3', ['-c', `
import sys, zipfile
archive = zipfile.ZipFile(sys.argv[1])
bad = archive.testzip()
assert bad is None, bad
names = archive.namelist()
print("\\n".join(sorted(names)))
print(archive.read("jaffle_shop-draft/models/customers.sql").decode())
print(archive.read("jaffle_shop-draft/build.sql").decode()[:200])
`, exported], { encoding: 'utf8' });
  assert.equal(check.status, 0, `python's zipfile rejects the export: ${check.stderr}`);
  assert.match(check.stdout, /^jaffle_shop-draft\/build\.sql$/m);
  assert.match(check.stdout, /^jaffle_shop-draft\/rocky\.toml$/m);
  assert.match(check.stdout, /^jaffle_shop-draft\/data\/raw_payments\.csv$/m);
  assert.match(check.stdout, /stg_customers -- draft note/, 'the export lacks the branch\'s edit');
  assert.match(check.stdout, /duckdb project\.duckdb < build\.sql/);
});

test('import makes a branch of the zip', async () => {
  await page.locator(byTestId('branch-select')).selectOption('main');
  await waitForBranch('main');
  await page.locator(byTestId('import-zip-input')).setInputFiles(exported);
  await waitForBranch('jaffle_shop-draft');
  assert.equal(await attribute(byTestId('branch-bar'), 'data-parent'), 'main');
  const notice = await page.locator(byTestId('branch-notice')).textContent();
  assert.match(notice, /Imported jaffle_shop-draft\.zip into the new branch `jaffle_shop-draft`/);
  assert.match(notice, /skipped build\.sql/);
  assert.equal(await fileChange('models/customers.sql'), 'modified');
  assert.equal(await page.locator(`${byTestId('file-item')}[data-path="build.sql"]`).count(), 0);
  await openFile('models/customers.sql');
  assert.match(await editorText(), /stg_customers -- draft note/);
});

test('damaged zip changes nothing', async () => {
  const before = await page.locator(`${byTestId('branch-select')} option`).allTextContents();
  const zip = await readFile(exported);
  // A cut archive has no end-of-central-directory record.
  await page.locator(byTestId('import-zip-input')).setInputFiles({
    name: 'cut.zip', mimeType: 'application/zip', buffer: zip.subarray(0, zip.length - 30),
  });
  const notice = page.locator(`${byTestId('branch-notice')}[data-kind="error"]`);
  await notice.waitFor({ timeout: 5000 });
  assert.match(await notice.textContent(), /Importing cut\.zip failed: invalid \.zip file: .*nothing was changed/);
  assert.deepEqual(await page.locator(`${byTestId('branch-select')} option`).allTextContents(), before);
  assert.equal(await currentBranch(), 'jaffle_shop-draft');
});

test('switcher follows the current branch', async () => {
  // Picking main with the keyboard changes the element's value; creating a
  // branch afterwards must show the new branch, not the one last picked.
  const select = page.locator(byTestId('branch-select'));
  await select.focus();
  await page.keyboard.press('Home');
  await waitForBranch('main');
  await createBranch('keyboard');
  assert.equal(await select.inputValue(), 'keyboard');
  await page.locator(byTestId('branch-delete')).click();
  await page.locator(byTestId('branch-confirm-accept')).click();
  await waitForBranch('main');
  assert.equal(await select.inputValue(), 'main');
});

test('branches page logged no errors', () => {
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
});
