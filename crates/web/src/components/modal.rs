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

/// The elements Tab moves between.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select:not([disabled]), \
    textarea:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

/// Moves the focus from the dialog's last element to its first on Tab,
/// and from its first to its last on Shift+Tab, so the focus never
/// leaves the dialog for the page behind it.
fn keep_focus_inside(dialog: &HtmlElement, event: &KeyboardEvent) {
    let Ok(found) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let elements: Vec<HtmlElement> = (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(node).ok())
        .collect();
    let (Some(first), Some(last)) = (elements.first(), elements.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element());
    let is = |element: &HtmlElement| {
        active
            .as_ref()
            .is_some_and(|active| active == element.as_ref())
    };
    let inside = active
        .as_ref()
        .is_some_and(|active| dialog.contains(Some(active)));
    let target = if event.shift_key() && (is(first) || !inside) {
        last
    } else if !event.shift_key() && (is(last) || !inside) {
        first
    } else {
        return;
    };
    event.prevent_default();
    let _ = target.focus();
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
        let dialog = dialog.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.stop_propagation();
                on_close.emit(());
            } else if event.key() == "Tab" {
                if let Some(element) = dialog.cast::<HtmlElement>() {
                    keep_focus_inside(&element, &event);
                }
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
