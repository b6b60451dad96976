// Opens the playground in dist/ on a generated project of N models
// (`?generate=N`). Reports the longest task that blocked the page's main
// thread in three steps: the load up to the first compile, an edit of one
// model up to its compile, and the first drawing of the lineage tab.
// Chromium's longtask entries give the figures, in a fresh profile.
//
//   node scripts/project_probe.mjs            5,000 models
//   node scripts/project_probe.mjs 1000 5000
//
// With ROCKY_PROFILE_OUT=P it also writes the CPU profiles of the load and
// the edit to P-load-<models>.cpuprofile and P-edit-<models>.cpuprofile.
//
// Run scripts/build.sh first. docs/reliability.md records the figures.

import { writeFile } from 'node:fs/promises';

import { launchBrowser, startServer } from '../tests/e2e/helpers.mjs';
import { byTestId } from '../tests/e2e/playground-page.mjs';

const sizes = process.argv.slice(2).map(Number);

// Starts recording long tasks in the page; `longest()` returns the longest
// since the start and starts over.
const RECORDER = () => {
  let longest = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  window.rockyProbeLongest = () => {
    const value = longest;
    longest = 0;
    return value;
  };
};

async function compiles(page) {
  return page.evaluate((selector) =>
    Number(document.querySelector(selector)?.getAttribute('data-compiles') ?? 0), byTestId('compile-status'));
}

// Waits until the compile count passes `count` with the latest edit compiled,
// then lets the longtask entries of the work just done arrive.
async function compiledAfter(page, count) {
  await page.waitForFunction(([selector, before]) => {
    const status = document.querySelector(selector);
    return Number(status?.getAttribute('data-compiles')) > before && status.getAttribute('data-current') === 'true';
  }, [byTestId('compile-status'), count], { timeout: 120000 });
  await page.waitForTimeout(300);
}

const server = await startServer();
try {
  console.log('| models | load to first compile | longest task at load | edit to compiled | longest task of the edit '
    + '| lineage tab: longest task |');
  console.log('|---|---|---|---|---|---|');
  for (const models of sizes.length ? sizes : [5000]) {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.addInitScript(RECORDER);
      const cdp = process.env.ROCKY_PROFILE_OUT ? await browser.context.newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      const started = Date.now();
      await page.goto(`${server.url}?generate=${models}`, { waitUntil: 'load' });
      await compiledAfter(page, 0);
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        await writeFile(`${process.env.ROCKY_PROFILE_OUT}-load-${models}.cpuprofile`, JSON.stringify(profile));
      }
      const load = Date.now() - started;
      const loadTask = await page.evaluate(() => window.rockyProbeLongest());

      // A model in the middle of the project, whose edit other models read.
      // The file list draws only the entries in sight, so it scrolls there first.
      await page.locator('.sidebar').evaluate((sidebar) => {
        const list = [...sidebar.querySelectorAll('.file-group')]
          .find((group) => group.querySelector('h2').textContent === 'Models').querySelector('ul');
        sidebar.scrollTop += list.getBoundingClientRect().top - sidebar.getBoundingClientRect().top
          + list.offsetHeight / 2 - sidebar.clientHeight / 2;
      });
      await page.waitForTimeout(200);
      const middle = await page.locator(`.file-group li:has(${byTestId('file-item')}[data-path^="models/"])`)
        .evaluateAll((items, half) => items
          .map((item) => ({ path: item.querySelector('button').dataset.path, top: parseFloat(item.style.top) || 0 }))
          .sort((a, b) => Math.abs(a.top - half) - Math.abs(b.top - half))[0].path, Math.floor(models / 2) * 26);
      await page.locator(`${byTestId('file-item')}[data-path="${middle}"]`).click();
      await page.locator(`${byTestId('editor')} .cm-content`).click();
      await page.keyboard.press('Control+End');
      await page.evaluate(() => window.rockyProbeLongest());
      const before = await compiles(page);
      if (cdp) await cdp.send('Profiler.start');
      const edited = Date.now();
      await page.keyboard.insertText('\n-- probe\n');
      await compiledAfter(page, before);
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        await writeFile(`${process.env.ROCKY_PROFILE_OUT}-edit-${models}.cpuprofile`, JSON.stringify(profile));
      }
      const edit = Date.now() - edited - 300;
      const editTask = await page.evaluate(() => window.rockyProbeLongest());

      await page.locator(`${byTestId('main-tab')}[data-view="lineage"]`).click();
      await page.locator(byTestId('lineage-box')).first().waitFor({ timeout: 60000 });
      await page.waitForTimeout(300);
      const lineageTask = await page.evaluate(() => window.rockyProbeLongest());
      const ms = (value) => `${Math.round(value).toLocaleString('en')} ms`;
      console.log(`| ${models.toLocaleString('en')} | ${ms(load)} | ${ms(loadTask)} | ${ms(edit)} | ${ms(editTask)} `
        + `| ${ms(lineageTask)} |`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
}
