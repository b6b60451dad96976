//! Choosing what a lineage view shows: the tables around a focus, their
//! columns, and the edges between those columns.
//!
//! The graph is grouped by owner: a source table owns its columns, and a
//! model owns its output columns and the columns of its CTEs and
//! subqueries. Hops count owners, so a CTE between a model and the model
//! it reads adds no hop.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Span;
use crate::lineage::{ColumnGraph, ColumnId, LineageKind, TableKind};
use crate::output::{EdgeKind, IndirectKind};

/// The centre of a view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Focus {
    /// Every table of the project.
    #[default]
    All,
    /// A model or a source table, with all its columns.
    Table(String),
    /// One column, with only the columns on its lineage paths.
    Column { table: String, column: String },
}

/// The direction a view reaches from its focus.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    #[default]
    Both,
    /// Towards the sources: what the focus is computed from.
    Upstream,
    /// Towards the models that read the focus.
    Downstream,
}

/// The display of CTE and subquery columns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CteDisplay {
    /// As small tables of their own, placed between the model and what
    /// the CTE reads.
    #[default]
    Tables,
    /// Hidden: edges through them are joined into edges from the columns
    /// they read to the model's columns, keeping the strongest kind.
    Collapsed,
}

/// The focus of a view and what it shows around it. The default shows
/// the whole project, CTEs as tables, with indirect inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewOptions {
    pub focus: Focus,
    pub reach: Reach,
    /// The maximum number of tables between the focus and a shown table,
    /// counted separately upstream and downstream; `None` for no limit.
    pub hops: Option<usize>,
    /// Models or source tables shown in addition to the ones within
    /// `hops`, such as a neighbour the user expanded. With a column focus
    /// they are shown with all their columns.
    pub include: Vec<String>,
    pub ctes: CteDisplay,
    /// Whether indirect inputs (join keys, filters, grouping keys...) are
    /// shown as edges to the model they influence.
    pub indirect: bool,
}

impl Default for ViewOptions {
    fn default() -> ViewOptions {
        ViewOptions {
            focus: Focus::All,
            reach: Reach::Both,
            hops: None,
            include: Vec::new(),
            ctes: CteDisplay::Tables,
            indirect: true,
        }
    }
}

impl ViewOptions {
    /// Returns options that show everything within `hops` of `focus`, both
    /// ways, with CTEs as their own tables and with indirect inputs.
    pub fn around(focus: Focus, hops: Option<usize>) -> ViewOptions {
        ViewOptions {
            focus,
            hops,
            ..ViewOptions::default()
        }
    }
}

/// An error selecting a view: a name that is not found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewError {
    /// No model or source table has this name.
    UnknownTable {
        name: String,
        suggestion: Option<String>,
    },
    /// The table exists but has no column of this name.
    UnknownColumn {
        table: String,
        column: String,
        suggestion: Option<String>,
    },
}

impl fmt::Display for ViewError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViewError::UnknownTable { name, suggestion } => {
                write!(formatter, "no model or source table named `{name}`")?;
                if let Some(suggestion) = suggestion {
                    write!(formatter, "; did you mean `{suggestion}`?")?;
                }
                Ok(())
            }
            ViewError::UnknownColumn {
                table,
                column,
                suggestion,
            } => {
                write!(formatter, "`{table}` has no column `{column}`")?;
                if let Some(suggestion) = suggestion {
                    write!(formatter, "; did you mean `{suggestion}`?")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ViewError {}

/// The part of a column graph that a view shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineageView {
    /// Sources first, then models in the order the graph lists them (the
    /// compilation's topological order), each model followed by its CTEs
    /// and subqueries.
    pub tables: Vec<ViewTable>,
    pub edges: Vec<ViewEdge>,
    pub focus: Option<ViewFocus>,
}

/// A table of a view: a source, a model, or a model's CTE or subquery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewTable {
    /// The name as the graph has it: the source or model name, or the
    /// CTE's name or subquery's alias inside its model.
    pub name: String,
    pub kind: TableKind,
    /// The model a CTE or subquery belongs to; the model itself for a
    /// model, `None` for a source.
    pub model: Option<String>,
    pub columns: Vec<ViewColumn>,
    /// True when the graph has tables upstream of this one that the view
    /// leaves out, so a viewer can offer to expand it.
    pub more_upstream: bool,
    pub more_downstream: bool,
}

