//! The notice shown while the latest changes could not be saved in
//! IndexedDB, with a download for each file whose text is only in this
//! page, the notice shown when saving is off because the saved session
//! could not be read, and the choice between this tab's version and the
//! one another tab saved.

use yew::prelude::*;

use crate::components::compile_status::plural;
use crate::session::UnsavedFile;
use crate::storage::SaveError;

#[derive(Properties, PartialEq)]
pub struct SaveNoticeProps {
    /// The error of the latest save, until a save works.
    pub error: Option<SaveError>,
    /// Why saving is off in this page, if it is.
    pub disabled: Option<String>,
    /// Files whose text differs from the latest saved session.
    pub unsaved: Vec<UnsavedFile>,
    /// Downloads the file of this branch and path.
    pub on_download: Callback<UnsavedFile>,
    /// Keeps this tab's version over the one another tab saved.
    pub on_keep_mine: Callback<()>,
    /// Loads the version another tab saved, dropping this tab's changes.
    pub on_take_other: Callback<()>,
}

/// The text of the notice when another tab saved the project.
pub const CONFLICT_TEXT: &str = "Another tab saved this project after this tab opened it, \
    so this tab stopped saving: neither overwrites the other without asking. Load the other \
    tab's version to drop the changes made here since the last save, or keep this tab's \
    version to replace the other tab's.";

/// Returns the notice's text for `count` files that could not be saved.
pub fn notice_text(count: usize) -> String {
    if count == 0 {
        return "Changes could not be saved in this browser. Until a save works they live in \
                this page, and in a copy it writes to local storage when you reload or close \
                it, which may run out of room too. Export the branch as a .zip to keep them. \
                Saving is tried again with every change."
            .to_string();
    }
    let files_to_download = if count == 1 { "the file" } else { "each file" };
    format!(
        "Edits to {} could not be saved in this browser. Until a save works they live in \
         this page, and in a copy it writes to local storage when you reload or close it, \
         which may run out of room too. Download {files_to_download}, or export the branch \
         as a .zip, to keep them. Saving is tried again with every change.",
        plural(count, "file")
    )
}

#[component]
pub fn SaveNotice(props: &SaveNoticeProps) -> Html {
    let (kind, text, reason) = match (&props.disabled, &props.error) {
        (Some(why), _) => (
            "read-failed",
            format!("{why}. Download or export what you change to keep it."),
            "unreadable".to_string(),
        ),
        (None, Some(SaveError::Conflict)) => (
            "conflict",
            CONFLICT_TEXT.to_string(),
            SaveError::Conflict.as_str().to_string(),
        ),
        (None, Some(error)) => (
            "save-failed",
            notice_text(props.unsaved.len()),
            error.as_str().to_string(),
        ),
        (None, None) => return html! {},
    };
    let detail = props.error.as_ref().map(|error| format!(": {error}"));
    let files = props.unsaved.iter().map(|file| {
        let onclick = {
            let file = file.clone();
            props.on_download.reform(move |_: MouseEvent| file.clone())
        };
        html! {
            <li
                class="unsaved-file"
                key={format!("{}:{}", file.branch, file.path)}
                data-testid="unsaved-file"
                data-path={file.path.clone()}
                data-branch={file.branch.clone()}
                data-reason={reason.clone()}
            >
                <span>
                    <code class="unsaved-path">{ &file.path }</code>
                    <span class="unsaved-branch">{ format!(" on {}", file.branch) }</span>
                    if let Some(detail) = &detail {
                        <span class="unsaved-reason">{ detail }</span>
                    }
                </span>
                <button
                    class="link-button"
                    data-testid="unsaved-download"
                    data-path={file.path.clone()}
                    data-branch={file.branch.clone()}
                    {onclick}
                >
                    { "Download" }
                </button>
            </li>
        }
    });
    html! {
        <section class="save-notice" data-testid="save-notice" data-kind={kind} role="alert">
            <p class="save-notice-text">{ text }</p>
            if props.unsaved.is_empty() {
                if let Some(detail) = &detail {
                    <p class="unsaved-reason">{ format!("Cause{detail}") }</p>
                }
            }
            <ul class="unsaved-files">{ for files }</ul>
            if kind == "conflict" {
                <div class="save-notice-actions">
                    <button
                        data-testid="save-conflict-take"
                        onclick={props.on_take_other.reform(|_: MouseEvent| ())}
                    >
                        { "Load the other tab's version" }
                    </button>
                    <button
                        data-testid="save-conflict-keep"
                        onclick={props.on_keep_mine.reform(|_: MouseEvent| ())}
                    >
                        { "Keep this tab's version" }
                    </button>
                </div>
            }
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
            "Edits to 1 file could not be saved in this browser. Until a save works they live \
             in this page, and in a copy it writes to local storage when you reload or close \
             it, which may run out of room too. Download the file, or export the branch as a \
             .zip, to keep them. Saving is tried again with every change."
        );
    }

    #[test]
    fn notice_for_several_files() {
        let text = notice_text(2);
        assert!(text.starts_with("Edits to 2 files could not"), "{text}");
        assert!(text.contains("Download each file"), "{text}");
    }

    #[test]
    fn notice_without_files_points_to_export() {
        let text = notice_text(0);
        assert!(text.starts_with("Changes could not be saved"), "{text}");
        assert!(text.contains("Export the branch"), "{text}");
    }
}
