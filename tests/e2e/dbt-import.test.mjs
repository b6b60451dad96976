// Browser test of the dbt import: dbt's own jaffle_shop example (from the
// shared corpus, zipped here with Python's zipfile) imported through
// Import .zip becomes a branch that compiles, runs and passes its tests in
// DuckDB-WASM. Its tables must hold the same rows as the bundled sample's,
// which is the same SQL written by hand, built from the same CSV files.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, collectPageProblems, describeProblems, launchBrowser, startServer } from './helpers.mjs';
import {
  attribute, byTestId, queryValue, run, runStatus, usePage, waitForBranch, waitForLoad,
} from './playground-page.mjs';

const CORPUS = path.join(ROOT, '..', 'shared', 'corpus', 'dbt', 'jaffle_shop');

let server;
let browser;
let page;
let problems;
let folder;
let zip;
const requested = [];

before(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'rocky-dbt-'));
  zip = path.join(folder, 'jaffle_shop.zip');
  const made = spawnSync('python3', ['-c', `
import os, sys, zipfile
source, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for root, _, files in os.walk(source):
        for name in files:
            full = os.path.join(root, name)
            archive.write(full, os.path.join("jaffle_shop", os.path.relpath(full, source)))
`, CORPUS, zip], { encoding: 'utf8' });
  assert.equal(made.status, 0, `zipping the dbt project failed: ${made.stderr}`);
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = collectPageProblems(page);
  usePage(page, problems);
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto(server.url, { waitUntil: 'load' });
  await waitForLoad();
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

test('main builds the hand-written sample', async () => {
  assert.equal(await run(), 'done', `main's run ended as "${await runStatus()}"`);
});

const isDbtModule = (pathname) => /\/rocky_dbt_web(_bg\.wasm|\.js)$/.test(pathname);

test('dbt zip imports into a branch', async () => {
  assert.deepEqual(requested.filter(isDbtModule), [],
    'the dbt importer was fetched before any import');
  await page.locator(byTestId('import-zip-input')).setInputFiles(zip);
  await waitForBranch('jaffle_shop');
  const notice = await page.locator(byTestId('branch-notice')).textContent();
  assert.match(notice, /converted a dbt project: 5 models, 3 seeds as sources, 20 tests/);
  assert.doesNotMatch(notice, /problem/);
  assert.deepEqual(requested.filter(isDbtModule).sort(), ['/rocky_dbt_web.js', '/rocky_dbt_web_bg.wasm'],
    'the dbt importer was not fetched, or fetched twice');
  // The worker instantiated the module: the page's own resource timings
  // list the worker's scripts but not the WebAssembly file.
  const pageFetched = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname));
  assert.ok(pageFetched.includes('/dbt-worker.js'), pageFetched.join(', '));
  assert.ok(!pageFetched.includes('/rocky_dbt_web_bg.wasm'), 'the page fetched the importer itself');
  await page.locator(`${byTestId('file-item')}[data-path="models/staging/stg_orders.sql"]`).waitFor({ timeout: 5000 });
  assert.equal(await page.locator(`${byTestId('file-item')}[data-path="dbt_project.yml"]`).count(), 0,
    'the dbt project file was imported as a project file');
  await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-errors') === '0',
    byTestId('compile-status'), { timeout: 10000 });
  assert.equal(await attribute(byTestId('compile-status'), 'data-warnings'), '0');
});

test('imported project runs and passes its tests', async () => {
  assert.equal(await run(), 'done', `the import's run ended as "${await runStatus()}"`);
  assert.equal(await attribute(byTestId('test-results'), 'data-failed'), '0');
  const passed = await page.locator(`${byTestId('test-result')}[data-status="passed"]`).count();
  assert.equal(passed, 20, `${passed} tests passed`);
});

test('imported tables equal the sample\'s', async () => {
  for (const [model, rows] of [['orders', '99'], ['customers', '100'], ['stg_payments', '113']]) {
    assert.equal(await queryValue(`SELECT count(*) FROM "branch_jaffle_shop"."${model}"`), rows, model);
    for (const [a, b] of [['main', 'branch_jaffle_shop'], ['branch_jaffle_shop', 'main']]) {
      const missing = await queryValue(
        `SELECT count(*) FROM (SELECT * FROM "${a}"."${model}" EXCEPT ALL SELECT * FROM "${b}"."${model}")`);
      assert.equal(missing, '0', `${model}: rows of ${a} missing from ${b}`);
    }
  }
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
});

