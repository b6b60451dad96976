//! The list of lessons, opened from the top bar: each lesson's title, what
//! it teaches, its sample project and how far the user got, with a button
//! that opens it.

use yew::prelude::*;

use crate::components::modal::Modal;
use crate::lessons::{self, Progress};

#[derive(Properties, PartialEq)]
pub struct LessonsDialogProps {
    pub progress: Progress,
    /// The lesson open in this page, if any.
    pub current: Option<String>,
    pub on_close: Callback<()>,
}

#[component]
pub fn LessonsDialog(props: &LessonsDialogProps) -> Html {
    let lessons = lessons::all();
    let items = lessons.iter().map(|lesson| {
        let done = props
            .progress
            .steps_done(&lesson.id)
            .min(lesson.steps.len());
        let total = lesson.steps.len();
        let label = if props.current.as_deref() == Some(lesson.id.as_str()) {
            "Back to it"
        } else if done == total {
            "Open again"
        } else if done > 0 {
            "Continue"
        } else {
            "Start"
        };
        let status = if done == total {
            "Completed".to_string()
        } else {
            format!("{done} of {total} steps done")
        };
        let onclick = {
            let id = lesson.id.clone();
            let current = props.current.clone();
            let on_close = props.on_close.clone();
            Callback::from(move |_: MouseEvent| {
                if current.as_deref() == Some(id.as_str()) {
                    on_close.emit(());
                } else {
                    open_lesson(&id);
                }
            })
        };
        html! {
            <li class="lesson-item" data-testid="lesson-item" data-lesson={lesson.id.clone()}
                data-done={done.to_string()} data-steps={total.to_string()} key={lesson.id.clone()}>
                <div class="lesson-item-text">
                    <h3>{ lesson.title.clone() }</h3>
                    <p>{ lesson.summary.clone() }</p>
                    <p class="lesson-item-meta">
                        { format!("Project: {} · ", lesson.project) }
                        <span data-testid="lesson-status">{ status }</span>
                    </p>
                </div>
                <button class="lesson-open" data-testid="lesson-open" {onclick}>{ label }</button>
            </li>
        }
    });
    html! {
        <Modal title="Lessons" testid="lessons-dialog" kind="lessons" on_close={props.on_close.clone()}>
            <p class="modal-text">
                { "Each lesson opens its own copy of a sample project, so your own project stays as it is. Your progress is kept in this browser." }
            </p>
            <ol class="lesson-list">{ for items }</ol>
            <div class="modal-buttons">
                <button class="modal-default" data-testid="lessons-close" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
        </Modal>
    }
}

/// Opens a lesson: the page reloads on the new fragment, after saving the
/// session it shows.
pub fn open_lesson(id: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window
            .location()
            .set_hash(&format!("{}{id}", lessons::FRAGMENT_PREFIX));
    }
}
