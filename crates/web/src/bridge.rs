//! Calls into `window.rockyBridge`, the JS side of the page (CodeMirror and
//! DuckDB-WASM), as docs/playground-contract.md defines it.
//!
//! Every import is declared with `catch`, so a missing bridge or a throwing
//! call comes back as an `Err` with a readable message instead of unwinding
//! through the WebAssembly module.

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

use crate::editor_diagnostics::{EditorDiagnostic, EditorRange};
use crate::model_info::EditorModelInfo;

#[wasm_bindgen(js_namespace = rockyBridge)]
extern "C" {
    #[wasm_bindgen(catch, js_name = createEditor)]
    fn create_editor_js(
        parent: &HtmlElement,
        doc: &str,
        on_change: &Closure<dyn FnMut(JsValue)>,
        key: Option<String>,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_name = setEditorDoc)]
    fn set_editor_doc_js(id: f64, doc: &str, key: Option<String>) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = setEditorDiagnostics)]
    fn set_editor_diagnostics_js(id: f64, diagnostics: JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = setEditorModelInfo)]
    fn set_editor_model_info_js(id: f64, info: JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = revealEditorRange)]
    fn reveal_editor_range_js(id: f64, range: JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = destroyEditor)]
    fn destroy_editor_js(id: f64) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = duckdbStart)]
    fn duckdb_start_js(on_progress: &Closure<dyn FnMut(JsValue)>) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = duckdbRegisterFile)]
    fn duckdb_register_file_js(name: &str, text: &str) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = duckdbExec)]
    fn duckdb_exec_js(sql: &str) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = duckdbCancel)]
    fn duckdb_cancel_js() -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = duckdbRestarts)]
    fn duckdb_restarts_js() -> Result<f64, JsValue>;

    #[wasm_bindgen(catch, js_name = duckdbQuery)]
    fn duckdb_query_js(sql: &str, limit: u32) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = storageLoad)]
    fn storage_load_js(key: &str) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = storageSave)]
    fn storage_save_js(text: &str, key: &str, overwrite: bool) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = storageRevision)]
    fn storage_revision_js(key: &str) -> Result<Option<f64>, JsValue>;

    #[wasm_bindgen(catch, js_name = storageAssumeRevision)]
    fn storage_assume_revision_js(key: &str, revision: f64) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = assistantSettingsLoad)]
    fn assistant_settings_load_js() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_name = assistantSettingsSave)]
    fn assistant_settings_save_js(text: Option<String>) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = assistantChat)]
    fn assistant_chat_js(request: JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = importDbt)]
    fn import_dbt_js(files: JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = droppedFiles)]
    fn dropped_files_js(data: &web_sys::DataTransfer, limit: u32) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = showCrash)]
    fn show_crash_js(message: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = crashRescued)]
    fn crash_rescued_js(outcome: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = lastCrash)]
    fn last_crash_js() -> Result<Option<String>, JsValue>;

    #[wasm_bindgen(catch, js_name = clearLastCrash)]
    fn clear_last_crash_js() -> Result<(), JsValue>;
}

/// Shows the page's crash notice with `message`; see `www/src/crash.js`.
/// Returns false when the bridge could not show it.
pub fn show_crash(message: &str) -> bool {
    show_crash_js(message).is_ok()
}

/// Shows on the crash notice what became of the unsaved changes:
/// `saved`, `kept`, `lost` or `off`.
pub fn crash_rescued(outcome: &str) {
    let _ = crash_rescued_js(outcome);
}

/// Returns the message of the crash that stopped this tab's last page
/// load, if one did.
pub fn last_crash() -> Option<String> {
    last_crash_js().ok().flatten()
}

/// Forgets the last crash, so the next load compiles as usual.
pub fn clear_last_crash() {
    let _ = clear_last_crash_js();
}

/// The id `createEditor` returned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EditorId(f64);

/// A column of a query result.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct QueryColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
}

/// The value `duckdbQuery` resolves to: the first rows, every value a
/// string or null, and the full row count.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryResult {
    pub columns: Vec<QueryColumn>,
    pub rows: Vec<Vec<Option<String>>>,
    /// A JS number, so it is read as `f64`. [`QueryResult::total_rows`]
    /// converts it.
    pub row_count: f64,
}

impl QueryResult {
    pub fn total_rows(&self) -> u64 {
        if self.row_count.is_finite() && self.row_count >= 0.0 {
            self.row_count as u64
        } else {
            0
        }
    }
}

