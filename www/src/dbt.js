// The dbt importer, a WebAssembly module of its own (crates/dbt-web). The
// page's module leaves it out so that the page loads faster. The first
// import of a dbt project fetches it from next to the page, and later
// imports reuse it.

let loading = null;
let instance = 0;

function loadImporter() {
  if (!loading) {
    // A URL built at run time, so esbuild leaves the import to the browser.
    // After a failure the query gives a fresh instance: a trap can leave the
    // old one's memory half written.
    const url = new URL(`rocky_dbt_web.js${instance ? `?instance=${instance}` : ''}`, document.baseURI).href;
    loading = import(url)
      .then(async (module) => {
        await module.default();
        return module;
      })
      .catch((error) => {
        // A failed fetch is tried again at the next import.
        loading = null;
        throw new Error(`the dbt importer failed to load: ${error?.message ?? error}`);
      });
  }
  return loading;
}

// Resolves to what rocky_dbt::import_dbt makes of `files`, a Map of path
// to text: {files: Map, diagnostics, models, seeds, tests}.
export async function importDbt(files) {
  const module = await loadImporter();
  try {
    return module.importDbt(files);
  } catch (error) {
    loading = null;
    instance += 1;
    throw new Error(`the dbt importer failed: ${error?.message ?? error}`);
  }
}
