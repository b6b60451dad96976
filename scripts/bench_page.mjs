#!/usr/bin/env node
// Runs the compiler's benchmarks in the built page (dist/), in headless
// Chromium: the full compile against the bare parse (P1), the recompile
// after one edit (P2) and column lineage queries (P3), all in WebAssembly,
// on the project that `rocky generate --models N --seed 1` writes.
//
//   node scripts/bench_page.mjs [MODELS...] [--repeats N]
//   node scripts/bench_page.mjs --tab MODELS
//
// Prints one report per size and writes them to test-results/bench-page.json.
// With --tab it opens the app itself on `?generate=MODELS`, waits for the
// first compile, edits a model, opens the lineage view and reports the
// memory of the whole tab to test-results/bench-tab.json.
// Build the page first with scripts/build.sh.

import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULTS, launchBrowser, startServer } from '../tests/e2e/helpers.mjs';

/**
 * Runs `runBenchmarks` of the page's module in `page`, once the app has
 * started (its compile status is shown); resolves to the report.
 */
export async function benchmarkInPage(page, models, seed, repeats) {
  await page.waitForFunction(() => document.querySelector('[data-testid="compile-status"]'), null, { timeout: 60000 });
  const json = await page.evaluate(async ([m, s, r]) => {
    const module = await import(new URL('rocky_web.js', document.baseURI).href);
    return module.runBenchmarks(m, s, r);
  }, [models, seed, repeats]);
  return JSON.parse(json);
}

function row(name, timing) {
  const ms = (value) => value.toFixed(value < 10 ? 3 : 1);
  return `  ${name.padEnd(22)} median ${ms(timing.median_ms).padStart(9)} ms   min ${ms(timing.min_ms).padStart(9)}   max ${ms(timing.max_ms).padStart(9)}`;
}

function print(report) {
  console.log(`${report.models} models (seed ${report.seed}), ${report.repeats} runs each, generated in ${report.generate_ms.toFixed(0)} ms`);
  console.log(row('parse (floor)', report.parse));
  console.log(row('compile', report.compile));
  console.log(`  compile / parse        ${report.compile_over_parse.toFixed(2)}`);
  for (const [name, recheck] of [
    ['recheck: comment', report.recheck_comment],
    ['recheck: add column', report.recheck_add_column],
    ['recheck: unchanged', report.recheck_unchanged],
  ]) {
    console.log(`${row(name, recheck)}   (${recheck.parsed} parsed, ${recheck.bound} bound; ${report.edited_model})`);
  }
  console.log(row('column graph build', report.graph_build));
  console.log(`${row('upstream', report.upstream)}   (${report.upstream_columns} columns of ${report.upstream_column})`);
  console.log(`${row('downstream', report.downstream)}   (${report.downstream_columns} columns from ${report.downstream_column})`);
  if (report.wasm_memory_bytes) {
    console.log(`  WebAssembly memory     ${(report.wasm_memory_bytes / 2 ** 20).toFixed(0)} MiB`);
  }
}

/**
 * Returns the memory of every Chromium process of this user that is alive,
 * read from /proc: its type (`browser` for the one without `--type=`),
 * resident set and private bytes.
 */
async function chromiumProcesses() {
  const processes = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Chromium's child processes rewrite their command line into one
      // string with spaces, so split on both.
      const command = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split(/[\0 ]/);
      if (!/chrom(e|ium)/.test(path.basename(command[0] ?? ''))) continue;
      const rollup = await readFile(`/proc/${entry}/smaps_rollup`, 'utf8');
      const kib = (field) => Number(rollup.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
      const type = command.find((arg) => arg.startsWith('--type='))?.slice('--type='.length) ?? 'browser';
      processes.push({
        pid: Number(entry),
        type,
        rss_bytes: kib('Rss') * 1024,
        private_bytes: (kib('Private_Clean') + kib('Private_Dirty')) * 1024,
      });
    } catch {
      // The process ended while it was read, or is not ours to read.
    }
  }
  return processes;
}

/**
 * Opens the app on a generated project of `models` models and measures the
 * tab after its first compile, a recompile after an edit and the lineage
 * view: the JS heap and the WebAssembly memory from inside the page, and
 * each Chromium process's memory from /proc.
 */
