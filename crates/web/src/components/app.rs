//! The root component: reads the saved session, then owns the state and
//! lays out the panels.

use std::collections::HashMap;
use std::rc::Rc;

use rocky_core::branch::plan::plan_branch;
use rocky_core::branch::Resolution;
use rocky_core::{compile, Diagnostic, Span};
use yew::prelude::*;

use crate::assistant::AssistantSettings;
use crate::branch_ops::{self, AfterRun};
use crate::compare::CompareSide;
use crate::components::assistant_dialog::AssistantDialog;
use crate::components::branch_bar::{BranchBar, BranchButton};
use crate::components::branch_dialog::BranchDialog;
use crate::components::compare_view::CompareView;
use crate::components::confirm_dialog::{ConfirmDialog, Confirmation};
use crate::components::editor::{Editor, FileEdit};
use crate::components::embed_view::EmbedView;
use crate::components::file_list::{FileEntry, FileList, RunMark};
use crate::components::header::{Header, SaveStatus};
use crate::components::intent_panel::IntentPanel;
use crate::components::lesson_panel::LessonPanel;
use crate::components::lessons_dialog::LessonsDialog;
use crate::components::lineage_panel::LineagePanel;
use crate::components::lineage_view::LineageGraphView;
use crate::components::problems::Problems;
use crate::components::promote_dialog::PromoteDialogView;
use crate::components::results_panel::ResultsPanel;
use crate::components::save_notice::SaveNotice;
use crate::components::schema_panel::SchemaPanel;
use crate::components::share_dialog::ShareDialog;
use crate::components::tools::Tools;
use crate::download::download_text;
use crate::editor_diagnostics::{editor_diagnostics, DocLines};
use crate::hooks::{
    use_debounced_compile, use_first_compile, use_results_query, use_save_session,
    use_unload_warning,
};
use crate::launch::Launch;
use crate::session::UnsavedFile;
use crate::startup::{self, Startup, StartupHandle};
use crate::state::{
    Action, AppState, BranchAction, ColumnRef, Dialog, MainView, PromoteAction, SharedCompilation,
};

/// Reads the saved session, then shows the playground. A generated
/// project starts at once, since nothing of it is saved, and so does the
/// embedded lineage view of a share link, which reads no saved work.
#[component]
pub fn App() -> Html {
    let launch = *use_memo((), |_| Launch::from_location());
    let hash = use_memo((), |_| location_hash());
    let embedded = use_memo((), {
        let hash = hash.clone();
        move |_| embedded_link(&hash)
    });
    let startup = use_state(|| {
        if let Some((link, fragment)) = embedded.as_ref() {
            // A link whose compile crashed the embed would crash it at
            // every load of the docs page, so it opens paused too.
            return Some(StartupHandle(Rc::new(Startup {
                crash: crate::bridge::last_crash(),
                ..Startup::embedded(link.clone(), fragment)
            })));
        }
        launch
            .generated_files()
            .map(|files| StartupHandle(Rc::new(Startup::unsaved(files))))
    });
    {
        let startup = startup.clone();
        let hash = hash.clone();
        use_effect_with((), move |_| {
            if startup.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    let loaded = startup::load(&hash).await;
                    startup.set(Some(StartupHandle(Rc::new(loaded))));
                });
            }
        });
    }
    use_reload_on_share_link();
    match (&*startup, embedded.is_some()) {
        (None, _) => html! { <p class="app-loading">{ "Loading your saved work…" }</p> },
        (Some(startup), true) => html! { <EmbedView startup={startup.clone()} /> },
        (Some(startup), false) => html! { <Playground startup={startup.clone()} /> },
    }
}

/// Returns the page URL's fragment, with its `#`, or an empty string.
fn location_hash() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
}

/// Returns the decoded link and its fragment when the URL asks for the
/// embedded view of a share link that decodes. A link that does not
/// decode opens the full page, which reports the error.
fn embedded_link(hash: &str) -> Option<(rocky_core::share::DecodedLink, String)> {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    let link = rocky_core::share::decode_fragment(fragment).ok()?;
    link.embed.then(|| (link, fragment.to_string()))
}

