// The dbt importer, a WebAssembly module of its own (crates/dbt-web). The
// page's module leaves it out so that the page loads faster. The first
// import of a dbt project starts a worker that fetches it from next to the
// page (dist/dbt-worker.js); later imports reuse the worker. The page's
// main thread never runs the importer, so a slow render cannot freeze it.

// An import that takes longer is stopped. The importer bounds each
// model's render in steps, but a project of many slow models, or a
// template that builds a huge string, can still run long.
// NOTE: no test waits the 60 s for this path.
const TIMEOUT_MS = 60000;

let worker = null;
let queue = Promise.resolve();

function stopWorker(stopped) {
  stopped.terminate();
  if (worker === stopped) worker = null;
}

function runImport(files) {
  return new Promise((resolve, reject) => {
    if (!worker) worker = new Worker(new URL('dbt-worker.js', document.baseURI), { type: 'module' });
    const current = worker;
    const finish = (settle, value) => {
      clearTimeout(timer);
      current.onmessage = null;
      current.onerror = null;
      settle(value);
    };
    const timer = setTimeout(() => {
      stopWorker(current);
      finish(reject, new Error(`the dbt importer failed: it ran for more than ${TIMEOUT_MS / 1000} s and was stopped`));
    }, TIMEOUT_MS);
    current.onmessage = (event) => {
      if (event.data.error !== undefined) {
        stopWorker(current);
        finish(reject, new Error(`the dbt importer failed: ${event.data.error}`));
      } else {
        finish(resolve, event.data.result);
      }
    };
    // The worker fires `error` when it or the module cannot be fetched.
    current.onerror = (event) => {
      event.preventDefault();
      stopWorker(current);
      finish(reject, new Error(`the dbt importer failed to load: ${event.message || 'its worker did not start'}`));
    };
    current.postMessage({ files });
  });
}

// Resolves to what rocky_dbt::import_dbt makes of `files`, a Map of path
// to text: {files: Map, diagnostics, models, seeds, tests}. Imports run one
// at a time.
export function importDbt(files) {
  const run = queue.then(() => runImport(files));
  queue = run.catch(() => {});
  return run;
}
