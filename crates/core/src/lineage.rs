//! The column graph of a whole project: every source column, every model
//! output column and the columns of the models' CTEs and subqueries, with
//! an edge from each parent column to each column it feeds. Edges carry
//! their OpenLineage kind and the expression that defines the child.
//! Columns that influence a model only indirectly (join keys, WHERE, ...)
//! are kept per model, since they affect every row of it.
//!
//! Built once from a [`Compilation`]; queries walk it with no further
//! allocation than their result, so upstream and downstream of a column
//! are cheap even on large projects.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Span;
use crate::output::{
    Column, Compilation, EdgeKind, IndirectKind, InternalKind, Model, ParentTable,
};

/// A column of the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ColumnId(NodeIndex<u32>);

impl ColumnId {
    /// Returns a stable number for the column within its graph.
    pub fn index(self) -> usize {
        self.0.index()
    }
}

/// The kind of table that owns a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Source,
    Model,
    /// A CTE of a model; `LineageNode::model` names the model.
    Cte,
    /// A subquery in a model's FROM clause.
    Subquery,
}

/// One column of the graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineageNode {
    /// The source table or model, or for a CTE or subquery its name inside
    /// the model (`orders_agg`, or the subquery's alias).
    pub table: String,
    pub column: String,
    pub kind: TableKind,
    /// The model a CTE or subquery belongs to; the model itself otherwise,
    /// `None` for a source column.
    pub model: Option<String>,
    #[serde(rename = "type")]
    pub ty: String,
    /// Why the column's parents are not known, when they are not: it reads
    /// a table that did not resolve, or an expression Rocky does not analyze.
    pub unresolved: Option<String>,
}

/// The kind of an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineageKind {
    Direct(EdgeKind),
    Indirect(IndirectKind),
}

impl LineageKind {
    /// Returns the facet's name, such as `DIRECT/IDENTITY` or `INDIRECT/JOIN`.
    pub fn facet_name(self) -> &'static str {
        match self {
            LineageKind::Direct(kind) => kind.facet_name(),
            LineageKind::Indirect(kind) => kind.facet_name(),
        }
    }
}

/// An edge from a parent column to the column it feeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineageEdgeInfo {
    pub kind: EdgeKind,
    /// The SQL text that defines the child column, when it has one.
    pub expression: Option<String>,
    /// The location of that text in `file`.
    pub span: Option<Span>,
    pub file: Option<String>,
}

/// A column an upstream or downstream walk reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reached {
    pub id: usize,
    /// Edges between the start and this column on the shortest path.
    pub hops: usize,
    /// The strongest kind on that path; indirect when the column is reached
    /// through a model's filters.
    pub kind: LineageKind,
}

/// The columns and models a change to one column affects.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BlastRadius {
    /// Every affected column, nearest first; the start is not included.
    pub columns: Vec<Reached>,
    /// Every model with an affected column, in the order first reached.
    pub models: Vec<String>,
}

/// The upstream of a column: its columns, sources and indirect inputs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Upstream {
    /// Every column on a path up from the start, nearest first.
    pub columns: Vec<Reached>,
    /// The source columns among them: where the values come from.
    pub sources: Vec<usize>,
    /// Upstream columns that influence the start's model indirectly.
    pub indirect: Vec<Reached>,
}

/// One parent of a column while edges are added: the node when it is an
/// internal column, else the upstream table; its column; the kind.
type ParentStep<'a> = (Option<NodeIndex<u32>>, &'a str, EdgeKind, Option<&'a str>);

/// Says why a model has no known column: its first error, or a FROM item
/// whose columns are known only when it runs.
fn unknown_columns_reason(compilation: &Compilation, model: &crate::output::Model) -> String {
    let first_error = compilation.diagnostics.iter().find(|d| {
        d.is_error()
            && d.model
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(&model.name))
    });
    match first_error {
        Some(error) => format!(
            "the columns of `{}` are unknown: {}",
            model.name, error.message
        ),
        None => format!(
            "the columns of `{}` are unknown until it runs, because it reads a table whose columns Rocky cannot know",
            model.name
        ),
    }
}

/// Joins a column's unresolved reasons, or `None` when it has none.
fn reasons(reasons: &[String]) -> Option<String> {
    (!reasons.is_empty()).then(|| reasons.join("; "))
}

