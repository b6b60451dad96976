//! The repair section: for each model of the branch that an upstream
//! column change broke, the fix-it Rocky computed, as a diff that was
//! verified by compiling the branch with it, and a button that applies it
//! on the branch. When the user set up a language model, it can be asked
//! for an edit of a broken model. Its edit is compiled the same way, then
//! shown as a diff to apply, or as rejected with the reason.

use std::collections::BTreeMap;
use std::rc::Rc;

use rocky_core::intent::assist::{check_candidate, repair_messages};
use rocky_core::intent::{repair_all, FixIt, FixKind};
use rocky_core::{ProjectFiles, Span};
use yew::prelude::*;

use crate::assistant::AssistantSettings;
use crate::compare::{plural, CompareSide};

#[derive(Properties, PartialEq)]
pub struct RepairSectionProps {
    pub parent: CompareSide,
    pub branch: CompareSide,
    pub assistant: AssistantSettings,
    /// Writes a file of the branch: (path, text).
    pub on_write: Callback<(String, String)>,
    pub on_open: Callback<(String, Option<Span>)>,
}

/// A language model's candidate for one model.
#[derive(Clone, PartialEq)]
enum Candidate {
    Asking,
    /// The checked candidate, with the model that proposed it.
    Checked(Box<FixIt>, String),
    Failed(String),
}

#[component]
pub fn RepairSection(props: &RepairSectionProps) -> Html {
    // NOTE: repair compiles the project once per broken model and fix-it,
    // on the page's thread; on a generated 1,000-model project with a dozen
    // broken models that blocks the page for seconds.
    let fixes: Rc<Vec<FixIt>> = {
        let key = (
            Rc::clone(&props.parent.files),
            Rc::clone(&props.branch.files),
        );
        use_memo(key, |(parent, branch)| repair_all(parent, branch))
    };
    let candidates = use_reducer(Candidates::default);

    let apply = {
        let on_write = props.on_write.clone();
        Callback::from(move |fix: FixIt| on_write.emit((fix.path, fix.text)))
    };
    let ask = {
        let parent = Rc::clone(&props.parent.files);
        let branch = Rc::clone(&props.branch.files);
        let assistant = props.assistant.clone();
        let candidates = candidates.dispatcher();
        Callback::from(move |model: String| {
            ask_model(&assistant, &parent, &branch, model, candidates.clone());
        })
    };

    // Errors no fix-it is about: the branch's own, such as a test in the
    // changed model's sidecar, which repair does not edit.
    let fixed: Vec<&str> = fixes.iter().map(|fix| fix.model.as_str()).collect();
    let other_errors = props
        .branch
        .compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter(|d| {
            !d.model
                .as_deref()
                .is_some_and(|m| fixed.iter().any(|f| f.eq_ignore_ascii_case(m)))
        })
        .count();
    let others = (other_errors > 0).then(|| {
        html! {
            <p class="repair-others" data-testid="repair-others" data-errors={other_errors.to_string()}>
                { format!(
                    "{} on {} {} not from an upstream column change, so repair does not fix {}; the problems list shows {}.",
                    plural(other_errors, "error"),
                    props.branch.name,
                    if other_errors == 1 { "is" } else { "are" },
                    if other_errors == 1 { "it" } else { "them" },
                    if other_errors == 1 { "it" } else { "them" },
                ) }
            </p>
        }
    });
    if fixes.is_empty() {
        return html! {
            <>
                <p class="empty" data-testid="repair-none">
                    { format!(
                        "No model of {} is broken by a renamed, removed or retyped upstream column.",
                        props.branch.name
                    ) }
                </p>
                { for others }
            </>
        };
    }
    let verified = fixes.iter().filter(|fix| fix.verified).count();
    html! {
        <div class="compare-repair" data-testid="repair-section">
            <p class="repair-summary" data-testid="repair-summary" data-broken={fixes.len().to_string()} data-verified={verified.to_string()}>
                { format!(
                    "{} broken by upstream column changes; {} verified by compiling the branch with {}.",
                    plural(fixes.len(), "model"),
                    plural(verified, "fix-it"),
                    if verified == 1 { "it" } else { "them" }
                ) }
            </p>
            { for others }
            { for fixes.iter().map(|fix| {
                // A candidate is shown only for the files it was checked against.
                let candidate = candidates
                    .0
                    .get(&fix.model)
                    .filter(|(files, _)| Rc::ptr_eq(files, &props.branch.files))
                    .map(|(_, candidate)| candidate.clone());
                fix_view(fix, candidate, props, &apply, &ask)
            }) }
        </div>
    }
}

/// The latest candidate per model name, with the branch files it was
/// checked against.
#[derive(Default)]
struct Candidates(BTreeMap<String, (Rc<ProjectFiles>, Candidate)>);

/// Stores the candidate of a model.
struct SetCandidate {
    model: String,
    files: Rc<ProjectFiles>,
    candidate: Candidate,
}

impl Reducible for Candidates {
    type Action = SetCandidate;

    fn reduce(self: Rc<Self>, action: SetCandidate) -> Rc<Self> {
        let mut map = self.0.clone();
        map.insert(action.model, (action.files, action.candidate));
        Rc::new(Candidates(map))
    }
}

