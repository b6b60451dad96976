//! A left-to-right layered layout of a lineage view, in pixels: one box
//! per table listing its columns, and edges from column row to column row.
//!
//! [`LineageView::select`] picks the tables around a focus, [`layout`]
//! gives them layers by longest path (every edge points right), orders each
//! layer with barycenter sweeps to reduce crossings, and moves boxes
//! vertically towards the rows they connect to. Only the view is laid
//! out, so a focused view of a large project stays small. The result is
//! deterministic: the same view always gives the same coordinates.
//!
//! Text widths are estimated for a 12 px monospace font, the font the SVG
//! export and the playground use for boxes.

mod order;
mod place;
pub(crate) mod view;

use serde::{Deserialize, Serialize};

use crate::lineage::{ColumnGraph, LineageKind, TableKind};

pub use view::{
    ColumnAt, CteDisplay, EdgeEnd, Focus, LineageView, Reach, ViewColumn, ViewEdge, ViewError,
    ViewFocus, ViewOptions, ViewTable,
};

use order::{Bundle, Slot};

/// Height of a box's title bar.
pub const HEADER_HEIGHT: f64 = 26.0;
/// Height of one column row.
pub const ROW_HEIGHT: f64 = 18.0;
/// Estimated advance of one character of 12 px monospace text: DejaVu Sans
/// Mono's 0.602 em, rounded up.
pub const CHAR_WIDTH: f64 = 7.25;
/// Horizontal padding inside a box, on each side.
pub const PADDING: f64 = 10.0;
/// Space around the drawing.
pub const MARGIN: f64 = 16.0;
/// Horizontal space between layers, where the edges run.
pub const LAYER_GAP: f64 = 96.0;
const MIN_BOX_WIDTH: f64 = 120.0;
/// Maximum characters of a title, column name and type shown in full.
/// Longer ones are cut with an ellipsis, and the SVG keeps the full text in
/// a tooltip.
pub const MAX_TITLE_CHARS: usize = 48;
pub const MAX_NAME_CHARS: usize = 40;
pub const MAX_TYPE_CHARS: usize = 24;

/// A laid-out view. Box `i` draws table `i` of the view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<LayoutBox>,
    pub edges: Vec<LayoutEdge>,
    pub layer_count: usize,
    /// Edge crossings between adjacent layers after ordering, weighted by
    /// the number of column edges in each bundle.
    pub crossings: f64,
}

/// A table's box.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutBox {
    /// The table's full name: `model.cte` for a CTE or subquery.
    pub title: String,
    pub kind: TableKind,
    /// The model a CTE or subquery belongs to, the model itself for a
    /// model, `None` for a source.
    pub model: Option<String>,
    pub layer: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub rows: Vec<LayoutRow>,
    pub focus: bool,
    pub more_upstream: bool,
    pub more_downstream: bool,
}

/// A column row of a box.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutRow {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// The row's top, from the box's top.
    pub y: f64,
    pub height: f64,
    pub focus: bool,
    pub unresolved: Option<String>,
}

/// An edge from a column row to a column row, or to a box's title bar for
/// an indirect input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutEdge {
    pub from_box: usize,
    pub from_row: usize,
    pub to_box: usize,
    pub to_row: Option<usize>,
    pub kind: LineageKind,
    /// The other indirect kinds of an input the view has several edges
    /// for, such as a key that is both grouped on and joined on: one line
    /// is drawn for all of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<LineageKind>,
    pub expression: Option<String>,
    /// From the right side of the parent row to the left side of the
    /// child row, through the lanes of any layers in between.
    pub points: Vec<Point>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Selects the view that `options` requests and lays it out.
pub fn layout_graph(graph: &ColumnGraph, options: &ViewOptions) -> Result<Layout, ViewError> {
    Ok(layout(&LineageView::select(graph, options)?))
}

