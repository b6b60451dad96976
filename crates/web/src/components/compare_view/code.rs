//! The code section: one text diff per changed file, with line numbers
//! on both sides, a copy of its unified diff, and a download of all of
//! them.

use rocky_core::branch::FileStatus;
use rocky_core::compare::{Comparison, DiffLine, FileDiff, Hunk};
use rocky_core::Span;
use yew::prelude::*;

use crate::compare::code::{
    hunk_header, line_counts, status_name, tag_mark, tag_name, unified_all,
};
use crate::compare::{plural, CompareSide};
use crate::download::{copy_to_clipboard, download_file};

pub fn code_section(
    comparison: &Comparison,
    branch: &CompareSide,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    if comparison.files.is_empty() {
        return html! {
            <p class="empty" data-testid="compare-no-files">
                { format!("{} changes no file.", branch.name) }
            </p>
        };
    }
    html! {
        <div class="compare-code">
            <CodeActions files={comparison.files.clone()} branch={branch.name.clone()} />
            { for comparison.files.iter().map(|file| file_diff(file, on_open)) }
        </div>
    }
}

fn file_diff(file: &FileDiff, on_open: &Callback<(String, Option<Span>)>) -> Html {
    let exists = file.status != FileStatus::Deleted;
    let path = file.path.clone();
    let on_path = on_open.reform(move |_: MouseEvent| (path.clone(), None));
    html! {
        <section
            class={classes!("compare-file", status_name(file.status))}
            data-testid="compare-file"
            data-path={file.path.clone()}
            data-status={status_name(file.status)}
            data-added={file.added_lines.to_string()}
            data-removed={file.removed_lines.to_string()}
        >
            <h3 class="compare-file-title">
                if exists {
                    <button class="compare-link compare-file-path" title="Open in the editor" onclick={on_path}>
                        { &file.path }
                    </button>
                } else {
                    <span class="compare-file-path">{ &file.path }</span>
                }
                <span class="compare-file-status">{ status_name(file.status) }</span>
                <span class="compare-line-counts" data-testid="compare-line-counts">
                    { line_counts(file.added_lines, file.removed_lines) }
                </span>
                <CopyButton path={file.path.clone()} text={file.unified()} />
            </h3>
            { for file.hunks.iter().map(|hunk| hunk_table(&file.path, exists, hunk, on_open)) }
        </section>
    }
}

fn hunk_table(
    path: &str,
    exists: bool,
    hunk: &Hunk,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    html! {
        <table
            class="compare-hunk"
            data-testid="compare-hunk"
            data-old-start={hunk.old_start.to_string()}
            data-new-start={hunk.new_start.to_string()}
        >
            <thead>
                <tr><th colspan="3" class="compare-hunk-header">{ hunk_header(hunk) }</th></tr>
            </thead>
            <tbody>
                { for hunk.lines.iter().map(|line| diff_line(path, exists, line, on_open)) }
            </tbody>
        </table>
    }
}

fn diff_line(
    path: &str,
    exists: bool,
    line: &DiffLine,
    on_open: &Callback<(String, Option<Span>)>,
) -> Html {
    let tag = tag_name(line.tag);
    let number = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    // A line of the branch's file opens it with the line selected.
    let new_number = match line.new_line.filter(|_| exists) {
        Some(n) => {
            let line_number = u32::try_from(n).unwrap_or(u32::MAX);
            let width = u32::try_from(line.text.chars().count()).unwrap_or(u32::MAX - 1);
            let target = (
                path.to_string(),
                Some(Span::new(
                    line_number,
                    1,
                    line_number,
                    width.saturating_add(1),
                )),
            );
            let onclick = on_open.reform(move |_: MouseEvent| target.clone());
            html! {
                <button class="compare-line-link" title="Open this line in the editor" {onclick}>
                    { n.to_string() }
                </button>
            }
        }
        None => html! {},
    };
    html! {
        <tr
            class={classes!("compare-line", tag)}
            data-testid="compare-line"
            data-tag={tag}
            data-old-line={number(line.old_line)}
            data-new-line={number(line.new_line)}
        >
            <td class="compare-line-number">{ number(line.old_line) }</td>
            <td class="compare-line-number">{ new_number }</td>
            <td class="compare-line-text"><span class="compare-mark">{ tag_mark(line.tag).to_string() }</span>{ &line.text }</td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct CodeActionsProps {
    files: Vec<FileDiff>,
    branch: String,
}

/// Downloads every file's diff as one `.diff` file, with the totals.
#[component]
fn CodeActions(props: &CodeActionsProps) -> Html {
    let failure = use_state(|| None::<String>);
    let total_added: usize = props.files.iter().map(|f| f.added_lines).sum();
    let total_removed: usize = props.files.iter().map(|f| f.removed_lines).sum();
    let onclick = {
        let (files, branch, failure) = (props.files.clone(), props.branch.clone(), failure.clone());
        Callback::from(move |_: MouseEvent| {
            let name = format!("{branch}.diff");
            match download_file(&name, "text/x-diff", &unified_all(&files)) {
                Ok(()) => failure.set(None),
                Err(message) => {
                    gloo::console::error!(format!("downloading {name} failed: {message}"));
                    failure.set(Some(format!("Downloading {name} failed: {message}")));
                }
            }
        })
    };
    html! {
        <div class="compare-code-actions">
            <span class="compare-code-totals">
                { format!("{}, {} lines", plural(props.files.len(), "file"), line_counts(total_added, total_removed)) }
            </span>
            <button class="compare-download" data-testid="compare-download-diff" {onclick}
                title="Download every file's diff in the unified format">
                { "Download .diff" }
            </button>
            if let Some(message) = (*failure).clone() {
                <span class="compare-error" role="alert">{ message }</span>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CopyButtonProps {
    path: String,
    text: String,
}

/// Copies one file's unified diff to the clipboard.
#[component]
fn CopyButton(props: &CopyButtonProps) -> Html {
    // None: not clicked yet; Some(Ok): copied; Some(Err): the reason.
    let outcome = use_state(|| None::<Result<(), String>>);
    let onclick = {
        let (text, outcome) = (props.text.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, outcome) = (text.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let copied = copy_to_clipboard(&text).await;
                if let Err(message) = &copied {
                    gloo::console::error!(format!("copying the diff failed: {message}"));
                }
                outcome.set(Some(copied));
            });
        })
    };
    let label = match &*outcome {
        Some(Ok(())) => "Copied",
        _ => "Copy diff",
    };
    html! {
        <>
            <button class="compare-copy" data-testid="compare-copy-diff" data-path={props.path.clone()} {onclick}
                title="Copy this file's diff in the unified format">
                { label }
            </button>
            if let Some(Err(message)) = &*outcome {
                <span class="compare-error" role="alert">{ format!("Copying failed: {message}") }</span>
            }
        </>
    }
}