/// The column graph of a project.
#[derive(Clone, Debug, Default)]
pub struct ColumnGraph {
    graph: DiGraph<LineageNode, LineageEdgeInfo, u32>,
    by_name: HashMap<(String, String), NodeIndex<u32>>,
    /// Per model (lower-cased name): its indirect inputs.
    indirect: HashMap<String, Vec<(NodeIndex<u32>, IndirectKind)>>,
    /// Per model (lower-cased name): its output columns.
    model_columns: HashMap<String, Vec<NodeIndex<u32>>>,
    /// Per column (by node number): the models, by number in `models`,
    /// that read it indirectly, and how. Numbers keep `downstream` free of
    /// string hashing.
    readers: Vec<Vec<(u32, IndirectKind)>>,
    /// Models in project order, with their output columns.
    models: Vec<(String, Vec<NodeIndex<u32>>)>,
    /// Per column (by node number): the number of the model that owns it,
    /// `u32::MAX` for a source column.
    owner: Vec<u32>,
}

impl ColumnGraph {
    /// Builds the graph of a compiled project.
    pub fn build(compilation: &Compilation) -> ColumnGraph {
        let mut graph = ColumnGraph::default();
        for source in &compilation.sources {
            for column in &source.columns {
                graph.add_node(LineageNode {
                    table: source.name.clone(),
                    column: column.name.clone(),
                    kind: TableKind::Source,
                    model: None,
                    ty: column.ty.clone(),
                    unresolved: None,
                });
            }
        }
        // Per model: the node of each internal table's columns, by index.
        let mut internal_nodes: Vec<Vec<Vec<NodeIndex<u32>>>> = Vec::new();
        for model in &compilation.models {
            let mut outputs = Vec::new();
            for column in &model.columns {
                let node = graph.add_node(LineageNode {
                    table: model.name.clone(),
                    column: column.name.clone(),
                    kind: TableKind::Model,
                    model: Some(model.name.clone()),
                    ty: column.ty.clone(),
                    unresolved: reasons(&column.unresolved),
                });
                outputs.push(node);
            }
            if model.columns.is_empty() {
                // A model whose columns are all unknown stays in the graph
                // as one `*` column that says why, so it can be found,
                // shown and traced to.
                outputs.push(graph.add_node(LineageNode {
                    table: model.name.clone(),
                    column: "*".to_string(),
                    kind: TableKind::Model,
                    model: Some(model.name.clone()),
                    ty: "UNKNOWN".to_string(),
                    unresolved: Some(unknown_columns_reason(compilation, model)),
                }));
            }
            graph
                .model_columns
                .insert(model.name.to_ascii_lowercase(), outputs);
            // Lower-cased, since names match without regard to case.
            let mut used_names: HashSet<String> = HashSet::new();
            let mut tables = Vec::new();
            for (index, table) in model.internal.iter().enumerate() {
                // Two subqueries may share a name; the second gets its number.
                let mut name = format!("{}.{}", model.name, table.name);
                if !used_names.insert(name.to_ascii_lowercase()) {
                    name = format!("{name}#{index}");
                    used_names.insert(name.to_ascii_lowercase());
                }
                let kind = match table.kind {
                    InternalKind::Cte => TableKind::Cte,
                    InternalKind::Subquery => TableKind::Subquery,
                };
                let nodes = table
                    .columns
                    .iter()
                    .map(|column| {
                        graph.add_node(LineageNode {
                            table: name.clone(),
                            column: column.name.clone(),
                            kind,
                            model: Some(model.name.clone()),
                            ty: column.ty.clone(),
                            unresolved: reasons(&column.unresolved),
                        })
                    })
                    .collect();
                tables.push(nodes);
            }
            internal_nodes.push(tables);
        }
        // Edges after every node exists: a model may read a model that a
        // cycle left later in the list.
        for (model, tables) in compilation.models.iter().zip(&internal_nodes) {
            let lines = crate::text::LineIndex::new(&model.sql);
            let outputs = graph.model_columns(&model.name);
            for (column, child) in model.columns.iter().zip(outputs) {
                graph.add_parents(compilation, model, tables, &lines, column, child.0);
            }
            for (table, nodes) in model.internal.iter().zip(tables) {
                for (column, child) in table.columns.iter().zip(nodes) {
                    graph.add_parents(compilation, model, tables, &lines, column, *child);
                }
            }
            let mut inputs = Vec::new();
            for filter in &model.filters {
                let parent = graph.resolve_table_column(compilation, &filter.model, &filter.column);
                inputs.push((parent, filter.kind));
            }
            graph
                .indirect
                .insert(model.name.to_ascii_lowercase(), inputs);
        }
        graph.index_models(compilation);
        graph
    }