/// Reloads the page when its fragment changes to a share link or a
/// lesson, as when a link is pasted into an open page or a lesson is
/// picked. The browser does not load the page again for a new fragment.
/// The session is saved on `pagehide` before the reload.
#[hook]
fn use_reload_on_share_link() {
    use_effect_with((), |_| {
        let listener = web_sys::window().map(|window| {
            gloo::events::EventListener::new(&window, "hashchange", |_| {
                let hash = location_hash();
                if rocky_core::share::is_share_fragment(&hash)
                    || crate::lessons::fragment_lesson(&hash).is_some()
                {
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().reload();
                    }
                }
            })
        });
        move || drop(listener)
    });
}

#[derive(Properties, PartialEq)]
struct PlaygroundProps {
    startup: StartupHandle,
}

#[component]
fn Playground(props: &PlaygroundProps) -> Html {
    let startup = props.startup.clone();
    let state = use_reducer(move || startup.0.state());
    let dispatcher = state.dispatcher();
    use_debounced_compile(state.edit_count, dispatcher.clone());
    use_first_compile(&state);
    use_save_session(&state);
    let unsaved: Vec<UnsavedFile> = state.save.unsaved(&state.workspace);
    let memory_only = state.save.disabled.is_some() && state.save.revision > 0;
    use_unload_warning(
        state.persist && !state.save.leaving && (state.save.error.is_some() || memory_only),
    );
    let open_target = state.open_target();
    use_results_query(&state, open_target.clone(), dispatcher.clone());
    let download_failure = use_state(|| None::<String>);
    let assistant = use_state(AssistantSettings::load);
    let share_open = use_state(|| false);
    let lessons_open = use_state(|| false);
    let lesson = use_memo(props.startup.0.lesson.clone(), |id| {
        id.as_deref().and_then(crate::lessons::find).map(Rc::new)
    });
    let progress = use_state(crate::lessons::Progress::load);
    let answer = use_state(|| None::<usize>);
    let confirming = use_state(|| None::<Confirmation>);
    use_lesson_progress(&state, (*lesson).clone(), &progress, &answer);
    // The settings dialog, with the error of its last save.
    let assistant_dialog = use_state(|| None::<Option<String>>);

    // The plan of the next run, recomputed when the compile or the branch
    // changes, or a run of it or its parent ends. Counters stand in for the
    // records, which are large on a generated project.
    let plan = {
        let parent = state.parent().map(str::to_string);
        let parent_runs = parent
            .as_deref()
            .map(|parent| state.run_of(parent).run.finished_runs);
        let deps = (
            state.compile_count,
            state.branch.clone(),
            state.current_run().run.finished_runs,
            parent,
            parent_runs,
        );
        let state = state.clone();
        use_memo(deps, move |(_, branch, _, parent, _)| {
            let record = state.current_run().record.as_ref();
            let parent_record = parent
                .as_deref()
                .and_then(|parent| state.run_of(parent).record.as_ref());
            plan_branch(
                branch,
                &state.files,
                &state.compilation,
                record,
                parent_record,
            )
        })
    };
    let compare_parent = use_compare_parent(&state);

    let on_edit = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |edit: FileEdit| {
            dispatcher.dispatch(Action::Edit {
                branch: edit.branch,
                path: edit.path,
                text: edit.text,
            });
        })
    };
    let on_download = {
        let state = state.clone();
        let download_failure = download_failure.clone();
        Callback::from(move |file: UnsavedFile| {
            let text = state
                .workspace
                .branch(&file.branch)
                .ok()
                .and_then(|branch| branch.file(&file.path).map(str::to_string));
            let Some(text) = text else {
                return;
            };
            match download_text(&file.path, &text) {
                Ok(()) => download_failure.set(None),
                Err(message) => {
                    gloo::console::error!(format!("downloading {} failed: {message}", file.path));
                    download_failure
                        .set(Some(format!("Downloading {} failed: {message}", file.path)));
                }
            }
        })
    };
    let on_download_open = {
        let on_download = on_download.clone();
        let open = state.open_path.clone().map(|path| UnsavedFile {
            branch: state.branch.clone(),
            path,
        });
        Callback::from(move |_: MouseEvent| {
            if let Some(file) = open.clone() {
                on_download.emit(file);
            }
        })
    };
    let on_open = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |path: String| dispatcher.dispatch(Action::Open { path, select: None }))
    };
    let on_create = {
        let state = state.clone();
        Callback::from(move |typed: String| {
            let path = crate::new_file::new_file_path(&typed, &state.files)?;
            let text = crate::new_file::starting_text(&path);
            state.dispatch(Action::WriteFile {
                branch: state.branch.clone(),
                path: path.clone(),
                text,
            });
            state.dispatch(Action::ShowView(MainView::Editor));
            state.dispatch(Action::Open { path, select: None });
            Ok(())
        })
    };
    let on_delete_open = {
        let state = state.clone();
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(path) = state.open_path.clone() else {
                return;
            };
            let branch = state.branch.clone();
            let on_accept = {
                let state = state.clone();
                let (branch, path) = (branch.clone(), path.clone());
                Callback::from(move |()| {
                    state.dispatch(Action::DeleteFile {
                        branch: branch.clone(),
                        path: path.clone(),
                    })
                })
            };
            confirming.set(Some(Confirmation {
                kind: "delete-file",
                title: format!("Delete {path}?"),
                question: format!(
                    "Delete {path} from the branch {branch}? Its text is gone from this branch \
                     unless you export it first."
                ),
                action: "Delete",
                on_accept,
            }));
        })
    };
    let on_keep_mine = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |()| dispatcher.dispatch(Action::OverwriteOtherTab))
    };
    let on_take_other = {
        let dispatcher = dispatcher.clone();
        let key = state.session_key.clone();
        Callback::from(move |()| {
            dispatcher.dispatch(Action::TakeOtherTab);
            let key = key.clone();
            // After the render that drops the unload warning and stops
            // saving, so the reload neither asks nor keeps this tab's copy.
            gloo::timers::callback::Timeout::new(0, move || {
                crate::storage::clear_unload_copy(&key);
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            })
            .forget();
        })
    };
    let on_reveal = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |(path, span): (String, Span)| {
            dispatcher.dispatch(Action::Reveal { path, span })
        })
    };
    let on_compare_open = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |(path, span): (String, Option<Span>)| {
            dispatcher.dispatch(Action::ShowView(MainView::Editor));
            match span {
                Some(span) => dispatcher.dispatch(Action::Reveal { path, span }),
                None => dispatcher.dispatch(Action::Open { path, select: None }),
            }
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
    let on_write = {
        let dispatcher = dispatcher.clone();
        let branch = state.branch.clone();
        Callback::from(move |(path, text): (String, String)| {
            dispatcher.dispatch(Action::WriteFile {
                branch: branch.clone(),
                path,
                text,
            });
        })
    };
    let on_assistant_open = {
        let assistant_dialog = assistant_dialog.clone();
        Callback::from(move |()| assistant_dialog.set(Some(None)))
    };
    let on_assistant_close = {
        let assistant_dialog = assistant_dialog.clone();
        Callback::from(move |()| assistant_dialog.set(None))
    };
    let on_assistant_save = {
        let assistant = assistant.clone();
        let assistant_dialog = assistant_dialog.clone();
        Callback::from(move |settings: AssistantSettings| match settings.save() {
            Ok(()) => {
                assistant.set(settings);
                assistant_dialog.set(None);
            }
            Err(message) => assistant_dialog.set(Some(Some(message))),
        })
    };
    let on_share = {
        let share_open = share_open.clone();
        Callback::from(move |()| share_open.set(true))
    };
    let on_lessons = {
        let lessons_open = lessons_open.clone();
        Callback::from(move |()| lessons_open.set(true))
    };
    let on_lessons_close = {
        let lessons_open = lessons_open.clone();
        Callback::from(move |()| lessons_open.set(false))
    };
    let on_share_close = {
        let share_open = share_open.clone();
        Callback::from(move |()| share_open.set(false))
    };
    let on_run = {
        let state = state.clone();
        Callback::from(move |()| branch_ops::run_current(&state, AfterRun::Nothing))
    };
    let on_reset = {
        let state = state.clone();
        Callback::from(move |()| branch_ops::reset_sample(&state))
    };
    let on_switch = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |name: String| {
            dispatcher.dispatch(Action::Branch(BranchAction::Switch(name)))
        })
    };
    let on_branch_button = {
        let state = state.clone();
        Callback::from(move |button: BranchButton| {
            let dialog = match button {
                BranchButton::New => Dialog::NewBranch { error: None },
                BranchButton::Rename => Dialog::RenameBranch { error: None },
                BranchButton::Reset => Dialog::ConfirmReset,
                BranchButton::Delete => Dialog::ConfirmDelete { error: None },
                BranchButton::Promote => return branch_ops::open_promote(&state),
            };
            state.dispatch(Action::ShowDialog(Some(dialog)));
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
    let entry = state.current_run();
    let run_busy = state.any_run_busy() || promote_running(&state);
    let parent = state.parent().map(str::to_string);
    let branches: Vec<String> = state
        .workspace
        .branches()
        .iter()
        .map(|branch| branch.name.clone())
        .collect();
    let changed_files = state
        .workspace
        .branch(&state.branch)
        .map(|branch| branch.changed_files().len())
        .unwrap_or(0);
    let tools = html! {
        <Tools
            branch={state.branch.clone()}
            on_export={{ let state = state.clone(); Callback::from(move |()| branch_ops::export_current(&state)) }}
            on_import={{ let state = state.clone(); Callback::from(move |file| branch_ops::import_file(&state, file)) }}
            on_import_folder={{ let state = state.clone(); Callback::from(move |files| branch_ops::import_folder(&state, files)) }}
            on_assistant={on_assistant_open.clone()}
            on_share={on_share}
            on_lessons={on_lessons.clone()}
            assistant_on={assistant.is_ready()}
        />
    };

    html! {
        <div class={classes!("app", (state.main_view == MainView::Lineage).then_some("lineage-active"))}
            ondragover={Callback::from(|event: DragEvent| {
                // Without this the browser opens the dropped file instead.
                if event.data_transfer().is_some_and(|data| data.types().includes(&"Files".into(), 0)) {
                    event.prevent_default();
                }
            })}
            ondrop={{
                let state = state.clone();
                Callback::from(move |event: DragEvent| {
                    let Some(data) = event.data_transfer() else {
                        return;
                    };
                    if !data.types().includes(&"Files".into(), 0) {
                        return;
                    }
                    event.prevent_default();
                    branch_ops::import_drop(&state, data);
                })
            }}
        >
            <div class="top">
            <Header
                {project}
                save_status={save_status(&state)}
                errors={state.count(rocky_core::Severity::Error)}
                warnings={state.count(rocky_core::Severity::Warning)}
                compile_count={state.compile_count}
                compile_current={!state.needs_compile()}
                compile_paused={state.paused().is_some()}
                branch={state.branch.clone()}
                run_phase={entry.run.phase}
                run_message={entry.run.message.clone()}
                run_busy={run_busy || state.paused().is_some()}
                edited_files={state.edited_count()}
                branches={state.branch_count()}
                {on_run}
                on_cancel_run={Callback::from(|()| crate::runner::cancel_run())}
                {on_reset}
                {tools}
            />
            <div class="branch-row">
                <BranchBar
                    {branches}
                    current={state.branch.clone()}
                    parent={parent.clone()}
                    {changed_files}
                    busy={run_busy || state.working}
                    {on_switch}
                    on_button={on_branch_button}
                />
            </div>
            </div>
            <aside class="sidebar">
                <FileList files={file_entries(&state)} open_path={open_path.clone()} on_open={on_open.clone()} {on_create} />
            </aside>
            <main class="editor-pane">
                if let Some(lesson) = (*lesson).clone() {
                    { lesson_panel(&state, lesson, &progress, &answer, on_lessons.clone(), &confirming) }
                }
                { shared_banner(&state) }
                { paused_banner(&state, &dispatcher, PAUSED_TEXT) }
                { notice(&state, &dispatcher) }
                <SaveNotice
                    error={state.save.error.clone()}
                    disabled={state.save.disabled.clone()}
                    {unsaved}
                    {on_download}
                    {on_keep_mine}
                    {on_take_other}
                />
                if let Some(message) = (*download_failure).clone() {
                    <p class="download-error" role="alert">{ message }</p>
                }
                { main_tabs(state.main_view, parent.as_deref(), &on_show_view) }
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
                    <button
                        class="download-button"
                        data-testid="delete-file"
                        disabled={open_path.is_none()}
                        title="Delete the open file from this branch"
                        onclick={on_delete_open}
                    >
                        { "Delete" }
                    </button>
                </div>
                <Editor
                    branch={state.branch.clone()}
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
                if state.main_view == MainView::Compare {
                    <div class="compare-pane" id="main-view-compare" role="tabpanel">
                        if let Some(parent_side) = compare_parent {
                            <CompareView
                                parent={parent_side}
                                branch={branch_side(&state)}
                                on_open={on_compare_open}
                                assistant={(*assistant).clone()}
                                on_write={on_write.clone()}
                                lost_database={state.tables_lost}
                                on_lost_database={{
                                    let (dispatcher, branch) = (dispatcher.clone(), state.branch.clone());
                                    Callback::from(move |()| crate::runner::notice_lost_database(&dispatcher, &branch))
                                }}
                            />
                        }
                    </div>
                }
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
                <IntentPanel
                    compilation={state.compilation.clone()}
                    files={Rc::clone(&state.files)}
                    model={open_target.as_ref().filter(|target| target.kind == crate::state::TargetKind::Model).map(|target| target.name.clone())}
                    assistant={(*assistant).clone()}
                    on_write={on_write}
                    on_settings={on_assistant_open}
                />
            </aside>
            <ResultsPanel
                branch={state.branch.clone()}
                parent={parent}
                run={entry.run.clone()}
                has_record={entry.record.is_some()}
                relation={open_target.as_ref().and_then(|target| state.relation_of(&target.name))}
                plan={plan}
                tests={entry.tests.clone()}
                results={state.results.clone()}
                {open_target}
                stale={state.edited_since_run()}
                {on_open_target}
            />
            { dialog(&state) }
            if *lessons_open {
                <LessonsDialog
                    progress={(*progress).clone()}
                    current={props.startup.0.lesson.clone()}
                    on_close={on_lessons_close}
                />
            }
            if *share_open {
                <ShareDialog
                    project={Rc::new(shared_project(&state))}
                    on_export={{ let state = state.clone(); Callback::from(move |()| branch_ops::export_current(&state)) }}
                    on_close={on_share_close}
                />
            }
            if let Some(error) = (*assistant_dialog).clone() {
                <AssistantDialog
                    settings={(*assistant).clone()}
                    {error}
                    on_save={on_assistant_save}
                    on_close={on_assistant_close}
                />
            }
            if let Some(confirmation) = (*confirming).clone() {
                <ConfirmDialog
                    {confirmation}
                    on_close={{ let confirming = confirming.clone(); Callback::from(move |()| confirming.set(None)) }}
                />
            }
        </div>
    }
}

/// Moves the open lesson to its next step when the current step's check
/// passes, and saves the progress.
#[hook]
fn use_lesson_progress(
    state: &UseReducerHandle<AppState>,
    lesson: Option<Rc<rocky_core::lessons::Lesson>>,
    progress: &UseStateHandle<crate::lessons::Progress>,
    answer: &UseStateHandle<Option<usize>>,
) {
    let passed = lesson.as_ref().and_then(|lesson| {
        let done = progress.steps_done(&lesson.id);
        (done < lesson.steps.len() && crate::lessons::step_passes(lesson, done, state, **answer))
            .then(|| (lesson.id.clone(), done))
    });
    let progress = progress.clone();
    let answer = answer.clone();
    use_effect_with(passed, move |passed| {
        if let Some((id, done)) = passed {
            let next = progress.with(id, done + 1);
            if !next.save() {
                gloo::console::warn!("the lesson progress could not be saved in this browser");
            }
            progress.set(next);
            answer.set(None);
        }
    });
}

/// Returns the panel of the open lesson.
fn lesson_panel(
    state: &UseReducerHandle<AppState>,
    lesson: Rc<rocky_core::lessons::Lesson>,
    progress: &UseStateHandle<crate::lessons::Progress>,
    answer: &UseStateHandle<Option<usize>>,
    on_lessons: Callback<()>,
    confirming: &UseStateHandle<Option<Confirmation>>,
) -> Html {
    let done = progress.steps_done(&lesson.id);
    let number = crate::lessons::all()
        .iter()
        .position(|other| other.id == lesson.id)
        .map_or(1, |index| index + 1);
    let next = crate::lessons::next_after(&lesson.id).map(|next| (next.id, next.title));
    let on_answer = {
        let answer = answer.clone();
        Callback::from(move |choice: usize| answer.set(Some(choice)))
    };
    let on_restart = {
        let state = state.clone();
        let progress = progress.clone();
        let answer = answer.clone();
        let id = lesson.id.clone();
        let confirming = confirming.clone();
        let title = lesson.title.clone();
        Callback::from(move |()| {
            let on_accept = {
                let (state, progress, answer, id) =
                    (state.clone(), progress.clone(), answer.clone(), id.clone());
                Callback::from(move |()| {
                    let next = progress.with(&id, 0);
                    next.save();
                    progress.set(next);
                    answer.set(None);
                    branch_ops::reset_sample(&state);
                    state.dispatch(Action::ClearSelection);
                    state.dispatch(Action::ShowView(MainView::Editor));
                })
            };
            confirming.set(Some(Confirmation {
                kind: "restart-lesson",
                title: format!("Restart {title}?"),
                question: "The lesson's project goes back to its starting files, and your edits \
                           to it are lost."
                    .to_string(),
                action: "Restart",
                on_accept,
            }));
        })
    };
    html! {
        <LessonPanel
            {lesson}
            {number}
            {done}
            answer={**answer}
            {on_answer}
            {on_restart}
            {on_lessons}
            {next}
        />
    }
}

/// Returns what a share link of the current view carries: the current
/// branch's files, its name, the open file, the selected column and the
/// main view.
fn shared_project(state: &AppState) -> rocky_core::share::SharedProject {
    rocky_core::share::SharedProject {
        files: (*state.files).clone(),
        branch: state.branch.clone(),
        open_path: state.open_path.clone(),
        model: state
            .selected
            .as_ref()
            .map(|selected| selected.model.clone()),
        column: state
            .selected
            .as_ref()
            .map(|selected| selected.column.clone()),
        view: Some(state.main_view.as_str().to_string()),
    }
}

/// Returns the line that says the project came from a share link, with a
/// way back to the user's own project, which the link left untouched.
fn shared_banner(state: &AppState) -> Html {
    if state.shared.is_none() {
        return html! {};
    }
    let on_own = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let location = window.location();
            let path = location.pathname().unwrap_or_else(|_| "/".to_string());
            // Loading the address without its fragment opens the own project.
            let _ = location.assign(&path);
        }
    });
    html! {
        <p class="shared-banner" data-testid="shared-banner" role="status">
            <span>
                { "This is a shared project, opened from a link. Your edits to it are saved in this browser apart from your own project, which the link did not change." }
            </span>
            <button class="link-button" data-testid="open-own-project" onclick={on_own}>{ "Open my project" }</button>
        </p>
    }
}

