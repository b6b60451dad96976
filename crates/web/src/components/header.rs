//! The top bar: project name, compile status, Run, and Reset sample.

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
    pub has_edits: bool,
    pub on_run: Callback<()>,
    pub on_reset: Callback<()>,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let on_reset = props.on_reset.reform(|_: MouseEvent| ());
    html! {
        <header class="topbar">
            <h1 class="brand">
                <span class="brand-name">{ "Rocky" }</span>
                <span class="project-name">{ &props.project }</span>
            </h1>
            <CompileStatus errors={props.errors} warnings={props.warnings} compile_count={props.compile_count} />
            <RunControls phase={props.run_phase} message={props.run_message.clone()} on_run={props.on_run.clone()} />
            <button
                class="reset-button"
                disabled={!props.has_edits}
                title="Discard your edits and restore the bundled sample"
                onclick={on_reset}
            >
                { "Reset sample" }
            </button>
        </header>
    }
}
