//! The current branch's files, grouped by folder, with how the branch
//! changed each one since its fork.

use rocky_core::branch::FileStatus;
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
