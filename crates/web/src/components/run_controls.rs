//! The Run button and the run's progress line.

use yew::prelude::*;

use crate::state::RunPhase;

#[derive(Properties, PartialEq)]
pub struct RunControlsProps {
    /// The phase of the current branch's latest run.
    pub phase: RunPhase,
    pub message: String,
    /// The branch the button runs.
    pub branch: String,
    /// True while any run or promote uses DuckDB.
    pub busy: bool,
    pub on_run: Callback<()>,
    /// Cancels the current branch's run.
    pub on_cancel: Callback<()>,
}

#[component]
pub fn RunControls(props: &RunControlsProps) -> Html {
    let busy = props.busy || props.phase.is_busy();
    let onclick = props.on_run.reform(|_: MouseEvent| ());
    let text = if props.phase == RunPhase::Idle && props.message.is_empty() {
        "Not run yet"
    } else {
        props.message.as_str()
    };
    html! {
        <div class="run-controls">
            <button
                class="run-button"
                data-testid="run-button"
                data-branch={props.branch.clone()}
                disabled={busy}
                title={format!("Build what changed in {} in DuckDB, in the browser, then run its data tests", props.branch)}
                {onclick}
            >
                { if props.phase.is_busy() { "Running…" } else { "Run" } }
            </button>
            if props.phase.is_busy() {
                <button
                    class="run-cancel"
                    data-testid="run-cancel"
                    title="Interrupt the statement DuckDB runs now and build nothing more; the next run builds the rest"
                    onclick={props.on_cancel.reform(|_: MouseEvent| ())}
                >
                    { "Cancel" }
                </button>
            }
            <span
                class={classes!("run-status", format!("run-{}", props.phase.as_str()))}
                data-testid="run-status"
                data-state={props.phase.as_str()}
                data-branch={props.branch.clone()}
                aria-live="polite"
            >
                { text }
            </span>
        </div>
    }
}