    /// Adds the edges from a column's parents one step up, which may be
    /// internal tables of its model, labelled with its defining expression.
    fn add_parents(
        &mut self,
        compilation: &Compilation,
        model: &Model,
        tables: &[Vec<NodeIndex<u32>>],
        lines: &crate::text::LineIndex,
        column: &Column,
        child: NodeIndex<u32>,
    ) {
        let expression = column.definition.and_then(|span| {
            let start = lines.offset(span.start)?;
            let end = lines.offset(span.end)?;
            model.sql.get(start..end).map(str::to_string)
        });
        // Columns from before parents were recorded name upstream columns only.
        let parents: Vec<ParentStep> = if column.parents.is_empty() {
            column
                .lineage
                .iter()
                .map(|e| (None, e.column.as_str(), e.kind, Some(e.model.as_str())))
                .collect()
        } else {
            column
                .parents
                .iter()
                .map(|p| match &p.table {
                    ParentTable::Internal(index) => {
                        let position = model
                            .internal
                            .get(*index)
                            .and_then(|t| t.columns.iter().position(|c| c.name == p.column));
                        let node = position.and_then(|i| tables.get(*index)?.get(i).copied());
                        (node, p.column.as_str(), p.kind, None)
                    }
                    ParentTable::Upstream(table) => {
                        (None, p.column.as_str(), p.kind, Some(table.as_str()))
                    }
                })
                .collect()
        };
        for (node, parent_column, kind, table) in parents {
            let parent = match (node, table) {
                (Some(node), _) => node,
                (None, Some(table)) => self.resolve_table_column(compilation, table, parent_column),
                (None, None) => continue,
            };
            self.graph.add_edge(
                parent,
                child,
                LineageEdgeInfo {
                    kind,
                    expression: expression.clone(),
                    span: column.definition,
                    file: Some(model.file.clone()),
                },
            );
        }
    }

    fn add_node(&mut self, node: LineageNode) -> NodeIndex<u32> {
        let key = (
            node.table.to_ascii_lowercase(),
            node.column.to_ascii_lowercase(),
        );
        let index = self.graph.add_node(node);
        self.by_name.entry(key).or_insert(index);
        index
    }

    fn lookup(&self, table: &str, column: &str) -> Option<NodeIndex<u32>> {
        self.by_name
            .get(&(table.to_ascii_lowercase(), column.to_ascii_lowercase()))
            .copied()
    }

    /// Finds the node of `table.column` as lineage names it (a source may be
    /// named without its schema), adding an unresolved node when the table
    /// is unknown.
    fn resolve_table_column(
        &mut self,
        compilation: &Compilation,
        table: &str,
        column: &str,
    ) -> NodeIndex<u32> {
        if let Some(found) = self.lookup(table, column) {
            return found;
        }
        if let Some(source) = compilation.source(table) {
            if let Some(found) = self.lookup(&source.name, column) {
                return found;
            }
        }
        let reason = if compilation.model(table).is_some() || compilation.source(table).is_some() {
            format!("`{table}` has no column `{column}`")
        } else {
            format!("`{table}` is not a model or a declared source")
        };
        self.add_node(LineageNode {
            table: table.to_string(),
            column: column.to_string(),
            kind: TableKind::Source,
            model: None,
            ty: "UNKNOWN".to_string(),
            unresolved: Some(reason),
        })
    }

    /// Finds a column by its table (model, source, or `model.cte`) and name,
    /// in any case.
    pub fn find(&self, table: &str, column: &str) -> Option<ColumnId> {
        self.lookup(table, column).map(ColumnId)
    }

    pub fn node(&self, id: ColumnId) -> &LineageNode {
        &self.graph[id.0]
    }

    /// Returns the column with a number from [`ColumnId::index`] or [`Reached::id`].
    pub fn id(&self, index: usize) -> Option<ColumnId> {
        let index = NodeIndex::new(index);
        self.graph.node_weight(index).map(|_| ColumnId(index))
    }

