// Runs the dbt importer (crates/dbt-web) in a module worker, so that a
// project whose Jinja renders for a long time never blocks the page.
// build.sh copies this file to dist/ as it is, next to rocky_dbt_web.js.

import init, { importDbt } from './rocky_dbt_web.js';

const ready = init();

self.onmessage = async (event) => {
  try {
    await ready;
    self.postMessage({ result: importDbt(event.data.files) });
  } catch (error) {
    // A trap (RuntimeError) leaves the module's memory in an unknown
    // state, so the page discards this worker after any error.
    self.postMessage({ error: String(error?.message ?? error) });
  }
};
