//! The CodeMirror editor, created once through the bridge; opening another
//! file or branch swaps its text, keyed by branch and path so the bridge
//! keeps each file's undo history, and an undo never brings one branch's
//! edit into another.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::bridge::{self, EditorId};
use crate::editor_diagnostics::{EditorDiagnostic, EditorRange};
use crate::model_info::EditorModelInfo;

/// A user edit of one file of one branch.
#[derive(Clone, Debug, PartialEq)]
pub struct FileEdit {
    pub branch: String,
    pub path: String,
    pub text: String,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The branch whose file is shown.
    pub branch: String,
    pub path: Option<String>,
    pub doc: String,
    /// Diagnostics of the open file, already clamped to `doc`.
    pub diagnostics: Vec<EditorDiagnostic>,
    /// Changes on every compile, so diagnostics are sent again even when
    /// they are equal to the last ones.
    pub compile_count: u32,
    /// A range of the open file to select, scroll to and focus, already
    /// clamped to `doc`, with the number of the request that asked for it.
    pub reveal: Option<(u32, EditorRange)>,
    /// The open model's data for hover and completion, or `None` when the
    /// open file is no model.
    pub model_info: Rc<Option<EditorModelInfo>>,
    pub on_change: Callback<FileEdit>,
}

/// The file and text the editor shows, as this component last set or saw them.
/// Edits update it before they reach the state, so the state's text is
/// only pushed back into the editor when it differs, as on opening
/// another file or resetting the sample.
#[derive(Default)]
struct ShownDoc {
    branch: String,
    path: Option<String>,
    doc: String,
}

/// Returns the bridge's key of a file: the branch and the path, which no
/// branch name can make ambiguous, since names have no `:`.
fn editor_key(branch: &str, path: Option<&str>) -> Option<String> {
    path.map(|path| format!("{branch}:{path}"))
}

/// The editor `createEditor` made and the closure it calls, kept to
/// destroy the editor on unmount.
struct Mounted {
    id: EditorId,
    _on_change: Closure<dyn FnMut(JsValue)>,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let parent = use_node_ref();
    let editor_id = use_mut_ref(|| None::<EditorId>);
    let shown = use_mut_ref(ShownDoc::default);
    // The closure given to the bridge outlives this render, so it reads
    // the latest callback through this cell.
    let on_change = use_mut_ref(|| props.on_change.clone());
    if let Ok(mut latest) = on_change.try_borrow_mut() {
        *latest = props.on_change.clone();
    }
    let failure = use_state(|| None::<String>);

    {
        let parent = parent.clone();
        let editor_id = editor_id.clone();
        let shown = shown.clone();
        let failure = failure.clone();
        let initial = (props.branch.clone(), props.path.clone(), props.doc.clone());
        use_effect_with((), move |_| {
            let mounted = mount(&parent, initial, &shown, on_change);
            match &mounted {
                Ok(mounted) => set_cell(&editor_id, Some(mounted.id)),
                Err(message) => failure.set(Some(message.clone())),
            }
            move || {
                set_cell(&editor_id, None);
                if let Ok(mounted) = mounted {
                    // Destroyed before the closure drops, so the editor
                    // cannot call it afterwards.
                    let _ = bridge::destroy_editor(mounted.id);
                }
            }
        });
    }

    {
        let editor_id = editor_id.clone();
        let failure = failure.clone();
        use_effect_with(
            (props.branch.clone(), props.path.clone(), props.doc.clone()),
            move |(branch, path, doc)| {
                let Some(id) = get_cell(&editor_id) else {
                    return;
                };
                let Ok(mut current) = shown.try_borrow_mut() else {
                    return;
                };
                if current.branch == *branch && current.path == *path && current.doc == *doc {
                    return;
                }
                current.branch = branch.clone();
                current.path = path.clone();
                current.doc = doc.clone();
                drop(current);
                let key = editor_key(branch, path.as_deref());
                if let Err(message) = bridge::set_editor_doc(id, doc, key.as_deref()) {
                    failure.set(Some(message));
                }
            },
        );
    }