impl ViewTable {
    /// Returns the name to show: `model.cte` for a CTE or subquery, the
    /// plain name otherwise. The graph already names internal tables
    /// `model.cte`, and a bare CTE name gets its model's prefix here.
    pub fn display_name(&self) -> String {
        match (&self.kind, &self.model) {
            (TableKind::Cte | TableKind::Subquery, Some(model)) => {
                let prefixed = self
                    .name
                    .get(..model.len() + 1)
                    .is_some_and(|head| head.eq_ignore_ascii_case(&format!("{model}.")));
                if prefixed {
                    self.name.clone()
                } else {
                    format!("{model}.{}", self.name)
                }
            }
            _ => self.name.clone(),
        }
    }
}

/// A column of a view table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// The reason its parents are unknown, as
    /// [`crate::LineageNode::unresolved`] gives it.
    pub unresolved: Option<String>,
    /// The column's number in the graph, [`ColumnId::index`].
    pub graph_id: usize,
    /// True when every parent of the column is in the view, directly or
    /// through collapsed CTEs, so its edges are all of its lineage. A
    /// focused view leaves out the parents of the columns at its edge.
    #[serde(default)]
    pub parents_shown: bool,
}

/// The focus's place in a view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewFocus {
    pub table: usize,
    /// The focused column, for a column focus.
    pub column: Option<usize>,
}

/// An edge of a view: from a column to a column it feeds, or for an
/// indirect input to the model it influences (`to.column` is `None`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewEdge {
    pub from: ColumnAt,
    pub to: EdgeEnd,
    pub kind: LineageKind,
    /// The SQL text that defines the child column, when the graph has it.
    pub expression: Option<String>,
    pub file: Option<String>,
    pub span: Option<Span>,
}

/// A column of a view, by table and column index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ColumnAt {
    pub table: usize,
    pub column: usize,
}

/// The end of an edge: a column, or a whole table for an indirect edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EdgeEnd {
    pub table: usize,
    pub column: Option<usize>,
}

impl LineageView {
    /// Selects the tables, columns and edges that `options` requests.
    /// Only the shown part is walked beyond one pass that groups the
    /// graph's columns by table.
    pub fn select(graph: &ColumnGraph, options: &ViewOptions) -> Result<LineageView, ViewError> {
        let index = GraphIndex::build(graph);
        let include = index.resolve_include(&options.include)?;
        let (shown_units, shown_columns, focus) = match &options.focus {
            Focus::All => ((0..index.units.len()).collect(), None, None),
            Focus::Table(name) => {
                let unit = index.find_unit(name)?;
                let mut units = index.units_within(graph, unit, options);
                units.extend(include.iter().copied());
                (units, None, Some((unit, None)))
            }
            Focus::Column { table, column } => {
                let id = index.find_column(graph, table, column)?;
                let mut columns = index.columns_within(graph, id, options);
                for &unit in &include {
                    for &table in &index.units[unit].tables {
                        columns.extend(index.tables[table].columns.iter().copied());
                    }
                }
                let units = columns.iter().map(|c| index.unit_of(*c)).collect();
                (units, Some(columns), Some((index.unit_of(id), Some(id))))
            }
        };
        Ok(index.assemble(graph, options, &shown_units, shown_columns.as_ref(), focus))
    }
}

/// The graph's columns grouped by table and by owner.
struct GraphIndex {
    units: Vec<Unit>,
    tables: Vec<TableEntry>,
    /// Per graph column: its table.
    table_of: Vec<usize>,
    unit_by_name: HashMap<String, usize>,
    /// Per column: the models that use it as an indirect input.
    readers: HashMap<ColumnId, Vec<(usize, IndirectKind)>>,
}

/// An owner: a source table or a model with its CTEs and subqueries.
struct Unit {
    name: String,
    is_model: bool,
    tables: Vec<usize>,
}