/// The paused notice of the playground.
const PAUSED_TEXT: &str = "The page stopped after an internal error the last time, so your files are open without being compiled: if compiling them is what failed, you can change or export them first. Nothing is compiled, checked or run until you choose to compile.";

/// Renders the notice of a page opened after a crash, with compiling
/// paused until the user resumes it, saying `text`.
pub fn paused_banner(
    state: &AppState,
    dispatcher: &UseReducerDispatcher<AppState>,
    text: &str,
) -> Html {
    let Some(message) = state.paused() else {
        return html! {};
    };
    let on_resume = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| {
            // Should the compile crash again, the crash notice records it
            // anew and the next load pauses again.
            crate::bridge::clear_last_crash();
            dispatcher.dispatch(Action::ResumeCompiling);
        })
    };
    html! {
        <section class="paused-notice" data-testid="paused-notice" role="alert">
            <p>{ text }</p>
            <pre class="paused-message">{ message }</pre>
            <button data-testid="resume-compiling" onclick={on_resume}>{ "Compile now" }</button>
        </section>
    }
}

fn save_status(state: &AppState) -> SaveStatus {
    if !state.persist || state.save.disabled.is_some() {
        SaveStatus::Off
    } else if state.save.error.is_some() {
        SaveStatus::Failed
    } else if state.save.is_saved() {
        SaveStatus::Saved
    } else {
        SaveStatus::Pending
    }
}

