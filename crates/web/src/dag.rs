//! Layout of the model DAG: sources in the first layer, each model one
//! layer right of its deepest dependency, drawn left to right.

use std::collections::BTreeMap;

use rocky_core::Compilation;

pub const NODE_HEIGHT: f64 = 28.0;
/// Horizontal room per label character at the 12 px label font; an
/// estimate for lowercase identifiers in a sans-serif face.
const CHAR_WIDTH: f64 = 7.0;
/// Room left of and right of a label inside its box.
pub const LABEL_INSET: f64 = 10.0;
const MIN_NODE_WIDTH: f64 = 80.0;
const MAX_NODE_WIDTH: f64 = 170.0;
const GAP_X: f64 = 36.0;
const GAP_Y: f64 = 12.0;
const PADDING: f64 = 8.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Source,
    Model,
}

impl NodeKind {
    /// Returns the `data-kind` value of the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Source => "source",
            NodeKind::Model => "model",
        }
    }
}

/// A placed node; `x`, `y` is its top-left corner in SVG units.
#[derive(Clone, Debug, PartialEq)]
pub struct DagNode {
    pub name: String,
    pub kind: NodeKind,
    /// The file that declares the source or contains the model.
    pub file: String,
    pub layer: usize,
    pub x: f64,
    pub y: f64,
}

/// An edge from a dependency to the model that reads it, by node index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DagEdge {
    pub from: usize,
    pub to: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DagLayout {
    pub nodes: Vec<DagNode>,
    pub edges: Vec<DagEdge>,
    /// Width of every node box, sized to the longest name up to a maximum.
    pub node_width: f64,
    pub width: f64,
    pub height: f64,
}

impl DagLayout {
    /// Returns a node's label, cut with an ellipsis when it is longer than
    /// the box holds.
    pub fn label(&self, name: &str) -> String {
        let fits = ((self.node_width - 2.0 * LABEL_INSET) / CHAR_WIDTH)
            .floor()
            .max(1.0) as usize;
        if name.chars().count() <= fits {
            name.to_string()
        } else {
            let kept: String = name.chars().take(fits.saturating_sub(1)).collect();
            format!("{kept}…")
        }
    }
}

impl DagEdge {
    /// Returns the SVG path of the edge: a curve from the right side of
    /// `from` to the left side of `to`.
    pub fn path(&self, layout: &DagLayout) -> Option<String> {
        let from = layout.nodes.get(self.from)?;
        let to = layout.nodes.get(self.to)?;
        let (x1, y1) = (from.x + layout.node_width, from.y + NODE_HEIGHT / 2.0);
        let (x2, y2) = (to.x, to.y + NODE_HEIGHT / 2.0);
        let bend = ((x2 - x1) / 2.0).max(20.0);
        Some(format!(
            "M {x1} {y1} C {} {y1}, {} {y2}, {x2} {y2}",
            x1 + bend,
            x2 - bend
        ))
    }
}

/// A rectangle of the layout, in SVG units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Area {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

/// The step to which [`Area::around`] rounds, in SVG units, so that a
/// scroll of less than it leaves the drawn part as it was.
const AREA_STEP: f64 = 400.0;

impl Area {
    /// Returns the part of a graph to draw while `view` shows: `view`
    /// grown by its own size on each side, rounded outward to
    /// [`AREA_STEP`].
    pub fn around(view: Area) -> Area {
        let (width, height) = (view.right - view.left, view.bottom - view.top);
        let down = |value: f64| (value / AREA_STEP).floor() * AREA_STEP;
        let up = |value: f64| (value / AREA_STEP).ceil() * AREA_STEP;
        Area {
            left: down(view.left - width),
            top: down(view.top - height),
            right: up(view.right + width),
            bottom: up(view.bottom + height),
        }
    }

