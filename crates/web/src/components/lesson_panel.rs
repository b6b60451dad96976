//! The open lesson, above the main view: its steps, the current one's
//! instructions, the check the page runs for it, and a hint. The page moves
//! to the next step by itself when the check passes.

use std::rc::Rc;

use rocky_core::lessons::{Check, Lesson};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lesson: Rc<Lesson>,
    /// The lesson's number in the list, from 1.
    pub number: usize,
    /// The steps done; equal to the step count once the lesson is complete.
    pub done: usize,
    /// The choice picked for the current step's question.
    pub answer: Option<usize>,
    pub on_answer: Callback<usize>,
    /// Starts the lesson again from its first step and its starting files.
    pub on_restart: Callback<()>,
    /// Opens the list of lessons.
    pub on_lessons: Callback<()>,
    /// The next lesson, as (id, title), when there is one.
    pub next: Option<(String, String)>,
}

#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let open = use_state(|| true);
    let lesson = &props.lesson;
    let total = lesson.steps.len();
    let done = props.done.min(total);
    let complete = done == total;
    let progress = if complete {
        "Completed".to_string()
    } else {
        format!("Step {} of {total}", done + 1)
    };
    let steps = lesson.steps.iter().enumerate().map(|(index, step)| {
        let state = match index.cmp(&done) {
            std::cmp::Ordering::Less => "done",
            std::cmp::Ordering::Equal => "current",
            std::cmp::Ordering::Greater => "todo",
        };
        let mark = if state == "done" { "✓" } else { "" };
        html! {
            <li class={classes!("lesson-step-item", state)} data-testid="lesson-step-item" data-state={state}>
                <span class="lesson-step-mark" aria-hidden="true">{ mark }</span>
                { step.title.clone() }
            </li>
        }
    });
    let on_toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let on_leave = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let location = window.location();
            let path = location.pathname().unwrap_or_else(|_| "/".to_string());
            // The address without its fragment opens the user's own project.
            let _ = location.assign(&path);
        }
    });
    html! {
        <section class="lesson-panel" data-testid="lesson-panel" data-lesson={lesson.id.clone()}
            data-done={done.to_string()} data-complete={complete.to_string()} aria-label="Lesson">
            <div class="lesson-head">
                <span class="lesson-kicker">{ format!("Lesson {}", props.number) }</span>
                <h2 class="lesson-title">{ lesson.title.clone() }</h2>
                <span class="lesson-progress" data-testid="lesson-progress">{ progress }</span>
                <span class="lesson-actions">
                    <button class="link-button" data-testid="lesson-toggle" aria-expanded={open.to_string()} onclick={on_toggle}>
                        { if *open { "Hide" } else { "Show" } }
                    </button>
                    <button class="link-button" data-testid="lesson-list" onclick={props.on_lessons.reform(|_: MouseEvent| ())}>{ "All lessons" }</button>
                    <button class="link-button" data-testid="lesson-restart"
                        title="Start again from the first step, with the lesson's project as it was at the start"
                        onclick={props.on_restart.reform(|_: MouseEvent| ())}>{ "Restart" }</button>
                    <button class="link-button" data-testid="lesson-leave" title="Open your own project" onclick={on_leave}>{ "Leave" }</button>
                </span>
            </div>
            if *open {
                <div class="lesson-body">
                    <ol class="lesson-steps">{ for steps }</ol>
                    if complete {
                        { completed(props) }
                    } else {
                        { current_step(props, done) }
                    }
                </div>
            }
        </section>
    }
}

fn completed(props: &LessonPanelProps) -> Html {
    html! {
        <div class="lesson-step lesson-complete" data-testid="lesson-complete" role="status">
            <h3>{ "Lesson complete" }</h3>
            <p>{ "Every step's check passed. This project stays as you left it; Restart brings back its starting point." }</p>
            if let Some((id, title)) = &props.next {
                <button class="lesson-next" data-testid="lesson-next" onclick={{
                    let id = id.clone();
                    Callback::from(move |_: MouseEvent| crate::components::lessons_dialog::open_lesson(&id))
                }}>{ format!("Next lesson: {title}") }</button>
            } else {
                <button class="lesson-next" data-testid="lesson-next" onclick={props.on_lessons.reform(|_: MouseEvent| ())}>{ "All lessons" }</button>
            }
        </div>
    }
}

fn current_step(props: &LessonPanelProps, index: usize) -> Html {
    let Some(step) = props.lesson.steps.get(index) else {
        return html! {};
    };
    let question = match &step.check {
        Check::Answer {
            question,
            choices,
            correct,
        } => {
            let wrong = props.answer.is_some_and(|answer| answer != *correct);
            let options = choices.iter().enumerate().map(|(choice, text)| {
                let checked = props.answer == Some(choice);
                let onchange = props.on_answer.reform(move |_: Event| choice);
                html! {
                    <li>
                        <label class="lesson-choice">
                            <input type="radio" name="lesson-choice" data-testid="lesson-choice"
                                data-choice={choice.to_string()} {checked} {onchange} />
                            { text.clone() }
                        </label>
                    </li>
                }
            });
            html! {
                <fieldset class="lesson-question">
                    <legend>{ question.clone() }</legend>
                    <ul>{ for options }</ul>
                    if wrong {
                        <p class="lesson-wrong" data-testid="lesson-wrong" role="alert">{ "Not quite. Look again and pick another answer." }</p>
                    }
                </fieldset>
            }
        }
        _ => html! {},
    };
    html! {
        <div class="lesson-step" data-testid="lesson-step" data-index={index.to_string()}>
            <h3>{ step.title.clone() }</h3>
            { for step.text.split("\n\n").filter(|p| !p.trim().is_empty()).map(paragraph) }
            { question }
            if !matches!(step.check, Check::Answer { .. }) {
                <p class="lesson-check" data-testid="lesson-check">
                    { "The page checks that " }{ step.check.describe() }{ "." }
                </p>
            }
            if let Some(hint) = &step.hint {
                <details class="lesson-hint" data-testid="lesson-hint">
                    <summary>{ "Hint" }</summary>
                    { paragraph(hint) }
                </details>
            }
        </div>
    }
}

/// Renders a paragraph, with the text between backquotes as code. The
/// text is set as text nodes, never as markup.
fn paragraph(text: &str) -> Html {
    let parts = text.trim().split('`').enumerate().map(|(index, part)| {
        if index % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            html! { { part.replace('\n', " ") } }
        }
    });
    html! { <p>{ for parts }</p> }
}