fn promote_running(state: &AppState) -> bool {
    matches!(&state.dialog, Some(Dialog::Promote(dialog)) if dialog.running)
}

/// Returns the current branch as a side of the compare view.
fn branch_side(state: &AppState) -> CompareSide {
    CompareSide {
        name: state.branch.clone(),
        files: Rc::clone(&state.files),
        compilation: Rc::clone(&state.compilation.0),
        record: state.current_run().record.clone().map(Rc::new),
    }
}

/// Returns the parent of the current branch as a side of the compare
/// view while that view is shown, compiled once per revision of the
/// parent.
#[hook]
fn use_compare_parent(state: &AppState) -> Option<CompareSide> {
    let parent = state
        .parent()
        .filter(|_| state.main_view == MainView::Compare)
        .and_then(|name| state.workspace.branch(name).ok())
        .map(|branch| (branch.name.clone(), branch.revision));
    let workspace = Rc::clone(&state.workspace);
    let compiled = use_memo(parent, move |parent| {
        let (name, _) = parent.as_ref()?;
        let files = workspace.files(name).ok()?;
        let compilation = compile(&files);
        Some((name.clone(), Rc::new(files), Rc::new(compilation)))
    });
    let (name, files, compilation) = compiled.as_ref().clone()?;
    Some(CompareSide {
        record: state.run_of(&name).record.clone().map(Rc::new),
        name,
        files,
        compilation,
    })
}

