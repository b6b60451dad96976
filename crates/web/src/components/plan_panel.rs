//! The plan of the current branch's next run, before it runs: each model
//! and source table with what the run does with it and why.

use std::collections::HashSet;
use std::rc::Rc;

use rocky_core::branch::plan::BranchPlan;
use yew::prelude::*;

use crate::components::show_all::show_all_button;
use crate::plan_text::{action_name, describe_item, is_up_to_date, PlanCounts};

/// The plan lists this many targets until Show all is clicked; the
/// summary above counts them all.
pub const LISTED_PLAN_ITEMS: usize = 200;

#[derive(Properties, PartialEq)]
pub struct PlanPanelProps {
    pub plan: Rc<BranchPlan>,
    pub parent: Option<String>,
    /// True while the branch runs, when the plan shown is the one running.
    pub running: bool,
}

#[component]
pub fn PlanPanel(props: &PlanPanelProps) -> Html {
    let plan = &props.plan;
    let parent = props.parent.as_deref();
    let expanded = use_state(HashSet::<String>::new);
    let key = format!("plan/{}", plan.branch);
    let listed = if expanded.contains(&key) {
        plan.items.len()
    } else {
        plan.items.len().min(LISTED_PLAN_ITEMS)
    };
    let hidden = plan.items.len() - listed;
    let counts = PlanCounts::of(&plan.items);
    let title = if props.running {
        format!("Running {}", plan.branch)
    } else {
        format!("Next run of {}", plan.branch)
    };
    let summary = if is_up_to_date(plan) {
        "Everything is up to date.".to_string()
    } else {
        format!("{}.", capitalize(&counts.summary(parent)))
    };
    html! {
        <section class="plan-panel" data-testid="plan-panel" data-branch={plan.branch.clone()} data-schema={plan.schema.clone()}>
            <h3 class="run-section-title">{ title }</h3>
            <p class="plan-summary" data-testid="plan-summary">{ summary }</p>
            <ul class="plan-items">
                { for plan.items[..listed].iter().map(|item| {
                    let action = action_name(&item.action);
                    html! {
                        <li
                            class={classes!("plan-item", action)}
                            data-testid="plan-item"
                            data-name={item.name.clone()}
                            data-kind={if item.is_model { "model" } else { "source" }}
                            data-action={action}
                        >
                            <span class="plan-action">{ action }</span>
                            <span class="plan-name">{ &item.name }</span>
                            <span class="plan-reason">{ describe_item(item, parent) }</span>
                        </li>
                    }
                }) }
            </ul>
            { show_all_button(&expanded, &key, hidden, "plan-show-all",
                format!("Show all {} targets ({hidden} more)", plan.items.len())) }
        </section>
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