    /// Returns whether the rectangle from (`left`, `top`) to (`right`,
    /// `bottom`) overlaps this area.
    fn meets(&self, left: f64, top: f64, right: f64, bottom: f64) -> bool {
        left <= self.right && right >= self.left && top <= self.bottom && bottom >= self.top
    }
}

impl DagLayout {
    /// Returns the indexes of the nodes and of the edges that overlap
    /// `area`. An edge counts by the box between its two ends, which contains
    /// its curve.
    pub fn within(&self, area: &Area) -> (Vec<usize>, Vec<usize>) {
        let nodes = (0..self.nodes.len())
            .filter(|&index| {
                let node = &self.nodes[index];
                area.meets(
                    node.x,
                    node.y,
                    node.x + self.node_width,
                    node.y + NODE_HEIGHT,
                )
            })
            .collect();
        let edges = (0..self.edges.len())
            .filter(|&index| {
                let edge = self.edges[index];
                let (Some(from), Some(to)) = (self.nodes.get(edge.from), self.nodes.get(edge.to))
                else {
                    return false;
                };
                let (x1, x2) = (from.x + self.node_width, to.x);
                let (y1, y2) = (from.y + NODE_HEIGHT / 2.0, to.y + NODE_HEIGHT / 2.0);
                area.meets(x1.min(x2), y1.min(y2), x1.max(x2), y1.max(y2))
            })
            .collect();
        (nodes, edges)
    }
}

/// Lays out every source and model of `compilation`.
///
/// Dependencies that name neither a model nor a source get no edge, since
/// the compiler reports them.
pub fn layout(compilation: &Compilation) -> DagLayout {
    let mut nodes = Vec::new();
    let mut index_of: BTreeMap<String, usize> = BTreeMap::new();
    for source in &compilation.sources {
        index_of.insert(source.name.to_ascii_lowercase(), nodes.len());
        nodes.push(DagNode {
            name: source.name.clone(),
            kind: NodeKind::Source,
            file: source.file.clone(),
            layer: 0,
            x: 0.0,
            y: 0.0,
        });
    }
    for model in &compilation.models {
        index_of.insert(model.name.to_ascii_lowercase(), nodes.len());
        nodes.push(DagNode {
            name: model.name.clone(),
            kind: NodeKind::Model,
            file: model.file.clone(),
            layer: 1,
            x: 0.0,
            y: 0.0,
        });
    }

    // A model's name wins over a source's, since models go in after
    // sources; a source may also be named without its schema.
    let resolve = |name: &str| -> Option<usize> {
        index_of
            .get(&name.to_ascii_lowercase())
            .copied()
            .or_else(|| {
                let source = compilation.source(name)?;
                index_of.get(&source.name.to_ascii_lowercase()).copied()
            })
    };

    let mut edges = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for model in &compilation.models {
        let Some(to) = resolve(&model.name) else {
            continue;
        };
        let names = model.depends_on.iter().chain(&model.config.depends_on);
        for from in names.filter_map(|name| resolve(name)) {
            if from != to && seen.insert((from, to)) {
                edges.push(DagEdge { from, to });
            }
        }
    }

    assign_layers(&mut nodes, &edges);

    let longest = nodes
        .iter()
        .map(|node| node.name.chars().count())
        .max()
        .unwrap_or(0);
    let node_width =
        (longest as f64 * CHAR_WIDTH + 2.0 * LABEL_INSET).clamp(MIN_NODE_WIDTH, MAX_NODE_WIDTH);
    place(&mut nodes, &edges, node_width);
    let right = nodes
        .iter()
        .map(|node| node.x + node_width)
        .fold(0.0, f64::max);
    let bottom = nodes
        .iter()
        .map(|node| node.y + NODE_HEIGHT)
        .fold(0.0, f64::max);
    DagLayout {
        nodes,
        edges,
        node_width,
        width: right + PADDING,
        height: bottom + PADDING,
    }
}