struct TableEntry {
    unit: usize,
    name: String,
    kind: TableKind,
    model: Option<String>,
    columns: Vec<ColumnId>,
}

impl GraphIndex {
    fn build(graph: &ColumnGraph) -> GraphIndex {
        let mut index = GraphIndex {
            units: Vec::new(),
            tables: Vec::new(),
            table_of: vec![usize::MAX; graph.column_count()],
            unit_by_name: HashMap::new(),
            readers: HashMap::new(),
        };
        // TableKind is not Hash, so the key contains its rank.
        let mut table_by_key: HashMap<(usize, String, u8), usize> = HashMap::new();
        for (id, node) in graph.columns() {
            let owner = node.model.as_deref().unwrap_or(&node.table);
            let unit = *index
                .unit_by_name
                .entry(owner.to_ascii_lowercase())
                .or_insert_with(|| {
                    index.units.push(Unit {
                        name: owner.to_string(),
                        is_model: node.model.is_some(),
                        tables: Vec::new(),
                    });
                    index.units.len() - 1
                });
            let key = (unit, node.table.to_ascii_lowercase(), kind_rank(node.kind));
            let table = *table_by_key.entry(key).or_insert_with(|| {
                index.tables.push(TableEntry {
                    unit,
                    name: node.table.clone(),
                    kind: node.kind,
                    model: node.model.clone(),
                    columns: Vec::new(),
                });
                index.units[unit].tables.push(index.tables.len() - 1);
                index.tables.len() - 1
            });
            index.tables[table].columns.push(id);
            index.table_of[id.index()] = table;
        }
        // A model's own table first, then its CTEs and subqueries.
        for unit in &mut index.units {
            unit.tables.sort_by_key(|&table| {
                !matches!(
                    index.tables[table].kind,
                    TableKind::Model | TableKind::Source
                )
            });
        }
        for (unit_index, unit) in index.units.iter().enumerate() {
            if !unit.is_model {
                continue;
            }
            for (input, kind) in graph.indirect_inputs(&unit.name) {
                let entry = index.readers.entry(input).or_default();
                if !entry.iter().any(|(reader, _)| *reader == unit_index) {
                    entry.push((unit_index, kind));
                }
            }
        }
        index
    }

    fn unit_of(&self, id: ColumnId) -> usize {
        self.tables[self.table_of[id.index()]].unit
    }

    fn is_hidden_cte(&self, id: ColumnId, options: &ViewOptions) -> bool {
        options.ctes == CteDisplay::Collapsed
            && matches!(
                self.tables[self.table_of[id.index()]].kind,
                TableKind::Cte | TableKind::Subquery
            )
    }

    fn find_unit(&self, name: &str) -> Result<usize, ViewError> {
        if let Some(&unit) = self.unit_by_name.get(&name.to_ascii_lowercase()) {
            return Ok(unit);
        }
        // A source may be named without its schema, as SQL may name it.
        let unqualified: Vec<usize> = (0..self.units.len())
            .filter(|&unit| {
                let full = &self.units[unit].name;
                !self.units[unit].is_model
                    && full
                        .rsplit('.')
                        .next()
                        .is_some_and(|table| table.eq_ignore_ascii_case(name))
            })
            .collect();
        if let [unit] = unqualified[..] {
            return Ok(unit);
        }
        let names = self.units.iter().map(|unit| unit.name.as_str());
        Err(ViewError::UnknownTable {
            name: name.to_string(),
            suggestion: closest(name, names),
        })
    }

    fn resolve_include(&self, names: &[String]) -> Result<Vec<usize>, ViewError> {
        names.iter().map(|name| self.find_unit(name)).collect()
    }

    fn find_column(
        &self,
        graph: &ColumnGraph,
        table: &str,
        column: &str,
    ) -> Result<ColumnId, ViewError> {
        if let Some(id) = graph.find(table, column) {
            return Ok(id);
        }
        let unit = self.find_unit(table)?;
        let own_table = self.units[unit].tables[0];
        let columns = &self.tables[own_table].columns;
        if let Some(id) = columns
            .iter()
            .find(|id| graph.node(**id).column.eq_ignore_ascii_case(column))
        {
            return Ok(*id);
        }
        let names = columns.iter().map(|id| graph.node(*id).column.as_str());
        Err(ViewError::UnknownColumn {
            table: self.units[unit].name.clone(),
            column: column.to_string(),
            suggestion: closest(column, names),
        })
    }