    pub fn column_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Lists every column in the order added: sources, then models.
    pub fn columns(&self) -> impl Iterator<Item = (ColumnId, &LineageNode)> {
        self.graph
            .node_indices()
            .map(move |index| (ColumnId(index), &self.graph[index]))
    }

    /// Lists every direct edge as (parent, child, edge).
    pub fn edges(&self) -> impl Iterator<Item = (ColumnId, ColumnId, &LineageEdgeInfo)> {
        self.graph.edge_references().map(|edge| {
            (
                ColumnId(edge.source()),
                ColumnId(edge.target()),
                edge.weight(),
            )
        })
    }

    /// Returns the direct parents of a column.
    pub fn parents(&self, id: ColumnId) -> Vec<(ColumnId, &LineageEdgeInfo)> {
        self.graph
            .edges_directed(id.0, Direction::Incoming)
            .map(|edge| (ColumnId(edge.source()), edge.weight()))
            .collect()
    }

    /// Returns the columns a column feeds directly.
    pub fn children(&self, id: ColumnId) -> Vec<(ColumnId, &LineageEdgeInfo)> {
        self.graph
            .edges_directed(id.0, Direction::Outgoing)
            .map(|edge| (ColumnId(edge.target()), edge.weight()))
            .collect()
    }

    /// Returns the indirect inputs of a model, as (column, kind).
    pub fn indirect_inputs(&self, model: &str) -> Vec<(ColumnId, IndirectKind)> {
        self.indirect
            .get(&model.to_ascii_lowercase())
            .map(|inputs| inputs.iter().map(|(n, k)| (ColumnId(*n), *k)).collect())
            .unwrap_or_default()
    }

    /// Returns the output columns of a model, in order.
    pub fn model_columns(&self, model: &str) -> Vec<ColumnId> {
        self.model_columns
            .get(&model.to_ascii_lowercase())
            .map(|nodes| nodes.iter().map(|n| ColumnId(*n)).collect())
            .unwrap_or_default()
    }

    /// Every column on a path up from `id`, with the strongest kind on the
    /// shortest path, and the indirect inputs of `id`'s model and of the
    /// models on the way.
    pub fn upstream(&self, id: ColumnId) -> Upstream {
        let reached = self.walk(id, Direction::Incoming);
        let sources = reached
            .iter()
            .filter(|r| {
                self.graph
                    .edges_directed(NodeIndex::new(r.id), Direction::Incoming)
                    .next()
                    .is_none()
            })
            .filter(|r| self.graph[NodeIndex::new(r.id)].kind == TableKind::Source)
            .map(|r| r.id)
            .collect();
        let mut indirect = Vec::new();
        // A column can be an indirect input in several ways (a grouping key
        // and a join key); each way is kept once.
        let mut seen: std::collections::HashSet<(usize, IndirectKind)> =
            std::collections::HashSet::new();
        let owners = std::iter::once(id.0).chain(reached.iter().map(|r| NodeIndex::new(r.id)));
        for owner in owners {
            let Some(model) = &self.graph[owner].model else {
                continue;
            };
            for (input, kind) in self
                .indirect
                .get(&model.to_ascii_lowercase())
                .into_iter()
                .flatten()
            {
                if seen.insert((input.index(), *kind)) {
                    indirect.push(Reached {
                        id: input.index(),
                        hops: 1,
                        kind: LineageKind::Indirect(*kind),
                    });
                }
            }
        }
        Upstream {
            columns: reached,
            sources,
            indirect,
        }
    }