/// Returns, for each node, the nodes its edges come from and go to.
fn adjacency(count: usize, edges: &[DagEdge]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut parents = vec![Vec::new(); count];
    let mut children = vec![Vec::new(); count];
    for edge in edges {
        parents[edge.to].push(edge.from);
        children[edge.from].push(edge.to);
    }
    (parents, children)
}

/// Sets each model's layer to one more than its deepest dependency, in
/// dependency order (Kahn's algorithm, the lowest index first), so the
/// layers do not rely on the order the models come in. When only nodes on
/// a cycle are left, the first of them is taken as if its unplaced
/// dependencies were absent. The work grows with nodes plus edges, so a
/// chain of 10,000 models lays out without freezing the page.
fn assign_layers(nodes: &mut [DagNode], edges: &[DagEdge]) {
    let (parents, children) = adjacency(nodes.len(), edges);
    let mut waiting_on: Vec<usize> = parents.iter().map(Vec::len).collect();
    let mut ready: std::collections::BTreeSet<usize> = (0..nodes.len())
        .filter(|&index| waiting_on[index] == 0)
        .collect();
    let mut placed = vec![false; nodes.len()];
    let mut lowest_unplaced = 0;
    for _ in 0..nodes.len() {
        let index = match ready.pop_first() {
            Some(index) => index,
            None => {
                while lowest_unplaced < nodes.len() && placed[lowest_unplaced] {
                    lowest_unplaced += 1;
                }
                if lowest_unplaced == nodes.len() {
                    break;
                }
                lowest_unplaced
            }
        };
        placed[index] = true;
        nodes[index].layer = match nodes[index].kind {
            NodeKind::Source => 0,
            NodeKind::Model => parents[index]
                .iter()
                .filter(|&&from| placed[from])
                .map(|&from| nodes[from].layer + 1)
                .max()
                .unwrap_or(0),
        };
        for &to in &children[index] {
            waiting_on[to] = waiting_on[to].saturating_sub(1);
            if waiting_on[to] == 0 && !placed[to] {
                ready.insert(to);
            }
        }
    }
}

/// Sets each node's position: layers are columns, and inside a layer the
/// nodes are sorted by the mean row of their dependencies, which keeps
/// most edges from crossing.
fn place(nodes: &mut [DagNode], edges: &[DagEdge], node_width: f64) {
    let (parents, _) = adjacency(nodes.len(), edges);
    let layer_count = nodes.iter().map(|node| node.layer + 1).max().unwrap_or(0);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (index, node) in nodes.iter().enumerate() {
        layers[node.layer].push(index);
    }
    let mut row_of = vec![0.0_f64; nodes.len()];
    for (layer, indices) in layers.into_iter().enumerate() {
        let mut members: Vec<(f64, usize)> = indices
            .into_iter()
            .map(|index| {
                let rows: Vec<f64> = parents[index]
                    .iter()
                    .filter(|&&from| nodes[from].layer < layer)
                    .map(|&from| row_of[from])
                    .collect();
                let key = if rows.is_empty() {
                    f64::MAX
                } else {
                    rows.iter().sum::<f64>() / rows.len() as f64
                };
                (key, index)
            })
            .collect();
        // The sort is stable, so ties keep the compiler's order.
        members.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (row, (_, index)) in members.into_iter().enumerate() {
            row_of[index] = row as f64;
            nodes[index].x = PADDING + layer as f64 * (node_width + GAP_X);
            nodes[index].y = PADDING + row as f64 * (NODE_HEIGHT + GAP_Y);
        }
    }
}

#[cfg(test)]
mod tests {
    use rocky_core::{Model, SourceTable};

    use super::*;

    fn source(name: &str) -> SourceTable {
        SourceTable {
            name: name.to_string(),
            file: format!("sources/{name}.sql"),
            ..Default::default()
        }
    }

    fn model(name: &str, depends_on: &[&str]) -> std::sync::Arc<Model> {
        Model {
            name: name.to_string(),
            file: format!("models/{name}.sql"),
            depends_on: depends_on.iter().map(|name| name.to_string()).collect(),
            ..Default::default()
        }
        .into()
    }

