//! The promote dialog: the files the branch writes into its parent, the
//! tables it copies, what should stop it (listed, to confirm past), and
//! for each file that both sides changed the three versions with a pick
//! of the side that wins. Nothing is written until the user promotes.

use rocky_core::branch::{Conflict, FileStatus, Resolution};
use yew::prelude::*;

use crate::components::modal::Modal;
use crate::promote::{diff_lines, PromoteDialog};

#[derive(Properties, PartialEq)]
pub struct PromoteDialogProps {
    pub dialog: PromoteDialog,
    pub on_side: Callback<(String, Resolution)>,
    pub on_confirm: Callback<bool>,
    pub on_submit: Callback<()>,
    pub on_close: Callback<()>,
}

#[component]
pub fn PromoteDialogView(props: &PromoteDialogProps) -> Html {
    let dialog = &props.dialog;
    let title = format!("Promote {} into {}", dialog.branch, dialog.parent);
    let on_submit = props.on_submit.reform(|_: MouseEvent| ());
    let on_cancel = props.on_close.reform(|_: MouseEvent| ());
    let on_confirm = props.on_confirm.reform(|event: Event| {
        event
            .target_dyn_into::<web_sys::HtmlInputElement>()
            .is_some_and(|input| input.checked())
    });
    let label = if dialog.running {
        "Promoting…"
    } else if dialog.blockers.is_empty() {
        "Promote"
    } else {
        "Promote anyway"
    };
    let unresolved = dialog.unresolved();
    html! {
        <Modal {title} testid="promote-dialog" kind="promote" on_close={props.on_close.clone()}>
            <section class="promote-section">
                <h3 class="promote-heading">{ "Files" }</h3>
                if dialog.changes.is_empty() {
                    <p class="modal-text">{ format!("{} has no changes to promote.", dialog.branch) }</p>
                }
                <ul class="promote-files">
                    { for dialog.changes.iter().map(|change| html! {
                        <li class="promote-file" data-testid="promote-file" data-path={change.path.clone()} data-status={status_name(change.status)}>
                            <span class={classes!("change-mark", status_name(change.status))}>{ status_letter(change.status) }</span>
                            <code>{ &change.path }</code>
                        </li>
                    }) }
                </ul>
                <p class="promote-tables" data-testid="promote-tables">{ tables_text(dialog) }</p>
            </section>
            if !dialog.conflicts.is_empty() {
                <section class="promote-section">
                    <h3 class="promote-heading">{ format!("Changed on both sides since the fork ({})", dialog.conflicts.len()) }</h3>
                    { for dialog.conflicts.iter().map(|conflict| conflict_view(conflict, dialog, &props.on_side)) }
                </section>
            }
            if !dialog.blockers.is_empty() {
                <section class="promote-section promote-blockers">
                    <h3 class="promote-heading">{ "Before you promote" }</h3>
                    <ul>
                        { for dialog.blockers.iter().map(|blocker| html! {
                            <li class="promote-blocker" data-testid="promote-blocker" data-kind={blocker.kind()}>
                                { blocker.describe() }
                            </li>
                        }) }
                    </ul>
                    <label class="promote-confirm">
                        <input
                            type="checkbox"
                            data-testid="promote-confirm-blockers"
                            checked={dialog.confirmed}
                            disabled={dialog.running}
                            onchange={on_confirm}
                        />
                        { format!("Promote into {} anyway", dialog.parent) }
                    </label>
                </section>
            }
            if let Some(error) = &dialog.error {
                <p class="modal-error" data-testid="promote-error" role="alert">{ error }</p>
            }
            if !unresolved.is_empty() {
                <p class="modal-text promote-unresolved">
                    { format!("Pick a side for {}.", unresolved.join(", ")) }
                </p>
            }
            <div class="modal-buttons">
                <button
                    class={if dialog.blockers.is_empty() { "modal-primary" } else { "modal-danger" }}
                    data-testid="promote-submit"
                    disabled={!dialog.can_submit()}
                    onclick={on_submit}
                >
                    { label }
                </button>
                <button class="modal-default" data-testid="promote-cancel" disabled={dialog.running} onclick={on_cancel}>
                    { "Cancel" }
                </button>
            </div>
        </Modal>
    }
}