/// Returns the notice of the latest branch action, with a close button.
fn notice(state: &AppState, dispatcher: &UseReducerDispatcher<AppState>) -> Html {
    let Some(notice) = &state.notice else {
        return html! {};
    };
    let on_close = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::ShowNotice(None)))
    };
    html! {
        <p
            class={classes!("branch-notice", notice.is_error.then_some("error"))}
            data-testid="branch-notice"
            data-kind={if notice.is_error { "error" } else { "info" }}
            role={if notice.is_error { "alert" } else { "status" }}
        >
            <span>{ &notice.text }</span>
            <button class="link-button" data-testid="branch-notice-close" onclick={on_close}>{ "Close" }</button>
        </p>
    }
}

/// Returns the open dialog of a branch action.
fn dialog(state: &UseReducerHandle<AppState>) -> Html {
    let Some(dialog) = state.dialog.clone() else {
        return html! {};
    };
    let on_close = {
        let dispatcher = state.dispatcher();
        let running = promote_running(state) || state.working;
        Callback::from(move |()| {
            if !running {
                dispatcher.dispatch(Action::ShowDialog(None));
            }
        })
    };
    if let Dialog::Promote(promote) = dialog {
        let dispatcher = state.dispatcher();
        let on_side = {
            let dispatcher = dispatcher.clone();
            Callback::from(move |(path, side): (String, Resolution)| {
                dispatcher.dispatch(Action::Promote(PromoteAction::SetSide { path, side }))
            })
        };
        let on_confirm = Callback::from(move |confirmed: bool| {
            dispatcher.dispatch(Action::Promote(PromoteAction::Confirm(confirmed)))
        });
        let on_submit = {
            let state = state.clone();
            Callback::from(move |()| branch_ops::submit_promote(&state))
        };
        return html! {
            <PromoteDialogView dialog={*promote} {on_side} {on_confirm} {on_submit} {on_close} />
        };
    }
    let on_name = {
        let state = state.clone();
        Callback::from(move |name: String| match &state.dialog {
            Some(Dialog::RenameBranch { .. }) => branch_ops::rename_current(&state, name),
            _ => state.dispatch(Action::Branch(BranchAction::Create(name))),
        })
    };
    let on_confirm = {
        let state = state.clone();
        Callback::from(move |()| match &state.dialog {
            Some(Dialog::ConfirmReset) => state.dispatch(Action::Branch(BranchAction::Reset)),
            Some(Dialog::ConfirmDelete { .. }) => branch_ops::delete_current(&state),
            _ => {}
        })
    };
    html! {
        <BranchDialog
            {dialog}
            workspace={Rc::clone(&state.workspace)}
            branch={state.branch.clone()}
            parent={state.parent().map(str::to_string)}
            working={state.working}
            {on_name}
            {on_confirm}
            {on_close}
        />
    }
}

