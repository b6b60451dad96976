// Browser tests of share links on the bundled jaffle_shop sample. A user
// edits their own project, makes a branch, selects a column in the
// lineage graph and shares. The link opens the same project, branch, file,
// column and view in a fresh browser profile, and in the sharer's own
// profile as a separate project that leaves their work alone. A damaged
// link shows an error and changes nothing. The embed link renders the
// lineage view inside an iframe of a docs page served from another port.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import path from 'node:path';
import { RESULTS, collectPageProblems, describeProblems, launchBrowser, startServer } from './helpers.mjs';
import {
  attribute, byTestId, compileCount, createBranch, currentBranch, editorText, openFile, replaceOnLine, savedFile,
  usePage, waitForBranch, waitForCompileAfter, waitForLoad, waitForSaveSettled, waitInPage,
} from './playground-page.mjs';

const OWN_NOTE = '-- my own note';

let server;
let owner;
let ownerPage;
let ownerProblems;
let link;
let embedSnippet;

before(async () => {
  server = await startServer();
  owner = await launchBrowser();
  ownerPage = await owner.context.newPage();
  ownerProblems = collectPageProblems(ownerPage);
  usePage(ownerPage, ownerProblems);
  await ownerPage.goto(server.url, { waitUntil: 'load' });
  await waitForLoad();
}, { timeout: 60000 });

after(async () => {
  await owner?.close();
  await server?.stop();
});

// Opens `url` in `page` of a browser and waits for the first compile.
async function openIn(page, problems, url) {
  usePage(page, problems);
  await page.goto(url, { waitUntil: 'load' });
  await waitForLoad();
}

