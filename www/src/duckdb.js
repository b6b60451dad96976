// DuckDB-WASM side of window.rockyBridge (docs/playground-contract.md).
// The engine files are served from duckdb/ next to the page, and no CDN is used.

import * as duckdb from '@duckdb/duckdb-wasm';
import {
  explainBlockedRead, explainMissingExtension, isTrap, trapError, withPlainMessage,
} from './duckdb-errors.js';
import { tableToResult } from './values.js';

const START_TIMEOUT_MS = 60000;
const CALL_TIMEOUT_MS = 30000;
/** How long a statement may run before it is cancelled; tests shorten it. */
let statementTimeoutMs = 120000;
/**
 * How long a cancelled statement may take to stop. DuckDB checks for a
 * cancel between slices of work, and one call such as `list_sort` over
 * 30 million values is a single slice that ran 18 s after its cancel here.
 * Past this grace the worker is ended and a new database is started.
 */
let stopGraceMs = 3000;

let startPromise = null;
let worker = null;
let database = null;
let connection = null;
const registeredFiles = new Set();
/** The count of databases dropped with their worker; see duckdbRestarts. */
let restarts = 0;

/** Rejects with `Error("<operation> timed out after N s")` unless `promise` settles within `ms`. */
export function withTimeout(promise, ms, operation) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${operation} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// The worker rejects with plain strings or objects at times, and the contract
// promises an Error whose message is DuckDB's own.
function asError(reason, context) {
  if (reason instanceof Error) return withPlainMessage(reason);
  const text = typeof reason === 'string' ? reason : reason?.message ?? String(reason);
  return withPlainMessage(new Error(context ? `${context}: ${text}` : text));
}


function bundleUrls() {
  const url = (file) => new URL(`duckdb/${file}`, document.baseURI).toString();
  return {
    mvp: { mainModule: url('duckdb-mvp.wasm'), mainWorker: url('duckdb-browser-mvp.worker.js') },
    eh: { mainModule: url('duckdb-eh.wasm'), mainWorker: url('duckdb-browser-eh.worker.js') },
  };
}

