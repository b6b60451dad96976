//! The lineage view's own state and its reducer: what the view is centred
//! on, how far it reaches, which tables the user added, and the pan and
//! zoom. The selected column lives in the app state, since the schema
//! panel and the trace share it.

use std::collections::BTreeSet;
use std::rc::Rc;

use rocky_core::layout::Focus;
use yew::Reducible;

use crate::lineage::viewport::Viewport;

/// The maximum hops each way the view offers. Every hop can multiply the
/// boxes shown, and the expand controls reach further one box at a time.
pub const MAX_HOPS: usize = 3;
pub const DEFAULT_HOPS: usize = 1;

/// Returns the `data-focus` value of the contract: `table`, or
/// `table.column` for a column focus.
pub fn focus_label(focus: &Focus) -> String {
    match focus {
        Focus::All => String::new(),
        Focus::Table(table) => table.clone(),
        Focus::Column { table, column } => format!("{table}.{column}"),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ViewState {
    pub focus: Option<Focus>,
    /// Hops each way from the focus, 1 to [`MAX_HOPS`].
    pub hops: usize,
    /// Lower-cased names of the tables added to the focus's neighbourhood
    /// by expand controls and "show path".
    pub included: BTreeSet<String>,
    /// Lower-cased names of the tables whose expand control was used.
    pub expanded: BTreeSet<String>,
    /// Whether CTEs and subqueries get boxes of their own; without them,
    /// edges run from the columns a model reads to its output columns.
    pub show_ctes: bool,
    pub viewport: Viewport,
    /// The table whose box should stay where it is on screen when the next
    /// layout moves the boxes: the one just expanded, or the focus when a
    /// path was added.
    pub anchor: Option<String>,
    /// Set when the boxes changed so much that the view should fit them
    /// to the canvas once they are drawn: a new focus or hop count.
    pub fit_pending: bool,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            focus: None,
            hops: DEFAULT_HOPS,
            included: BTreeSet::new(),
            expanded: BTreeSet::new(),
            show_ctes: false,
            viewport: Viewport::default(),
            anchor: None,
            fit_pending: true,
        }
    }
}

pub enum ViewAction {
    /// Centres the view on a new focus and drops the added tables. The same
    /// focus again keeps them.
    Focus(Focus),
    SetHops(usize),
    SetShowCtes(bool),
    /// Adds the neighbours of `table`, which the caller looked up.
    Expand {
        table: String,
        neighbours: Vec<String>,
    },
    /// Adds tables, such as every table on the selected column's path.
    Include(Vec<String>),
    /// Drops the added tables and fits the focus's neighbourhood again.
    Reset,
    Pan {
        dx: f64,
        dy: f64,
    },
    ZoomAt {
        factor: f64,
        x: f64,
        y: f64,
    },
    /// Follows two fingers from `before` to `after`, in canvas pixels.
    Pinch {
        before: [(f64, f64); 2],
        after: [(f64, f64); 2],
    },
    /// Sets the viewport the canvas computed, such as a fit, and clears
    /// `fit_pending`.
    SetViewport(Viewport),
    /// Asks for a fit once the canvas has a size.
    RequestFit,
}

impl ViewState {
    pub fn apply(&mut self, action: ViewAction) {
        match action {
            ViewAction::Focus(focus) => {
                if self.focus.as_ref() != Some(&focus) {
                    self.focus = Some(focus);
                    self.included.clear();
                    self.expanded.clear();
                    self.fit_pending = true;
                }
            }
            ViewAction::SetHops(hops) => {
                let hops = hops.clamp(1, MAX_HOPS);
                if hops != self.hops {
                    self.hops = hops;
                    self.fit_pending = true;
                }
            }
            ViewAction::SetShowCtes(show) => {
                if show != self.show_ctes {
                    self.show_ctes = show;
                    self.fit_pending = true;
                }
            }
            ViewAction::Expand { table, neighbours } => {
                self.anchor = Some(table.clone());
                self.expanded.insert(table.to_ascii_lowercase());
                self.included.insert(table.to_ascii_lowercase());
                self.included
                    .extend(neighbours.iter().map(|name| name.to_ascii_lowercase()));
            }
            ViewAction::Include(tables) => {
                self.anchor = self.focus.as_ref().map(|focus| match focus {
                    Focus::All => String::new(),
                    Focus::Table(table) | Focus::Column { table, .. } => table.clone(),
                });
                self.included
                    .extend(tables.iter().map(|name| name.to_ascii_lowercase()));
            }
            ViewAction::Reset => {
                self.included.clear();
                self.expanded.clear();
                self.fit_pending = true;
            }
            ViewAction::Pan { dx, dy } => self.viewport = self.viewport.pan(dx, dy),
            ViewAction::ZoomAt { factor, x, y } => {
                self.viewport = self.viewport.zoom_at(factor, x, y);
            }
            ViewAction::Pinch { before, after } => {
                self.viewport = self.viewport.pinch(before, after);
            }
            ViewAction::SetViewport(viewport) => {
                self.viewport = viewport;
                self.fit_pending = false;
            }
            ViewAction::RequestFit => self.fit_pending = true,
        }
    }
}

