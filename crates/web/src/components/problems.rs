//! The problems list of the whole project: the open file's diagnostics
//! first, then the other files', each entry a link to its range.

use std::collections::HashSet;

use rocky_core::{Diagnostic, Label, Severity, Span};
use yew::prelude::*;

use crate::components::compile_status::plural;
use crate::components::show_all::{show_all_button, Expanded};
use crate::editor_diagnostics::{note_text, severity_name};
use crate::problem_list::{location_text, FileProblems, ProblemCounts};

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    /// Diagnostics by file, the open file's group first.
    pub groups: Vec<FileProblems>,
    /// The counts over every group.
    pub counts: ProblemCounts,
    /// Opens a file and selects a range of it in the editor.
    pub on_reveal: Callback<(String, Span)>,
}

/// The warnings and notes a file's group lists until the user asks for all
/// of them; its errors are always listed. 5,000 warnings of one model drew
/// 5,000 entries at every compile.
pub const LISTED_PROBLEMS: usize = 200;

#[component]
pub fn Problems(props: &ProblemsProps) -> Html {
    let section = use_node_ref();
    // The paths of the groups that list every problem.
    let expanded = use_state(HashSet::<String>::new);
    {
        // The open file's group moves to the top when another file opens,
        // so the list scrolls back up to show it.
        let section = section.clone();
        let open_group = props
            .groups
            .iter()
            .find(|group| group.open)
            .map(|group| group.path.clone());
        use_effect_with(open_group, move |_| {
            if let Some(element) = section.cast::<web_sys::Element>() {
                element.set_scroll_top(0);
            }
        });
    }
    html! {
        <section class="problems" aria-label="Problems" ref={section}>
            <h2 class="panel-title">
                { "Problems" }
                { counts_badge(&props.counts) }
            </h2>
            if props.groups.is_empty() {
                <p class="empty">{ "No problems in the project." }</p>
            } else {
                { for props.groups.iter().map(|group| file_group(group, &props.on_reveal, &expanded)) }
            }
        </section>
    }
}

fn counts_badge(counts: &ProblemCounts) -> Html {
    let mut parts = vec![
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
    ];
    if counts.infos > 0 {
        parts.push(plural(counts.infos, "note"));
    }
    html! {
        <span
            class="problem-counts"
            data-testid="problem-counts"
            data-errors={counts.errors.to_string()}
            data-warnings={counts.warnings.to_string()}
            data-infos={counts.infos.to_string()}
        >
            { parts.join(", ") }
        </span>
    }
}

/// Returns the diagnostics a group lists: all of them once expanded,
/// otherwise every error and the first [`LISTED_PROBLEMS`] of the others,
/// in their order.
pub fn listed_problems(diagnostics: &[Diagnostic], all: bool) -> Vec<&Diagnostic> {
    let mut others = 0;
    diagnostics
        .iter()
        .filter(|diagnostic| {
            if all || diagnostic.severity == Severity::Error {
                return true;
            }
            others += 1;
            others <= LISTED_PROBLEMS
        })
        .collect()
}

fn file_group(
    group: &FileProblems,
    on_reveal: &Callback<(String, Span)>,
    expanded: &Expanded,
) -> Html {
    let counts = ProblemCounts::of(&group.diagnostics);
    let listed = listed_problems(&group.diagnostics, expanded.contains(&group.path));
    let hidden = group.diagnostics.len() - listed.len();
    html! {
        <div
            class={classes!("problem-file", group.open.then_some("open"))}
            data-testid="problem-file"
            data-path={group.path.clone()}
            data-open={group.open.to_string()}
        >
            <h3 class="problem-file-title">
                <span class="problem-file-path">{ &group.path }</span>
                <span class="count">{ plural(counts.total(), "problem") }</span>
            </h3>
            <ul class="problem-list">
                { for listed.into_iter().map(|d| problem(d, group.open, on_reveal)) }
            </ul>
            { show_all_button(expanded, &group.path, hidden, "problems-show-all",
                format!("Show all {} problems ({hidden} more)", group.diagnostics.len())) }
        </div>
    }
}

fn problem(diagnostic: &Diagnostic, open: bool, on_reveal: &Callback<(String, Span)>) -> Html {
    let severity = severity_name(diagnostic.severity);
    let start = diagnostic.span.start;
    let test_id = if open {
        "diagnostic"
    } else {
        "other-file-diagnostic"
    };
    let onclick = {
        let target = (diagnostic.file.clone(), diagnostic.span);
        on_reveal.reform(move |_: MouseEvent| target.clone())
    };
    // The location sits outside the `diagnostic` element, whose text the
    // contract fixes to the message, help and notes. A click anywhere on the
    // entry reveals it. The location button makes that reachable by
    // keyboard, because its click bubbles up to the entry.
    html! {
        <li class={classes!("problem", severity)} {onclick}>
            <button class="problem-location" title="Show in the editor">
                { location_text(diagnostic) }
            </button>
            <div
                class="diagnostic"
                data-testid={test_id}
                data-path={diagnostic.file.clone()}
                data-code={diagnostic.code.clone()}
                data-line={start.line.to_string()}
                data-column={start.column.to_string()}
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
                { for diagnostic.labels.iter().map(|label| note(&diagnostic.file, label, on_reveal)) }
            </div>
        </li>
    }
}

fn note(file: &str, label: &Label, on_reveal: &Callback<(String, Span)>) -> Html {
    let onclick = {
        let target = (file.to_string(), label.span);
        let on_reveal = on_reveal.clone();
        Callback::from(move |event: MouseEvent| {
            // The entry's own handler would select the primary range instead.
            event.stop_propagation();
            on_reveal.emit(target.clone());
        })
    };
    html! {
        <>
            { " " }
            <button
                class="diagnostic-note"
                data-testid="diagnostic-note"
                data-line={label.span.start.line.to_string()}
                data-column={label.span.start.column.to_string()}
                title="Show this place in the editor"
                {onclick}
            >
                { note_text(label) }
            </button>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32) -> Span {
        Span::new(line, 1, line, 2)
    }

    #[test]
    fn listed_problems_long_group_keeps_errors() {
        let mut diagnostics: Vec<Diagnostic> = (1..=500)
            .map(|line| Diagnostic::warning("W0001", "models/a.sql", at(line), "unused"))
            .collect();
        diagnostics.push(Diagnostic::error(
            "E0101",
            "models/a.sql",
            at(501),
            "unknown column",
        ));
        let listed = listed_problems(&diagnostics, false);
        assert_eq!(listed.len(), LISTED_PROBLEMS + 1);
        assert_eq!(listed.last().map(|d| d.code.as_str()), Some("E0101"));
        assert_eq!(listed[LISTED_PROBLEMS - 1].span.start.line, 200);
        assert_eq!(listed_problems(&diagnostics, true).len(), 501);
    }

    #[test]
    fn listed_problems_short_group_all() {
        let diagnostics: Vec<Diagnostic> = (1..=LISTED_PROBLEMS as u32)
            .map(|line| Diagnostic::warning("W0001", "models/a.sql", at(line), "unused"))
            .collect();
        assert_eq!(listed_problems(&diagnostics, false).len(), LISTED_PROBLEMS);
    }
}
