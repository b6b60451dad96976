// Pastes a generated, oversized model into the playground in dist/ and
// measures how long the page takes to compile it and the longest task that
// blocked its main thread meanwhile (Chromium's longtask entries). Each
// case runs in a fresh page of a fresh profile.
//
//   node scripts/paste_probe.mjs                  every case at its default size
//   node scripts/paste_probe.mjs cte:5000 union:2000
//   node scripts/paste_probe.mjs --breakdown columns
//                                                 also sum the main thread's
//                                                 time per kind of work
//                                                 and the functions that took
//                                                 most; with ROCKY_PROFILE_OUT=P
//                                                 also write P-<case>.cpuprofile
//
// Run scripts/build.sh first. docs/reliability.md records the figures.

import { writeFile } from 'node:fs/promises';

import { launchBrowser, startServer } from '../tests/e2e/helpers.mjs';
import { byTestId } from '../tests/e2e/playground-page.mjs';

const CASES = {
  // SELECT 1 AS a UNION ALL SELECT 1 AS a ...
  union: { size: 5000, sql: (n) => Array(n).fill('select 1 as a').join('\nunion all\n') },
  // Each CTE reads the one before.
  cte: {
    size: 5000,
    sql: (n) => `with c0 as (select 1 as a),\n${
      Array.from({ length: n - 1 }, (_, i) => `c${i + 1} as (select a from c${i})`).join(',\n')
    }\nselect * from c${n - 1}`,
  },
  // Many CTEs that nothing reads.
  ctewide: {
    size: 5000,
    sql: (n) => `with ${Array.from({ length: n }, (_, i) => `c${i} as (select ${i} as a)`).join(',\n')}\nselect * from c0`,
  },
  // One SELECT with many columns.
  columns: {
    size: 10000,
    sql: (n) => `select\n${Array.from({ length: n }, (_, i) => `  ${i} as c${i}`).join(',\n')}`,
  },
  // One CASE with many branches.
  case: {
    size: 5000,
    sql: (n) => `select case\n${Array.from({ length: n }, (_, i) => `  when ${i} = 1 then 'v${i}'`).join('\n')}\nend as a`,
  },
};

const breakdown = process.argv.includes('--breakdown');
const requested = process.argv.slice(2).filter((arg) => arg !== '--breakdown');
const runs = (requested.length ? requested : Object.keys(CASES)).map((arg) => {
  const [kind, size] = arg.split(':');
  if (!CASES[kind]) throw new Error(`unknown case ${kind}; the cases are ${Object.keys(CASES).join(', ')}`);
  return { kind, size: size ? Number(size) : CASES[kind].size };
});

const server = await startServer();
try {
  console.log('| model | characters | paste to compiled | longest task | status |');
  console.log('|---|---|---|---|---|');
  for (const { kind, size } of runs) {
    const sql = `${CASES[kind].sql(size)}\n`;
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url, { waitUntil: 'load' });
      await page.waitForFunction((selector) =>
        Number(document.querySelector(selector)?.getAttribute('data-compiles')) >= 1, byTestId('compile-status'));
      await page.locator(`${byTestId('file-item')}[data-path="models/customers.sql"]`).click();
      await page.locator(`${byTestId('editor')} .cm-content`).click();
      await page.keyboard.press('Control+a');
      const cdp = breakdown ? await browser.context.newCDPSession(page) : null;
      const events = [];
      if (cdp) {
        cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
        await cdp.send('Tracing.start', {
          traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] },
        });
      }
      const result = await page.evaluate(async ({ text, statusSelector, editorSelector }) => {
        let longest = 0;
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
        });
        observer.observe({ type: 'longtask' });
        const status = document.querySelector(statusSelector);
        const before = Number(status.getAttribute('data-compiles'));
        const start = performance.now();
        const data = new DataTransfer();
        data.setData('text/plain', text);
        document.querySelector(editorSelector).dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        await new Promise((resolve) => {
          const check = () => {
            if (Number(status.getAttribute('data-compiles')) > before && status.getAttribute('data-current') === 'true') {
              resolve();
            } else {
              setTimeout(check, 20);
            }
          };
          check();
        });
        const compiled = performance.now() - start;
        // Long tasks are reported after they end.
        await new Promise((resolve) => setTimeout(resolve, 200));
        observer.disconnect();
        return { compiled, longest, text: status.textContent.trim() };
      }, { text: sql, statusSelector: byTestId('compile-status'), editorSelector: `${byTestId('editor')} .cm-content` });
      console.log(`| ${kind} ${size} | ${sql.length.toLocaleString('en')} | ${Math.round(result.compiled)} ms `
        + `| ${Math.round(result.longest)} ms | ${result.text} |`);
      if (cdp) {
        console.log(await mainThreadBreakdown(cdp, events));
        const { profile } = await cdp.send('Profiler.stop');
        console.log(topFunctions(profile));
        if (process.env.ROCKY_PROFILE_OUT) {
          await writeFile(`${process.env.ROCKY_PROFILE_OUT}-${kind}.cpuprofile`, JSON.stringify(profile));
        }
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
}

// The functions with the most self time in a CPU profile. The names of
// Rust functions show only in a build with a name section.
function topFunctions(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  for (const id of profile.samples) {
    const { functionName, url } = byId.get(id).callFrame;
    const name = functionName || `(anonymous ${url.split('/').pop()})`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const micros = (profile.endTime - profile.startTime) / profile.samples.length;
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([name, count]) => `    ${Math.round((count * micros) / 1000)} ms  ${name.slice(0, 140)}`)
    .join('\n');
}

// Stops the trace and sums, on the renderer's main thread, the self time of
// each kind of work (script, style, layout, paint...), largest first.
async function mainThreadBreakdown(cdp, events) {
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await done;
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  const spans = events
    .filter((event) => event.ph === 'X' && event.pid === main?.pid && event.tid === main?.tid && event.dur)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Self time: a span's duration less that of the spans directly inside it.
  const totals = new Map();
  const open = [];
  for (const span of spans) {
    while (open.length && open[open.length - 1].ts + open[open.length - 1].dur <= span.ts) open.pop();
    const parent = open[open.length - 1];
    if (parent) totals.set(parent.name, (totals.get(parent.name) ?? 0) - span.dur);
    totals.set(span.name, (totals.get(span.name) ?? 0) + span.dur);
    open.push(span);
  }
  return [...totals.entries()]
    .filter(([, micros]) => micros >= 5000)
    .sort((a, b) => b[1] - a[1])
    .map(([name, micros]) => `    ${name}: ${Math.round(micros / 1000)} ms`)
    .join('\n');
}
