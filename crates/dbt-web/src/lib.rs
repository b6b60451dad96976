//! The dbt importer for the page, as a module of its own: `importDbt`
//! takes the files of an imported .zip or folder and returns what
//! [`rocky_dbt::import_dbt`] makes of them. The page fetches this module
//! only when an import contains a dbt project (see
//! docs/playground-contract.md, "The dbt importer").

use rocky_core::ProjectFiles;
use wasm_bindgen::prelude::*;

/// Imports the dbt project in `files`, a `Map` of path to text. Returns
/// the import as `{files, diagnostics, models, seeds, tests}`, with `files`
/// a `Map` too; throws when `files` is not a map of strings.
#[wasm_bindgen(js_name = importDbt)]
pub fn import_dbt(files: JsValue) -> Result<JsValue, JsValue> {
    let files: ProjectFiles = serde_wasm_bindgen::from_value(files)
        .map_err(|error| JsValue::from_str(&format!("the files to import: {error}")))?;
    let import = rocky_dbt::import_dbt(&files);
    serde_wasm_bindgen::to_value(&import)
        .map_err(|error| JsValue::from_str(&format!("the import's result: {error}")))
}
