//! The top bar: project name and save status, compile status, Run,
//! export and import (passed as `tools`), and Reset sample with its
//! confirmation.

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::components::compile_status::{plural, CompileStatus};
use crate::components::run_controls::RunControls;
use crate::state::RunPhase;

/// Whether the page's latest changes are saved, for `save-status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    Saved,
    /// A change waits for its save.
    Pending,
    Failed,
    /// Nothing is saved: a generated project, or a saved session that
    /// could not be read.
    Off,
}

impl SaveStatus {
    /// Returns the `data-state` value of the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            SaveStatus::Saved => "saved",
            SaveStatus::Pending => "pending",
            SaveStatus::Failed => "failed",
            SaveStatus::Off => "off",
        }
    }

    fn label(self) -> &'static str {
        match self {
            SaveStatus::Saved => "Saved in this browser",
            SaveStatus::Pending => "Saving…",
            SaveStatus::Failed => "Not saved",
            SaveStatus::Off => "Kept in this page only",
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub project: String,
    pub save_status: SaveStatus,
    pub errors: usize,
    pub warnings: usize,
    pub compile_count: u32,
    /// True when the latest compile was made from the latest edit.
    pub compile_current: bool,
    /// True while compiling is paused after a crash.
    pub compile_paused: bool,
    /// The branch Run builds.
    pub branch: String,
    pub run_phase: RunPhase,
    pub run_message: String,
    /// True while any branch runs or a promote copies tables.
    pub run_busy: bool,
    /// Files of `main` that differ from the bundled sample.
    pub edited_files: usize,
    /// Branches other than `main`, which a reset deletes.
    pub branches: usize,
    pub on_run: Callback<()>,
    pub on_cancel_run: Callback<()>,
    /// Fires once the user confirmed the reset, or at once without edits.
    pub on_reset: Callback<()>,
    /// The export and import buttons.
    pub tools: Html,
}

/// Returns the question asked before a reset discards `edited_files` edited
/// files of `main` and `branches` branches, or `None` when there is
/// nothing to discard.
pub fn discard_question(edited_files: usize, branches: usize) -> Option<String> {
    match (edited_files, branches) {
        (0, 0) => None,
        (files, 0) => Some(format!("Discard your edits to {}?", plural(files, "file"))),
        (0, branches) => Some(format!("Discard {}?", branch_count(branches))),
        (files, branches) => Some(format!(
            "Discard your edits to {} and {}?",
            plural(files, "file"),
            branch_count(branches)
        )),
    }
}

fn branch_count(count: usize) -> String {
    if count == 1 {
        "1 branch".to_string()
    } else {
        format!("{count} branches")
    }
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let confirming = use_state(|| false);
    let keep_button = use_node_ref();
    let nothing_to_discard = props.edited_files == 0 && props.branches == 0;
    let question = discard_question(props.edited_files, props.branches).filter(|_| *confirming);

    {
        // Focus goes to Keep, the choice that loses nothing, so Enter or
        // Space right after the click does not discard.
        let keep_button = keep_button.clone();
        use_effect_with(question.is_some(), move |&shown| {
            if let Some(button) = keep_button.cast::<HtmlElement>().filter(|_| shown) {
                let _ = button.focus();
            }
        });
    }

    {
        // Without edits the question is gone, and it must not come back by
        // itself with the next edit.
        let confirming = confirming.clone();
        use_effect_with(nothing_to_discard, move |&nothing_to_discard| {
            if nothing_to_discard {
                confirming.set(false);
            }
        });
    }

    let on_reset_click = {
        let confirming = confirming.clone();
        let on_reset = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| {
            if nothing_to_discard {
                on_reset.emit(());
            } else {
                confirming.set(true);
            }
        })
    };
    let on_discard = {
        let confirming = confirming.clone();
        let on_reset = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| {
            confirming.set(false);
            on_reset.emit(());
        })
    };
    let on_keep = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    let on_key = {
        let confirming = confirming.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                confirming.set(false);
            }
        })
    };

    html! {
        <header class="topbar">
            <h1 class="brand">
                <span class="brand-name">{ "Rocky" }</span>
                <span class="project-name">{ &props.project }</span>
            </h1>
            <span
                class={classes!("save-status", props.save_status.as_str())}
                data-testid="save-status"
                data-state={props.save_status.as_str()}
            >
                { props.save_status.label() }
            </span>
            <CompileStatus errors={props.errors} warnings={props.warnings} compile_count={props.compile_count} current={props.compile_current} paused={props.compile_paused} />
            <RunControls
                phase={props.run_phase}
                message={props.run_message.clone()}
                branch={props.branch.clone()}
                busy={props.run_busy}
                on_run={props.on_run.clone()}
                on_cancel={props.on_cancel_run.clone()}
            />
            { props.tools.clone() }
            if let Some(question) = question {
                <div
                    class="reset-confirm"
                    data-testid="reset-confirm"
                    role="alertdialog"
                    aria-label="Confirm reset"
                    onkeydown={on_key}
                >
                    <span class="reset-question">{ question }</span>
                    <button class="reset-discard" data-testid="reset-discard" onclick={on_discard}>
                        { "Discard" }
                    </button>
                    <button
                        class="reset-keep"
                        data-testid="reset-keep"
                        ref={keep_button}
                        onclick={on_keep}
                    >
                        { "Keep" }
                    </button>
                </div>
            } else {
                <button
                    class="reset-button"
                    data-testid="reset-button"
                    disabled={nothing_to_discard || props.run_busy}
                    title="Discard your edits and branches and restore the bundled sample"
                    onclick={on_reset_click}
                >
                    { "Reset sample" }
                </button>
            }
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_question_without_edits() {
        assert_eq!(discard_question(0, 0), None);
    }

    #[test]
    fn question_counts_files() {
        assert_eq!(
            discard_question(1, 0).as_deref(),
            Some("Discard your edits to 1 file?")
        );
        assert_eq!(
            discard_question(3, 0).as_deref(),
            Some("Discard your edits to 3 files?")
        );
    }

    #[test]
    fn question_counts_branches() {
        assert_eq!(discard_question(0, 1).as_deref(), Some("Discard 1 branch?"));
        assert_eq!(
            discard_question(2, 3).as_deref(),
            Some("Discard your edits to 2 files and 3 branches?")
        );
    }
}
