//! The embedded view of a share link (`&embed=1`): only the lineage graph
//! of the shared project, compact, for an iframe in a docs page, with a
//! link that opens the full playground. Nothing is saved, and no saved
//! work of the browser is read.

use yew::prelude::*;

use crate::components::app::paused_banner;
use crate::components::lineage_view::LineageGraphView;
use crate::startup::StartupHandle;
use crate::state::{Action, ColumnRef};

/// The paused notice of the embedded view.
const EMBED_PAUSED_TEXT: &str = "This view stopped after an internal error the last time, so the project is not compiled and has no lineage until you choose to compile it.";

#[derive(Properties, PartialEq)]
pub struct EmbedViewProps {
    pub startup: StartupHandle,
}

#[component]
pub fn EmbedView(props: &EmbedViewProps) -> Html {
    let startup = props.startup.clone();
    let state = use_reducer(move || startup.0.state());
    crate::hooks::use_first_compile(&state);
    let on_select = {
        let dispatcher = state.dispatcher();
        Callback::from(move |column: ColumnRef| dispatcher.dispatch(Action::Select(column)))
    };
    let on_clear = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(Action::ClearSelection))
    };
    let on_open_table = {
        let dispatcher = state.dispatcher();
        let compilation = state.compilation.clone();
        Callback::from(move |name: String| {
            let file = compilation
                .model(&name)
                .map(|model| model.file.clone())
                .or_else(|| compilation.source(&name).map(|source| source.file.clone()));
            if let Some(path) = file {
                dispatcher.dispatch(Action::Open { path, select: None });
            }
        })
    };
    let full = full_playground_link(state.shared.as_ref().map(|shared| shared.fragment.as_str()));
    let project = match state.compilation.project.as_str() {
        "" => "untitled project".to_string(),
        name => name.to_string(),
    };
    let open_table = state
        .selected
        .as_ref()
        .map(|selected| selected.model.clone())
        .or_else(|| state.open_target().map(|target| target.name));
    html! {
        <div class="embed" data-testid="embed-view">
            <header class="embed-header">
                <span class="embed-title">{ format!("Rocky · {project} · column lineage") }</span>
                <a class="embed-open" data-testid="embed-open" href={full} target="_blank" rel="noopener noreferrer">
                    { "Open in the playground" }
                </a>
            </header>
            { paused_banner(&state, &state.dispatcher(), EMBED_PAUSED_TEXT) }
            <div class="embed-graph">
                <LineageGraphView
                    compilation={state.compilation.clone()}
                    {open_table}
                    selected={state.selected.clone()}
                    visible={true}
                    {on_select}
                    {on_clear}
                    {on_open_table}
                    compact={true}
                />
            </div>
        </div>
    }
}

/// Returns the address of the full playground for the same link: the
/// page's address with the fragment less its `embed=1` part.
fn full_playground_link(fragment: Option<&str>) -> String {
    let base = web_sys::window()
        .and_then(|window| {
            let location = window.location();
            Some(format!(
                "{}{}",
                location.origin().ok()?,
                location.pathname().ok()?
            ))
        })
        .unwrap_or_default();
    let parts: Vec<&str> = fragment
        .unwrap_or_default()
        .split('&')
        .filter(|part| *part != "embed=1" && !part.is_empty())
        .collect();
    format!("{base}#{}", parts.join("&"))
}
