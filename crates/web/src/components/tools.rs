//! Export of the current branch as a .zip, import of a .zip into a new
//! branch, and the language model settings, in the top bar.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolsProps {
    /// The branch an export writes and an import forks from.
    pub branch: String,
    pub on_export: Callback<()>,
    /// Gets the .zip the user picked.
    pub on_import: Callback<web_sys::File>,
    /// Gets the files of the folder the user picked, with their paths.
    pub on_import_folder: Callback<Vec<(String, web_sys::File)>>,
    /// Opens the language model settings.
    pub on_assistant: Callback<()>,
    /// True when a language model is set up and turned on.
    pub assistant_on: bool,
    /// Opens the share dialog.
    pub on_share: Callback<()>,
    /// Opens the list of lessons.
    pub on_lessons: Callback<()>,
}

#[component]
pub fn Tools(props: &ToolsProps) -> Html {
    let input = use_node_ref();
    let folder_input = use_node_ref();
    let on_pick_folder = {
        let folder_input = folder_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = folder_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_folder_change = {
        let on_import_folder = props.on_import_folder.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let mut files = Vec::new();
            if let Some(list) = input.files() {
                for index in 0..list.length() {
                    let Some(file) = list.get(index) else {
                        continue;
                    };
                    let path = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
                        .ok()
                        .and_then(|value| value.as_string())
                        .filter(|path| !path.is_empty())
                        .unwrap_or_else(|| file.name());
                    files.push((path, file));
                }
            }
            input.set_value("");
            if !files.is_empty() {
                on_import_folder.emit(files);
            }
        })
    };
    let on_export = props.on_export.reform(|_: MouseEvent| ());
    let on_pick = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_change = {
        let on_import = props.on_import.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let file = input.files().and_then(|files| files.get(0));
            // Cleared, so picking the same file again fires another change.
            input.set_value("");
            if let Some(file) = file {
                on_import.emit(file);
            }
        })
    };
    html! {
        <div class="tools">
            <button
                class="tool-button"
                data-testid="lessons-button"
                title="Guided lessons on sample projects"
                onclick={props.on_lessons.reform(|_: MouseEvent| ())}
            >
                { "Lessons" }
            </button>
            <button
                class="tool-button"
                data-testid="share-button"
                title="Put the project and this view into a link, or an embed for docs"
                onclick={props.on_share.reform(|_: MouseEvent| ())}
            >
                { "Share" }
            </button>
            <button
                class="tool-button"
                data-testid="export-zip"
                title={format!("Download {} as a .zip in the Rocky folder layout, with build.sql for the DuckDB CLI", props.branch)}
                onclick={on_export}
            >
                { "Export .zip" }
            </button>
            <button
                class="tool-button"
                data-testid="import-zip"
                title={format!("Import a project .zip into a new branch forked from {}", props.branch)}
                onclick={on_pick}
            >
                { "Import .zip" }
            </button>
            <button
                class="tool-button"
                data-testid="import-folder"
                title={format!("Import a Rocky or dbt project folder into a new branch forked from {}; you can also drop a folder or .zip on the page", props.branch)}
                onclick={on_pick_folder}
            >
                { "Import folder" }
            </button>
            <button
                class="tool-button"
                data-testid="assistant-settings"
                data-state={if props.assistant_on { "on" } else { "off" }}
                title="Set up an optional language model that words explanations and proposes repairs"
                onclick={props.on_assistant.reform(|_: MouseEvent| ())}
            >
                { if props.assistant_on { "Language model: on" } else { "Language model: off" } }
            </button>
            <input
                type="file"
                accept=".zip,application/zip"
                class="import-input"
                data-testid="import-zip-input"
                hidden=true
                ref={input}
                onchange={on_change}
            />
            <input
                type="file"
                webkitdirectory=true
                multiple=true
                class="import-input"
                data-testid="import-folder-input"
                hidden=true
                ref={folder_input}
                onchange={on_folder_change}
            />
        </div>
    }
}
