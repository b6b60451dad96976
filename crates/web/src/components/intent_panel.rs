//! The open model's intent beside the editor: Rocky's explanation of it
//! and the data tests its grain, invariants, joins and CASE values
//! suggest, each accepted with one click into the sidecar. When the user
//! set up a language model, that model can word the explanation.

use std::collections::HashSet;
use std::rc::Rc;

use rocky_core::intent::assist::{explain_messages, wording_from_reply};
use rocky_core::intent::{
    apply_proposal, explain, propose_tests, Explanation, KeysMemo, ProposedTest, SectionKind,
};
use rocky_core::ProjectFiles;
use yew::prelude::*;

use crate::assistant::AssistantSettings;
use crate::components::show_all::show_all_button;
use crate::state::SharedCompilation;

#[derive(Properties, PartialEq)]
pub struct IntentPanelProps {
    pub compilation: SharedCompilation,
    pub files: Rc<ProjectFiles>,
    /// The open model; `None` when the open file is no model's.
    pub model: Option<String>,
    pub assistant: AssistantSettings,
    /// Writes a file of the current branch: (path, text).
    pub on_write: Callback<(String, String)>,
    pub on_settings: Callback<()>,
}

/// The facts a section lists until the user asks for all of them. A model
/// of 10,000 columns drew 20,000 elements here at every compile.
const LISTED_FACTS: usize = 100;

/// The state of a wording request: pending, its text, or its error.
#[derive(Clone, PartialEq)]
enum Wording {
    Asking,
    Done { text: String, by: String },
    Failed(String),
}

