//! The share dialog: a link that carries the project and the current view
//! in its fragment, its length, a copy button, and the iframe snippet of
//! the embedded lineage view for docs. A project whose link is too long
//! to paste is offered as a .zip download instead.

use std::rc::Rc;

use rocky_core::share::{link, SharedProject, MAX_PRACTICAL_LINK_CHARS};
use yew::prelude::*;

use crate::components::modal::Modal;
use crate::download::copy_to_clipboard;

#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    pub project: Rc<SharedProject>,
    /// Downloads the current branch as a .zip.
    pub on_export: Callback<()>,
    pub on_close: Callback<()>,
}

/// The state of a copy to the clipboard.
#[derive(Clone, PartialEq)]
enum Copied {
    Not,
    Done(&'static str),
    Failed(String),
}

#[component]
pub fn ShareDialog(props: &ShareDialogProps) -> Html {
    let links = {
        let project = Rc::clone(&props.project);
        use_memo(project, |project| {
            let base = page_address();
            let full = link(&base, project, false);
            let embed = link(&base, project, true);
            (full, embed)
        })
    };
    let copied = use_state(|| Copied::Not);
    let (full, embed) = (&links.0, &links.1);
    let length = full.chars().count();
    let too_long = length > MAX_PRACTICAL_LINK_CHARS;
    let snippet = iframe_snippet(embed, props.project.model.as_deref());

    let copy = |text: String, what: &'static str| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let (copied, text) = (copied.clone(), text.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(match copy_to_clipboard(&text).await {
                    Ok(()) => Copied::Done(what),
                    Err(message) => Copied::Failed(message),
                });
            });
        })
    };
    let status = match &*copied {
        Copied::Not => html! {},
        Copied::Done(what) => {
            html! { <p class="modal-text" data-testid="share-copied">{ format!("Copied the {what}.") }</p> }
        }
        Copied::Failed(message) => html! {
            <p class="field-error" role="alert">{ format!("Copying failed: {message}. Select the text and copy it by hand.") }</p>
        },
    };
    html! {
        <Modal title="Share" testid="share-dialog" kind="share" on_close={props.on_close.clone()}>
            <p class="modal-text">
                { "The link carries the whole project, this branch, the open file and the selected column in its fragment, which browsers do not send to any server. Opening it shows the project as a separate one; it never replaces the work of whoever opens it." }
            </p>
            <p class="share-length" data-testid="share-length" data-length={length.to_string()} data-limit={MAX_PRACTICAL_LINK_CHARS.to_string()}>
                { format!("{} characters; links up to {} paste reliably into docs, issues and chat.", group(length), group(MAX_PRACTICAL_LINK_CHARS)) }
            </p>
            if too_long {
                <div class="share-too-long" data-testid="share-too-long">
                    <p class="field-error">
                        { "This project is too large for a practical link. Download it as a .zip and share the file; Import .zip opens it." }
                    </p>
                    <button class="tool-button" data-testid="share-download" onclick={props.on_export.reform(|_: MouseEvent| ())}>
                        { "Download .zip" }
                    </button>
                </div>
            } else {
                <label class="field">
                    { "Link" }
                    <textarea class="share-text" data-testid="share-link" readonly=true rows="3" value={full.clone()} />
                </label>
                <div class="modal-buttons">
                    <button class="tool-button modal-default" data-testid="share-copy" onclick={copy(full.clone(), "link")}>{ "Copy link" }</button>
                </div>
                <label class="field">
                    { "Embed the lineage view in a docs page" }
                    <textarea class="share-text" data-testid="share-embed" readonly=true rows="4" value={snippet.clone()} />
                </label>
                <div class="modal-buttons">
                    <button class="tool-button" data-testid="share-copy-embed" onclick={copy(snippet, "embed snippet")}>{ "Copy embed" }</button>
                </div>
            }
            { status }
            <div class="modal-buttons">
                <button class="tool-button" data-testid="share-close" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
        </Modal>
    }
}

/// Returns the page's address without query and fragment, which a link
/// extends: a query such as `?generate=` would open another project.
fn page_address() -> String {
    let Some(location) = web_sys::window().map(|window| window.location()) else {
        return String::new();
    };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_else(|_| "/".to_string());
    format!("{origin}{path}")
}

/// Returns the iframe element that embeds `link`.
pub fn iframe_snippet(link: &str, model: Option<&str>) -> String {
    let title = match model {
        Some(model) => format!("Column lineage of {model}"),
        None => "Column lineage".to_string(),
    };
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"480\" style=\"border: 1px solid #d1d9e0\" loading=\"lazy\"></iframe>",
        escape_attribute(link),
        escape_attribute(&title)
    )
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Writes a count with thousands separators: 12,413.
fn group(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_escapes_link_and_title() {
        let snippet = iframe_snippet("http://h/#share=r2.a&embed=1", Some("a\"<b>"));
        assert_eq!(
            snippet,
            "<iframe src=\"http://h/#share=r2.a&amp;embed=1\" title=\"Column lineage of a&quot;&lt;b&gt;\" width=\"100%\" height=\"480\" style=\"border: 1px solid #d1d9e0\" loading=\"lazy\"></iframe>"
        );
    }

    #[test]
    fn counts_are_grouped() {
        assert_eq!(group(7), "7");
        assert_eq!(group(1234), "1,234");
        assert_eq!(group(32768), "32,768");
        assert_eq!(group(1_000_000), "1,000,000");
    }
}