/// Returns the tabs that switch the main pane between the editor, the
/// lineage graph and, on a branch, the comparison with its parent.
fn main_tabs(current: MainView, parent: Option<&str>, on_show_view: &Callback<MainView>) -> Html {
    let tab = |view: MainView, label: String| {
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
                { label }
            </button>
        }
    };
    html! {
        <div class="main-tabs" role="tablist" aria-label="Main view">
            { tab(MainView::Editor, "SQL editor".to_string()) }
            { tab(MainView::Lineage, "Lineage graph".to_string()) }
            if let Some(parent) = parent {
                { tab(MainView::Compare, format!("Compare with {parent}")) }
            }
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
    // One pass over the diagnostics and one over the models and sources,
    // since 5,000 files each searching them took a second at every compile.
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for diagnostic in &state.compilation.diagnostics {
        let (errors, warnings) = counts.entry(diagnostic.file.as_str()).or_default();
        if diagnostic.is_error() {
            *errors += 1;
        } else if diagnostic.severity == rocky_core::Severity::Warning {
            *warnings += 1;
        }
    }
    let mut targets: HashMap<&str, Vec<&String>> = HashMap::new();
    let compilation = &state.compilation;
    let models = compilation
        .models
        .iter()
        .map(|m| (m.file.as_str(), &m.name));
    let sources = compilation
        .sources
        .iter()
        .map(|s| (s.file.as_str(), &s.name));
    for (file, name) in models.chain(sources) {
        targets.entry(file).or_default().push(name);
    }
    let mut entries: Vec<FileEntry> = state
        .files
        .keys()
        .map(|path| {
            let (errors, warnings) = counts.get(path.as_str()).copied().unwrap_or_default();
            FileEntry {
                path: path.clone(),
                change: state.file_status(path),
                errors,
                warnings,
                run_mark: run_mark(state, targets.remove(path.as_str()).unwrap_or_default()),
            }
        })
        .collect();
    entries.extend(state.deleted_paths().into_iter().map(|path| FileEntry {
        change: Some(rocky_core::branch::FileStatus::Deleted),
        path,
        errors: 0,
        warnings: 0,
        run_mark: None,
    }));
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    entries
}

/// Returns the run mark of a model SQL or source declaration file, given
/// the models and sources it defines (`names`). Sidecars and CSV files
/// define none, so each failure is marked once.
fn run_mark(state: &AppState, mut names: Vec<&String>) -> Option<RunMark> {
    let run = state.run();
    // A failure outranks a skip when a file declares several sources.
    names.sort_by_key(|name| !run.has_failed(name));
    names.into_iter().find_map(|name| {
        let reason = run.not_built_reason(name)?;
        Some(RunMark {
            failed: run.has_failed(name),
            reason,
        })
    })
}
