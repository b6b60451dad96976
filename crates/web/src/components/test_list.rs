//! The data tests of the current branch's latest run: pass or fail per
//! test, and a failing test's first rows.

use rocky_core::TestSeverity;
use yew::prelude::*;

use crate::bridge::QueryResult;
use crate::components::result_table::rows_table;
use crate::test_results::{TestCounts, TestOutcome, TestStatus};

#[derive(Properties, PartialEq)]
pub struct TestListProps {
    pub tests: Vec<TestOutcome>,
}

#[component]
pub fn TestList(props: &TestListProps) -> Html {
    if props.tests.is_empty() {
        return html! {};
    }
    let counts = TestCounts::of(&props.tests);
    let summary = counts
        .summary()
        .unwrap_or_else(|| "tests: running".to_string());
    html! {
        <section
            class="test-results"
            data-testid="test-results"
            data-passed={counts.passed.to_string()}
            data-failed={counts.failed.to_string()}
            data-warnings={counts.warnings.to_string()}
        >
            <h3 class="run-section-title">{ "Data tests" }</h3>
            <p class="test-summary">{ summary }</p>
            <ul class="test-items">
                { for props.tests.iter().map(test_item) }
            </ul>
        </section>
    }
}

fn test_item(outcome: &TestOutcome) -> Html {
    let test = &outcome.test;
    let severity = match test.severity {
        TestSeverity::Error => "error",
        TestSeverity::Warn => "warn",
    };
    let status = outcome.status_name();
    let class = match (&outcome.status, test.severity) {
        (TestStatus::Failed(_) | TestStatus::Error(_), TestSeverity::Error) => "failed",
        (TestStatus::Failed(_) | TestStatus::Error(_), TestSeverity::Warn) => "warned",
        (TestStatus::Passed, _) => "passed",
        _ => "other",
    };
    html! {
        <li
            class={classes!("test-result", class)}
            data-testid="test-result"
            data-name={test.name.clone()}
            data-model={test.model.clone()}
            data-severity={severity}
            data-status={status}
        >
            <div class="test-line">
                <span class="test-name">{ &test.name }</span>
                <span class="test-outcome">{ outcome.describe() }</span>
            </div>
            if let TestStatus::Failed(rows) = &outcome.status {
                { failing_rows(rows) }
                <details class="test-sql">
                    <summary>{ "SQL" }</summary>
                    <pre>{ &test.sql }</pre>
                </details>
            }
        </li>
    }
}

fn failing_rows(rows: &QueryResult) -> Html {
    html! {
        <div class="result-scroll test-rows-scroll">
            { rows_table(rows, "test-failing-rows") }
        </div>
    }
}
