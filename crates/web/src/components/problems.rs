//! The problems list of the open file, and a count of the others.

use rocky_core::Diagnostic;
use yew::prelude::*;

use crate::components::compile_status::plural;
use crate::editor_diagnostics::severity_name;

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    /// Diagnostics of the open file, in line order.
    pub diagnostics: Vec<Diagnostic>,
    /// Files other than the open one that have problems, with their count.
    pub elsewhere: Vec<(String, usize)>,
    pub on_open: Callback<String>,
}

#[component]
pub fn Problems(props: &ProblemsProps) -> Html {
    let elsewhere_total: usize = props.elsewhere.iter().map(|(_, count)| count).sum();
    html! {
        <section class="problems" aria-label="Problems">
            <h2 class="panel-title">
                { "Problems" }
                <span class="count">{ props.diagnostics.len() }</span>
            </h2>
            if props.diagnostics.is_empty() {
                <p class="empty">{ "No problems in this file." }</p>
            } else {
                <ul class="problem-list">
                    { for props.diagnostics.iter().map(problem) }
                </ul>
            }
            if elsewhere_total > 0 {
                <p class="problems-elsewhere">
                    { format!("{} in other files: ", plural(elsewhere_total, "problem")) }
                    { for props.elsewhere.iter().map(|(path, count)| other_file(path, *count, &props.on_open)) }
                </p>
            }
        </section>
    }
}

fn problem(diagnostic: &Diagnostic) -> Html {
    let severity = severity_name(diagnostic.severity);
    let start = diagnostic.span.start;
    let location = if diagnostic.span.is_empty() {
        String::new()
    } else {
        format!("{}:{}", start.line, start.column)
    };
    // The location sits outside the `diagnostic` element, whose text the
    // contract fixes to the message and help.
    html! {
        <li class={classes!("problem", severity)}>
            <span class="problem-location">{ location }</span>
            <div
                class="diagnostic"
                data-testid="diagnostic"
                data-code={diagnostic.code.clone()}
                data-line={start.line.to_string()}
                data-severity={severity}
            >
                <div class="diagnostic-message">
                    { format!("{}: {}", diagnostic.code, diagnostic.message) }
                </div>
                if let Some(help) = &diagnostic.help {
                    // Keeps the message and help apart in the element's textContent.
                    { " " }
                    <div class="diagnostic-help">{ format!("help: {help}") }</div>
                }
            </div>
        </li>
    }
}

fn other_file(path: &str, count: usize, on_open: &Callback<String>) -> Html {
    let onclick = {
        let path = path.to_string();
        on_open.reform(move |_: MouseEvent| path.clone())
    };
    html! {
        <button class="link-button" {onclick}>{ format!("{path} ({count})") }</button>
    }
}
