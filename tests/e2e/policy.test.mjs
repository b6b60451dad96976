// Browser tests of the page's Content-Security-Policy: an inline script is
// refused, the policy allows no eval, and loading the sample and running it
// in DuckDB sends no request outside the page's origin, from the page or
// its workers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPageProblems, describeProblems } from './helpers.mjs';
import { createServer } from 'node:http';
import {
  browserHooks, byTestId, compileCount, openFile, openPlaygroundPage, replaceOnLine, run, usePage, waitForCompileAfter,
  waitForLoad,
} from './playground-page.mjs';
import { startAssistantMock } from './assistant-mock.mjs';

let server;
let browser;

browserHooks((started) => {
  ({ server, browser } = started);
});

test('inline script is refused', async () => {
  const { page, problems } = await openPlaygroundPage(browser, server.url);
  const outcome = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true;';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '';
    return { inlineRan: window.inlineRan ?? false, violations, policy };
  });
  assert.equal(outcome.inlineRan, false, 'an inline script ran');
  assert.ok(outcome.violations.includes('script-src-elem'), `violations: ${outcome.violations}`);
  // Playwright's own evaluate is exempt from the policy, so eval is
  // checked in the policy's text: scripts from the origin and WebAssembly,
  // never 'unsafe-eval' or 'unsafe-inline'.
  const scriptSrc = outcome.policy.split(';').map((part) => part.trim()).find((part) => part.startsWith('script-src '));
  assert.equal(scriptSrc, "script-src 'self' 'wasm-unsafe-eval'");
  assert.match(outcome.policy, /object-src 'none'/);
  // The refusal logs a console error; nothing else may.
  const unexpected = problems.filter((problem) => !/Content Security Policy/.test(problem));
  assert.deepEqual(unexpected, [], `page problems: ${describeProblems(unexpected)}`);
  await page.close();
});

test('sample run requests only the origin', async () => {
  const page = await browser.context.newPage();
  const problems = collectPageProblems(page);
  usePage(page, problems);
  const requested = [];
  const record = (request) => requested.push(request.url());
  // The context reports the requests of the page and of its workers.
  browser.context.on('request', record);
  const violations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/.test(message.text())) violations.push(message.text());
  });
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    await waitForLoad();
    assert.equal(await run(), 'done');
  } finally {
    browser.context.off('request', record);
  }
  const origin = new URL(server.url).origin;
  const outside = requested.filter((url) => {
    const { protocol } = new URL(url);
    return protocol !== 'data:' && protocol !== 'blob:' && new URL(url).origin !== origin;
  });
  assert.deepEqual(outside, [], 'requests outside the page origin');
  assert.ok(requested.some((url) => url.endsWith('.wasm')), 'no WebAssembly request was seen');
  assert.ok(requested.some((url) => url.includes('/duckdb/')), 'no DuckDB request was seen');
  assert.deepEqual(violations, [], 'the page broke its own policy');
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
  await page.close();
});

test('requests go to the origin and the endpoint only', async () => {
  const endpoint = await startAssistantMock({ reply: () => 'Reached through the policy.' });
  const other = await startAssistantMock({ reply: () => 'This must not be reached.' });
  const { page, problems } = await openPlaygroundPage(browser, server.url);
  try {
    // No endpoint set: requests go to the page's origin only.
    const blocked = await fetchOutcome(page, `${other.url}/models`);
    assert.deepEqual(blocked, { ok: false, violations: ['connect-src'] });

    // With an endpoint in the settings, its origin is allowed after a reload.
    await page.evaluate((url) => localStorage.setItem('rocky-playground:assistant',
      JSON.stringify({ endpoint: url, model: 'mock' })), endpoint.url);
    await page.reload({ waitUntil: 'load' });
    await waitForLoad();
    const chat = (url) => page.evaluate((base) => window.rockyBridge.assistantChat({
      endpoint: base, model: 'mock', messages: [{ role: 'user', content: 'hi' }],
    }).then((reply) => reply.content, (error) => `rejected: ${error.message}`), url);
    assert.equal(await chat(endpoint.url), 'Reached through the policy.');
    assert.deepEqual(await fetchOutcome(page, `${other.url}/models`), { ok: false, violations: ['connect-src'] });
    assert.equal(await chat(other.url), `rejected: the language model request failed: the page was loaded allowing `
      + `requests to this page's origin and ${new URL(endpoint.url).origin} only, so reload it to reach `
      + `${new URL(other.url).origin}`);
    assert.equal(other.requests.length, 0, 'the other server got a request');
    const unexpected = problems.filter((problem) => !/Content Security Policy|Failed to fetch/.test(problem));
    assert.deepEqual(unexpected, [], `page problems: ${describeProblems(unexpected)}`);
  } finally {
    await page.evaluate(() => localStorage.removeItem('rocky-playground:assistant')).catch(() => {});
    await page.close();
    await endpoint.stop();
    await other.stop();
  }
});

// Fetches `url` from the page and returns whether a response came, with
// the directives of the policy violations the fetch caused.
async function fetchOutcome(page, url) {
  return page.evaluate(async (target) => {
    const violations = [];
    const listen = (event) => violations.push(event.effectiveDirective);
    document.addEventListener('securitypolicyviolation', listen);
    let ok;
    try {
      await fetch(target);
      ok = true;
    } catch {
      ok = false;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    document.removeEventListener('securitypolicyviolation', listen);
    return { ok, violations };
  }, url);
}

test('a model cannot fetch another origin', async () => {
  // A server on another port that counts what reaches it.
  const hits = [];
  const outside = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'Content-Type': 'text/csv', 'Access-Control-Allow-Origin': '*' });
    response.end('a\n1\n');
  });
  await new Promise((resolve) => outside.listen(0, '127.0.0.1', resolve));
  const address = `http://127.0.0.1:${outside.address().port}`;
  const { page, problems } = await openPlaygroundPage(browser, server.url);
  try {
    await openFile('models/stg_payments.sql');
    const before = await compileCount();
    await replaceOnLine('select * from raw_payments', 'raw_payments', `read_csv('${address}/leak.csv')`);
    await waitForCompileAfter(before);
    assert.equal(await run(), 'failed');
    const errors = await page.locator(byTestId('model-error')).evaluateAll((elements) =>
      elements.map((element) => ({ model: element.dataset.model, text: element.textContent })));
    assert.deepEqual(errors.map((error) => error.model), ['stg_payments'], JSON.stringify(errors));
    // Straight from DuckDB's worker, too.
    const direct = await page.evaluate((url) => window.rockyBridge.duckdbQuery(`select * from read_csv('${url}')`, 1)
      .then(() => 'answered', (error) => error.message), `${address}/direct.csv`);
    assert.notEqual(direct, 'answered');
    assert.deepEqual(hits, [], 'the outside server got requests');
    assert.match(errors[0].text, /The page reads files from its own origin only, so DuckDB may not read http:\/\/127\.0\.0\.1:\d+\/leak\.csv/);
    // Chromium reports each refused request as failed with the reason csp,
    // and DuckDB's worker logs the failed read.
    const unexpected = problems.filter((problem) =>
      !/^request failed: .*: csp$|^console error: FAIL WITH: NetworkError/.test(problem));
    assert.deepEqual(unexpected, [], `page problems: ${describeProblems(unexpected)}`);
  } finally {
    await page.close();
    await new Promise((resolve) => outside.close(resolve));
  }
});