    /// Returns the units that feed `unit` directly, through values or
    /// indirectly.
    fn unit_parents(&self, graph: &ColumnGraph, unit: usize) -> BTreeSet<usize> {
        let mut parents = BTreeSet::new();
        for &table in &self.units[unit].tables {
            for &column in &self.tables[table].columns {
                for (parent, _) in graph.parents(column) {
                    parents.insert(self.unit_of(parent));
                }
            }
        }
        if self.units[unit].is_model {
            for (input, _) in graph.indirect_inputs(&self.units[unit].name) {
                parents.insert(self.unit_of(input));
            }
        }
        parents.remove(&unit);
        parents
    }

    /// Returns the units that `unit` feeds directly, through values or
    /// indirectly.
    fn unit_children(&self, graph: &ColumnGraph, unit: usize) -> BTreeSet<usize> {
        let mut children = BTreeSet::new();
        for &table in &self.units[unit].tables {
            for &column in &self.tables[table].columns {
                for (child, _) in graph.children(column) {
                    children.insert(self.unit_of(child));
                }
                for (reader, _) in self.readers.get(&column).into_iter().flatten() {
                    children.insert(*reader);
                }
            }
        }
        children.remove(&unit);
        children
    }

    /// Returns the units within `options.hops` of `start`, in the
    /// requested directions.
    fn units_within(
        &self,
        graph: &ColumnGraph,
        start: usize,
        options: &ViewOptions,
    ) -> BTreeSet<usize> {
        let mut shown = BTreeSet::from([start]);
        let walks: &[bool] = match options.reach {
            Reach::Both => &[true, false],
            Reach::Upstream => &[true],
            Reach::Downstream => &[false],
        };
        for &upstream in walks {
            let mut hops = HashMap::from([(start, 0usize)]);
            let mut queue = VecDeque::from([start]);
            while let Some(unit) = queue.pop_front() {
                let next_hops = hops[&unit] + 1;
                if options.hops.is_some_and(|limit| next_hops > limit) {
                    continue;
                }
                let next = if upstream {
                    self.unit_parents(graph, unit)
                } else {
                    self.unit_children(graph, unit)
                };
                for neighbour in next {
                    if let std::collections::hash_map::Entry::Vacant(entry) = hops.entry(neighbour)
                    {
                        entry.insert(next_hops);
                        shown.insert(neighbour);
                        queue.push_back(neighbour);
                    }
                }
            }
        }
        shown
    }

    /// Returns the columns on lineage paths through `start` within the hop
    /// limit. Upstream these are its parents, transitively, and the
    /// indirect inputs of the models on the way. Downstream they are the
    /// columns it feeds, and every column of a model that uses a reached
    /// column as an indirect input.
    fn columns_within(
        &self,
        graph: &ColumnGraph,
        start: ColumnId,
        options: &ViewOptions,
    ) -> BTreeSet<ColumnId> {
        let mut shown = BTreeSet::from([start]);
        if options.reach != Reach::Downstream {
            self.walk_columns(graph, start, options, true, &mut shown);
        }
        if options.reach != Reach::Upstream {
            self.walk_columns(graph, start, options, false, &mut shown);
        }
        shown
    }

