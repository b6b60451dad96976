//! The Run button and the run's progress line.

use yew::prelude::*;

use crate::state::RunPhase;

#[derive(Properties, PartialEq)]
pub struct RunControlsProps {
    pub phase: RunPhase,
    pub message: String,
    pub on_run: Callback<()>,
}

#[component]
pub fn RunControls(props: &RunControlsProps) -> Html {
    let busy = props.phase.is_busy();
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
                disabled={busy}
                title="Build every source and model in DuckDB, in the browser"
                {onclick}
            >
                { if busy { "Running…" } else { "Run" } }
            </button>
            <span
                class={classes!("run-status", format!("run-{}", props.phase.as_str()))}
                data-testid="run-status"
                data-state={props.phase.as_str()}
                aria-live="polite"
            >
                { text }
            </span>
        </div>
    }
}