impl Reducible for ViewState {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_after(actions: Vec<ViewAction>) -> ViewState {
        let mut state = ViewState::default();
        for action in actions {
            state.apply(action);
        }
        state
    }

    fn focus(table: &str) -> ViewAction {
        ViewAction::Focus(Focus::Table(table.to_string()))
    }

    fn expand(table: &str, neighbours: &[&str]) -> ViewAction {
        ViewAction::Expand {
            table: table.to_string(),
            neighbours: neighbours.iter().map(|name| name.to_string()).collect(),
        }
    }

    #[test]
    fn expand_adds_neighbours() {
        let state = state_after(vec![
            focus("customers"),
            expand("Stg_Orders", &["raw_orders", "orders"]),
        ]);
        let included: Vec<&str> = state.included.iter().map(String::as_str).collect();
        assert_eq!(included, ["orders", "raw_orders", "stg_orders"]);
        assert!(state.expanded.contains("stg_orders"));
        assert_eq!(state.anchor.as_deref(), Some("Stg_Orders"));
    }

    #[test]
    fn include_anchors_focus() {
        let state = state_after(vec![
            focus("orders"),
            ViewAction::Include(vec!["raw_orders".to_string()]),
        ]);
        assert_eq!(state.anchor.as_deref(), Some("orders"));
    }

    #[test]
    fn new_focus_drops_added_tables() {
        let mut state = state_after(vec![
            focus("customers"),
            expand("stg_orders", &["raw_orders"]),
        ]);
        state.fit_pending = false;
        state.apply(focus("customers"));
        assert_eq!(state.included.len(), 2, "the same focus keeps them");
        assert!(!state.fit_pending);
        state.apply(ViewAction::Focus(Focus::Column {
            table: "orders".to_string(),
            column: "amount".to_string(),
        }));
        assert!(state.included.is_empty());
        assert!(state.expanded.is_empty());
        assert!(state.fit_pending);
        assert_eq!(
            state.focus.as_ref().map(focus_label).as_deref(),
            Some("orders.amount")
        );
    }

    #[test]
    fn cte_toggle_refits() {
        let mut state = ViewState {
            fit_pending: false,
            ..ViewState::default()
        };
        state.apply(ViewAction::SetShowCtes(true));
        assert!(state.show_ctes);
        assert!(state.fit_pending);
    }

    #[test]
    fn hops_are_clamped() {
        let state = state_after(vec![ViewAction::SetHops(0)]);
        assert_eq!(state.hops, 1);
        let state = state_after(vec![ViewAction::SetHops(99)]);
        assert_eq!(state.hops, MAX_HOPS);
    }

    #[test]
    fn reset_keeps_focus() {
        let state = state_after(vec![
            focus("orders"),
            ViewAction::Include(vec!["Customers".to_string()]),
            ViewAction::Reset,
        ]);
        assert!(state.included.is_empty());
        assert_eq!(state.focus, Some(Focus::Table("orders".to_string())));
    }

    #[test]
    fn set_viewport_clears_fit() {
        let fitted = Viewport {
            x_offset: 1.0,
            y_offset: 2.0,
            scale: 0.5,
        };
        let state = state_after(vec![ViewAction::SetViewport(fitted)]);
        assert_eq!(state.viewport, fitted);
        assert!(!state.fit_pending);
        let state = state_after(vec![
            ViewAction::SetViewport(fitted),
            ViewAction::RequestFit,
        ]);
        assert!(state.fit_pending);
    }

    #[test]
    fn pan_and_zoom_move_viewport() {
        let state = state_after(vec![
            ViewAction::Pan { dx: 10.0, dy: 0.0 },
            ViewAction::ZoomAt {
                factor: 2.0,
                x: 0.0,
                y: 0.0,
            },
        ]);
        assert_eq!(state.viewport.scale, 2.0);
        assert_eq!(state.viewport.x_offset, 52.0);
    }
}