fn tables_text(dialog: &PromoteDialog) -> String {
    match &dialog.tables {
        Ok(plan) if plan.promoted.is_empty() && plan.dropped.is_empty() && plan.kept.is_empty() => {
            format!(
                "No table changes: {} reuses every table of {}.",
                dialog.branch, dialog.parent
            )
        }
        Ok(plan) => {
            let mut text = if plan.promoted.is_empty() {
                format!("Copies no table into {}", dialog.parent)
            } else {
                format!(
                    "Copies {} into {} in one transaction",
                    plan.promoted.join(", "),
                    dialog.parent
                )
            };
            if !plan.dropped.is_empty() {
                text.push_str(&format!(" and drops {}", plan.dropped.join(", ")));
            }
            text.push('.');
            if !plan.kept.is_empty() {
                text.push_str(&format!(
                    " Leaves {} for {} to build again: {} keeps its own side of the files that define them.",
                    plan.kept.join(", "),
                    dialog.parent,
                    dialog.parent
                ));
            }
            text
        }
        Err(reason) => format!("Copies no table: {reason}."),
    }
}

fn conflict_view(
    conflict: &Conflict,
    dialog: &PromoteDialog,
    on_side: &Callback<(String, Resolution)>,
) -> Html {
    let picked = dialog.resolutions.get(&conflict.path).copied();
    let side = |resolution: Resolution, value: &'static str, label: String| {
        let onchange = {
            let path = conflict.path.clone();
            on_side.reform(move |_: Event| (path.clone(), resolution))
        };
        html! {
            <label class="promote-side">
                <input
                    type="radio"
                    name={format!("side-{}", conflict.path)}
                    data-testid="promote-side"
                    data-side={value}
                    checked={picked == Some(resolution)}
                    disabled={dialog.running}
                    {onchange}
                />
                { label }
            </label>
        }
    };
    html! {
        <div class="promote-conflict" data-testid="promote-conflict" data-path={conflict.path.clone()}>
            <p class="promote-conflict-path"><code>{ &conflict.path }</code></p>
            <div class="promote-diffs">
                { diff_view("ours", format!("{} (ours) against the fork", dialog.branch), conflict.base.as_deref(), conflict.ours.as_deref()) }
                { diff_view("theirs", format!("{} (theirs) against the fork", dialog.parent), conflict.base.as_deref(), conflict.theirs.as_deref()) }
            </div>
            <div class="promote-sides">
                { side(Resolution::Ours, "ours", format!("Keep {}'s version", dialog.branch)) }
                { side(Resolution::Theirs, "theirs", format!("Keep {}'s version", dialog.parent)) }
            </div>
        </div>
    }
}

fn diff_view(side: &'static str, title: String, base: Option<&str>, text: Option<&str>) -> Html {
    let lines = match text {
        Some(_) => diff_lines(base, text),
        None => vec!["(deleted)".to_string()],
    };
    html! {
        <figure class="promote-diff" data-testid="promote-diff" data-side={side}>
            <figcaption>{ title }</figcaption>
            <pre>
                { for lines.iter().map(|line| {
                    let class = match line.chars().next() {
                        Some('+') => "diff-added",
                        Some('-') => "diff-removed",
                        _ => "diff-same",
                    };
                    html! { <span class={class}>{ line }{ "\n" }</span> }
                }) }
            </pre>
        </figure>
    }
}

/// Returns the `data-status` value of a changed file.
pub fn status_name(status: FileStatus) -> &'static str {
    match status {
        FileStatus::Added => "added",
        FileStatus::Modified => "modified",
        FileStatus::Deleted => "deleted",
    }
}

/// Returns the one-letter mark of a changed file, as git prints it.
pub fn status_letter(status: FileStatus) -> &'static str {
    match status {
        FileStatus::Added => "A",
        FileStatus::Modified => "M",
        FileStatus::Deleted => "D",
    }
}