test('a picked dbt folder imports like its zip', async () => {
  // A .git folder and dbt's target folder are left out before they are
  // read, so a folder a user has worked in imports as a clean one does.
  const picked = path.join(folder, 'jaffle_shop');
  await cp(CORPUS, picked, { recursive: true });
  await mkdir(path.join(picked, '.git'), { recursive: true });
  await writeFile(path.join(picked, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  await mkdir(path.join(picked, 'target', 'compiled'), { recursive: true });
  await writeFile(path.join(picked, 'target', 'compiled', 'orders.sql'), '{{ not a model }}\n');
  await page.locator(byTestId('import-folder-input')).setInputFiles(picked);
  await waitForBranch('jaffle_shop-2');
  const notice = await page.locator(byTestId('branch-notice')).textContent();
  assert.match(notice, /converted a dbt project: 5 models, 3 seeds as sources, 20 tests/);
  assert.doesNotMatch(notice, /problem/);
  await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-errors') === '0',
    byTestId('compile-status'), { timeout: 10000 });
  const paths = await page.locator(byTestId('file-item')).evaluateAll((elements) =>
    elements.map((element) => element.dataset.path));
  assert.ok(paths.includes('models/staging/stg_orders.sql'), paths.join(', '));
  assert.ok(!paths.some((item) => item.startsWith('.git') || item.startsWith('target')), paths.join(', '));
});

test('a folder with no project is refused and changes nothing', async () => {
  const empty = path.join(folder, 'not_a_project');
  await mkdir(empty, { recursive: true });
  await writeFile(path.join(empty, 'notes.txt'), 'no project here\n');
  await page.locator(byTestId('import-folder-input')).setInputFiles(empty);
  const notice = page.locator(`${byTestId('branch-notice')}`, { hasText: 'not_a_project' });
  await notice.waitFor({ timeout: 10000 });
  assert.match(await notice.textContent(),
    /Importing not_a_project failed: it has no rocky.toml or dbt_project.yml; pick the project's own folder; nothing was changed/);
  assert.equal(await attribute(byTestId('branch-bar'), 'data-branch'), 'jaffle_shop-2');
});

test('a .zip dropped on the page imports as Import .zip does', async () => {
  const bytes = [...await readFile(zip)];
  await page.evaluate((data) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], 'dropped.zip', { type: 'application/zip' }));
    const target = document.querySelector('.app');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  // The branch is named after the file, as Import .zip names it.
  await waitForBranch('dropped');
  assert.match(await page.locator(byTestId('branch-notice')).textContent(),
    /converted a dbt project: 5 models, 3 seeds as sources, 20 tests/);
});

test('importer load failure recovers', async () => {
  // A browser of its own, with no saved session, whose first import
  // finds the module missing.
  const second = await launchBrowser();
  const fresh = await second.context.newPage();
  const freshProblems = collectPageProblems(fresh);
  usePage(fresh, freshProblems);
  try {
    await fresh.route('**/rocky_dbt_web.js*', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await fresh.goto(server.url, { waitUntil: 'load' });
    await waitForLoad();
    await fresh.locator(byTestId('import-zip-input')).setInputFiles(zip);
    const notice = fresh.locator(byTestId('branch-notice'), { hasText: 'failed' });
    await notice.waitFor({ timeout: 10000 });
    assert.match(await notice.textContent(),
      /Importing jaffle_shop.zip failed: the dbt importer failed to load: .*; nothing was changed/);
    assert.equal(await attribute(byTestId('branch-bar'), 'data-branch'), 'main');
    assert.equal(await fresh.locator(`${byTestId('file-item')}[data-path="models/orders.sql"]`).count(), 1,
      'the sample was replaced');

    await fresh.unroute('**/rocky_dbt_web.js*');
    await fresh.locator(byTestId('import-zip-input')).setInputFiles(zip);
    await waitForBranch('jaffle_shop');
    assert.match(await fresh.locator(byTestId('branch-notice')).textContent(),
      /converted a dbt project: 5 models, 3 seeds as sources, 20 tests/);
    // The 404 is the only problem the page may log.
    const unexpected = freshProblems.filter((problem) => !problem.includes('rocky_dbt_web.js'));
    assert.equal(unexpected.length, 0, `page problems: ${describeProblems(unexpected)}`);
  } finally {
    usePage(page, problems);
    await second.close();
  }
});

test('endless Jinja loop reported without blocking', async () => {
  const hostile = path.join(folder, 'loop_shop.zip');
  const zipped = spawnSync('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as archive:
    archive.writestr("loop_shop/dbt_project.yml", "name: loop_shop\\n")
    archive.writestr("loop_shop/models/good.sql", "select 1 as id\\n")
    archive.writestr("loop_shop/models/loop.sql",
        "select 1 as x\\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\\n")
`, hostile], { encoding: 'utf8' });
  assert.equal(zipped.status, 0, `zipping the project failed: ${zipped.stderr}`);
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longTasks.push(Math.round(entry.duration));
    }).observe({ type: 'longtask' });
  });
  await page.locator(byTestId('import-zip-input')).setInputFiles(hostile);
  await waitForBranch('loop_shop');
  const notice = await page.locator(byTestId('branch-notice')).textContent();
  assert.match(notice, /converted a dbt project: 1 models/);
  assert.match(notice, /models\/loop\.sql:2: rendering took more than 5000000 template steps/);
  assert.equal(await page.locator(`${byTestId('file-item')}[data-path="models/good.sql"]`).count(), 1);
  // The render runs in the importer's worker, so the page's own tasks stay short.
  const longest = Math.max(0, ...await page.evaluate(() => window.longTasks));
  assert.ok(longest < 1000, `the page was blocked for ${longest} ms`);
});