    /// Every column and model a change to `id` affects: the columns it
    /// feeds, transitively, and every column of a model that uses an
    /// affected column as a join key, filter or other indirect input.
    pub fn downstream(&self, id: ColumnId) -> BlastRadius {
        let count = self.graph.node_count();
        let mut hops = vec![usize::MAX; count];
        let mut kinds: Vec<Option<LineageKind>> = vec![None; count];
        let mut queue = VecDeque::new();
        hops[id.0.index()] = 0;
        queue.push_back(id.0);
        let mut columns = Vec::new();
        let mut models: Vec<String> = Vec::new();
        let mut model_seen = vec![false; self.models.len()];
        while let Some(node) = queue.pop_front() {
            let here = kinds[node.index()];
            let next_hops = hops[node.index()] + 1;
            let mut visit = |target: NodeIndex<u32>, kind: LineageKind, queue: &mut VecDeque<_>| {
                if hops[target.index()] != usize::MAX {
                    return;
                }
                hops[target.index()] = next_hops;
                let kind = match (here, kind) {
                    (Some(LineageKind::Direct(a)), LineageKind::Direct(b)) => {
                        LineageKind::Direct(a.max(b))
                    }
                    (Some(LineageKind::Indirect(a)), LineageKind::Direct(_)) => {
                        LineageKind::Indirect(a)
                    }
                    (_, kind) => kind,
                };
                kinds[target.index()] = Some(kind);
                queue.push_back(target);
            };
            for edge in self.graph.edges_directed(node, Direction::Outgoing) {
                visit(
                    edge.target(),
                    LineageKind::Direct(edge.weight().kind),
                    &mut queue,
                );
            }
            for (model, kind) in self.readers.get(node.index()).into_iter().flatten() {
                for output in &self.models[*model as usize].1 {
                    visit(*output, LineageKind::Indirect(*kind), &mut queue);
                }
            }
            if node != id.0 {
                columns.push(Reached {
                    id: node.index(),
                    hops: hops[node.index()],
                    kind: kinds[node.index()].unwrap_or(LineageKind::Direct(EdgeKind::Identity)),
                });
                let owner = self.owner.get(node.index()).copied().unwrap_or(u32::MAX);
                if let Some(seen) = model_seen.get_mut(owner as usize) {
                    if !*seen {
                        *seen = true;
                        models.push(self.models[owner as usize].0.clone());
                    }
                }
            }
        }
        BlastRadius { columns, models }
    }

    /// Numbers the models in project order and indexes, per column, the
    /// models that read it indirectly and the model that owns it.
    fn index_models(&mut self, compilation: &Compilation) {
        let count = self.graph.node_count();
        let mut number: HashMap<String, u32> = HashMap::new();
        self.models = compilation
            .models
            .iter()
            .enumerate()
            .map(|(i, model)| {
                let key = model.name.to_ascii_lowercase();
                number.entry(key.clone()).or_insert(i as u32);
                let outputs = self.model_columns.get(&key).cloned().unwrap_or_default();
                (model.name.clone(), outputs)
            })
            .collect();
        self.readers = vec![Vec::new(); count];
        for (i, model) in compilation.models.iter().enumerate() {
            let inputs = self.indirect.get(&model.name.to_ascii_lowercase());
            for (input, kind) in inputs.into_iter().flatten() {
                let entry = &mut self.readers[input.index()];
                if !entry.iter().any(|(m, _)| *m == i as u32) {
                    entry.push((i as u32, *kind));
                }
            }
        }
        self.owner = self
            .graph
            .node_indices()
            .map(|node| {
                self.graph[node]
                    .model
                    .as_ref()
                    .and_then(|m| number.get(&m.to_ascii_lowercase()).copied())
                    .unwrap_or(u32::MAX)
            })
            .collect();
    }

    /// Breadth-first walk along direct edges, recording the shortest hops
    /// and the strongest kind on the path first found.
    fn walk(&self, start: ColumnId, direction: Direction) -> Vec<Reached> {
        let count = self.graph.node_count();
        let mut hops = vec![usize::MAX; count];
        let mut kinds = vec![EdgeKind::Identity; count];
        let mut queue = VecDeque::new();
        let mut reached = Vec::new();
        hops[start.0.index()] = 0;
        queue.push_back(start.0);
        while let Some(node) = queue.pop_front() {
            for edge in self.graph.edges_directed(node, direction) {
                let next = match direction {
                    Direction::Incoming => edge.source(),
                    Direction::Outgoing => edge.target(),
                };
                if hops[next.index()] != usize::MAX {
                    continue;
                }
                hops[next.index()] = hops[node.index()] + 1;
                kinds[next.index()] = if node == start.0 {
                    edge.weight().kind
                } else {
                    kinds[node.index()].max(edge.weight().kind)
                };
                reached.push(Reached {
                    id: next.index(),
                    hops: hops[next.index()],
                    kind: LineageKind::Direct(kinds[next.index()]),
                });
                queue.push_back(next);
            }
        }
        reached
    }
}
