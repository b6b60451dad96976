// A smoke run of the benchmark mode in Chromium: `runBenchmarks` of the
// page's module on a small generated project reports every step, and the
// recompile after an edit redoes only what the edit can change, and the
// tab memory mode measures the app on a generated project. The figures
// themselves come from `node scripts/bench_page.mjs`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { benchmarkInPage, measureTab } from '../../scripts/bench_page.mjs';
import { collectPageProblems, describeProblems, launchBrowser, startServer } from './helpers.mjs';

let server;
let browser;
let page;
let problems;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = collectPageProblems(page);
  await page.goto(server.url, { waitUntil: 'load' });
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('benchmark mode reports every step in WebAssembly', { timeout: 120000 }, async () => {
  const report = await benchmarkInPage(page, 100, 1, 3);
  assert.equal(report.models, 100);
  assert.ok(report.parse.median_ms > 0, JSON.stringify(report.parse));
  assert.ok(report.compile.median_ms > 0, JSON.stringify(report.compile));
  assert.ok(report.compile_over_parse > 1, `compile / parse ${report.compile_over_parse}`);
  assert.deepEqual([report.recheck_comment.parsed, report.recheck_comment.bound], [1, 1]);
  assert.ok(report.recheck_add_column.bound >= 1);
  assert.deepEqual([report.recheck_unchanged.parsed, report.recheck_unchanged.bound], [0, 0]);
  assert.ok(report.upstream_columns > 1, report.upstream_column);
  assert.ok(report.downstream_columns > 1, report.downstream_column);
  assert.ok(report.wasm_memory_bytes > 0);
  assert.deepEqual(problems, [], describeProblems(problems));
});

test('tab mode measures the memory of the whole tab', { timeout: 120000 }, async () => {
  const report = await measureTab(server, browser, 50);
  assert.equal(report.models, 50);
  assert.ok(report.wasm_memory_bytes > 0, `${report.wasm_memory_bytes} bytes of WebAssembly memory`);
  assert.ok(report.js_heap_used_bytes > 0, `${report.js_heap_used_bytes} bytes of JS heap`);
  // A renderer running the app has its compiled module and heaps in
  // private memory, far more than 10 MiB.
  assert.ok(report.largest_renderer_private_bytes > 10 * 2 ** 20,
    `renderer ${report.largest_renderer_private_bytes} private bytes`);
  assert.ok(report.processes.some((p) => p.type === 'renderer'), JSON.stringify(report.processes));
});