    /// Walks breadth-first with 0-1 costs: an edge between two columns of
    /// one owner costs no hop, any other edge one.
    fn walk_columns(
        &self,
        graph: &ColumnGraph,
        start: ColumnId,
        options: &ViewOptions,
        upstream: bool,
        shown: &mut BTreeSet<ColumnId>,
    ) {
        let mut hops: HashMap<ColumnId, usize> = HashMap::from([(start, 0)]);
        let mut queue = VecDeque::from([start]);
        let mut models_done = BTreeSet::new();
        let within = |h: usize| options.hops.is_none_or(|limit| h <= limit);
        while let Some(column) = queue.pop_front() {
            let here = hops[&column];
            let unit = self.unit_of(column);
            let mut next: Vec<(ColumnId, bool)> = Vec::new();
            if upstream {
                next.extend(graph.parents(column).into_iter().map(|(p, _)| (p, true)));
                if options.indirect && self.units[unit].is_model && models_done.insert(unit) {
                    // Indirect inputs are shown but not followed further
                    // up, as ColumnGraph::upstream does.
                    for (input, _) in graph.indirect_inputs(&self.units[unit].name) {
                        next.push((input, false));
                    }
                }
            } else {
                next.extend(graph.children(column).into_iter().map(|(c, _)| (c, true)));
                if options.indirect {
                    for (reader, _) in self.readers.get(&column).into_iter().flatten() {
                        let own_table = self.units[*reader].tables[0];
                        for &output in &self.tables[own_table].columns {
                            next.push((output, true));
                        }
                    }
                }
            }
            for (neighbour, follow) in next {
                let cost = usize::from(self.unit_of(neighbour) != unit);
                let total = here + cost;
                if !within(total) {
                    continue;
                }
                if hops.get(&neighbour).is_some_and(|&known| known <= total) {
                    continue;
                }
                hops.insert(neighbour, total);
                shown.insert(neighbour);
                if follow {
                    if cost == 0 {
                        queue.push_front(neighbour);
                    } else {
                        queue.push_back(neighbour);
                    }
                }
            }
        }
    }

    /// Builds the view from the shown units and columns.
    fn assemble(
        &self,
        graph: &ColumnGraph,
        options: &ViewOptions,
        shown_units: &BTreeSet<usize>,
        shown_columns: Option<&BTreeSet<ColumnId>>,
        focus: Option<(usize, Option<ColumnId>)>,
    ) -> LineageView {
        let mut view = LineageView::default();
        let mut place: HashMap<ColumnId, ColumnAt> = HashMap::new();
        let mut table_place: HashMap<usize, usize> = HashMap::new();
        for &unit in shown_units {
            for &table in &self.units[unit].tables {
                let entry = &self.tables[table];
                let hidden_kind = options.ctes == CteDisplay::Collapsed
                    && matches!(entry.kind, TableKind::Cte | TableKind::Subquery);
                if hidden_kind {
                    continue;
                }
                let columns: Vec<ColumnId> = entry
                    .columns
                    .iter()
                    .copied()
                    .filter(|id| shown_columns.is_none_or(|shown| shown.contains(id)))
                    .collect();
                let is_own_table = self.units[unit].tables[0] == table;
                if columns.is_empty() && !is_own_table {
                    continue;
                }
                let table_index = view.tables.len();
                table_place.insert(table, table_index);
                let mut view_columns = Vec::new();
                for id in columns {
                    place.insert(
                        id,
                        ColumnAt {
                            table: table_index,
                            column: view_columns.len(),
                        },
                    );
                    let node = graph.node(id);
                    view_columns.push(ViewColumn {
                        name: node.column.clone(),
                        ty: node.ty.clone(),
                        unresolved: node.unresolved.clone(),
                        graph_id: id.index(),
                        parents_shown: false,
                    });
                }
                view.tables.push(ViewTable {
                    name: entry.name.clone(),
                    kind: entry.kind,
                    model: entry.model.clone(),
                    columns: view_columns,
                    more_upstream: false,
                    more_downstream: false,
                });
            }
        }
        // The flags for expanding: only the shown units' neighbours are
        // looked at.
        for &unit in shown_units {
            let own_table = self.units[unit].tables[0];
            let Some(&table_index) = table_place.get(&own_table) else {
                continue;
            };
            let parents = self.unit_parents(graph, unit);
            let children = self.unit_children(graph, unit);
            view.tables[table_index].more_upstream =
                parents.iter().any(|u| !shown_units.contains(u));
            view.tables[table_index].more_downstream =
                children.iter().any(|u| !shown_units.contains(u));
        }
        for (&id, &at) in &place {
            view.tables[at.table].columns[at.column].parents_shown =
                self.parents_shown(graph, options, &place, id);
        }
        self.add_edges(graph, options, &place, &table_place, &mut view);
        view.focus = focus.and_then(|(unit, column)| {
            let table = *table_place.get(&self.units[unit].tables[0])?;
            let column = match column {
                Some(id) => Some(place.get(&id)?.column),
                None => None,
            };
            Some(ViewFocus { table, column })
        });
        view
    }

