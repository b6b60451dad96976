//! The language model settings: off by default, an OpenAI-compatible
//! endpoint, the model name and an API key, saved in this browser only.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::assistant::AssistantSettings;
use crate::components::modal::Modal;

#[derive(Properties, PartialEq)]
pub struct AssistantDialogProps {
    pub settings: AssistantSettings,
    /// Saves the settings; the dialog closes when it returns `Ok`.
    pub on_save: Callback<AssistantSettings>,
    pub on_close: Callback<()>,
    /// The error of the last save, if it failed.
    pub error: Option<String>,
}

#[component]
pub fn AssistantDialog(props: &AssistantDialogProps) -> Html {
    let draft = use_state(|| props.settings.clone());
    let problem = use_state(|| None::<String>);

    let field = |update: fn(&mut AssistantSettings, String)| {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let mut next = (*draft).clone();
            update(&mut next, input.value());
            draft.set(next);
        })
    };
    let on_enabled = {
        let draft = draft.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let mut next = (*draft).clone();
            next.enabled = input.checked();
            draft.set(next);
        })
    };
    let on_submit = {
        let draft = draft.clone();
        let problem = problem.clone();
        let on_save = props.on_save.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match draft.check() {
                Ok(()) => {
                    problem.set(None);
                    on_save.emit((*draft).clone());
                }
                Err(message) => problem.set(Some(message)),
            }
        })
    };
    let shown_problem = (*problem).clone().or_else(|| props.error.clone());
    html! {
        <Modal title="Language model" testid="assistant-dialog" kind="assistant" on_close={props.on_close.clone()}>
            <form class="assistant-form" onsubmit={on_submit}>
                <p class="modal-text">
                    { "Rocky explains, tests and repairs models without a language model. \
                       Turn one on to have explanations worded and edits proposed for broken \
                       models. Requests carry the model's SQL, schemas, lineage and intent, \
                       never data rows, and every proposed edit is compiled before it is shown." }
                </p>
                <p class="modal-text">
                    { "The page sends requests only to its own origin and to the endpoint saved                        here, so saving a new endpoint reloads the page; your work is kept." }
                </p>
                <label class="check-field">
                    <input type="checkbox" data-testid="assistant-enabled" checked={draft.enabled} onchange={on_enabled} />
                    { " Use a language model" }
                </label>
                <label class="field">
                    { "Endpoint (OpenAI-compatible base URL)" }
                    <input
                        type="url"
                        data-testid="assistant-endpoint"
                        placeholder="http://127.0.0.1:11434/v1"
                        value={draft.endpoint.clone()}
                        oninput={field(|s, v| s.endpoint = v)}
                    />
                </label>
                <label class="field">
                    { "Model" }
                    <input
                        type="text"
                        data-testid="assistant-model"
                        placeholder="mistral-small3.1"
                        value={draft.model.clone()}
                        oninput={field(|s, v| s.model = v)}
                    />
                </label>
                <label class="field">
                    { "API key (kept in this browser, sent only to the endpoint)" }
                    <input
                        type="password"
                        autocomplete="off"
                        data-testid="assistant-key"
                        value={draft.api_key.clone()}
                        oninput={field(|s, v| s.api_key = v)}
                    />
                </label>
                if let Some(message) = shown_problem {
                    <p class="field-error" role="alert" data-testid="assistant-settings-error">{ message }</p>
                }
                <div class="modal-buttons">
                    <button type="button" class="tool-button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                    <button type="submit" class="tool-button modal-default" data-testid="assistant-save">{ "Save" }</button>
                </div>
            </form>
        </Modal>
    }
}
