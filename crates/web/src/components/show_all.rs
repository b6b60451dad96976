//! The button under a long list that shows only its first entries, such
//! as the schema of a model with 10,000 columns: a click lists them all.

use std::collections::HashSet;

use yew::prelude::*;

/// The keys of the lists that show every entry, kept by the component
/// that draws them.
pub type Expanded = UseStateHandle<HashSet<String>>;

/// Renders the button that lists every entry of the list `key`, which
/// leaves `hidden` entries out, with the test id `test_id` and the text
/// `label`. Renders nothing when no entry is left out.
pub fn show_all_button(
    expanded: &Expanded,
    key: &str,
    hidden: usize,
    test_id: &'static str,
    label: String,
) -> Html {
    if hidden == 0 {
        return html! {};
    }
    let onclick = {
        let (expanded, key) = (expanded.clone(), key.to_string());
        Callback::from(move |_: MouseEvent| {
            let mut keys = (*expanded).clone();
            keys.insert(key.clone());
            expanded.set(keys);
        })
    };
    html! {
        <button type="button" class="link-button show-all" data-testid={test_id}
            data-hidden={hidden.to_string()} {onclick}>
            { label }
        </button>
    }
}