#[component]
pub fn IntentPanel(props: &IntentPanelProps) -> Html {
    // The keys of upstream models, kept from one compile to the next: in a
    // project of thousands, finding them all again took 200 ms an edit.
    let memo = use_mut_ref(KeysMemo::default);
    let facts = {
        let key = (props.compilation.clone(), props.model.clone());
        let memo = memo.clone();
        use_memo(key, move |(compilation, model)| {
            let model = model.as_deref()?;
            compilation.model(model)?;
            let mut memo = memo.borrow_mut();
            memo.retain_models_of(compilation);
            let explanation = explain(compilation, model, &mut memo)?;
            let proposals = propose_tests(compilation, model, &mut memo);
            Some((explanation, proposals))
        })
    };
    // The wording belongs to one model and one compile; another one clears it.
    let wording = use_state(|| None::<(String, Wording)>);
    let accept_error = use_state(|| None::<String>);
    // The sections, as `model/kind` in lower case, that list every fact.
    let expanded = use_state(HashSet::<String>::new);
    {
        let wording = wording.clone();
        let accept_error = accept_error.clone();
        use_effect_with(props.model.clone(), move |_| {
            wording.set(None);
            accept_error.set(None);
        });
    }

    let Some((explanation, proposals)) = facts.as_ref() else {
        return html! {
            <section class="intent-panel" data-testid="intent-panel" aria-label="Intent">
                <h2 class="panel-title">{ "Intent" }</h2>
                <p class="empty">{ "Open a model to see its explanation and proposed tests." }</p>
            </section>
        };
    };
    let model = explanation.model.clone();
    let sidecar = sidecar_path(&props.compilation, &model);

    let on_accept = {
        let files = Rc::clone(&props.files);
        let on_write = props.on_write.clone();
        let sidecar = sidecar.clone();
        let accept_error = accept_error.clone();
        Callback::from(move |proposal: ProposedTest| {
            let Some(path) = sidecar.clone() else {
                return;
            };
            let current = files.get(&path).cloned().unwrap_or_default();
            match apply_proposal(&current, &proposal) {
                Ok(text) => {
                    accept_error.set(None);
                    on_write.emit((path, text));
                }
                Err(message) => accept_error.set(Some(format!("{path}: {message}"))),
            }
        })
    };
    let on_word = {
        let compilation = props.compilation.clone();
        let assistant = props.assistant.clone();
        let wording = wording.clone();
        let model = model.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(messages) = explain_messages(&compilation, &model) else {
                return;
            };
            wording.set(Some((model.clone(), Wording::Asking)));
            let (assistant, wording, model) = (assistant.clone(), wording.clone(), model.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = assistant
                    .ask(&messages)
                    .await
                    .and_then(|(reply, by)| wording_from_reply(&reply).map(|text| (text, by)));
                let outcome = match result {
                    Ok((text, by)) => Wording::Done { text, by },
                    Err(message) => Wording::Failed(message),
                };
                wording.set(Some((model, outcome)));
            });
        })
    };
    let shown_wording = wording
        .as_ref()
        .filter(|(of, _)| of.eq_ignore_ascii_case(&model))
        .map(|(_, wording)| wording.clone());

    html! {
        <section class="intent-panel" data-testid="intent-panel" data-model={model.clone()} aria-label="Intent">
            <h2 class="panel-title">{ "Intent" }</h2>
            { stated(explanation, sidecar.as_deref(), sidecar_unreadable(&props.compilation, sidecar.as_deref())) }
            { assistant_row(&props.assistant, shown_wording.as_ref(), on_word, &props.on_settings) }
            { for explanation.sections.iter().map(|section| {
                let key = format!("{}/{}", model.to_ascii_lowercase(), kind_name(section.kind));
                let listed = if expanded.contains(&key) { section.facts.len() } else { LISTED_FACTS };
                let hidden = section.facts.len().saturating_sub(listed);
                html! {
                    <div class="explain-section" data-testid="explain-section" data-kind={kind_name(section.kind)}>
                        <h3>{ &section.title }</h3>
                        <ul>
                            { for section.facts.iter().take(listed).map(|fact| html! {
                                <li class="explain-fact" data-testid="explain-fact">
                                    { with_code_spans(&fact.text) }
                                    if let Some(sql) = fact.sql.as_ref().filter(|sql| !is_plain_name(sql) && !fact.text.contains(sql.as_str())) {
                                        <code class="explain-sql">{ sql }</code>
                                    }
                                </li>
                            }) }
                        </ul>
                        { show_all_button(&expanded, &key, hidden, "explain-show-all",
                            format!("Show all {} ({hidden} more)", section.facts.len())) }
                    </div>
                }
            }) }
            { proposals_list(proposals, sidecar.as_deref(), &on_accept) }
            if let Some(message) = (*accept_error).clone() {
                <p class="intent-error" role="alert" data-testid="accept-error">{ message }</p>
            }
        </section>
    }
}

/// Returns the sidecar path of a model: its SQL file's with `.toml`.
fn sidecar_path(compilation: &SharedCompilation, model: &str) -> Option<String> {
    let file = &compilation.model(model)?.file;
    Some(format!("{}.toml", file.strip_suffix(".sql")?))
}

/// Returns true when the sidecar has invalid TOML (E0003), so its intent
/// could not be read.
fn sidecar_unreadable(compilation: &SharedCompilation, sidecar: Option<&str>) -> bool {
    sidecar.is_some_and(|path| {
        compilation
            .diagnostics
            .iter()
            .any(|d| d.file == path && d.code == "E0003")
    })
}

fn stated(explanation: &Explanation, sidecar: Option<&str>, unreadable: bool) -> Html {
    let missing = if unreadable {
        format!(
            "{} is not valid TOML, so its intent is not read; the problems list shows where.",
            sidecar.unwrap_or("The sidecar")
        )
    } else {
        format!(
            "No intent stated. Add intent = \"...\" to {} to say what the model is for.",
            sidecar.unwrap_or("its sidecar")
        )
    };
    html! {
        <div class="intent-stated">
            if let Some(intent) = &explanation.intent {
                <p class="intent-text" data-testid="intent-text">{ intent }</p>
            } else {
                <p class="empty" data-testid="intent-text" data-missing="true">{ missing }</p>
            }
            if let Some(owner) = &explanation.owner {
                <p class="intent-owner">{ format!("Owner: {owner}") }</p>
            }
        </div>
    }
}

