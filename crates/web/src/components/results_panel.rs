//! The bottom panel: the plan of the current branch's next run and its
//! latest data tests on the left; the latest run's failures and the open
//! target's rows, read from the branch's relation, on the right.

use std::rc::Rc;

use rocky_core::branch::plan::BranchPlan;
use yew::prelude::*;

use crate::components::plan_panel::PlanPanel;
use crate::components::result_table::ResultTable;
use crate::components::test_list::TestList;
use crate::state::{Results, RunPhase, RunState, Target};
use crate::test_results::TestOutcome;

#[derive(Properties, PartialEq)]
pub struct ResultsPanelProps {
    pub branch: String,
    pub parent: Option<String>,
    pub run: RunState,
    /// True once the branch ran in this page, so its tables exist.
    pub has_record: bool,
    /// The quoted relation the open target's rows are read from.
    pub relation: Option<String>,
    pub plan: Rc<BranchPlan>,
    pub tests: Vec<TestOutcome>,
    pub results: Results,
    pub open_target: Option<Target>,
    /// True when files changed after the run whose rows are shown.
    pub stale: bool,
    /// Opens the file of a model or source, by name.
    pub on_open_target: Callback<String>,
}

#[component]
pub fn ResultsPanel(props: &ResultsPanelProps) -> Html {
    let run = &props.run;
    html! {
        <section class="results" aria-label="Results">
            <div class="run-column">
                <PlanPanel plan={props.plan.clone()} parent={props.parent.clone()} running={run.phase.is_busy()} />
                <TestList tests={props.tests.clone()} />
            </div>
            <div class="rows-column">
            <h2 class="panel-title">
                { "Results" }
                if let Some(relation) = &props.relation {
                    <code class="results-relation" data-testid="results-relation">{ relation }</code>
                }
            </h2>
            if props.stale && props.has_record && !props.run.phase.is_busy() {
                <p class="results-stale">{ "Files changed since this run. Press Run to rebuild." }</p>
            }
            if !run.failures.is_empty() || !run.skipped.is_empty() {
                <ul class="run-log">
                    { for run.failures.iter().map(|failure| {
                        let onclick = open(&props.on_open_target, &failure.target);
                        html! {
                            <li class="model-error" data-testid="model-error" data-model={failure.target.clone()}>
                                <button class="link-button model-name" {onclick}>{ &failure.target }</button>
                                <pre class="error-text">{ &failure.message }</pre>
                            </li>
                        }
                    }) }
                    { for run.skipped.iter().map(|skipped| {
                        let onclick = open(&props.on_open_target, &skipped.target);
                        html! {
                            <li
                                class="model-skipped"
                                data-testid="model-skipped"
                                data-model={skipped.target.clone()}
                                data-reason={skipped.reason.as_str()}
                            >
                                <button class="link-button model-name" {onclick}>{ &skipped.target }</button>
                                { " " }
                                <span class="skip-reason">{ skipped.reason.describe() }</span>
                            </li>
                        }
                    }) }
                </ul>
            }
            { body(props) }
            </div>
        </section>
    }
}

fn body(props: &ResultsPanelProps) -> Html {
    let run = &props.run;
    let Some(target) = &props.open_target else {
        return html! { <p class="empty">{ "Open a model or source to see its rows." }</p> };
    };
    if !props.has_record || run.phase.is_busy() {
        let text = match run.phase {
            RunPhase::Loading | RunPhase::Running => "Running…".to_string(),
            _ => format!(
                "Press Run to build {} in DuckDB and see its rows here.",
                props.branch
            ),
        };
        return html! { <p class="empty">{ text }</p> };
    }
    if let Some(reason) = run.not_built_reason(&target.name) {
        // The run log above shows a failure's DuckDB error in full.
        let text = if run.has_failed(&target.name) {
            format!("{} was not built in the latest run.", target.name)
        } else {
            format!("{reason}.")
        };
        return html! { <p class="empty">{ text }</p> };
    }
    if props.relation.is_none() {
        let text = format!(
            "{} is not built in {} yet. Press Run to build it.",
            target.name, props.branch
        );
        return html! { <p class="empty">{ text }</p> };
    }
    match &props.results {
        Results::Loaded {
            target: loaded,
            branch,
            table,
            ..
        } if loaded == &target.name && branch == &props.branch => html! {
            <ResultTable target={loaded.clone()} table={table.clone()} />
        },
        Results::Failed {
            target: failed,
            branch,
            message,
            ..
        } if failed == &target.name && branch == &props.branch => html! {
            <p class="results-error">{ format!("Reading {failed} failed: {message}") }</p>
        },
        _ => html! { <p class="empty">{ format!("Loading {}…", target.name) }</p> },
    }
}

fn open(on_open_target: &Callback<String>, target: &str) -> Callback<MouseEvent> {
    let target = target.to_string();
    on_open_target.reform(move |_: MouseEvent| target.clone())
}
