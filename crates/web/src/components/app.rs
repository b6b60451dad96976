//! The root component: owns the state and lays out the panels.

use std::rc::Rc;

use rocky_core::{compile, Diagnostic, Span};
use yew::prelude::*;

use crate::components::editor::{Editor, FileEdit};
use crate::components::file_list::{FileEntry, FileList, RunMark};
use crate::components::header::Header;
use crate::components::lineage_panel::LineagePanel;
use crate::components::lineage_view::LineageGraphView;
use crate::components::problems::Problems;
use crate::components::results_panel::ResultsPanel;
use crate::components::save_notice::SaveNotice;
use crate::components::schema_panel::SchemaPanel;
use crate::download::download_text;
use crate::editor_diagnostics::{editor_diagnostics, DocLines};
use crate::hooks::{
    use_debounced_compile, use_results_query, use_save_edits, use_save_open_path,
    use_unload_warning,
};
use crate::launch::Launch;
use crate::runner::run_project;
use crate::sample::sample_project;
use crate::state::{Action, AppState, ColumnRef, MainView, SharedCompilation};
use crate::storage;

#[component]
pub fn App() -> Html {
    let launch = *use_memo((), |_| Launch::from_location());
    let state = use_reducer(move || match launch.generated_files() {
        Some(files) => AppState::new_unsaved(files),
        None => AppState::new(sample_project(), storage::load_session()),
    });
    let dispatcher = state.dispatcher();
    use_debounced_compile(state.edit_count, dispatcher.clone());
    use_save_edits(&state);
    use_save_open_path(state.open_path.clone().filter(|_| state.persist));
    let save_failures: Vec<(String, storage::SaveError)> = state
        .save_failures()
        .into_iter()
        .map(|(path, error)| (path.to_string(), error.clone()))
        .collect();
    use_unload_warning(!save_failures.is_empty());
    let open_target = state.open_target();
    use_results_query(&state, open_target.clone(), dispatcher.clone());
    let download_failure = use_state(|| None::<String>);

    let on_edit = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |edit: FileEdit| {
            dispatcher.dispatch(Action::Edit {
                path: edit.path,
                text: edit.text,
            });
        })
    };
    let on_download = {
        let state = state.clone();
        let download_failure = download_failure.clone();
        Callback::from(move |path: String| {
            let Some(text) = state.files.get(&path) else {
                return;
            };
            match download_text(&path, text) {
                Ok(()) => download_failure.set(None),
                Err(message) => {
                    gloo::console::error!(format!("downloading {path} failed: {message}"));
                    download_failure.set(Some(format!("Downloading {path} failed: {message}")));
                }
            }
        })
    };
    let on_download_open = {
        let on_download = on_download.clone();
        let open_path = state.open_path.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(path) = open_path.clone() {
                on_download.emit(path);
            }
        })
    };
    let on_open = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |path: String| dispatcher.dispatch(Action::Open { path, select: None }))
    };
    let on_reveal = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |(path, span): (String, Span)| {
            dispatcher.dispatch(Action::Reveal { path, span })
        })
    };
    let on_select = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |column: ColumnRef| dispatcher.dispatch(Action::Select(column)))
    };
    let on_clear_selection = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |()| dispatcher.dispatch(Action::ClearSelection))
    };
    let on_show_view = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |view: MainView| dispatcher.dispatch(Action::ShowView(view)))
    };
    let on_open_column = {
        let dispatcher = dispatcher.clone();
        let compilation = state.compilation.clone();
        Callback::from(move |column: ColumnRef| {
            if let Some(path) = file_of(&compilation, &column.model) {
                dispatcher.dispatch(Action::Open {
                    path,
                    select: Some(column),
                });
            }
        })
    };
    let on_open_target = {
        let on_open = on_open.clone();
        let compilation = state.compilation.clone();
        Callback::from(move |name: String| {
            if let Some(path) = file_of(&compilation, &name) {
                on_open.emit(path);
            }
        })
    };
    let on_run = {
        let dispatcher = dispatcher.clone();
        let compilation = state.compilation.clone();
        let files = state.files.clone();
        let busy = state.run.phase.is_busy();
        let stale = state.needs_compile().then_some(state.edit_count);
        Callback::from(move |()| {
            if busy {
                return;
            }
            // Within the debounce delay after an edit the compilation is
            // older than the files, and the run must build the files' text.
            let compilation = match stale {
                Some(edit_count) => {
                    let fresh = SharedCompilation(Rc::new(compile(&files)));
                    dispatcher.dispatch(Action::Compiled {
                        compilation: fresh.clone(),
                        edit_count,
                    });
                    fresh
                }
                None => compilation.clone(),
            };
            let (files, dispatcher) = (files.clone(), dispatcher.clone());
            wasm_bindgen_futures::spawn_local(async move {
                run_project(&compilation, &files, dispatcher).await;
            });
        })
    };
    let on_reset = {
        let dispatcher = dispatcher.clone();
        let persist = state.persist;
        Callback::from(move |()| {
            // A generated project's reset must not remove the sample's edits.
            if persist {
                storage::clear_saved_files();
            }
            dispatcher.dispatch(Action::ResetSample);
        })
    };

    let open_path = state.open_path.clone();
    let doc = state.open_text().to_string();
    let open_diagnostics = open_file_diagnostics(&state);
    let editor_ranges = open_path
        .as_deref()
        .map(|path| editor_diagnostics(&open_diagnostics, path, &doc))
        .unwrap_or_default();
    // Only a compile or another open file changes it, not every keystroke.
    let model_info = {
        let state = state.clone();
        use_memo(
            (state.compile_count, open_path.clone()),
            move |(_, path)| {
                path.as_deref()
                    .and_then(|path| state.editor_model_info(path))
            },
        )
    };
    let reveal = state
        .reveal
        .as_ref()
        .filter(|reveal| Some(&reveal.path) == open_path.as_ref())
        .map(|reveal| (reveal.request, DocLines::new(&doc).range(reveal.span)));
    let project = match state.compilation.project.as_str() {
        "" => "untitled project".to_string(),
        name => name.to_string(),
    };

    html! {
        <div class={classes!("app", (state.main_view == MainView::Lineage).then_some("lineage-active"))}>
            <Header
                {project}
                errors={state.count(rocky_core::Severity::Error)}
                warnings={state.count(rocky_core::Severity::Warning)}
                compile_count={state.compile_count}
                run_phase={state.run.phase}
                run_message={state.run.message.clone()}
                edited_files={state.edited_count()}
                {on_run}
                {on_reset}
            />
            <aside class="sidebar">
                <FileList files={file_entries(&state)} open_path={open_path.clone()} on_open={on_open.clone()} />
            </aside>
            <main class="editor-pane">
                <SaveNotice failures={save_failures} {on_download} />
                if let Some(message) = (*download_failure).clone() {
                    <p class="download-error" role="alert">{ message }</p>
                }
                { main_tabs(state.main_view, &on_show_view) }
                <div class="editor-view" id="main-view-editor" role="tabpanel" hidden={state.main_view != MainView::Editor}>
                <div class="editor-title">
                    <span class="editor-path">{ open_path.clone().unwrap_or_default() }</span>
                    if open_path.as_deref().is_some_and(|path| state.is_edited(path)) {
                        <span class="file-edited">{ "edited" }</span>
                    }
                    <button
                        class="download-button"
                        data-testid="download-button"
                        data-path={open_path.clone()}
                        disabled={open_path.is_none()}
                        title="Save the open file's current text as a file on this computer"
                        onclick={on_download_open}
                    >
                        { "Download" }
                    </button>
                </div>
                <Editor
                    path={open_path.clone()}
                    {doc}
                    diagnostics={editor_ranges}
                    compile_count={state.compile_count}
                    {reveal}
                    {model_info}
                    on_change={on_edit}
                />
                <Problems
                    groups={state.project_problems()}
                    counts={state.problem_counts()}
                    {on_reveal}
                />
                </div>
                <div class="graph-view" id="main-view-lineage" role="tabpanel" hidden={state.main_view != MainView::Lineage}>
                    <LineageGraphView
                        compilation={state.compilation.clone()}
                        open_table={open_target.as_ref().map(|target| target.name.clone())}
                        selected={state.selected.clone()}
                        visible={state.main_view == MainView::Lineage}
                        on_select={on_select.clone()}
                        on_clear={on_clear_selection}
                        on_open_table={on_open_target.clone()}
                    />
                </div>
            </main>
            <aside class="inspector">
                <SchemaPanel
                    tables={state.schema_of_open_file()}
                    selected={state.selected.clone()}
                    {on_select}
                />
                <LineagePanel
                    compilation={state.compilation.clone()}
                    open_path={open_path.clone()}
                    selected={state.selected.clone()}
                    on_open_file={on_open}
                    {on_open_column}
                />
            </aside>
            <ResultsPanel
                run={state.run.clone()}
                results={state.results.clone()}
                {open_target}
                stale={state.edited_since_run()}
                {on_open_target}
            />
        </div>
    }
}

