//! A modal dialog frame: a backdrop over the page, Escape to close, and
//! the focus on the dialog's first field or its `modal-default` button.

use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    pub title: AttrValue,
    /// The `data-testid` of the dialog.
    pub testid: AttrValue,
    /// The `data-kind` of the dialog.
    pub kind: AttrValue,
    /// Fires on Escape; the dialog's own buttons close it otherwise. A
    /// click on the backdrop does not, so a stray click loses no input.
    pub on_close: Callback<()>,
    pub children: Html,
}

#[component]
pub fn Modal(props: &ModalProps) -> Html {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with(props.kind.clone(), move |_| {
            let Some(element) = dialog.cast::<HtmlElement>() else {
                return;
            };
            let target = element
                .query_selector("input:not([type=checkbox]):not([type=radio]), .modal-default")
                .ok()
                .flatten()
                .and_then(|found| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(found).ok());
            if let Some(target) = target {
                let _ = target.focus();
            }
        });
    }
    let on_key = {
        let on_close = props.on_close.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.stop_propagation();
                on_close.emit(());
            }
        })
    };
    html! {
        <div class="modal-backdrop">
            <div
                class="modal"
                role="dialog"
                aria-modal="true"
                aria-label={props.title.clone()}
                data-testid={props.testid.clone()}
                data-kind={props.kind.clone()}
                ref={dialog}
                onkeydown={on_key}
            >
                <h2 class="modal-title">{ props.title.clone() }</h2>
                { props.children.clone() }
            </div>
        </div>
    }
}