    {
        // Declared after the text's effect, so a reveal in another file
        // runs once that file is shown. It runs once per request: the range
        // clamped to later text must not move the cursor while the user types.
        let editor_id = editor_id.clone();
        let failure = failure.clone();
        let reveal = props.reveal;
        use_effect_with(reveal.map(|(request, _)| request), move |_| {
            let (Some(id), Some((_, range))) = (get_cell(&editor_id), reveal) else {
                return;
            };
            if let Err(message) = bridge::reveal_editor_range(id, &range) {
                failure.set(Some(message));
            }
        });
    }

    {
        // Declared after the text's effect, because a new file's text
        // clears the info the bridge had.
        let editor_id = editor_id.clone();
        let failure = failure.clone();
        let info = props.model_info.clone();
        use_effect_with(
            (
                props.compile_count,
                props.branch.clone(),
                props.path.clone(),
            ),
            move |_| {
                let Some(id) = get_cell(&editor_id) else {
                    return;
                };
                if let Err(message) = bridge::set_editor_model_info(id, info.as_ref().as_ref()) {
                    failure.set(Some(message));
                }
            },
        );
    }

    {
        let failure = failure.clone();
        let deps = (
            props.compile_count,
            props.branch.clone(),
            props.path.clone(),
            props.diagnostics.clone(),
        );
        use_effect_with(deps, move |(_, _, _, diagnostics)| {
            let Some(id) = get_cell(&editor_id) else {
                return;
            };
            if let Err(message) = bridge::set_editor_diagnostics(id, diagnostics) {
                failure.set(Some(message));
            }
        });
    }

    html! {
        <div class="editor-frame">
            if let Some(message) = &*failure {
                <p class="editor-error">{ format!("The editor failed: {message}") }</p>
            }
            <div class="editor" data-testid="editor" ref={parent} hidden={failure.is_some()}></div>
            if failure.is_some() {
                { fallback_textarea(props) }
            }
        </div>
    }
}

/// Creates the editor inside `parent` with the initial file.
fn mount(
    parent: &NodeRef,
    (branch, path, doc): (String, Option<String>, String),
    shown: &Rc<RefCell<ShownDoc>>,
    on_change: Rc<RefCell<Callback<FileEdit>>>,
) -> Result<Mounted, String> {
    let element = parent
        .cast::<HtmlElement>()
        .ok_or("the editor's element is missing")?;
    let shown_by_edit = shown.clone();
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |value: JsValue| {
        let Some(text) = value.as_string() else {
            return;
        };
        let (branch, path) = match shown_by_edit.try_borrow_mut() {
            Ok(mut current) => {
                current.doc = text.clone();
                (current.branch.clone(), current.path.clone())
            }
            Err(_) => return,
        };
        // Cloned out first: the emit re-renders, which replaces the callback.
        let callback = on_change.try_borrow().map(|callback| callback.clone());
        if let (Some(path), Ok(callback)) = (path, callback) {
            callback.emit(FileEdit { branch, path, text });
        }
    });
    let key = editor_key(&branch, path.as_deref());
    let id = bridge::create_editor(&element, &doc, key.as_deref(), &closure)?;
    if let Ok(mut current) = shown.try_borrow_mut() {
        *current = ShownDoc { branch, path, doc };
    }
    Ok(Mounted {
        id,
        _on_change: closure,
    })
}

/// Renders a plain text area that keeps the playground usable when
/// CodeMirror could not be created.
fn fallback_textarea(props: &EditorProps) -> Html {
    let path = props.path.clone();
    let branch = props.branch.clone();
    let on_change = props.on_change.clone();
    let oninput = Callback::from(move |event: InputEvent| {
        let (Some(path), Some(area)) =
            (path.clone(), event.target_dyn_into::<HtmlTextAreaElement>())
        else {
            return;
        };
        on_change.emit(FileEdit {
            branch: branch.clone(),
            path,
            text: area.value(),
        });
    });
    html! {
        <textarea
            class="editor-fallback"
            spellcheck="false"
            style="box-sizing: border-box; width: 100%; height: 100%; min-height: 12rem; font-family: monospace"
            value={props.doc.clone()}
            {oninput}
        />
    }
}

fn get_cell(cell: &Rc<RefCell<Option<EditorId>>>) -> Option<EditorId> {
    cell.try_borrow().ok().and_then(|id| *id)
}

fn set_cell(cell: &Rc<RefCell<Option<EditorId>>>, id: Option<EditorId>) {
    if let Ok(mut current) = cell.try_borrow_mut() {
        *current = id;
    }
}
