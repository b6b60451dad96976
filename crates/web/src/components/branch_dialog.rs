//! The dialogs of the branch bar's actions other than promote: the name
//! of a new or renamed branch, checked as it is typed with core's rules,
//! and the questions before a reset or a delete.

use std::rc::Rc;

use rocky_core::branch::{schema_of, Workspace};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::branch_names::check_new_name;
use crate::components::compile_status::plural;
use crate::components::modal::Modal;
use crate::state::Dialog;

#[derive(Properties, PartialEq)]
pub struct BranchDialogProps {
    pub dialog: Dialog,
    pub workspace: Rc<Workspace>,
    pub branch: String,
    pub parent: Option<String>,
    /// True while the dialog's action waits for DuckDB.
    pub working: bool,
    /// Submits the typed name of a new or renamed branch.
    pub on_name: Callback<String>,
    /// Confirms a reset or a delete.
    pub on_confirm: Callback<()>,
    pub on_close: Callback<()>,
}

#[component]
pub fn BranchDialog(props: &BranchDialogProps) -> Html {
    match &props.dialog {
        Dialog::NewBranch { error } => html! {
            <NameForm
                kind="create"
                title={format!("New branch from {}", props.branch)}
                initial=""
                renaming={None::<String>}
                workspace={props.workspace.clone()}
                error={error.clone()}
                working={props.working}
                submit_label="Create"
                on_name={props.on_name.clone()}
                on_close={props.on_close.clone()}
            />
        },
        Dialog::RenameBranch { error } => html! {
            <NameForm
                kind="rename"
                title={format!("Rename {}", props.branch)}
                initial={props.branch.clone()}
                renaming={Some(props.branch.clone())}
                workspace={props.workspace.clone()}
                error={error.clone()}
                working={props.working}
                submit_label="Rename"
                on_name={props.on_name.clone()}
                on_close={props.on_close.clone()}
            />
        },
        Dialog::ConfirmReset => {
            let parent = props.parent.clone().unwrap_or_default();
            let changed = props
                .workspace
                .branch(&props.branch)
                .map(|branch| branch.changed_files().len())
                .unwrap_or(0);
            confirm(
                props,
                "reset",
                format!("Reset {}?", props.branch),
                format!(
                    "Discard the {} changed in {} and fork it again from the current files of {parent}?",
                    plural(changed, "file"),
                    props.branch
                ),
                "Reset",
                None,
            )
        }
        Dialog::ConfirmDelete { error } => {
            let children = props.workspace.children(&props.branch);
            let question = if children.is_empty() {
                format!(
                    "Delete {} and its files, and drop its DuckDB schema {}?",
                    props.branch,
                    schema_of(&props.branch)
                )
            } else {
                format!(
                    "{} has branches forked from it ({}); delete or promote them first.",
                    props.branch,
                    children.join(", ")
                )
            };
            let error = error.clone().filter(|_| children.is_empty());
            let props_for = BranchDialogProps {
                working: props.working || !children.is_empty(),
                dialog: props.dialog.clone(),
                workspace: props.workspace.clone(),
                branch: props.branch.clone(),
                parent: props.parent.clone(),
                on_name: props.on_name.clone(),
                on_confirm: props.on_confirm.clone(),
                on_close: props.on_close.clone(),
            };
            confirm(
                &props_for,
                "delete",
                format!("Delete {}?", props.branch),
                question,
                "Delete",
                error,
            )
        }
        Dialog::Promote(_) => html! {},
    }
}

/// Renders a question with a destructive button and Cancel, which has
/// the focus.
fn confirm(
    props: &BranchDialogProps,
    kind: &'static str,
    title: String,
    question: String,
    action: &'static str,
    error: Option<String>,
) -> Html {
    let on_accept = props.on_confirm.reform(|_: MouseEvent| ());
    let on_cancel = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <Modal {title} testid="branch-dialog" {kind} on_close={props.on_close.clone()}>
            <p class="modal-text">{ question }</p>
            if let Some(error) = error {
                <p class="modal-error" data-testid="branch-dialog-error" role="alert">{ error }</p>
            }
            <div class="modal-buttons">
                <button
                    class="modal-danger"
                    data-testid="branch-confirm-accept"
                    disabled={props.working}
                    onclick={on_accept}
                >
                    { if props.working { "Working…" } else { action } }
                </button>
                <button class="modal-default" data-testid="branch-dialog-cancel" onclick={on_cancel}>
                    { "Cancel" }
                </button>
            </div>
        </Modal>
    }
}

#[derive(Properties, PartialEq)]
struct NameFormProps {
    kind: AttrValue,
    title: String,
    initial: String,
    renaming: Option<String>,
    workspace: Rc<Workspace>,
    /// The reducer's error for the latest submit.
    error: Option<String>,
    working: bool,
    submit_label: AttrValue,
    on_name: Callback<String>,
    on_close: Callback<()>,
}

#[component]
fn NameForm(props: &NameFormProps) -> Html {
    let name = use_state(|| props.initial.clone());
    let submitted = use_state(|| None::<String>);
    let check = check_new_name(&props.workspace, &name, props.renaming.as_deref());
    let unchanged = props.renaming.as_deref() == Some(name.as_str());
    // The live check covers the name; the reducer's error is shown for the
    // name it was given until the name is edited.
    let error = match (&check, name.is_empty()) {
        (Err(error), false) if !unchanged => Some(error.to_string()),
        _ => props
            .error
            .clone()
            .filter(|_| submitted.as_deref() == Some(name.as_str())),
    };
    let valid = check.is_ok() && !unchanged;
    let on_input = {
        let name = name.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                name.set(input.value());
            }
        })
    };
    let on_submit = {
        let name = name.clone();
        let submitted = submitted.clone();
        let on_name = props.on_name.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if valid {
                submitted.set(Some((*name).clone()));
                on_name.emit((*name).clone());
            }
        })
    };
    let on_cancel = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <Modal title={props.title.clone()} testid="branch-dialog" kind={props.kind.clone()} on_close={props.on_close.clone()}>
            <form class="branch-form" onsubmit={on_submit}>
                <label class="branch-form-label">
                    { "Name" }
                    <input
                        class="branch-name-input"
                        data-testid="branch-name-input"
                        value={(*name).clone()}
                        maxlength="40"
                        spellcheck="false"
                        autocomplete="off"
                        aria-invalid={error.is_some().to_string()}
                        oninput={on_input}
                    />
                </label>
                <p class="branch-form-help">
                    { "A letter, then letters, digits, _ or -. Its models build into the DuckDB schema " }
                    <code>{ schema_of(if name.is_empty() { "name" } else { name.as_str() }) }</code>
                    { "." }
                </p>
                if let Some(error) = error {
                    <p class="modal-error" data-testid="branch-name-error" role="alert">{ error }</p>
                }
                <div class="modal-buttons">
                    <button
                        type="submit"
                        class="modal-primary"
                        data-testid="branch-dialog-submit"
                        disabled={!valid || props.working}
                    >
                        { if props.working { "Working…" } else { props.submit_label.as_str() } }
                    </button>
                    <button type="button" data-testid="branch-dialog-cancel" onclick={on_cancel}>{ "Cancel" }</button>
                </div>
            </form>
        </Modal>
    }
}
