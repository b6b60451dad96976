//! The scene the lineage canvas draws: core's layout of the view state's
//! tables, with the graph column of each row and the SVG path of each
//! edge. Core places everything, and this module only looks things up.

use std::collections::BTreeSet;

use rocky_core::layout::{layout, CteDisplay, Layout, LineageView, Point, Reach, ViewOptions};

use crate::lineage::view::ViewState;
use crate::lineage::LineageData;

/// A laid-out view, ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    pub layout: Layout,
    /// Per box, per row: the graph index of the row's column.
    pub row_ids: Vec<Vec<usize>>,
    /// Per box: the model or source table it belongs to, which its expand
    /// control expands and a double click opens.
    pub owners: Vec<String>,
    /// Lower-cased names of the models and sources with a box.
    pub shown: BTreeSet<String>,
}

impl Scene {
    /// Returns the box and row of a graph column, when it is drawn.
    pub fn position_of(&self, graph_id: usize) -> Option<(usize, usize)> {
        self.row_ids
            .iter()
            .enumerate()
            .find_map(|(box_index, rows)| {
                let row = rows.iter().position(|&id| id == graph_id)?;
                Some((box_index, row))
            })
    }

    /// Returns the graph index of an edge's ends: the parent column, and
    /// the child column or, for an indirect edge, `None`.
    pub fn edge_ends(&self, edge: usize) -> Option<(usize, Option<usize>)> {
        let edge = self.layout.edges.get(edge)?;
        let from = *self.row_ids.get(edge.from_box)?.get(edge.from_row)?;
        let to = match edge.to_row {
            Some(row) => Some(*self.row_ids.get(edge.to_box)?.get(row)?),
            None => None,
        };
        Some((from, to))
    }
}

/// Selects and lays out the tables that `state` asks for. Added tables
/// that the latest compile no longer has are left out, so an edit that
/// renames a model does not break the view.
pub fn build_scene(lineage: &LineageData, state: &ViewState) -> Result<Scene, String> {
    let Some(focus) = &state.focus else {
        return Ok(Scene::default());
    };
    let include: Vec<String> = state
        .included
        .iter()
        .filter_map(|name| lineage.tables.find(name))
        .map(|table| table.name.clone())
        .collect();
    let options = ViewOptions {
        focus: focus.clone(),
        reach: Reach::Both,
        hops: Some(state.hops),
        include,
        ctes: if state.show_ctes {
            CteDisplay::Tables
        } else {
            CteDisplay::Collapsed
        },
        indirect: true,
    };
    let view = LineageView::select(&lineage.graph, &options).map_err(|error| error.to_string())?;
    let row_ids = view
        .tables
        .iter()
        .map(|table| table.columns.iter().map(|column| column.graph_id).collect())
        .collect();
    let owners: Vec<String> = view
        .tables
        .iter()
        .map(|table| table.model.clone().unwrap_or_else(|| table.name.clone()))
        .collect();
    let shown = owners
        .iter()
        .map(|owner| owner.to_ascii_lowercase())
        .collect();
    Ok(Scene {
        layout: layout(&view),
        row_ids,
        owners,
        shown,
    })
}