export async function measureTab(server, browser, models) {
  const page = await browser.context.newPage();
  const session = await page.context().newCDPSession(page);
  const started = Date.now();
  await page.goto(`${server.url}?generate=${models}`, { waitUntil: 'load' });
  const compiled = (count) => page.waitForFunction((n) =>
    Number(document.querySelector('[data-testid="compile-status"]')?.getAttribute('data-compiles')) >= n,
  count, { timeout: 600000 });
  await compiled(1);
  const firstCompileMs = Date.now() - started;
  // An edit of the open model, then the lineage view of it.
  await page.locator('.cm-content').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n-- edited');
  await compiled(2);
  await page.locator('[data-testid="main-tab"][data-view="lineage"]').click();
  await page.locator('[data-testid="lineage-box"]').first().waitFor({ timeout: 60000 });
  await session.send('HeapProfiler.collectGarbage');
  const heap = await session.send('Runtime.getHeapUsage');
  const wasmBytes = await page.evaluate(async () => {
    const module = await import(new URL('rocky_web.js', document.baseURI).href);
    const exports = await module.default();
    return exports.memory.buffer.byteLength;
  });
  const processes = await chromiumProcesses();
  await page.close();
  const renderers = processes.filter((p) => p.type === 'renderer');
  const report = {
    models,
    first_compile_ms: firstCompileMs,
    js_heap_used_bytes: heap.usedSize,
    js_heap_total_bytes: heap.totalSize,
    wasm_memory_bytes: wasmBytes,
    largest_renderer_private_bytes: Math.max(0, ...renderers.map((p) => p.private_bytes)),
    largest_renderer_rss_bytes: Math.max(0, ...renderers.map((p) => p.rss_bytes)),
    all_processes_private_bytes: processes.reduce((sum, p) => sum + p.private_bytes, 0),
    processes,
  };
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  console.log(`${models} models: first compile ${firstCompileMs} ms after navigation`);
  console.log(`  WebAssembly memory        ${mib(report.wasm_memory_bytes)}`);
  console.log(`  JS heap used / total      ${mib(report.js_heap_used_bytes)} / ${mib(report.js_heap_total_bytes)}`);
  console.log(`  renderer private / RSS    ${mib(report.largest_renderer_private_bytes)} / ${mib(report.largest_renderer_rss_bytes)}`);
  console.log(`  all Chromium processes    ${mib(report.all_processes_private_bytes)} private, ${processes.length} processes`);
  return report;
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--tab') {
    const models = Number(args[1]);
    if (!Number.isInteger(models) || models < 1 || models > 5000) {
      console.error('usage: node scripts/bench_page.mjs --tab MODELS (1 to 5000)');
      process.exit(2);
    }
    const server = await startServer();
    const browser = await launchBrowser();
    let report;
    try {
      report = await measureTab(server, browser, models);
    } finally {
      await browser.close();
      await server.stop();
    }
    await mkdir(RESULTS, { recursive: true });
    const out = path.join(RESULTS, 'bench-tab.json');
    await writeFile(out, JSON.stringify(report, null, 2) + '\n');
    console.log(`wrote ${out}`);
    return;
  }
  let repeats = 20;
  const sizes = [];
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--repeats') {
      repeats = Number(args[i + 1]);
      i += 1;
    } else {
      sizes.push(Number(args[i]));
    }
  }
  if (sizes.length === 0) sizes.push(1000);
  if (!sizes.every((n) => Number.isInteger(n) && n > 0) || !(repeats > 0)) {
    console.error('usage: node scripts/bench_page.mjs [MODELS...] [--repeats N]');
    process.exit(2);
  }
  const server = await startServer();
  const browser = await launchBrowser();
  const reports = [];
  try {
    for (const models of sizes) {
      // A fresh page per size, so one size's memory does not count for the next.
      const page = await browser.context.newPage();
      await page.goto(server.url, { waitUntil: 'load' });
      const report = await benchmarkInPage(page, models, 1, repeats);
      report.user_agent = await page.evaluate(() => navigator.userAgent);
      reports.push(report);
      print(report);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  await mkdir(RESULTS, { recursive: true });
  const out = path.join(RESULTS, 'bench-page.json');
  await writeFile(out, JSON.stringify(reports, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
