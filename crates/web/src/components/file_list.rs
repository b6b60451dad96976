//! The current branch's files, grouped by folder, with how the branch
//! changed each one since its fork.
//!
//! A project of thousands of models would have the page add thousands of
//! entries at each load and recompile. Above [`ALL_FILES_UP_TO`] files the
//! list gets a filter field, and each group draws at fixed heights only
//! the entries near the visible part of the sidebar and the open file's.

use std::ops::Range;

use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use rocky_core::branch::FileStatus;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::components::promote_dialog::{status_letter, status_name};
use crate::sample::FileGroup;

/// Lists with up to this many files draw every entry.
pub const ALL_FILES_UP_TO: usize = 500;

/// The height of one entry of a list drawn in part, in CSS pixels; the
/// stylesheet's `.file-window` entries have it too.
pub const ROW_PX: f64 = 26.0;

/// Entries drawn beyond each edge of the visible part.
const OVERSCAN: usize = 20;

/// Entries a group draws before the list has been measured.
const FIRST_DRAWN: usize = 60;

/// One row of the file list.
#[derive(Clone, Debug, PartialEq)]
pub struct FileEntry {
    pub path: String,
    /// How the branch changed the file since its fork; on `main`, since
    /// the sample. A deleted file is listed but cannot be opened.
    pub change: Option<FileStatus>,
    pub errors: usize,
    pub warnings: usize,
    /// The latest run's outcome for the model or sources this file defines,
    /// when it did not build them.
    pub run_mark: Option<RunMark>,
}

/// A target of this file that the latest run did not build.
#[derive(Clone, Debug, PartialEq)]
pub struct RunMark {
    /// True when DuckDB rejected it, false when it was skipped.
    pub failed: bool,
    pub reason: String,
}

#[derive(Properties, PartialEq)]
pub struct FileListProps {
    pub files: Vec<FileEntry>,
    pub open_path: Option<String>,
    pub on_open: Callback<String>,
    /// Adds a file at the path typed, or returns why it cannot.
    pub on_create: Callback<String, Result<(), String>>,
}

/// Returns the entries of a group of `count` that a viewport shows, with
/// [`OVERSCAN`] more at each end. `list_top` is where the group's first
/// entry starts and `view` the visible span, both in the same vertical
/// coordinates.
pub fn drawn_range(count: usize, list_top: f64, view: Range<f64>) -> Range<usize> {
    let first = ((view.start - list_top) / ROW_PX).floor();
    let last = ((view.end - list_top) / ROW_PX).ceil();
    let clamp = |index: f64| index.clamp(0.0, count as f64) as usize;
    let start = clamp(first).saturating_sub(OVERSCAN);
    let end = (clamp(last) + OVERSCAN).min(count);
    start..end.max(start)
}

/// Returns whether `path` matches the filter `needle`, already in lower
/// case: every word of it appears in the path, in any case.
pub fn matches_filter(path: &str, needle: &str) -> bool {
    let path = path.to_lowercase();
    needle.split_whitespace().all(|word| path.contains(word))
}