/// Sends the repair request for `model` and stores the checked reply.
fn ask_model(
    assistant: &AssistantSettings,
    parent: &Rc<ProjectFiles>,
    branch: &Rc<ProjectFiles>,
    model: String,
    candidates: UseReducerDispatcher<Candidates>,
) {
    let Some(messages) = repair_messages(parent, branch, &model) else {
        return;
    };
    candidates.dispatch(SetCandidate {
        model: model.clone(),
        files: Rc::clone(branch),
        candidate: Candidate::Asking,
    });
    let (assistant, parent, branch) = (assistant.clone(), Rc::clone(parent), Rc::clone(branch));
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = match assistant.ask(&messages).await {
            Ok((reply, by)) => Candidate::Checked(
                Box::new(check_candidate(&parent, &branch, &model, &reply)),
                by,
            ),
            Err(message) => Candidate::Failed(message),
        };
        candidates.dispatch(SetCandidate {
            model,
            files: branch,
            candidate: outcome,
        });
    });
}

fn fix_view(
    fix: &FixIt,
    candidate: Option<Candidate>,
    props: &RepairSectionProps,
    apply: &Callback<FixIt>,
    ask: &Callback<String>,
) -> Html {
    let path = fix.path.clone();
    let on_path = props
        .on_open
        .reform(move |_: MouseEvent| (path.clone(), None));
    let kinds: Vec<&str> = fix.kinds.iter().map(|kind| kind_name(*kind)).collect();
    let state = if fix.verified {
        "verified"
    } else {
        "unverified"
    };
    let on_apply = {
        let fix = fix.clone();
        apply.reform(move |_: MouseEvent| fix.clone())
    };
    let on_ask = {
        let model = fix.model.clone();
        ask.reform(move |_: MouseEvent| model.clone())
    };
    let asking = matches!(candidate, Some(Candidate::Asking));
    html! {
        <section
            class={classes!("repair-fix", state)}
            data-testid="repair-fix"
            data-model={fix.model.clone()}
            data-verified={fix.verified.to_string()}
            data-kinds={kinds.join(" ")}
        >
            <h3 class="repair-title">
                <button class="compare-link" title="Open in the editor" onclick={on_path}>{ &fix.path }</button>
                <span class={classes!("repair-state", state)}>{ state }</span>
            </h3>
            <ul class="repair-errors">
                { for fix.fixes.iter().map(|error| html! {
                    <li>{ format!("{} {}:{}: {}", error.code, error.span.start.line, error.span.start.column, error.message) }</li>
                }) }
            </ul>
            if !fix.description.is_empty() {
                <p class="repair-description">{ &fix.description }</p>
            }
            if let Some(problem) = &fix.problem {
                <p class="repair-problem" data-testid="repair-problem">{ problem }</p>
            }
            if !fix.diff.is_empty() {
                <pre class="repair-diff" data-testid="repair-diff">{ diff_lines(&fix.diff) }</pre>
            }
            <div class="repair-actions">
                if fix.verified {
                    <button class="tool-button" data-testid="repair-apply" onclick={on_apply}>
                        { format!("Apply to {}", fix.path) }
                    </button>
                }
                if props.assistant.is_ready() {
                    <button
                        class="tool-button"
                        data-testid="repair-ask"
                        disabled={asking}
                        title={format!("Send the model's SQL, errors and the upstream schemas (no data rows) to {}", props.assistant.endpoint)}
                        onclick={on_ask}
                    >
                        { "Ask the language model" }
                    </button>
                }
            </div>
            { candidate_view(candidate, apply) }
        </section>
    }
}

fn candidate_view(candidate: Option<Candidate>, apply: &Callback<FixIt>) -> Html {
    match candidate {
        None => html! {},
        Some(Candidate::Asking) => html! {
            <p class="assistant-status" data-testid="assistant-status">{ "Asking the language model…" }</p>
        },
        Some(Candidate::Failed(message)) => html! {
            <p class="assistant-error" role="alert" data-testid="assistant-error">{ message }</p>
        },
        Some(Candidate::Checked(fix, by)) => {
            let verified = fix.verified;
            let on_apply = {
                let fix = (*fix).clone();
                apply.reform(move |_: MouseEvent| fix.clone())
            };
            html! {
                <div
                    class={classes!("repair-candidate", if verified { "verified" } else { "rejected" })}
                    data-testid="repair-candidate"
                    data-verified={verified.to_string()}
                    data-model={by.clone()}
                >
                    <p class="repair-candidate-title">
                        if verified {
                            { format!("{by} proposed an edit; it compiles, and the outputs keep their names and types.") }
                        } else {
                            { format!("{by} proposed an edit that Rocky rejected: ") }
                            <span data-testid="repair-candidate-problem">{ fix.problem.clone().unwrap_or_default() }</span>
                        }
                    </p>
                    if !fix.diff.is_empty() {
                        <pre class="repair-diff" data-testid="repair-diff">{ diff_lines(&fix.diff) }</pre>
                    }
                    if verified {
                        <button class="tool-button" data-testid="repair-candidate-apply" onclick={on_apply}>
                            { format!("Apply to {}", fix.path) }
                        </button>
                    }
                </div>
            }
        }
    }
}

/// Renders a unified diff with a class per line kind.
fn diff_lines(diff: &str) -> Html {
    html! {
        { for diff.lines().map(|line| {
            let class = match line.as_bytes().first() {
                Some(b'+') if !line.starts_with("+++") => "added",
                Some(b'-') if !line.starts_with("---") => "removed",
                Some(b'@') => "hunk",
                _ => "context",
            };
            html! { <span class={classes!("diff-line", class)}>{ line }{ "\n" }</span> }
        }) }
    }
}

fn kind_name(kind: FixKind) -> &'static str {
    match kind {
        FixKind::Rename => "rename",
        FixKind::DropItem => "drop_item",
        FixKind::Cast => "cast",
    }
}