/// Returns the message of a JS error value: `Error.message`, a thrown
/// string, or the value's debug form.
pub fn error_message(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    if let Some(text) = value.as_string() {
        return text;
    }
    format!("{value:?}")
}

/// Creates the editor inside `parent`, showing `doc` as the file `key`.
/// `on_change` must stay alive until [`destroy_editor`], because the bridge
/// calls it on every user edit.
pub fn create_editor(
    parent: &HtmlElement,
    doc: &str,
    key: Option<&str>,
    on_change: &Closure<dyn FnMut(JsValue)>,
) -> Result<EditorId, String> {
    let id = create_editor_js(parent, doc, on_change, key.map(str::to_string))
        .map_err(|e| error_message(&e))?;
    id.as_f64()
        .map(EditorId)
        .ok_or_else(|| format!("createEditor returned {id:?} instead of an editor id"))
}

/// Shows `doc` as the file `key`. The bridge restores the undo history
/// that `key` was left with when its text is still `doc`.
pub fn set_editor_doc(id: EditorId, doc: &str, key: Option<&str>) -> Result<(), String> {
    set_editor_doc_js(id.0, doc, key.map(str::to_string)).map_err(|e| error_message(&e))
}

pub fn set_editor_diagnostics(
    id: EditorId,
    diagnostics: &[EditorDiagnostic],
) -> Result<(), String> {
    let value = to_js(diagnostics)?;
    set_editor_diagnostics_js(id.0, value).map_err(|e| error_message(&e))
}

/// Sends what hover and completion know about the open model, or `None`
/// to turn them off for a file that is no model.
pub fn set_editor_model_info(id: EditorId, info: Option<&EditorModelInfo>) -> Result<(), String> {
    let value = match info {
        Some(info) => to_js(info)?,
        None => JsValue::NULL,
    };
    set_editor_model_info_js(id.0, value).map_err(|e| error_message(&e))
}

/// Selects `range`, scrolls it into view and focuses the editor.
pub fn reveal_editor_range(id: EditorId, range: &EditorRange) -> Result<(), String> {
    let value = to_js(range)?;
    reveal_editor_range_js(id.0, value).map_err(|e| error_message(&e))
}

pub fn destroy_editor(id: EditorId) -> Result<(), String> {
    destroy_editor_js(id.0).map_err(|e| error_message(&e))
}

/// Starts DuckDB, sending each progress line to `on_progress`.
pub async fn duckdb_start(on_progress: impl Fn(String) + 'static) -> Result<(), String> {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        on_progress(
            message
                .as_string()
                .unwrap_or_else(|| format!("{message:?}")),
        );
    });
    let promise = duckdb_start_js(&closure).map_err(|e| error_message(&e))?;
    let outcome = await_promise(promise).await.map(drop);
    // A progress call after this drop, such as one after the bridge's start
    // timeout, throws in JS, where the bridge catches and logs it.
    drop(closure);
    outcome
}

pub async fn duckdb_register_file(name: &str, text: &str) -> Result<(), String> {
    let promise = duckdb_register_file_js(name, text).map_err(|e| error_message(&e))?;
    await_promise(promise).await.map(drop)
}

/// Cancels the DuckDB statement that runs now, which then fails with the
/// message `cancelled`. Returns whether one was running.
pub async fn duckdb_cancel() -> Result<bool, String> {
    let promise = duckdb_cancel_js().map_err(|e| error_message(&e))?;
    await_promise(promise)
        .await
        .map(|value| value.as_bool().unwrap_or(false))
}

/// Returns how many times a statement that would not stop made the bridge
/// end DuckDB's worker, which drops every table of the page's database.
/// The count only grows, so a change shows that the tables are gone.
pub fn duckdb_restarts() -> u32 {
    match duckdb_restarts_js() {
        Ok(count) if count.is_finite() && count >= 0.0 => count as u32,
        Ok(_) => 0,
        Err(error) => {
            gloo::console::warn!(format!(
                "reading DuckDB's restarts failed: {}",
                error_message(&error)
            ));
            0
        }
    }
}

pub async fn duckdb_exec(sql: &str) -> Result<(), String> {
    let promise = duckdb_exec_js(sql).map_err(|e| error_message(&e))?;
    await_promise(promise).await.map(drop)
}

pub async fn duckdb_query(sql: &str, limit: u32) -> Result<QueryResult, String> {
    let promise = duckdb_query_js(sql, limit).map_err(|e| error_message(&e))?;
    let value = await_promise(promise).await?;
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| format!("duckdbQuery returned an invalid result: {e}"))
}