    fn add_edges(
        &self,
        graph: &ColumnGraph,
        options: &ViewOptions,
        place: &HashMap<ColumnId, ColumnAt>,
        table_place: &HashMap<usize, usize>,
        view: &mut LineageView,
    ) {
        // Edge key → index in view.edges, so each pair gets one direct edge
        // with the strongest kind and one indirect edge per kind.
        let mut seen: BTreeMap<EdgeKey, usize> = BTreeMap::new();
        let mut children: Vec<(ColumnId, ColumnAt)> =
            place.iter().map(|(id, at)| (*id, *at)).collect();
        children.sort_by_key(|(_, at)| *at);
        for (child, child_at) in children {
            for (parent, info) in graph.parents(child) {
                let template = ViewEdge {
                    from: child_at,
                    to: EdgeEnd {
                        table: child_at.table,
                        column: Some(child_at.column),
                    },
                    kind: LineageKind::Direct(info.kind),
                    expression: info.expression.clone(),
                    file: info.file.clone(),
                    span: info.span,
                };
                let step = (info.kind, info.expression.clone());
                for (ancestor, kind, expression) in
                    self.shown_ancestors(graph, options, place, parent, step)
                {
                    let mut edge = template.clone();
                    edge.from = place[&ancestor];
                    edge.kind = LineageKind::Direct(kind);
                    edge.expression = expression;
                    push_edge(&mut seen, view, edge);
                }
            }
        }
        if !options.indirect {
            return;
        }
        let mut units: Vec<(usize, usize)> = table_place
            .iter()
            .filter(|(table, _)| {
                let entry = &self.tables[**table];
                entry.kind == TableKind::Model && self.units[entry.unit].tables[0] == **table
            })
            .map(|(table, index)| (*index, self.tables[*table].unit))
            .collect();
        units.sort();
        for (table_index, unit) in units {
            for (input, kind) in graph.indirect_inputs(&self.units[unit].name) {
                let step = (EdgeKind::Identity, None);
                let edges = self.shown_ancestors(graph, options, place, input, step);
                for (ancestor, _, _) in edges {
                    let edge = ViewEdge {
                        from: place[&ancestor],
                        to: EdgeEnd {
                            table: table_index,
                            column: None,
                        },
                        kind: LineageKind::Indirect(kind),
                        expression: None,
                        file: None,
                        span: None,
                    };
                    push_edge(&mut seen, view, edge);
                }
            }
        }
    }

    /// Checks that every parent of `column` is shown, or is a collapsed CTE
    /// column whose parents are, transitively.
    fn parents_shown(
        &self,
        graph: &ColumnGraph,
        options: &ViewOptions,
        place: &HashMap<ColumnId, ColumnAt>,
        column: ColumnId,
    ) -> bool {
        let mut visited = BTreeSet::from([column]);
        let mut stack = vec![column];
        while let Some(child) = stack.pop() {
            for (parent, _) in graph.parents(child) {
                if place.contains_key(&parent) {
                    continue;
                }
                if !self.is_hidden_cte(parent, options) {
                    return false;
                }
                if visited.insert(parent) {
                    stack.push(parent);
                }
            }
        }
        true
    }