/// Lays out a view.
pub fn layout(view: &LineageView) -> Layout {
    let box_count = view.tables.len();
    let heights: Vec<f64> = view
        .tables
        .iter()
        .map(|table| HEADER_HEIGHT + ROW_HEIGHT * table.columns.len() as f64)
        .collect();
    let widths: Vec<f64> = view.tables.iter().map(box_width).collect();

    let bundles = bundles(view);
    let ordering = order::order(box_count, &bundles, &heights);
    let ys = place::vertical_positions(&ordering, &heights, MARGIN);

    let mut layer_x = Vec::with_capacity(ordering.layers.len());
    let mut layer_width = Vec::with_capacity(ordering.layers.len());
    let mut x = MARGIN;
    for layer in &ordering.layers {
        let width = layer
            .iter()
            .filter_map(|slot| match slot {
                Slot::Box(index) => Some(widths[*index]),
                Slot::Dummy(_) => None,
            })
            .fold(0.0, f64::max);
        layer_x.push(x);
        layer_width.push(width);
        x += width + LAYER_GAP;
    }

    let mut slot_y = std::collections::BTreeMap::new();
    for (layer, slots) in ordering.layers.iter().enumerate() {
        for (index, slot) in slots.iter().enumerate() {
            slot_y.insert(*slot, ys[layer][index]);
        }
    }

    let boxes: Vec<LayoutBox> = view
        .tables
        .iter()
        .enumerate()
        .map(|(index, table)| {
            let layer = ordering.layer_of[index];
            let focus = view.focus.filter(|f| f.table == index);
            LayoutBox {
                title: table.display_name(),
                kind: table.kind,
                model: table.model.clone(),
                layer,
                x: layer_x[layer],
                y: slot_y[&Slot::Box(index)],
                width: widths[index],
                height: heights[index],
                rows: table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(row, column)| LayoutRow {
                        name: column.name.clone(),
                        ty: column.ty.clone(),
                        y: HEADER_HEIGHT + ROW_HEIGHT * row as f64,
                        height: ROW_HEIGHT,
                        focus: focus.is_some_and(|f| f.column == Some(row)),
                        unresolved: column.unresolved.clone(),
                    })
                    .collect(),
                focus: focus.is_some(),
                more_upstream: table.more_upstream,
                more_downstream: table.more_downstream,
            }
        })
        .collect();

    let edges = route_edges(view, &boxes, &ordering, &slot_y, &layer_x, &layer_width);

    let width = boxes
        .iter()
        .map(|b| b.x + b.width)
        .fold(0.0, f64::max)
        .max(0.0)
        + MARGIN;
    let height = boxes
        .iter()
        .map(|b| b.y + b.height)
        .chain(edges.iter().flat_map(|e| e.points.iter().map(|p| p.y)))
        .fold(0.0, f64::max)
        + MARGIN;
    Layout {
        width: width.max(2.0 * MARGIN),
        height: height.max(2.0 * MARGIN),
        boxes,
        edges,
        layer_count: ordering.layers.len(),
        crossings: ordering.crossings,
    }
}

/// Groups the column edges by (from box, to box), in the view's order.
fn bundles(view: &LineageView) -> Vec<Bundle> {
    let mut by_pair: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    let mut bundles: Vec<Bundle> = Vec::new();
    for edge in &view.edges {
        let (from, to) = (edge.from.table, edge.to.table);
        if from == to {
            continue;
        }
        let ports = (
            row_center(edge.from.column),
            edge.to.column.map_or(HEADER_HEIGHT / 2.0, row_center),
        );
        let index = *by_pair.entry((from, to)).or_insert_with(|| {
            bundles.push(Bundle {
                from,
                to,
                ports: Vec::new(),
            });
            bundles.len() - 1
        });
        bundles[index].ports.push(ports);
    }
    bundles
}

fn row_center(row: usize) -> f64 {
    HEADER_HEIGHT + ROW_HEIGHT * row as f64 + ROW_HEIGHT / 2.0
}

