// Shared setup for the browser tests: the static server, Chromium and a
// collector of page errors. Run `scripts/build.sh` first; the tests read dist/.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.join(ROOT, 'dist');
export const RESULTS = path.join(ROOT, 'test-results');

// playwright-core is installed with the rest of the JS tools in www/.
const requireFromWww = createRequire(path.join(ROOT, 'www', 'package.json'));
const { chromium } = requireFromWww('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The background-networking flags stop Chromium from calling outside hosts,
// which a closed network refuses. The profile directory is the first argument
// of launchPersistentContext, which rejects --user-data-dir in args.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts www/serve.mjs on a free 127.0.0.1 port; resolves to `{url, stop}`. */
export function startServer(timeoutMs = 15000) {
  const child = spawn(process.execPath, [path.join(ROOT, 'www', 'serve.mjs'), DIST], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`serve.mjs printed no URL within ${timeoutMs} ms; output: ${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with code ${code} before listening; output: ${output}`));
    });
  });
}

/** Launches Debian's Chromium headless with a fresh profile; resolves to `{context, close}`. */
export async function launchBrowser() {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'rocky-e2e-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw new Error(`launching ${CHROMIUM} failed (run scripts/setup.sh --browser): ${error.message}`);
  }
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Records uncaught page errors and console errors of `page` in `problems`,
 * as one line each, so a test can assert that none happened.
 */
export function collectPageProblems(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      const at = where?.url ? ` (at ${where.url}:${where.lineNumber})` : '';
      problems.push(`console error: ${message.text()}${at}`);
    }
  });
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()}: ${request.failure()?.errorText}`);
  });
  return problems;
}

/** Formats a list of problems for an assertion message. */
export function describeProblems(problems) {
  return problems.length === 0 ? 'none' : `\n  ${problems.join('\n  ')}`;
}