#[component]
pub fn FileList(props: &FileListProps) -> Html {
    let filter = use_state(String::new);
    let large = props.files.len() > ALL_FILES_UP_TO;
    let needle = filter.trim().to_lowercase();
    let filtering = large && !needle.is_empty();
    let is_open = |entry: &FileEntry| props.open_path.as_deref() == Some(entry.path.as_str());
    let groups: Vec<(FileGroup, Vec<&FileEntry>)> = FileGroup::ALL
        .iter()
        .map(|&group| {
            let entries = props
                .files
                .iter()
                .filter(|entry| FileGroup::of(&entry.path) == group)
                // The open file stays listed whatever the filter.
                .filter(|entry| {
                    !filtering || is_open(entry) || matches_filter(&entry.path, &needle)
                })
                .collect();
            (group, entries)
        })
        .collect();
    let listed: usize = groups.iter().map(|(_, entries)| entries.len()).sum();
    // True when no path but the open file's matches the filter.
    let no_match = filtering
        && groups
            .iter()
            .flat_map(|(_, entries)| entries)
            .all(|entry| is_open(entry));
    let windowed = listed > ALL_FILES_UP_TO;
    let nav = use_node_ref();
    // The entries each group draws, by the group's index in FileGroup::ALL.
    // Equal ranges do not render again, so a scroll within a row costs nothing.
    let ranges = use_state_eq(|| vec![0..FIRST_DRAWN; FileGroup::ALL.len()]);
    let counts: Vec<usize> = groups.iter().map(|(_, entries)| entries.len()).collect();
    {
        // Measures again after every render with other counts, and at every
        // scroll and resize, of the sidebar or the page.
        let (nav, ranges) = (nav.clone(), ranges.clone());
        use_effect_with((windowed, counts), move |(windowed, counts)| {
            let listeners = windowed.then(|| -> Option<(EventListener, EventListener)> {
                let measure = {
                    let counts = counts.clone();
                    move || {
                        let Some(nav) = nav.cast::<Element>() else {
                            return;
                        };
                        ranges.set(measured_ranges(&nav, &counts));
                    }
                };
                measure();
                let (window, document) = (web_sys::window()?, web_sys::window()?.document()?);
                let options = EventListenerOptions {
                    phase: EventListenerPhase::Capture,
                    passive: true,
                };
                let on_scroll = {
                    let measure = measure.clone();
                    EventListener::new_with_options(&document, "scroll", options, move |_| {
                        measure()
                    })
                };
                let on_resize = EventListener::new(&window, "resize", move |_| measure());
                Some((on_scroll, on_resize))
            });
            move || drop(listeners)
        });
    }
    {
        // A file opened or added out of sight, as through the lineage
        // search or New file, is scrolled into the sidebar.
        let nav = nav.clone();
        use_effect_with(props.open_path.clone(), move |_| {
            if let Some(nav) = nav.cast::<Element>() {
                scroll_active_into_view(&nav);
            }
        });
    }
    let filter_field = large.then(|| {
        let oninput = {
            let filter = filter.clone();
            Callback::from(move |event: InputEvent| {
                if let Some(input) = event
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                {
                    filter.set(input.value());
                }
            })
        };
        html! {
            <input type="search" class="file-filter" data-testid="file-filter"
                placeholder={format!("Filter {} files", props.files.len())}
                aria-label="Filter files by path" spellcheck="false" autocomplete="off"
                {oninput} />
        }
    });
    let sections = groups
        .iter()
        .enumerate()
        .filter(|(_, (_, entries))| !entries.is_empty())
        .map(|(index, (group, entries))| {
            let list = if windowed {
                let range = ranges.get(index).cloned().unwrap_or(0..FIRST_DRAWN);
                windowed_entries(entries, range, props)
            } else {
                html! { <ul>{ for entries.iter().map(|entry| file_item(entry, props, None)) }</ul> }
            };
            html! {
                <section class="file-group" key={group.title()} data-count={entries.len().to_string()}>
                    <h2 class="file-group-title">{ group.title() }</h2>
                    { list }
                </section>
            }
        });
    html! {
        <nav class="file-list" data-testid="file-list" aria-label="Project files" ref={nav}
            data-windowed={windowed.to_string()}>
            <NewFile on_create={props.on_create.clone()} />
            { filter_field }
            if props.files.is_empty() {
                <p class="empty">{ "No project files are bundled with this build." }</p>
            } else if no_match {
                <p class="empty" data-testid="file-filter-empty">{ "No file path has those words." }</p>
            }
            // In a node of its own: Yew matches unkeyed children from the
            // end, so a group that empties would otherwise make it rebuild
            // the filter field as the user types in it.
            <div class="file-groups">{ for sections }</div>
        </nav>
    }
}

/// Scrolls the sidebar around `nav` so that its open file's entry shows.
fn scroll_active_into_view(nav: &Element) {
    let (Some(sidebar), Ok(Some(active))) = (
        nav.parent_element(),
        nav.query_selector(".file-item[data-active=\"true\"]"),
    ) else {
        return;
    };
    let (outer, inner) = (
        sidebar.get_bounding_client_rect(),
        active.get_bounding_client_rect(),
    );
    let top = f64::from(sidebar.scroll_top());
    if inner.bottom() > outer.bottom() {
        sidebar.set_scroll_top((top + inner.bottom() - outer.bottom() + ROW_PX) as i32);
    } else if inner.top() < outer.top() {
        sidebar.set_scroll_top((top - (outer.top() - inner.top()) - ROW_PX).max(0.0) as i32);
    }
}

