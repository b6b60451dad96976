//! The top bar: project name, compile status, Run, and Reset sample with
//! its confirmation.

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::components::compile_status::CompileStatus;
use crate::components::run_controls::RunControls;
use crate::state::RunPhase;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub project: String,
    pub errors: usize,
    pub warnings: usize,
    pub compile_count: u32,
    pub run_phase: RunPhase,
    pub run_message: String,
    /// Files that differ from the bundled sample.
    pub edited_files: usize,
    pub on_run: Callback<()>,
    /// Fires once the user confirmed the reset, or at once without edits.
    pub on_reset: Callback<()>,
}

/// Returns the question asked before a reset discards `edited_files` edited
/// files, or `None` when there is nothing to discard.
pub fn discard_question(edited_files: usize) -> Option<String> {
    match edited_files {
        0 => None,
        1 => Some("Discard your edits to 1 file?".to_string()),
        count => Some(format!("Discard your edits to {count} files?")),
    }
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let confirming = use_state(|| false);
    let keep_button = use_node_ref();
    let question = discard_question(props.edited_files).filter(|_| *confirming);

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
        use_effect_with(props.edited_files == 0, move |&nothing_to_discard| {
            if nothing_to_discard {
                confirming.set(false);
            }
        });
    }

    let on_reset_click = {
        let confirming = confirming.clone();
        let on_reset = props.on_reset.clone();
        let edited_files = props.edited_files;
        Callback::from(move |_: MouseEvent| {
            if edited_files == 0 {
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
            <CompileStatus errors={props.errors} warnings={props.warnings} compile_count={props.compile_count} />
            <RunControls phase={props.run_phase} message={props.run_message.clone()} on_run={props.on_run.clone()} />
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
                    disabled={props.edited_files == 0}
                    title="Discard your edits and restore the bundled sample"
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
        assert_eq!(discard_question(0), None);
    }

    #[test]
    fn question_counts_files() {
        assert_eq!(
            discard_question(1).as_deref(),
            Some("Discard your edits to 1 file?")
        );
        assert_eq!(
            discard_question(3).as_deref(),
            Some("Discard your edits to 3 files?")
        );
    }
}
