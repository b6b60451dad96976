//! The lineage view's search box: type part of a model, source or column
//! name, then pick a result to centre the view on it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::lineage::search::{search, SearchHit};
use crate::lineage::SharedLineage;

#[derive(Properties, PartialEq)]
pub struct LineageSearchProps {
    pub lineage: SharedLineage,
    pub on_pick: Callback<SearchHit>,
}

#[component]
pub fn LineageSearch(props: &LineageSearchProps) -> Html {
    let query = use_state(String::new);
    // The result the arrow keys moved to; Enter takes it, or the first one.
    let active = use_state(|| 0_usize);
    let hits = {
        let lineage = props.lineage.clone();
        use_memo(((*query).clone(), lineage), |(query, lineage)| {
            search(&lineage.graph, &lineage.tables, query)
        })
    };

    let pick = {
        let (query, active, on_pick) = (query.clone(), active.clone(), props.on_pick.clone());
        Callback::from(move |hit: SearchHit| {
            query.set(String::new());
            active.set(0);
            on_pick.emit(hit);
        })
    };
    let oninput = {
        let (query, active) = (query.clone(), active.clone());
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            query.set(input.value());
            active.set(0);
        })
    };
    let onkeydown = {
        let (hits, active, query, pick) =
            (hits.clone(), active.clone(), query.clone(), pick.clone());
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "ArrowDown" if !hits.is_empty() => {
                event.prevent_default();
                active.set((*active + 1).min(hits.len() - 1));
            }
            "ArrowUp" => {
                event.prevent_default();
                active.set(active.saturating_sub(1));
            }
            "Enter" => {
                if let Some(hit) = hits.get(*active).or(hits.first()) {
                    event.prevent_default();
                    pick.emit(hit.clone());
                }
            }
            "Escape" => {
                query.set(String::new());
                active.set(0);
            }
            _ => {}
        })
    };

    let no_match = !query.trim().is_empty() && hits.is_empty();
    html! {
        <div class="lineage-search">
            <input
                type="search"
                class="lineage-search-input"
                data-testid="lineage-search"
                placeholder="Find a model or column"
                aria-label="Find a model, source or column by name"
                value={(*query).clone()}
                {oninput}
                {onkeydown}
            />
            if !hits.is_empty() {
                <ul class="lineage-search-results" role="listbox" aria-label="Search results">
                    { for hits.iter().enumerate().map(|(index, hit)| search_result(hit, index == *active, &pick)) }
                </ul>
            }
            if no_match {
                <p class="lineage-search-empty" data-testid="lineage-search-empty">
                    { format!("No model or column matches \u{201c}{}\u{201d}.", query.trim()) }
                </p>
            }
        </div>
    }
}

fn search_result(hit: &SearchHit, active: bool, pick: &Callback<SearchHit>) -> Html {
    let onmousedown = {
        let hit = hit.clone();
        // mousedown, not click, so the pick happens before the input's blur.
        pick.reform(move |event: MouseEvent| {
            event.prevent_default();
            hit.clone()
        })
    };
    let kind = match (&hit.column, hit.is_model) {
        (None, true) => "model",
        (None, false) => "source",
        (Some(_), _) => "column",
    };
    html! {
        <li
            class={classes!("lineage-search-result", active.then_some("active"))}
            data-testid="lineage-search-result"
            data-table={hit.table.clone()}
            data-column={hit.column.clone()}
            role="option"
            aria-selected={active.to_string()}
            {onmousedown}
        >
            <span class="lineage-search-label">{ hit.label() }</span>
            <span class={classes!("kind", kind)}>{ kind }</span>
        </li>
    }
}