/// Returns the range each group of `nav` draws, from where its list is
/// and what part of the sidebar and the page is visible.
fn measured_ranges(nav: &Element, counts: &[usize]) -> Vec<Range<usize>> {
    let page_height = web_sys::window()
        .and_then(|window| window.inner_height().ok())
        .and_then(|height| height.as_f64())
        .unwrap_or(800.0);
    let mut view = 0.0..page_height;
    if let Some(sidebar) = nav.parent_element() {
        let rect = sidebar.get_bounding_client_rect();
        view = rect.top().max(0.0)..rect.bottom().min(page_height);
    }
    let lists = nav.query_selector_all(".file-window").ok();
    let mut lists = (0..lists.as_ref().map_or(0, |l| l.length()))
        .filter_map(|i| lists.as_ref()?.item(i)?.dyn_into::<Element>().ok());
    counts
        .iter()
        .map(|&count| {
            if count == 0 {
                return 0..0;
            }
            match lists.next() {
                Some(list) => {
                    drawn_range(count, list.get_bounding_client_rect().top(), view.clone())
                }
                None => 0..FIRST_DRAWN.min(count),
            }
        })
        .collect()
}

/// Renders a group's list at its full height with only the entries of
/// `range` and the open file's, each placed at its own offset.
fn windowed_entries(entries: &[&FileEntry], range: Range<usize>, props: &FileListProps) -> Html {
    let end = range.end.min(entries.len());
    let start = range.start.min(end);
    let active = props
        .open_path
        .as_deref()
        .and_then(|open| entries.iter().position(|entry| entry.path == open))
        .filter(|index| !(start..end).contains(index));
    // In list order, so that Tab moves through the entries as they show.
    let mut drawn: Vec<usize> = (start..end).collect();
    if let Some(index) = active {
        let at = drawn.partition_point(|&drawn| drawn < index);
        drawn.insert(at, index);
    }
    html! {
        <ul class="file-window" style={format!("height: {}px", entries.len() as f64 * ROW_PX)}>
            { for drawn.into_iter().map(|index| file_item(entries[index], props, Some(index))) }
        </ul>
    }
}

