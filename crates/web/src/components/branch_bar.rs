//! The branch bar in the top bar: the current branch and its parent, a
//! switcher, and the branch actions. The actions open dialogs; only the
//! dialogs change anything.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A button of the branch bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BranchButton {
    New,
    Rename,
    Reset,
    Delete,
    Promote,
}

#[derive(Properties, PartialEq)]
pub struct BranchBarProps {
    /// Every branch, `main` first.
    pub branches: Vec<String>,
    pub current: String,
    /// The current branch's parent; `None` on `main`.
    pub parent: Option<String>,
    /// How many files the current branch changed since its fork.
    pub changed_files: usize,
    /// True while a run or a promote uses DuckDB, when the actions wait.
    pub busy: bool,
    pub on_switch: Callback<String>,
    pub on_button: Callback<BranchButton>,
}

#[component]
pub fn BranchBar(props: &BranchBarProps) -> Html {
    let select = use_node_ref();
    {
        // An option's `selected` attribute sets only the default choice:
        // once the user picked another one, the element's value must be set
        // to follow the current branch.
        let select = select.clone();
        let current = props.current.clone();
        let branches = props.branches.clone();
        use_effect_with((current, branches), move |(current, _)| {
            if let Some(element) = select.cast::<HtmlSelectElement>() {
                if element.value() != *current {
                    element.set_value(current);
                }
            }
        });
    }
    let on_change = props.on_switch.reform(|event: Event| {
        event
            .target_dyn_into::<HtmlSelectElement>()
            .map(|select| select.value())
            .unwrap_or_default()
    });
    let button = |which: BranchButton,
                  testid: &'static str,
                  label: &'static str,
                  title: String,
                  enabled: bool| {
        let onclick = props.on_button.reform(move |_: MouseEvent| which);
        html! {
            <button class="branch-button" data-testid={testid} disabled={!enabled || props.busy} {title} {onclick}>
                { label }
            </button>
        }
    };
    let on_branch = props.parent.is_some();
    let parent = props.parent.clone().unwrap_or_default();
    let changes = match props.changed_files {
        0 => "no changes".to_string(),
        1 => "1 changed file".to_string(),
        count => format!("{count} changed files"),
    };
    html! {
        <div
            class="branch-bar"
            data-testid="branch-bar"
            data-branch={props.current.clone()}
            data-parent={props.parent.clone()}
        >
            <label class="branch-label">
                <span class="branch-label-text">{ "Branch" }</span>
                <select
                    class="branch-select"
                    data-testid="branch-select"
                    disabled={props.busy}
                    ref={select}
                    onchange={on_change}
                >
                    { for props.branches.iter().map(|name| html! {
                        <option value={name.clone()} selected={*name == props.current}>{ name }</option>
                    }) }
                </select>
            </label>
            if on_branch {
                <span class="branch-parent" data-testid="branch-parent">
                    { format!("from {parent}, {changes}") }
                </span>
            }
            { button(BranchButton::New, "branch-create", "New branch",
                format!("Fork a branch from {}", props.current), true) }
            { button(BranchButton::Rename, "branch-rename", "Rename",
                "Rename this branch".to_string(), on_branch) }
            { button(BranchButton::Reset, "branch-reset", "Reset",
                format!("Drop this branch's changes and fork it again from {parent}"), on_branch) }
            { button(BranchButton::Delete, "branch-delete", "Delete",
                "Delete this branch and drop its DuckDB schema".to_string(), on_branch) }
            { button(BranchButton::Promote, "branch-promote", "Promote",
                format!("Write this branch's changes and tables into {parent}"),
                on_branch && props.changed_files > 0) }
        </div>
    }
}
