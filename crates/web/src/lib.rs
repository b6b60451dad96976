//! Rocky's browser playground: the compiler, built to WebAssembly, behind a
//! Yew app that edits the bundled sample, shows diagnostics, schemas and
//! lineage, and runs the models in DuckDB-WASM through `window.rockyBridge`.
//!
//! The pure parts (state reducer, DAG layout, editor ranges, run planning)
//! have native unit tests; only the bridge calls need a browser.

pub mod assistant;
pub mod bench;
pub mod branch_names;
pub mod branch_ops;
pub mod bridge;
pub mod compare;
pub mod components;
pub mod crash;
pub mod dag;
pub mod download;
pub mod editor_diagnostics;
pub mod hooks;
pub mod launch;
pub mod lessons;
pub mod lineage;
pub mod model_info;
pub mod new_file;
pub mod plan_text;
pub mod problem_list;
pub mod project_archive;
pub mod promote;
pub mod run;
pub mod runner;
pub mod sample;
pub mod session;
pub mod startup;
pub mod state;
pub mod storage;
pub mod test_results;

use wasm_bindgen::prelude::*;

/// Mounts the app on `#app`, or on `<body>` when the page lacks it.
#[wasm_bindgen(start)]
pub fn start() {
    crash::install();
    let document = web_sys::window().and_then(|window| window.document());
    let root = document.as_ref().and_then(|document| {
        document
            .get_element_by_id("app")
            .or_else(|| document.body().map(Into::into))
    });
    match root {
        Some(root) => {
            // index.html puts a loading line in #app; Yew appends, so it goes first.
            root.set_inner_html("");
            yew::Renderer::<components::app::App>::with_root(root).render();
        }
        None => gloo::console::error!("Rocky playground: the page has no #app element to mount on"),
    }
}
