// Runs the dbt importer (crates/dbt-web) in a module worker, so that a
// project whose Jinja renders for a long time does not block the page's
// main thread.
// build.sh copies this file to dist/ as it is, next to rocky_dbt_web.js.

import init, { importDbt } from './rocky_dbt_web.js';

const ready = init();

self.onmessage = async (event) => {
  try {
    await ready;
    self.postMessage({ result: importDbt(event.data.files) });
  } catch (error) {
    // A trap (RuntimeError) leaves the module's memory in an unknown
    // state, so the page discards this worker after any error. The
    // importer reports bad input as diagnostics, so a trap means a bug or,
    // far more often, memory running out.
    const message = error instanceof WebAssembly.RuntimeError
      ? `it stopped (${error.message}), most likely out of memory: a template or YAML file may build more data than fits`
      : String(error?.message ?? error);
    self.postMessage({ error: message });
  }
};