fn assistant_row(
    settings: &AssistantSettings,
    wording: Option<&Wording>,
    on_word: Callback<MouseEvent>,
    on_settings: &Callback<()>,
) -> Html {
    if !settings.is_ready() {
        return html! {};
    }
    let asking = matches!(wording, Some(Wording::Asking));
    let body = match wording {
        None => html! {},
        Some(Wording::Asking) => html! {
            <p class="assistant-status" data-testid="assistant-status">{ format!("Asking {}…", settings.model) }</p>
        },
        Some(Wording::Done { text, by }) => html! {
            <blockquote class="assistant-wording" data-testid="assistant-wording" data-model={by.clone()}>
                <p>{ text }</p>
                <footer>{ format!("Worded by {by} from the facts above; Rocky does not check prose.") }</footer>
            </blockquote>
        },
        Some(Wording::Failed(message)) => html! {
            <p class="assistant-error" role="alert" data-testid="assistant-error">{ message }</p>
        },
    };
    html! {
        <div class="assistant-row">
            <button
                class="tool-button"
                data-testid="assistant-explain"
                disabled={asking}
                title={format!("Send the model's SQL, schemas, lineage and intent (no data rows) to {}", settings.endpoint)}
                onclick={on_word}
            >
                { "Word it with the language model" }
            </button>
            <button class="link-button" onclick={on_settings.reform(|_: MouseEvent| ())}>{ "Settings" }</button>
            { body }
        </div>
    }
}

fn proposals_list(
    proposals: &[ProposedTest],
    sidecar: Option<&str>,
    on_accept: &Callback<ProposedTest>,
) -> Html {
    let open = proposals.iter().filter(|p| !p.exists).count();
    html! {
        <div class="proposed-tests" data-testid="proposed-tests" data-open={open.to_string()}>
            <h3>{ "Proposed tests" }</h3>
            if proposals.is_empty() {
                <p class="empty">{ "Nothing to propose: state a grain or invariants in the sidecar." }</p>
            }
            <ul>
                { for proposals.iter().map(|proposal| {
                    let accept = {
                        let proposal = proposal.clone();
                        on_accept.reform(move |_: MouseEvent| proposal.clone())
                    };
                    html! {
                        <li
                            class={classes!("proposed-test", proposal.exists.then_some("exists"))}
                            data-testid="proposed-test"
                            data-name={proposal.name.clone()}
                            data-exists={proposal.exists.to_string()}
                        >
                            <span class="proposed-name">{ &proposal.name }</span>
                            <span class="proposed-reason">{ &proposal.reason }</span>
                            if proposal.exists {
                                <span class="proposed-state">{ "in the sidecar" }</span>
                            } else {
                                <button
                                    class="tool-button"
                                    data-testid="accept-test"
                                    disabled={sidecar.is_none()}
                                    title={format!("Append this test to {}:\n{}", sidecar.unwrap_or("the sidecar"), proposal.toml)}
                                    onclick={accept}
                                >
                                    { "Accept" }
                                </button>
                            }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// Returns the `data-kind` of a section, as the JSON of `rocky explain` names it.
fn kind_name(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Grain => "grain",
        SectionKind::Reads => "reads",
        SectionKind::Joins => "joins",
        SectionKind::Filters => "filters",
        SectionKind::Aggregations => "aggregations",
        SectionKind::Computed => "computed",
        SectionKind::PassThrough => "pass_through",
        SectionKind::Intent => "intent",
    }
}

/// Returns true for SQL that only names a column or is `*`, which the
/// fact's sentence already says.
fn is_plain_name(sql: &str) -> bool {
    let sql = sql.trim();
    sql == "*"
        || sql.ends_with(".*")
        || sql
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '"')
}

/// Renders text with `backticked` parts as code, as the explanation
/// writes names.
fn with_code_spans(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code class="explain-name">{ part }</code> }
            } else {
                html! { { part } }
            }
        }) }
    }
}
