//! The notice shown while edits could not be saved in localStorage, with a
//! download for each such file.

use yew::prelude::*;

use crate::components::compile_status::plural;
use crate::storage::SaveError;

#[derive(Properties, PartialEq)]
pub struct SaveNoticeProps {
    /// Files whose latest save failed, with the reason, by path.
    pub failures: Vec<(String, SaveError)>,
    /// Downloads the file at this path.
    pub on_download: Callback<String>,
}

/// Returns the notice's text for `count` files that could not be saved.
pub fn notice_text(count: usize) -> String {
    let files_to_download = if count == 1 { "the file" } else { "each file" };
    format!(
        "Edits to {} could not be saved in this browser, so they are kept only in this \
         page until you reload or close it. Download {files_to_download} to keep them. \
         Saving is tried again with every edit.",
        plural(count, "file")
    )
}

#[component]
pub fn SaveNotice(props: &SaveNoticeProps) -> Html {
    if props.failures.is_empty() {
        return html! {};
    }
    let files = props.failures.iter().map(|(path, error)| {
        let onclick = {
            let path = path.clone();
            props.on_download.reform(move |_: MouseEvent| path.clone())
        };
        html! {
            <li
                class="unsaved-file"
                key={path.clone()}
                data-testid="unsaved-file"
                data-path={path.clone()}
                data-reason={error.as_str()}
            >
                <span>
                    <code class="unsaved-path">{ path }</code>
                    <span class="unsaved-reason">{ format!(": {error}") }</span>
                </span>
                <button class="link-button" data-testid="unsaved-download" data-path={path.clone()} {onclick}>
                    { "Download" }
                </button>
            </li>
        }
    });
    html! {
        <section class="save-notice" data-testid="save-notice" role="alert">
            <p class="save-notice-text">{ notice_text(props.failures.len()) }</p>
            <ul class="unsaved-files">{ for files }</ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_for_one_file() {
        assert_eq!(
            notice_text(1),
            "Edits to 1 file could not be saved in this browser, so they are kept only in \
             this page until you reload or close it. Download the file to keep them. Saving \
             is tried again with every edit."
        );
    }

    #[test]
    fn notice_for_several_files() {
        let text = notice_text(2);
        assert!(text.starts_with("Edits to 2 files could not"), "{text}");
        assert!(text.contains("Download each file"), "{text}");
    }
}