function describeBytes(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

// DuckDB's instantiate never settles when the engine file is missing or not
// served as application/wasm, so a HEAD request first turns those cases
// into an immediate, named error instead of the 60 s timeout.
async function checkEngineFile(url) {
  let response;
  try {
    response = await fetch(url, { method: 'HEAD' });
    // Reading the empty body completes the request, which Chromium would
    // otherwise log as aborted.
    await response.arrayBuffer();
  } catch (error) {
    throw new Error(`Fetching ${url} failed: ${error.message}`);
  }
  // A server without HEAD support gives no information about the file itself.
  if (response.status === 405 || response.status === 501) return;
  if (!response.ok) throw new Error(`Fetching ${url} failed: HTTP ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/wasm')) {
    throw new Error(`${url} is served as "${type}", but DuckDB needs the MIME type application/wasm`);
  }
}

/**
 * Starts DuckDB's worker from a blob: URL of its script. A worker started
 * from its own URL gets the policy of that script's response, which a
 * static server sends none of, so DuckDB could fetch any address a model
 * names (`read_csv('http://…')`) and its extensions from DuckDB's server.
 * A worker started from a blob: URL has the page's Content-Security-Policy
 * (connect-policy.js), which allows the page's origin and the language
 * model endpoint only.
 */
async function startWorker(url) {
  let source;
  try {
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    source = await response.text();
  } catch (error) {
    throw new Error(`DuckDB worker ${url} failed: ${error.message}`);
  }
  // The URL stays valid for the page's lifetime: revoking it while the
  // worker still loads would fail the load.
  const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return new Worker(blobUrl);
}

async function start(onProgress) {
  const report = (message) => {
    try {
      onProgress?.(message);
    } catch (error) {
      console.warn('rockyBridge: the DuckDB progress callback threw', error);
    }
  };

  report('Selecting the DuckDB bundle');
  const bundle = await duckdb.selectBundle(bundleUrls());
  await checkEngineFile(bundle.mainModule);

  report('Starting the DuckDB worker');
  const started = await startWorker(bundle.mainWorker);
  // A worker script that fails to load or parse never replies to a message,
  // so its error event has to reject the start instead.
  const workerFailed = new Promise((_, reject) => {
    started.addEventListener('error', (event) => {
      event.preventDefault?.();
      reject(new Error(`DuckDB worker ${bundle.mainWorker} failed: ${event.message || 'script error'}`));
    });
  });
  // An error after a successful start has no one waiting for it.
  workerFailed.catch(() => {});

  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), started);
  try {
    let lastReported = 0;
    const instantiated = db.instantiate(bundle.mainModule, bundle.pthreadWorker, (progress) => {
      // The callback fires per received chunk; a few messages a second are enough.
      const now = Date.now();
      if (progress.bytesTotal > 0 && now - lastReported > 200) {
        lastReported = now;
        report(`Loading DuckDB: ${describeBytes(progress.bytesLoaded)} of ${describeBytes(progress.bytesTotal)}`);
      }
    });
    await Promise.race([instantiated, workerFailed]).catch((reason) => {
      throw asError(reason, `Loading ${bundle.mainModule} failed`);
    });

    report('Opening the database');
    await db.open({
      query: {
        // Keep exact values: values.js prints BIGINT, DECIMAL and TIMESTAMP itself.
        castBigIntToDouble: false,
        castDecimalToDouble: false,
        castTimestampToDate: false,
      },
    });
    const conn = await db.connect();
    // DuckDB downloads missing extensions (json, parquet, ...) from its own
    // server. The page must reach only its own origin, so a query that needs
    // an extension fails with DuckDB's error instead.
    await conn.query('SET autoinstall_known_extensions = false');
    await conn.query('SET autoload_known_extensions = false');
    worker = started;
    database = db;
    connection = conn;
    report('DuckDB is ready');
  } catch (error) {
    started.terminate();
    throw asError(error, 'Starting DuckDB failed');
  }
}

/**
 * Starts the worker and opens an in-memory database. Every later call returns
 * the first call's promise, including a rejected one, so reloading the page is
 * the way to retry a failed start.
 */
export function duckdbStart(onProgress) {
  if (startPromise === null) {
    startPromise = withTimeout(start(onProgress), START_TIMEOUT_MS, 'Starting DuckDB');
  }
  return startPromise;
}

function requireConnection(operation) {
  if (connection === null) {
    throw new Error(`${operation} failed: DuckDB is not started; call duckdbStart first`);
  }
  return connection;
}

// NOTE: a timed-out call goes on running in the worker, and later calls queue
// behind it. The timeout only keeps the page from waiting forever. Statements
// do not go through here: they run as pending queries, which can be cancelled.
async function call(operation, body) {
  try {
    return await withTimeout(Promise.resolve().then(body), CALL_TIMEOUT_MS, operation);
  } catch (error) {
    throw asError(error);
  }
}

/** Makes `text` readable by SQL under the file name `name`, replacing an earlier file of that name. */
export function duckdbRegisterFile(name, text) {
  return call(`Registering ${name}`, async () => {
    requireConnection(`Registering ${name}`);
    if (registeredFiles.has(name)) {
      await database.dropFile(name);
      registeredFiles.delete(name);
    }
    await database.registerFileText(name, text);
    registeredFiles.add(name);
  });
}

/**
 * The statement running now, or null: `{ cancelled, timedOut, restarted,
 * abandon, settled }`. `abandon(error)` rejects it at once, and `settled`
 * resolves once it has ended either way.
 */
let running = null;

/**
 * Ends the worker of a statement that did not stop within the grace after
 * its cancel, and with it the database and every branch's tables. The
 * statement rejects at once, and the next duckdbStart opens a new database.
 */
function restartAfter(statement) {
  setTimeout(() => {
    if (running !== statement) {
      return;
    }
    console.warn('rockyBridge: DuckDB did not stop the cancelled statement; ending its worker');
    dropDatabase();
    statement.restarted = true;
    statement.abandon(new Error('the DuckDB worker was ended'));
  }, stopGraceMs);
}

/**
 * Ends DuckDB's worker and drops its database, so the next duckdbStart
 * opens a new one, and counts the restart (see duckdbRestarts).
 */
function dropDatabase() {
  worker?.terminate();
  worker = null;
  database = null;
  connection = null;
  startPromise = null;
  registeredFiles.clear();
  restarts += 1;
}

/**
 * Settles when the statements sent so far have. A new pending query on a
 * connection would end the one before, so each waits its turn, as every
 * call to the worker did before statements could be cancelled.
 */
let statementQueue = Promise.resolve();

function queueStatement(operation, sql, consume) {
  const result = statementQueue.then(() => runStatement(operation, sql, consume));
  statementQueue = result.catch(() => {});
  return result;
}

/**
 * Runs `sql` as a pending query, which DuckDB executes a slice at a time
 * between the worker's messages, so duckdbCancel can interrupt it. Rejects
 * with `Error("cancelled")` after a cancel, and cancels the statement itself
 * once it has run for the statement timeout.
 */
async function runStatement(operation, sql, consume) {
  const conn = requireConnection(operation);
  const statement = { cancelled: false, timedOut: false, restarted: false };
  const abandoned = new Promise((_, reject) => {
    statement.abandon = reject;
  });
  let settle;
  statement.settled = new Promise((resolve) => {
    settle = resolve;
  });
  running = statement;
  const timer = setTimeout(() => {
    statement.timedOut = true;
    restartAfter(statement);
    conn.cancelSent().catch(() => {});
  }, statementTimeoutMs);
  const execute = async () => {
    const reader = await conn.send(sql, false);
    if (!reader) {
      throw new Error(`${operation} failed: the DuckDB worker is gone`);
    }
    return consume(reader);
  };
  try {
    return await Promise.race([execute(), abandoned]);
  } catch (error) {
    if (statement.timedOut) {
      const ended = statement.restarted
        ? '; DuckDB did not stop it, so the page started a new database, and the next run builds every model again'
        : ' and was cancelled';
      throw new Error(`${operation} ran longer than ${statementTimeoutMs / 1000} s${ended}`);
    }
    if (statement.cancelled) {
      throw new Error('cancelled');
    }
    const failure = asError(error);
    if (isTrap(failure.message)) {
      console.warn(`rockyBridge: DuckDB trapped on a statement (${failure.message}); ending its worker`);
      dropDatabase();
      throw trapError(operation, failure.message, sql);
    }
    throw explainMissingExtension(explainBlockedRead(failure));
  } finally {
    clearTimeout(timer);
    settle();
    if (running === statement) {
      running = null;
    }
  }
}

/**
 * Cancels the statement that runs now. Resolves to true when there was one;
 * it then rejects with `Error("cancelled")`. A statement that does not stop
 * within the grace ends its worker (see restartAfter), so this settles
 * within the grace either way.
 */
export async function duckdbCancel() {
  const statement = running;
  if (statement === null || connection === null) {
    return false;
  }
  statement.cancelled = true;
  restartAfter(statement);
  // The cancel message waits in the worker's queue behind a statement that
  // does not yield, and a worker that was ended never replies to it.
  const sent = connection.cancelSent().catch((error) => {
    console.warn('rockyBridge: cancelling the DuckDB statement failed', error);
  });
  await Promise.race([sent, statement.settled]);
  return true;
}

/**
 * Returns how many times a statement that would not stop, or that trapped,
 * ended DuckDB's worker and with it every table of the page's database.
 */
export function duckdbRestarts() {
  return restarts;
}

/** Sets the statement timeout in milliseconds, for tests. */
export function duckdbSetStatementTimeout(ms) {
  if (Number.isFinite(ms) && ms > 0) {
    statementTimeoutMs = ms;
  }
}

/** Sets how long a cancelled statement may take to stop, for tests. */
export function duckdbSetStopGrace(ms) {
  if (Number.isFinite(ms) && ms > 0) {
    stopGraceMs = ms;
  }
}

/**
 * Reads a result to its end but keeps only the batches that hold its first
 * `limit` rows, so showing 50 rows of 70 million takes the memory of a
 * few batches. Returns what tableToResult reads of an Arrow table.
 */
async function firstRows(reader, limit) {
  // The reader lets go of its schema once it has read to the end.
  await reader.open();
  const { schema } = reader;
  const batches = [];
  let keptRows = 0;
  let total = 0;
  for await (const batch of reader) {
    total += batch.numRows;
    if (keptRows < limit) {
      batches.push(batch);
      keptRows += batch.numRows;
    }
  }
  return { schema, batches, numRows: total };
}

/** Runs one statement and discards its result. */
export function duckdbExec(sql) {
  return queueStatement('DuckDB statement', sql, (reader) => firstRows(reader, 0)).then(() => undefined);
}

/** Runs a query and returns its first `limit` rows as strings, with the full row count. */
export async function duckdbQuery(sql, limit) {
  const max = Number.isFinite(limit) && limit >= 0 ? Math.floor(limit) : Infinity;
  const table = await queueStatement('DuckDB query', sql, (reader) => firstRows(reader, max));
  return tableToResult(table, max);
}
