//! The current branch's files, grouped by folder, with how the branch
//! changed each one since its fork.

use rocky_core::branch::FileStatus;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::promote_dialog::{status_letter, status_name};
use crate::sample::FileGroup;

/// One row of the file list.
#[derive(Clone, Debug, PartialEq)]
pub struct FileEntry {
    pub path: String,
    /// How the branch changed the file since its fork; on `main`, since
    /// the sample. A deleted file is listed but cannot be opened.
    pub change: Option<FileStatus>,
    pub errors: usize,
    pub warnings: usize,
    /// The latest run's outcome for the model or sources this file defines,
    /// when it did not build them.
    pub run_mark: Option<RunMark>,
}

/// A target of this file that the latest run did not build.
#[derive(Clone, Debug, PartialEq)]
pub struct RunMark {
    /// True when DuckDB rejected it, false when it was skipped.
    pub failed: bool,
    pub reason: String,
}

#[derive(Properties, PartialEq)]
pub struct FileListProps {
    pub files: Vec<FileEntry>,
    pub open_path: Option<String>,
    pub on_open: Callback<String>,
    /// Adds a file at the path typed, or returns why it cannot.
    pub on_create: Callback<String, Result<(), String>>,
}

#[component]
pub fn FileList(props: &FileListProps) -> Html {
    let groups = FileGroup::ALL.iter().filter_map(|&group| {
        let entries: Vec<&FileEntry> = props
            .files
            .iter()
            .filter(|entry| FileGroup::of(&entry.path) == group)
            .collect();
        (!entries.is_empty()).then(|| {
            html! {
                <section class="file-group" key={group.title()}>
                    <h2 class="file-group-title">{ group.title() }</h2>
                    <ul>
                        { for entries.into_iter().map(|entry| file_item(entry, props)) }
                    </ul>
                </section>
            }
        })
    });
    html! {
        <nav class="file-list" data-testid="file-list" aria-label="Project files">
            <NewFile on_create={props.on_create.clone()} />
            if props.files.is_empty() {
                <p class="empty">{ "No project files are bundled with this build." }</p>
            }
            { for groups }
        </nav>
    }
}

fn file_item(entry: &FileEntry, props: &FileListProps) -> Html {
    let active = props.open_path.as_deref() == Some(entry.path.as_str());
    let name = entry
        .path
        .rsplit('/')
        .next()
        .unwrap_or(&entry.path)
        .to_string();
    let onclick = {
        let path = entry.path.clone();
        props.on_open.reform(move |_: MouseEvent| path.clone())
    };
    let deleted = entry.change == Some(FileStatus::Deleted);
    let change = entry.change.map(status_name);
    let title = match entry.change {
        Some(FileStatus::Added) => format!("{}: added in this branch", entry.path),
        Some(FileStatus::Modified) => format!("{}: changed in this branch", entry.path),
        Some(FileStatus::Deleted) => format!("{}: deleted in this branch", entry.path),
        None => entry.path.clone(),
    };
    html! {
        <li key={entry.path.clone()}>
            <button
                class={classes!("file-item", active.then_some("active"), change)}
                data-testid="file-item"
                data-path={entry.path.clone()}
                data-active={active.to_string()}
                data-change={change}
                aria-current={active.then_some("true")}
                disabled={deleted}
                {title}
                {onclick}
            >
                <span class="file-name">{ name }</span>
                if let Some(status) = entry.change.filter(|_| !deleted) {
                    <span class={classes!("file-edited", status_name(status))}>{ status_letter(status) }</span>
                }
                if deleted {
                    <span class="file-deleted">{ status_letter(FileStatus::Deleted) }</span>
                }
                if entry.errors > 0 {
                    <span class="badge badge-error">{ entry.errors }</span>
                } else if entry.warnings > 0 {
                    <span class="badge badge-warning">{ entry.warnings }</span>
                }
                if let Some(mark) = &entry.run_mark {
                    if mark.failed {
                        <span class="file-run-failed" title={mark.reason.clone()}>{ "✕" }</span>
                    } else {
                        <span class="file-run-skipped" title={mark.reason.clone()}>{ "⊘" }</span>
                    }
                }
            </button>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct NewFileProps {
    on_create: Callback<String, Result<(), String>>,
}

/// Shows the New file button, and the path field it opens.
#[component]
fn NewFile(props: &NewFileProps) -> Html {
    let open = use_state(|| false);
    let error = use_state(|| None::<String>);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with(*open, move |open| {
            if let Some(input) = input.cast::<HtmlInputElement>().filter(|_| *open) {
                // Set once on opening rather than as a `value` prop, which
                // every render of the page would write back over the typing.
                input.set_value("models/");
                let _ = input.focus();
                // The caret goes after `models/`.
                let end = input.value().len() as u32;
                let _ = input.set_selection_range(end, end);
            }
        });
    }
    if !*open {
        let on_open = {
            let open = open.clone();
            let error = error.clone();
            Callback::from(move |_: MouseEvent| {
                error.set(None);
                open.set(true);
            })
        };
        return html! {
            <button class="new-file-button" data-testid="new-file" title="Add a model or another file to this branch" onclick={on_open}>
                { "+ New file" }
            </button>
        };
    }
    let submit = {
        let input = input.clone();
        let open = open.clone();
        let error = error.clone();
        let on_create = props.on_create.clone();
        move || {
            let Some(field) = input.cast::<HtmlInputElement>() else {
                return;
            };
            match on_create.emit(field.value()) {
                Ok(()) => {
                    error.set(None);
                    open.set(false);
                }
                Err(message) => error.set(Some(message)),
            }
        }
    };
    let on_submit = {
        let submit = submit.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            submit();
        })
    };
    let on_key = {
        let open = open.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                open.set(false);
            }
        })
    };
    let on_cancel = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    html! {
        <form class="new-file-form" data-testid="new-file-form" onsubmit={on_submit}>
            <label for="new-file-path">{ "New file path" }</label>
            <input id="new-file-path" type="text" data-testid="new-file-path" ref={input}
                spellcheck="false" autocomplete="off" onkeydown={on_key}
                aria-invalid={error.is_some().then_some("true")} />
            if let Some(message) = (*error).clone() {
                <p class="new-file-error" data-testid="new-file-error" role="alert">{ message }</p>
            }
            <div class="new-file-buttons">
                <button type="submit" data-testid="new-file-create">{ "Create" }</button>
                <button type="button" data-testid="new-file-cancel" onclick={on_cancel}>{ "Cancel" }</button>
            </div>
        </form>
    }
}