/// Returns the SVG path through an edge's points: straight where two
/// points are level, an S-curve between points at different heights.
pub fn edge_path(points: &[Point]) -> String {
    let Some(first) = points.first() else {
        return String::new();
    };
    let mut path = format!("M {:.1} {:.1}", first.x, first.y);
    for pair in points.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if (from.y - to.y).abs() < 0.5 {
            path.push_str(&format!(" L {:.1} {:.1}", to.x, to.y));
        } else {
            let bend = ((to.x - from.x) / 2.0).max(8.0);
            path.push_str(&format!(
                " C {:.1} {:.1}, {:.1} {:.1}, {:.1} {:.1}",
                from.x + bend,
                from.y,
                to.x - bend,
                to.y,
                to.x,
                to.y
            ));
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use rocky_core::compile;
    use rocky_core::layout::Focus;

    use super::*;
    use crate::lineage::view::ViewAction;
    use crate::sample::sample_project;

    fn sample() -> LineageData {
        LineageData::build(&compile(&sample_project()))
    }

    fn state(actions: Vec<ViewAction>) -> ViewState {
        let mut state = ViewState::default();
        for action in actions {
            state.apply(action);
        }
        state
    }

    fn focus(table: &str) -> ViewAction {
        ViewAction::Focus(Focus::Table(table.to_string()))
    }

    fn titles(scene: &Scene) -> Vec<String> {
        let mut titles: Vec<String> = scene.layout.boxes.iter().map(|b| b.title.clone()).collect();
        titles.sort();
        titles
    }

    #[test]
    fn one_hop_around_stg_orders() {
        let scene = build_scene(&sample(), &state(vec![focus("stg_orders")]));
        let scene = scene.unwrap_or_default();
        assert_eq!(
            titles(&scene),
            ["customers", "orders", "raw_orders", "stg_orders"]
        );
        let focused: Vec<&str> = scene
            .layout
            .boxes
            .iter()
            .filter(|b| b.focus)
            .map(|b| b.title.as_str())
            .collect();
        assert_eq!(focused, ["stg_orders"]);
    }

    #[test]
    fn expand_adds_a_neighbour() {
        let lineage = sample();
        let neighbours = lineage.tables.neighbours("orders");
        let scene = build_scene(
            &lineage,
            &state(vec![
                focus("raw_orders"),
                ViewAction::Expand {
                    table: "orders".to_string(),
                    neighbours,
                },
            ]),
        );
        let scene = scene.unwrap_or_default();
        // raw_orders reaches stg_orders in one hop; orders was not shown,
        // but expanding it adds it with stg_payments.
        assert!(scene.shown.contains("orders"), "{:?}", scene.shown);
        assert!(scene.shown.contains("stg_payments"), "{:?}", scene.shown);
    }

    #[test]
    fn rows_map_to_graph_columns() {
        let lineage = sample();
        let scene = build_scene(&lineage, &state(vec![focus("raw_orders")])).unwrap_or_default();
        let id = lineage
            .graph
            .find("raw_orders", "user_id")
            .map(|id| id.index());
        let position = id.and_then(|id| scene.position_of(id));
        let (box_index, row) = position.unwrap_or((usize::MAX, 0));
        assert_eq!(scene.layout.boxes[box_index].rows[row].name, "user_id");
        assert_eq!(scene.owners[box_index], "raw_orders");
    }

    #[test]
    fn edge_ends_are_graph_columns() {
        let lineage = sample();
        let scene = build_scene(&lineage, &state(vec![focus("stg_orders")])).unwrap_or_default();
        let id = |table: &str, column: &str| lineage.graph.find(table, column).map(|id| id.index());
        let expected = (id("raw_orders", "user_id"), id("stg_orders", "customer_id"));
        let found = (0..scene.layout.edges.len())
            .filter_map(|edge| scene.edge_ends(edge))
            .any(|(from, to)| Some(from) == expected.0 && to == expected.1);
        assert!(
            found,
            "no edge raw_orders.user_id -> stg_orders.customer_id"
        );
    }

    #[test]
    fn vanished_included_table_is_ignored() {
        let scene = build_scene(
            &sample(),
            &state(vec![
                focus("orders"),
                ViewAction::Include(vec!["gone".to_string()]),
            ]),
        );
        assert!(scene.is_ok(), "{scene:?}");
    }

    #[test]
    fn unknown_focus_is_an_error() {
        let scene = build_scene(&sample(), &state(vec![focus("nope")]));
        assert!(scene.is_err());
    }

    #[test]
    fn no_focus_draws_nothing() {
        let scene = build_scene(&sample(), &ViewState::default());
        assert_eq!(scene, Ok(Scene::default()));
    }

    #[test]
    fn path_curves_between_heights() {
        let points = [Point { x: 0.0, y: 0.0 }, Point { x: 100.0, y: 50.0 }];
        assert_eq!(
            edge_path(&points),
            "M 0.0 0.0 C 50.0 0.0, 50.0 50.0, 100.0 50.0"
        );
        let level = [Point { x: 0.0, y: 5.0 }, Point { x: 10.0, y: 5.0 }];
        assert_eq!(edge_path(&level), "M 0.0 5.0 L 10.0 5.0");
        assert_eq!(edge_path(&[]), "");
    }
}