test('share writes a link of this view', async () => {
  await openFile('models/customers.sql');
  const compiles = await compileCount();
  await replaceOnLine('select * from stg_customers', 'stg_customers', `stg_customers ${OWN_NOTE}`);
  await waitForCompileAfter(compiles);
  await createBranch('feature');
  await openFile('models/orders.sql');
  await ownerPage.locator(`${byTestId('schema-row')}[data-column="amount"]`).click();
  await ownerPage.locator(`${byTestId('main-tab')}[data-view="lineage"]`).click();
  await ownerPage.locator(byTestId('lineage-box')).first().waitFor({ timeout: 15000 });

  await ownerPage.locator(byTestId('share-button')).click();
  const dialog = ownerPage.locator(byTestId('share-dialog'));
  await dialog.waitFor({ timeout: 5000 });
  link = await ownerPage.locator(byTestId('share-link')).inputValue();
  assert.ok(link.startsWith(`${server.url.replace(/\/$/, '')}/#share=r2.`), link);
  const length = Number(await attribute(byTestId('share-length'), 'data-length'));
  assert.equal(length, link.length);
  assert.ok(length < Number(await attribute(byTestId('share-length'), 'data-limit')));
  embedSnippet = await ownerPage.locator(byTestId('share-embed')).inputValue();
  assert.match(embedSnippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#share=r2\.[A-Za-z0-9_-]+&amp;embed=1" title="Column lineage of orders"/);
  await ownerPage.screenshot({ path: path.join(RESULTS, 'share-dialog.png') });
  await ownerPage.locator(byTestId('share-close')).click();
  assert.equal(await dialog.count(), 0);
  assert.equal(await waitForSaveSettled(), 'saved');
});

test('link opens the same view in a fresh profile', async () => {
  const other = await launchBrowser();
  try {
    const page = await other.context.newPage();
    const problems = collectPageProblems(page);
    await openIn(page, problems, link);
    assert.equal(await attribute(byTestId('branch-bar'), 'data-branch'), 'feature');
    assert.equal(await attribute(`${byTestId('file-item')}[data-active="true"]`, 'data-path'), 'models/orders.sql');
    assert.equal(await attribute(`${byTestId('main-tab')}[data-view="lineage"]`, 'aria-selected'), 'true');
    assert.equal(await attribute(`${byTestId('schema-row')}[data-column="amount"]`, 'aria-selected'), 'true');
    await page.locator(`${byTestId('lineage-column')}[data-table="orders"][data-column="amount"]`).first()
      .waitFor({ timeout: 15000 });
    assert.equal(await page.locator(byTestId('shared-banner')).count(), 1);
    await openFile('models/customers.sql');
    assert.match(await editorText(), new RegExp(OWN_NOTE), 'the shared project lacks the sharer\'s edit');
    assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
    await page.screenshot({ path: path.join(RESULTS, 'share-opened.png') });
  } finally {
    await other.close();
    usePage(ownerPage, ownerProblems);
  }
});

test('shared project stays apart from own work', async () => {
  await openIn(ownerPage, ownerProblems, link);
  await ownerPage.locator(byTestId('shared-banner')).waitFor({ timeout: 5000 });
  assert.equal(await currentBranch(), 'feature');
  // An edit of the shared project is saved under its own record. The link
  // opened the lineage view, so the editor is shown first.
  await ownerPage.locator(`${byTestId('main-tab')}[data-view="editor"]`).click();
  await openFile('models/stg_orders.sql');
  const compiles = await compileCount();
  await replaceOnLine('select * from renamed', 'renamed', 'renamed -- shared edit');
  await waitForCompileAfter(compiles);
  assert.equal(await waitForSaveSettled(), 'saved');
  assert.doesNotMatch(await savedFile('feature', 'models/stg_orders.sql') ?? '', /shared edit/,
    'the shared project\'s edit went into the own project\'s record');

  await ownerPage.locator(byTestId('open-own-project')).click();
  await ownerPage.waitForURL((url) => url.hash === '', { timeout: 10000 });
  await waitForLoad();
  assert.equal(await ownerPage.locator(byTestId('shared-banner')).count(), 0);
  assert.equal(await currentBranch(), 'feature');
  await openFile('models/customers.sql');
  assert.match(await editorText(), new RegExp(OWN_NOTE));
  await openFile('models/stg_orders.sql');
  assert.doesNotMatch(await editorText(), /shared edit/);

  // Opening the link again brings back the shared project with its edit.
  await openIn(ownerPage, ownerProblems, link);
  await openFile('models/stg_orders.sql');
  assert.match(await editorText(), /renamed -- shared edit/, 'the reopened link lost the edit');
});

test('damaged link shows an error, changes nothing', async () => {
  const cut = link.slice(0, link.length - 40);
  await openIn(ownerPage, ownerProblems, `${server.url}`);
  await openIn(ownerPage, ownerProblems, cut);
  const notice = ownerPage.locator(`${byTestId('branch-notice')}[data-kind="error"]`);
  await notice.waitFor({ timeout: 5000 });
  assert.match(await notice.textContent(),
    /^The share link could not be opened: the link (is damaged|'s project is invalid).*Your own project is shown, unchanged\./);
  assert.equal(await ownerPage.locator(byTestId('shared-banner')).count(), 0);
  assert.equal(await currentBranch(), 'feature');
  await openFile('models/customers.sql');
  assert.match(await editorText(), new RegExp(OWN_NOTE), 'the damaged link changed the own project');
  await ownerPage.locator(byTestId('branch-select')).selectOption('main');
  await waitForBranch('main');
  ownerProblems.splice(0, ownerProblems.length);
});

test('embed renders in an iframe', async () => {
  const docs = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>Docs</title><h1>Orders lineage</h1>${embedSnippet}`);
  });
  await new Promise((resolve) => docs.listen(0, '127.0.0.1', resolve));
  try {
    const page = await owner.context.newPage();
    await page.goto(`http://127.0.0.1:${docs.address().port}/`, { waitUntil: 'load' });
    const frame = page.frameLocator('iframe');
    await frame.locator(byTestId('embed-view')).waitFor({ timeout: 30000 });
    await frame.locator(`${byTestId('lineage-box')}[data-table="orders"]`).waitFor({ timeout: 30000 });
    assert.equal(await frame.locator(byTestId('editor')).count(), 0, 'the embed shows the editor');
    assert.equal(await frame.locator(byTestId('run-button')).count(), 0, 'the embed shows the run button');
    assert.equal(await frame.locator(byTestId('lineage-export-scope')).count(), 0, 'the embed shows the export controls');
    assert.equal(await frame.locator(byTestId('lineage-fit')).count(), 1, 'the embed lacks the zoom controls');
    const open = await frame.locator(byTestId('embed-open')).getAttribute('href');
    assert.ok(open.startsWith(`${server.url.replace(/\/$/, '')}/#share=r2.`), open);
    assert.ok(!open.includes('embed=1'));
    await frame.locator(`${byTestId('lineage-column')}[data-table="orders"][data-column="amount"]`).first()
      .waitFor({ timeout: 10000 });
    await page.screenshot({ path: path.join(RESULTS, 'share-embed.png') });
    await page.close();
  } finally {
    docs.closeAllConnections();
    await new Promise((resolve) => docs.close(resolve));
  }
});

test('embed opens paused after a crash in its tab', async () => {
  const url = embedSnippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const page = await owner.context.newPage();
  try {
    // What the crash notice leaves for the next load of the tab.
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('rocky-test-crash-set')) {
        sessionStorage.setItem('rocky-test-crash-set', '1');
        sessionStorage.setItem('rocky-last-crash', 'panicked at crates/core/src/bind.rs: simulated');
      }
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.locator(byTestId('embed-view')).waitFor({ timeout: 30000 });
    const paused = page.locator(byTestId('paused-notice'));
    await paused.waitFor({ timeout: 10000 });
    assert.match(await paused.locator('.paused-message').textContent(), /simulated/);
    assert.equal(await page.locator(byTestId('lineage-column')).count(), 0, 'the paused embed drew a graph');
    await page.locator(byTestId('resume-compiling')).click();
    await page.locator(`${byTestId('lineage-box')}[data-table="orders"]`).waitFor({ timeout: 30000 });
    assert.equal(await paused.count(), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('rocky-last-crash')), null);
  } finally {
    await page.close();
  }
});
