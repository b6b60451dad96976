//! The branch compare view: a branch against its parent, in four sections
//! behind tabs. Code shows the text diff of each changed file, and Schema
//! the column changes per model. Impact shows what the changes reach
//! downstream and which of them break a consumer. Data diffs the rows of
//! each changed model by key, in the tables that both sides' last runs
//! left in DuckDB. Repair offers verified fix-its for the models that an
//! upstream column change broke.

use std::rc::Rc;

use rocky_core::compare::Comparison;
use rocky_core::Span;
use yew::prelude::*;

use crate::assistant::AssistantSettings;
use crate::compare::{compare_sides, plural, CompareSide};

mod code;
mod data;
mod impact;
mod repair;
mod schema;

#[derive(Properties, PartialEq)]
pub struct CompareViewProps {
    pub parent: CompareSide,
    pub branch: CompareSide,
    /// Opens a file of the branch, and selects a range of it when given.
    pub on_open: Callback<(String, Option<Span>)>,
    pub assistant: AssistantSettings,
    /// Writes a file of the branch: (path, text).
    pub on_write: Callback<(String, String)>,
    /// True when DuckDB started a new database since the branches last ran.
    #[prop_or_default]
    pub lost_database: bool,
    /// Called after each query of the view, so the app can forget the
    /// branches' tables when the query ended DuckDB's database.
    #[prop_or_default]
    pub on_lost_database: Callback<()>,
}

/// A section of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareSection {
    Code,
    Schema,
    Impact,
    Data,
    Repair,
}

impl CompareSection {
    const ALL: [CompareSection; 5] = [
        CompareSection::Code,
        CompareSection::Schema,
        CompareSection::Impact,
        CompareSection::Data,
        CompareSection::Repair,
    ];

    /// Returns the `data-section` value.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareSection::Code => "code",
            CompareSection::Schema => "schema",
            CompareSection::Impact => "impact",
            CompareSection::Data => "data",
            CompareSection::Repair => "repair",
        }
    }

    fn label(self) -> &'static str {
        match self {
            CompareSection::Code => "Code",
            CompareSection::Schema => "Schema",
            CompareSection::Impact => "Impact",
            CompareSection::Data => "Data",
            CompareSection::Repair => "Repair",
        }
    }
}

#[component]
pub fn CompareView(props: &CompareViewProps) -> Html {
    let comparison: Rc<Comparison> = {
        // The records do not change the comparison, so a run does not
        // recompute it.
        let key = (
            props.parent.name.clone(),
            Rc::clone(&props.parent.files),
            SamePointer(Rc::clone(&props.parent.compilation)),
            props.branch.name.clone(),
            Rc::clone(&props.branch.files),
            SamePointer(Rc::clone(&props.branch.compilation)),
        );
        let (parent, branch) = (props.parent.clone(), props.branch.clone());
        use_memo(key, move |_| compare_sides(&parent, &branch))
    };
    let section = use_state(|| CompareSection::Code);
    let current = *section;
    let on_section = {
        let section = section.clone();
        Callback::from(move |chosen: CompareSection| section.set(chosen))
    };

    let (parent, branch) = (&props.parent, &props.branch);
    let body = match current {
        CompareSection::Code => code::code_section(&comparison, branch, &props.on_open),
        CompareSection::Schema => schema::schema_section(&comparison, branch, &props.on_open),
        CompareSection::Impact => impact::impact_section(&comparison, branch, &props.on_open),
        // Mounted only while its tab is shown, so opening the tab runs
        // the queries.
        CompareSection::Data => html! {
            <data::CompareData
                comparison={SharedComparison(Rc::clone(&comparison))}
                parent={parent.clone()}
                branch={branch.clone()}
                lost_database={props.lost_database}
                on_lost_database={props.on_lost_database.clone()}
            />
        },
        CompareSection::Repair => html! {
            <repair::RepairSection
                parent={parent.clone()}
                branch={branch.clone()}
                assistant={props.assistant.clone()}
                on_write={props.on_write.clone()}
                on_open={props.on_open.clone()}
            />
        },
    };
    html! {
        <section
            class="compare-view"
            data-testid="compare-view"
            data-parent={parent.name.clone()}
            data-branch={branch.name.clone()}
            aria-label="Compare with parent"
        >
            <header class="compare-header">
                <h2 class="compare-title">
                    <span class="compare-branch">{ &branch.name }</span>
                    { " compared with " }
                    <span class="compare-parent">{ &parent.name }</span>
                </h2>
                { summary_line(&comparison) }
            </header>
            <div class="compare-tabs" role="tablist" aria-label="Comparison section">
                { for CompareSection::ALL.iter().map(|&tab| section_tab(tab, current, &on_section)) }
            </div>
            <div class="compare-body" role="tabpanel" id={format!("compare-section-{}", current.as_str())}>
                { body }
            </div>
        </section>
    }
}

fn section_tab(
    tab: CompareSection,
    current: CompareSection,
    on_section: &Callback<CompareSection>,
) -> Html {
    let active = tab == current;
    html! {
        <button
            class={classes!("compare-tab", active.then_some("active"))}
            role="tab"
            data-testid="compare-tab"
            data-section={tab.as_str()}
            aria-selected={active.to_string()}
            aria-controls={format!("compare-section-{}", tab.as_str())}
            onclick={on_section.reform(move |_: MouseEvent| tab)}
        >
            { tab.label() }
        </button>
    }
}

fn summary_line(comparison: &Comparison) -> Html {
    let files = comparison.files.len();
    let models = comparison.models.len();
    let breaking = comparison.breaking;
    let text = if files == 0 && models == 0 {
        "no changes".to_string()
    } else {
        format!(
            "{} changed, {} changed, {}",
            plural(files, "file"),
            plural(models, "model"),
            plural(breaking, "breaking change")
        )
    };
    html! {
        <p
            class={classes!("compare-summary", (breaking > 0).then_some("breaking"))}
            data-testid="compare-summary"
            data-files={files.to_string()}
            data-models={models.to_string()}
            data-breaking={breaking.to_string()}
        >
            { text }
        </p>
    }
}

/// An `Rc` whose equality is its pointer's, for memo keys of values too
/// large to compare.
struct SamePointer<T>(Rc<T>);

impl<T> PartialEq for SamePointer<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A comparison shared with the sections, equal when it is the same one.
#[derive(Clone)]
pub struct SharedComparison(pub Rc<Comparison>);

impl PartialEq for SharedComparison {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
