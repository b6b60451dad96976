//! The confirmation dialog shown before an action that drops the user's
//! work, such as deleting a file or restarting a lesson. It is a dialog of
//! the page, so it looks like the others and a browser cannot suppress it
//! as it may suppress `window.confirm`.

use yew::prelude::*;

use crate::components::modal::Modal;

/// An action waiting for the user's confirmation.
#[derive(Clone, PartialEq)]
pub struct Confirmation {
    /// The dialog's `data-kind`.
    pub kind: &'static str,
    pub title: String,
    pub question: String,
    /// The label of the button that goes ahead.
    pub action: &'static str,
    pub on_accept: Callback<()>,
}

#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    pub confirmation: Confirmation,
    /// Closes the dialog, after Cancel or the action.
    pub on_close: Callback<()>,
}

/// Renders the question with the destructive button and Cancel, which has
/// the focus, so Enter does not drop anything.
#[component]
pub fn ConfirmDialog(props: &ConfirmDialogProps) -> Html {
    let confirmation = &props.confirmation;
    let on_accept = {
        let accept = confirmation.on_accept.clone();
        let close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| {
            close.emit(());
            accept.emit(());
        })
    };
    let on_cancel = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <Modal
            title={confirmation.title.clone()}
            testid="confirm-dialog"
            kind={confirmation.kind}
            on_close={props.on_close.clone()}
        >
            <p class="modal-text">{ &confirmation.question }</p>
            <div class="modal-buttons">
                <button class="modal-danger" data-testid="confirm-accept" onclick={on_accept}>
                    { confirmation.action }
                </button>
                <button class="modal-default" data-testid="confirm-cancel" onclick={on_cancel}>
                    { "Cancel" }
                </button>
            </div>
        </Modal>
    }
}