    /// Returns the shown columns that `start` is drawn as: itself when
    /// shown, or for a collapsed CTE column the shown columns it reads,
    /// each with the strongest kind on the way. A column that is neither
    /// gives nothing.
    fn shown_ancestors(
        &self,
        graph: &ColumnGraph,
        options: &ViewOptions,
        place: &HashMap<ColumnId, ColumnAt>,
        start: ColumnId,
        first_step: PathStep,
    ) -> Vec<(ColumnId, EdgeKind, Option<String>)> {
        let mut found: BTreeMap<ColumnId, (EdgeKind, Option<String>)> = BTreeMap::new();
        let mut visited = BTreeSet::new();
        // The steps walked, each with the index of the step below it, so
        // that a path is not copied at every step: a chain of 5,000
        // collapsed CTEs made the copies quadratic.
        let first_kind = first_step.0;
        let mut steps: Vec<(PathStep, Option<usize>)> = vec![(first_step, None)];
        let mut stack = vec![(start, 0usize, first_kind)];
        while let Some((column, step, kind)) = stack.pop() {
            if place.contains_key(&column) {
                let entry = found
                    .entry(column)
                    .or_insert_with(|| (kind, describe_path(&path_to(&steps, step))));
                entry.0 = entry.0.max(kind);
                continue;
            }
            if !self.is_hidden_cte(column, options) || !visited.insert((column, kind)) {
                continue;
            }
            for (parent, info) in graph.parents(column) {
                steps.push(((info.kind, info.expression.clone()), Some(step)));
                stack.push((parent, steps.len() - 1, kind.max(info.kind)));
            }
        }
        found
            .into_iter()
            .map(|(column, (kind, expression))| (column, kind, expression))
            .collect()
    }
}

/// One edge of a path through collapsed CTE columns, from the child
/// upwards: its kind and its expression.
pub(crate) type PathStep = (EdgeKind, Option<String>);

/// Returns the path that ends at `last` of `steps`, from the child upwards,
/// following each step's index of the step below it.
fn path_to(steps: &[(PathStep, Option<usize>)], last: usize) -> Vec<PathStep> {
    let mut path = Vec::new();
    let mut at = Some(last);
    while let Some(index) = at {
        let (step, below) = &steps[index];
        path.push(step.clone());
        at = *below;
    }
    path.reverse();
    path
}

/// Describes a path of edges, given from the child upwards. A single edge
/// keeps its own expression. A longer path, through CTEs or subqueries,
/// lists the expressions of its steps that compute something, from the
/// parent towards the child, so a `SELECT *` on the way does not hide the
/// `sum(amount)` below it. Identity steps only give `None`.
pub(crate) fn describe_path(path: &[PathStep]) -> Option<String> {
    if let [(_, expression)] = path {
        return expression.clone();
    }
    let computed: Vec<&str> = path
        .iter()
        .rev()
        .filter(|(kind, _)| *kind != EdgeKind::Identity)
        .filter_map(|(_, expression)| expression.as_deref())
        .collect();
    (!computed.is_empty()).then(|| computed.join("; "))
}

fn kind_rank(kind: TableKind) -> u8 {
    match kind {
        TableKind::Source => 0,
        TableKind::Model => 1,
        TableKind::Cte => 2,
        TableKind::Subquery => 3,
    }
}

/// Adds an edge, or strengthens the kind of the direct edge between the
/// same two ends. Indirect edges of different kinds are kept apart, since
/// one input can be both a join key and a filter.
fn push_edge(seen: &mut BTreeMap<EdgeKey, usize>, view: &mut LineageView, edge: ViewEdge) {
    let indirect = match edge.kind {
        LineageKind::Indirect(kind) => Some(kind),
        LineageKind::Direct(_) => None,
    };
    let key = (edge.from, edge.to, indirect);
    match seen.get(&key) {
        Some(&index) => {
            let existing = &mut view.edges[index];
            if edge.kind > existing.kind {
                existing.kind = edge.kind;
            }
        }
        None => {
            seen.insert(key, view.edges.len());
            view.edges.push(edge);
        }
    }
}

/// The ends of an edge, and its kind when it is indirect.
type EdgeKey = (ColumnAt, EdgeEnd, Option<IndirectKind>);

/// Returns the candidate closest to `name` by edit distance, when it is
/// close enough to be a likely typo: at most a third of the name's length.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let target = name.to_ascii_lowercase();
    let limit = (target.chars().count() / 3).max(1);
    candidates
        .map(|candidate| {
            (
                edit_distance(&target, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}