/// Returns the tabs that switch the main pane between the editor and the
/// lineage graph.
fn main_tabs(current: MainView, on_show_view: &Callback<MainView>) -> Html {
    let tab = |view: MainView, label: &str| {
        let active = view == current;
        html! {
            <button
                class={classes!("main-tab", active.then_some("active"))}
                role="tab"
                data-testid="main-tab"
                data-view={view.as_str()}
                aria-selected={active.to_string()}
                aria-controls={format!("main-view-{}", view.as_str())}
                onclick={on_show_view.reform(move |_: MouseEvent| view)}
            >
                { label.to_string() }
            </button>
        }
    };
    html! {
        <div class="main-tabs" role="tablist" aria-label="Main view">
            { tab(MainView::Editor, "SQL editor") }
            { tab(MainView::Lineage, "Lineage graph") }
        </div>
    }
}

/// Returns the file that defines a model or source, by name.
fn file_of(compilation: &SharedCompilation, name: &str) -> Option<String> {
    compilation
        .model(name)
        .map(|model| model.file.clone())
        .or_else(|| compilation.source(name).map(|source| source.file.clone()))
        .filter(|file| !file.is_empty())
}

/// Returns the open file's diagnostics, the latest run's included, in line order.
fn open_file_diagnostics(state: &AppState) -> Vec<Diagnostic> {
    state
        .open_path
        .as_deref()
        .map(|path| state.file_diagnostics(path))
        .unwrap_or_default()
}