    /// Returns a project of `length` models, each reading the one before.
    fn chain(length: usize) -> Compilation {
        let mut models = vec![model("m0", &[])];
        for i in 1..length {
            let before = format!("m{}", i - 1);
            models.push(model(&format!("m{i}"), &[before.as_str()]));
        }
        Compilation {
            models,
            ..Default::default()
        }
    }

    fn jaffle() -> Compilation {
        Compilation {
            project: "jaffle_shop".to_string(),
            sources: vec![
                source("raw_customers"),
                source("raw_orders"),
                source("raw_payments"),
            ],
            models: vec![
                model("stg_customers", &["raw_customers"]),
                model("stg_orders", &["raw_orders"]),
                model("stg_payments", &["raw_payments"]),
                model("orders", &["stg_orders", "stg_payments"]),
                model("customers", &["stg_customers", "stg_orders", "orders"]),
            ],
            diagnostics: Vec::new(),
        }
    }

    fn node<'a>(layout: &'a DagLayout, name: &str) -> &'a DagNode {
        let found = layout.nodes.iter().find(|node| node.name == name);
        found.unwrap_or_else(|| panic!("no node {name}"))
    }

    #[test]
    fn long_chain_lays_out() {
        let layout = layout(&chain(10_000));
        assert_eq!(layout.edges.len(), 9_999);
        assert_eq!(layout.nodes[9_999].layer, 9_999);
        assert_eq!(layout.nodes[9_999].y, layout.nodes[0].y);
        assert!(layout.nodes[9_999].x > layout.nodes[9_998].x);
    }

    #[test]
    fn area_grows_and_rounds_out() {
        let view = Area {
            left: 1000.0,
            top: 50.0,
            right: 1450.0,
            bottom: 375.0,
        };
        let area = Area::around(view);
        assert_eq!(
            area,
            Area {
                left: 400.0,
                top: -400.0,
                right: 2000.0,
                bottom: 800.0,
            }
        );
        // A scroll of a few units draws the same part.
        let nudged = Area {
            left: 1010.0,
            right: 1460.0,
            ..view
        };
        assert_eq!(Area::around(nudged), area);
    }

    #[test]
    fn within_keeps_nodes_and_edges_in_area() {
        let layout = layout(&chain(1_000));
        let first = &layout.nodes[0];
        let area = Area::around(Area {
            left: first.x,
            top: first.y,
            right: first.x + 450.0,
            bottom: first.y + 325.0,
        });
        let (nodes, edges) = layout.within(&area);

        assert!(nodes.contains(&0));
        assert!(nodes.len() < 20, "{} nodes drawn", nodes.len());
        assert!(!nodes.contains(&999));
        // Every edge drawn has an end among the nodes drawn, in a chain.
        assert!(!edges.is_empty());
        for index in edges {
            let edge = layout.edges[index];
            assert!(nodes.contains(&edge.from) || nodes.contains(&edge.to));
        }

        let everything = Area {
            left: 0.0,
            top: 0.0,
            right: layout.width,
            bottom: layout.height,
        };
        let (all_nodes, all_edges) = layout.within(&everything);
        assert_eq!(all_nodes.len(), 1_000);
        assert_eq!(all_edges.len(), 999);
    }

    #[test]
    fn layers_follow_depth() {
        let layout = layout(&jaffle());
        assert_eq!(node(&layout, "raw_orders").layer, 0);
        assert_eq!(node(&layout, "stg_orders").layer, 1);
        assert_eq!(node(&layout, "orders").layer, 2);
        assert_eq!(node(&layout, "customers").layer, 3);
        assert_eq!(node(&layout, "raw_orders").kind, NodeKind::Source);
        assert_eq!(node(&layout, "customers").kind, NodeKind::Model);
    }

    #[test]
    fn edges_from_depends_on() {
        let layout = layout(&jaffle());
        assert_eq!(layout.edges.len(), 8);
        let index = |name: &str| layout.nodes.iter().position(|node| node.name == name);
        let edge = DagEdge {
            from: index("orders").unwrap_or(99),
            to: index("customers").unwrap_or(99),
        };
        assert!(layout.edges.contains(&edge));
    }

    #[test]
    fn nodes_do_not_overlap() {
        let layout = layout(&jaffle());
        for (i, a) in layout.nodes.iter().enumerate() {
            for b in &layout.nodes[i + 1..] {
                assert!(
                    a.x != b.x || a.y != b.y,
                    "{} and {} overlap",
                    a.name,
                    b.name
                );
            }
            assert!(a.x + layout.node_width <= layout.width);
            assert!(a.y + NODE_HEIGHT <= layout.height);
        }
    }

    #[test]
    fn layer_sorted_by_parent_rows() {
        let layout = layout(&jaffle());
        assert!(node(&layout, "stg_customers").y < node(&layout, "stg_orders").y);
        assert!(node(&layout, "stg_orders").y < node(&layout, "stg_payments").y);
    }

    #[test]
    fn layers_ignore_model_order() {
        let mut compilation = jaffle();
        compilation.models.reverse();
        let layout = layout(&compilation);
        assert_eq!(node(&layout, "stg_orders").layer, 1);
        assert_eq!(node(&layout, "orders").layer, 2);
        assert_eq!(node(&layout, "customers").layer, 3);
    }

    #[test]
    fn unknown_dependency_has_no_edge() {
        let compilation = Compilation {
            models: vec![model("a", &["missing"])],
            ..Default::default()
        };
        let layout = layout(&compilation);
        assert!(layout.edges.is_empty());
        assert_eq!(node(&layout, "a").layer, 0);
    }

    #[test]
    fn cycle_still_lays_out() {
        let compilation = Compilation {
            models: vec![model("a", &["b"]), model("b", &["a"])],
            ..Default::default()
        };
        let layout = layout(&compilation);
        assert_eq!(node(&layout, "a").layer, 0);
        assert_eq!(node(&layout, "b").layer, 1);
    }

    #[test]
    fn dependency_matched_ignoring_case() {
        let compilation = Compilation {
            sources: vec![source("raw.orders")],
            models: vec![model("stg", &["RAW.ORDERS"]), model("top", &["Stg"])],
            ..Default::default()
        };
        let layout = layout(&compilation);
        assert_eq!(layout.edges.len(), 2);
        assert_eq!(node(&layout, "top").layer, 2);
    }

    #[test]
    fn empty_project_is_empty() {
        let layout = layout(&Compilation::default());
        assert!(layout.nodes.is_empty());
        assert_eq!(layout.width, PADDING);
    }

    #[test]
    fn node_width_fits_longest_name() {
        let layout = layout(&jaffle());
        assert_eq!(layout.node_width, 13.0 * CHAR_WIDTH + 2.0 * LABEL_INSET);
        assert_eq!(layout.label("raw_customers"), "raw_customers");
    }

    #[test]
    fn long_label_cut() {
        let long = "a_model_name_far_too_long_to_fit_in_any_box";
        let compilation = Compilation {
            models: vec![model(long, &[])],
            ..Default::default()
        };
        let layout = layout(&compilation);
        assert_eq!(layout.node_width, MAX_NODE_WIDTH);
        let label = layout.label(long);
        assert!(label.ends_with('…'), "{label}");
        assert!(label.chars().count() as f64 * CHAR_WIDTH <= MAX_NODE_WIDTH - 2.0 * LABEL_INSET);
    }

    #[test]
    fn edge_path_joins_sides() {
        let layout = layout(&jaffle());
        let path = layout.edges[0].path(&layout).unwrap_or_default();
        assert!(path.starts_with("M "), "{path}");
    }
}
