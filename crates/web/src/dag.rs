//! Layout of the model DAG: sources in the first layer, each model one
//! layer right of its deepest dependency, drawn left to right.

use std::collections::BTreeMap;

use rocky_core::Compilation;

pub const NODE_WIDTH: f64 = 150.0;
pub const NODE_HEIGHT: f64 = 30.0;
const GAP_X: f64 = 60.0;
const GAP_Y: f64 = 14.0;
const PADDING: f64 = 10.0;

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
    /// The file that declares the source or holds the model.
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
    pub width: f64,
    pub height: f64,
}

impl DagEdge {
    /// Returns the SVG path of the edge: a curve from the right side of
    /// `from` to the left side of `to`.
    pub fn path(&self, layout: &DagLayout) -> Option<String> {
        let from = layout.nodes.get(self.from)?;
        let to = layout.nodes.get(self.to)?;
        let (x1, y1) = (from.x + NODE_WIDTH, from.y + NODE_HEIGHT / 2.0);
        let (x2, y2) = (to.x, to.y + NODE_HEIGHT / 2.0);
        let bend = ((x2 - x1) / 2.0).max(20.0);
        Some(format!(
            "M {x1} {y1} C {} {y1}, {} {y2}, {x2} {y2}",
            x1 + bend,
            x2 - bend
        ))
    }
}

/// Lays out every source and model of `compilation`.
///
/// Dependencies that name neither a model nor a source get no edge, since
/// the compiler reports them. In a cycle, a dependency that comes later in
/// the model order counts as layer 0, so the layout still ends.
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

    let resolve = |name: &str| -> Option<usize> {
        let canonical = compilation
            .model(name)
            .map(|model| model.name.as_str())
            .or_else(|| compilation.source(name).map(|source| source.name.as_str()))?;
        index_of.get(&canonical.to_ascii_lowercase()).copied()
    };

    let mut edges = Vec::new();
    for model in &compilation.models {
        let Some(to) = resolve(&model.name) else {
            continue;
        };
        let names = model.depends_on.iter().chain(&model.config.depends_on);
        for from in names.filter_map(|name| resolve(name)) {
            let edge = DagEdge { from, to };
            if from != to && !edges.contains(&edge) {
                edges.push(edge);
            }
        }
    }

    // Models come in topological order, so one pass sets every layer.
    let mut computed = vec![false; nodes.len()];
    for (index, node) in nodes.iter().enumerate() {
        if node.kind == NodeKind::Source {
            computed[index] = true;
        }
    }
    for to in 0..nodes.len() {
        if nodes[to].kind == NodeKind::Source {
            continue;
        }
        let deepest = edges
            .iter()
            .filter(|edge| edge.to == to && computed[edge.from])
            .map(|edge| nodes[edge.from].layer + 1)
            .max()
            .unwrap_or(0);
        nodes[to].layer = deepest;
        computed[to] = true;
    }

    place(&mut nodes, &edges);
    let width = nodes
        .iter()
        .map(|node| node.x + NODE_WIDTH)
        .fold(0.0, f64::max)
        + PADDING;
    let height = nodes
        .iter()
        .map(|node| node.y + NODE_HEIGHT)
        .fold(0.0, f64::max)
        + PADDING;
    DagLayout {
        nodes,
        edges,
        width,
        height,
    }
}

/// Sets each node's position: layers are columns, and inside a layer the
/// nodes are sorted by the mean row of their dependencies, which keeps
/// most edges from crossing.
fn place(nodes: &mut [DagNode], edges: &[DagEdge]) {
    let layer_count = nodes.iter().map(|node| node.layer + 1).max().unwrap_or(0);
    let mut row_of = vec![0.0_f64; nodes.len()];
    for layer in 0..layer_count {
        let mut members: Vec<(f64, usize)> = (0..nodes.len())
            .filter(|&index| nodes[index].layer == layer)
            .map(|index| {
                let parents: Vec<f64> = edges
                    .iter()
                    .filter(|edge| edge.to == index && nodes[edge.from].layer < layer)
                    .map(|edge| row_of[edge.from])
                    .collect();
                let key = if parents.is_empty() {
                    f64::MAX
                } else {
                    parents.iter().sum::<f64>() / parents.len() as f64
                };
                (key, index)
            })
            .collect();
        // The sort is stable, so ties keep the compiler's order.
        members.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (row, (_, index)) in members.into_iter().enumerate() {
            row_of[index] = row as f64;
            nodes[index].x = PADDING + layer as f64 * (NODE_WIDTH + GAP_X);
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

    fn model(name: &str, depends_on: &[&str]) -> Model {
        Model {
            name: name.to_string(),
            file: format!("models/{name}.sql"),
            depends_on: depends_on.iter().map(|name| name.to_string()).collect(),
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
            assert!(a.x + NODE_WIDTH <= layout.width);
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
    fn edge_path_joins_sides() {
        let layout = layout(&jaffle());
        let path = layout.edges[0].path(&layout).unwrap_or_default();
        assert!(path.starts_with("M "), "{path}");
    }
}