fn file_entries(state: &AppState) -> Vec<FileEntry> {
    let diagnostics = &state.compilation.diagnostics;
    state
        .files
        .keys()
        .map(|path| {
            let in_file = || diagnostics.iter().filter(|d| &d.file == path);
            FileEntry {
                path: path.clone(),
                edited: state.is_edited(path),
                errors: in_file().filter(|d| d.is_error()).count(),
                warnings: in_file()
                    .filter(|d| d.severity == rocky_core::Severity::Warning)
                    .count(),
                run_mark: run_mark(state, path),
            }
        })
        .collect()
}

/// Returns the run mark of the model SQL or source declaration at `path`;
/// sidecars and CSV files get none, so each failure is marked once.
fn run_mark(state: &AppState, path: &str) -> Option<RunMark> {
    let compilation = &state.compilation;
    let models = compilation
        .models
        .iter()
        .filter(|model| model.file == path)
        .map(|model| &model.name);
    let sources = compilation
        .sources
        .iter()
        .filter(|source| source.file == path)
        .map(|source| &source.name);
    let mut names: Vec<&String> = models.chain(sources).collect();
    // A failure outranks a skip when a file declares several sources.
    names.sort_by_key(|name| !state.run.has_failed(name));
    names.into_iter().find_map(|name| {
        let reason = state.run.not_built_reason(name)?;
        Some(RunMark {
            failed: state.run.has_failed(name),
            reason,
        })
    })
}