/// Renders one entry; `offset` is its index in a list drawn in part.
fn file_item(entry: &FileEntry, props: &FileListProps, offset: Option<usize>) -> Html {
    let active = props.open_path.as_deref() == Some(entry.path.as_str());
    let name = entry
        .path
        .rsplit('/')
        .next()
        .unwrap_or(&entry.path)
        .to_string();
    let onclick = {
        let path = entry.path.clone();
        props.on_open.reform(move |_: MouseEvent| path.clone())
    };
    let deleted = entry.change == Some(FileStatus::Deleted);
    let change = entry.change.map(status_name);
    let title = match entry.change {
        Some(FileStatus::Added) => format!("{}: added in this branch", entry.path),
        Some(FileStatus::Modified) => format!("{}: changed in this branch", entry.path),
        Some(FileStatus::Deleted) => format!("{}: deleted in this branch", entry.path),
        None => entry.path.clone(),
    };
    let style = offset.map(|index| format!("top: {}px", index as f64 * ROW_PX));
    html! {
        <li key={entry.path.clone()} {style}>
            <button
                class={classes!("file-item", active.then_some("active"), change)}
                data-testid="file-item"
                data-path={entry.path.clone()}
                data-active={active.to_string()}
                data-change={change}
                aria-current={active.then_some("true")}
                disabled={deleted}
                {title}
                {onclick}
            >
                <span class="file-name">{ name }</span>
                if let Some(status) = entry.change.filter(|_| !deleted) {
                    <span class={classes!("file-edited", status_name(status))}>{ status_letter(status) }</span>
                }
                if deleted {
                    <span class="file-deleted">{ status_letter(FileStatus::Deleted) }</span>
                }
                if entry.errors > 0 {
                    <span class="badge badge-error">{ entry.errors }</span>
                } else if entry.warnings > 0 {
                    <span class="badge badge-warning">{ entry.warnings }</span>
                }
                if let Some(mark) = &entry.run_mark {
                    if mark.failed {
                        <span class="file-run-failed" title={mark.reason.clone()}>{ "✕" }</span>
                    } else {
                        <span class="file-run-skipped" title={mark.reason.clone()}>{ "⊘" }</span>
                    }
                }
            </button>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct NewFileProps {
    on_create: Callback<String, Result<(), String>>,
}

/// Shows the New file button, and the path field it opens.
#[component]
fn NewFile(props: &NewFileProps) -> Html {
    let open = use_state(|| false);
    let error = use_state(|| None::<String>);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with(*open, move |open| {
            if let Some(input) = input.cast::<HtmlInputElement>().filter(|_| *open) {
                // Set once on opening rather than as a `value` prop, which
                // every render of the page would write back over the typing.
                input.set_value("models/");
                let _ = input.focus();
                // The caret goes after `models/`.
                let end = input.value().len() as u32;
                let _ = input.set_selection_range(end, end);
            }
        });
    }
    if !*open {
        let on_open = {
            let open = open.clone();
            let error = error.clone();
            Callback::from(move |_: MouseEvent| {
                error.set(None);
                open.set(true);
            })
        };
        return html! {
            <button class="new-file-button" data-testid="new-file" title="Add a model or another file to this branch" onclick={on_open}>
                { "+ New file" }
            </button>
        };
    }
    let submit = {
        let input = input.clone();
        let open = open.clone();
        let error = error.clone();
        let on_create = props.on_create.clone();
        move || {
            let Some(field) = input.cast::<HtmlInputElement>() else {
                return;
            };
            match on_create.emit(field.value()) {
                Ok(()) => {
                    error.set(None);
                    open.set(false);
                }
                Err(message) => error.set(Some(message)),
            }
        }
    };
    let on_submit = {
        let submit = submit.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            submit();
        })
    };
    let on_key = {
        let open = open.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                open.set(false);
            }
        })
    };
    let on_cancel = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    html! {
        <form class="new-file-form" data-testid="new-file-form" onsubmit={on_submit}>
            <label for="new-file-path">{ "New file path" }</label>
            <input id="new-file-path" type="text" data-testid="new-file-path" ref={input}
                spellcheck="false" autocomplete="off" onkeydown={on_key}
                aria-invalid={error.is_some().then_some("true")} />
            if let Some(message) = (*error).clone() {
                <p class="new-file-error" data-testid="new-file-error" role="alert">{ message }</p>
            }
            <div class="new-file-buttons">
                <button type="submit" data-testid="new-file-create">{ "Create" }</button>
                <button type="button" data-testid="new-file-cancel" onclick={on_cancel}>{ "Cancel" }</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_visible_rows_and_overscan() {
        // The list starts 100 px down and the view shows 260 px from the
        // top. Rows 0 to 6 are visible, and 20 more below them are drawn.
        assert_eq!(drawn_range(5000, 100.0, 0.0..260.0), 0..27);
        // Scrolled so the list's top is 26,000 px above the view: row 1,000
        // is at the view's top.
        assert_eq!(drawn_range(5000, -26_000.0, 0.0..260.0), 980..1030);
    }

    #[test]
    fn drawn_rows_stay_within_the_list() {
        assert_eq!(drawn_range(5000, -200_000.0, 0.0..500.0), 4980..5000);
        // A list entirely below the view draws only its overscan.
        assert_eq!(drawn_range(5000, 10_000.0, 0.0..500.0), 0..20);
        assert_eq!(drawn_range(0, 0.0, 0.0..500.0), 0..0);
        assert_eq!(drawn_range(3, 0.0, 0.0..500.0), 0..3);
        // A list far above the view draws nothing but its last overscan.
        assert_eq!(drawn_range(100, -1_000_000.0, 0.0..500.0), 80..100);
    }

    #[test]
    fn filter_words_match_any_order() {
        assert!(matches_filter("models/Mart_Orders_12.sql", "orders mart"));
        assert!(matches_filter("models/stg_orders.sql", ""));
        assert!(!matches_filter("models/stg_orders.sql", "payments"));
    }
}