fn route_edges(
    view: &LineageView,
    boxes: &[LayoutBox],
    ordering: &order::Ordering,
    slot_y: &std::collections::BTreeMap<Slot, f64>,
    layer_x: &[f64],
    layer_width: &[f64],
) -> Vec<LayoutEdge> {
    // The next lane per bundle, so the edges of one bundle spread out.
    let mut next_lane: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    // The first edge of each pair of ends, and the kinds of the later ones.
    let mut first_of: std::collections::BTreeMap<_, usize> = Default::default();
    let mut also: Vec<Vec<LineageKind>> = vec![Vec::new(); view.edges.len()];
    let mut drawn = Vec::new();
    for (index, edge) in view.edges.iter().enumerate() {
        match first_of.get(&(edge.from, edge.to)) {
            Some(&first) => also[first].push(edge.kind),
            None => {
                first_of.insert((edge.from, edge.to), index);
                drawn.push(index);
            }
        }
    }
    drawn
        .into_iter()
        .map(|index| (&view.edges[index], std::mem::take(&mut also[index])))
        .map(|(edge, also)| {
            let (from, to) = (&boxes[edge.from.table], &boxes[edge.to.table]);
            let start = Point {
                x: from.x + from.width,
                y: from.y + row_center(edge.from.column),
            };
            let end = Point {
                x: to.x,
                y: to.y + edge.to.column.map_or(HEADER_HEIGHT / 2.0, row_center),
            };
            let mut points = vec![start];
            let pair = (edge.from.table, edge.to.table);
            if pair.0 == pair.1 {
                // A loop on the right side of the box.
                let out = from.x + from.width + LAYER_GAP / 4.0;
                points.push(Point { x: out, y: start.y });
                points.push(Point { x: out, y: end.y });
                points.push(Point {
                    x: from.x + from.width,
                    y: end.y,
                });
            } else {
                if let Some(chain) = ordering.chains.get(&pair) {
                    let lane_counter = next_lane.entry(pair).or_insert(0);
                    let lanes = place::lanes(ordering.dummies[chain[0]].edges);
                    let lane = *lane_counter % lanes;
                    *lane_counter += 1;
                    for &dummy in chain {
                        let layer = ordering.dummies[dummy].layer;
                        let y = slot_y[&Slot::Dummy(dummy)] + lane as f64 * place::LANE;
                        points.push(Point {
                            x: layer_x[layer],
                            y,
                        });
                        points.push(Point {
                            x: layer_x[layer] + layer_width[layer],
                            y,
                        });
                    }
                }
                points.push(end);
            }
            LayoutEdge {
                from_box: edge.from.table,
                from_row: edge.from.column,
                to_box: edge.to.table,
                to_row: edge.to.column,
                kind: edge.kind,
                also,
                expression: edge.expression.clone(),
                points,
            }
        })
        .collect()
}

fn box_width(table: &ViewTable) -> f64 {
    let title = visible_chars(&table.display_name()).min(MAX_TITLE_CHARS);
    let rows = table
        .columns
        .iter()
        .map(|column| {
            visible_chars(&column.name).min(MAX_NAME_CHARS)
                + 2
                + visible_chars(&column.ty).min(MAX_TYPE_CHARS)
        })
        .max()
        .unwrap_or(0);
    // Room for the expand markers beside the title.
    let chars = title.max(rows) + 2;
    (chars as f64 * CHAR_WIDTH + 2.0 * PADDING)
        .ceil()
        .max(MIN_BOX_WIDTH)
}

fn visible_chars(text: &str) -> usize {
    visible_text(text).chars().count()
}

/// Spells out control characters, which SQL quoted names may contain but
/// XML and Graphviz cannot show, as `\n`, `\t`, `\r` or `\u{..}`.
/// Everything else is kept.
pub fn visible_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// [`visible_text`] cut to `max` characters, the last one an ellipsis.
pub fn shown_label(text: &str, max: usize) -> String {
    let visible = visible_text(text);
    if visible.chars().count() <= max {
        return visible;
    }
    let mut cut: String = visible.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_shows_control_characters() {
        assert_eq!(visible_text("a\nb\u{7}"), "a\\nb\\u{7}");
        assert_eq!(visible_text("naïve"), "naïve");
    }

    #[test]
    fn shown_label_cuts_with_ellipsis() {
        assert_eq!(shown_label("abcdef", 4), "abc…");
        assert_eq!(shown_label("abcd", 4), "abcd");
    }
}