/// Returns every file of a drop, as (path, file), walking into dropped
/// folders; more than `limit` files stops the walk early. The entries are
/// taken before this returns, while the drop event is still being handled.
pub fn dropped_files(
    data: &web_sys::DataTransfer,
    limit: u32,
) -> impl std::future::Future<Output = Result<Vec<(String, web_sys::File)>, JsValue>> {
    let started = dropped_files_js(data, limit);
    async move {
        let value = JsFuture::from(started?).await?;
        let mut files = Vec::new();
        for item in js_sys::Array::from(&value).iter() {
            let path = js_sys::Reflect::get(&item, &JsValue::from_str("path"))?
                .as_string()
                .unwrap_or_default();
            let file: web_sys::File = js_sys::Reflect::get(&item, &JsValue::from_str("file"))?
                .dyn_into()
                .map_err(|_| JsValue::from_str("a dropped item is not a file"))?;
            files.push((path, file));
        }
        Ok(files)
    }
}

/// Converts the dbt project in `files` with the dbt importer's module,
/// which the bridge fetches at the first call. A module that fails to load
/// or to run gives an error; the page's own module is not affected.
pub async fn import_dbt(
    files: &rocky_core::ProjectFiles,
) -> Result<crate::project_archive::DbtImported, String> {
    // A Map, not an object, so that no file name can be taken for one of
    // an object's own properties, such as `__proto__`.
    let files = serde_wasm_bindgen::to_value(files).map_err(|e| e.to_string())?;
    let promise = import_dbt_js(files).map_err(|e| error_message(&e))?;
    let value = await_promise(promise).await?;
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| format!("the dbt importer's result is invalid: {e}"))
}

/// Returns the revision of the session under `key` that this page read or
/// last wrote.
pub fn storage_revision(key: &str) -> Option<u64> {
    storage_revision_js(key)
        .ok()
        .flatten()
        .filter(|revision| revision.is_finite() && *revision >= 0.0)
        .map(|revision| revision as u64)
}

/// Makes the next save under `key` check for other tabs' saves against
/// `revision`, the revision of the copy the page shows.
pub fn storage_assume_revision(key: &str, revision: u64) {
    let _ = storage_assume_revision_js(key, revision as f64);
}

/// Reads the text of the session saved under `key`, or `None` when
/// nothing is saved. The error is the bridge's rejection, whose `name`
/// tells the cause.
pub async fn storage_load(key: &str) -> Result<Option<String>, JsValue> {
    let value = JsFuture::from(storage_load_js(key)?).await?;
    Ok(value.as_string())
}

/// Replaces the session saved under `key` with `text`; the error is the
/// bridge's rejection, a `ConflictError` when another tab saved since this
/// page read or wrote the session and `overwrite` is false. The bridge
/// starts the write before this returns, so a save started while the page
/// unloads is not left waiting for a later task.
pub fn storage_save(
    text: &str,
    key: &str,
    overwrite: bool,
) -> impl std::future::Future<Output = Result<(), JsValue>> {
    let started = storage_save_js(text, key, overwrite);
    async move { JsFuture::from(started?).await.map(drop) }
}

/// Returns the saved language model settings, or `None` when there are
/// none or they cannot be read.
pub fn assistant_settings_load() -> Option<String> {
    assistant_settings_load_js().ok()?.as_string()
}

/// Saves the language model settings in this browser; `None` removes them.
pub fn assistant_settings_save(text: Option<String>) -> Result<(), String> {
    assistant_settings_save_js(text).map_err(|e| error_message(&e))
}

/// A chat completions request as `assistantChat` takes it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatRequest<'a> {
    pub endpoint: &'a str,
    pub api_key: &'a str,
    pub model: &'a str,
    pub messages: &'a [rocky_core::intent::assist::ChatMessage],
    pub timeout_ms: u32,
}

/// The reply `assistantChat` resolves to.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ChatReply {
    pub content: String,
    pub model: Option<String>,
}

/// Sends a chat completions request to the user's endpoint.
pub async fn assistant_chat(request: &ChatRequest<'_>) -> Result<ChatReply, String> {
    let promise = assistant_chat_js(to_js(request)?).map_err(|e| error_message(&e))?;
    let value = await_promise(promise).await?;
    serde_wasm_bindgen::from_value(value).map_err(|e| format!("the bridge's reply is invalid: {e}"))
}

async fn await_promise(promise: Promise) -> Result<JsValue, String> {
    JsFuture::from(promise).await.map_err(|e| error_message(&e))
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, String> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())
}
