#!/usr/bin/env node
// Runs the compiler's benchmarks in the built page (dist/), in headless
// Chromium: the full compile against the bare parse (P1), the recompile
// after one edit (P2) and column lineage queries (P3), all in WebAssembly,
// on the project that `rocky generate --models N --seed 1` writes.
//
//   node scripts/bench_page.mjs [MODELS...] [--repeats N]
//
// Prints one report per size and writes them to test-results/bench-page.json.
// Build the page first with scripts/build.sh.

import { mkdir, writeFile } from 'node:fs/promises';
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

async function main() {
  const args = process.argv.slice(2);
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
