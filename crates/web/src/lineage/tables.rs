//! The tables of a project's column graph, for the lineage view: each
//! source and model with its columns, and which tables read which. The
//! view expands a box by the table-level neighbours found here, and counts
//! the neighbours a box does not show yet.

use std::collections::{BTreeSet, HashMap};

use rocky_core::{ColumnGraph, ColumnId, LineageNode, TableKind};

/// A source table or model of the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct TableEntry {
    /// The name as the compiler spells it.
    pub name: String,
    /// `true` for a model, `false` for a source table or a table that did
    /// not resolve.
    pub is_model: bool,
    /// A source's columns, or a model's output columns, in order.
    pub columns: Vec<ColumnId>,
    /// Tables whose columns feed this table's columns directly or
    /// indirectly, by index into [`ProjectTables::tables`].
    pub parents: BTreeSet<usize>,
    /// Tables that read this table's columns.
    pub children: BTreeSet<usize>,
}

/// The tables of a [`ColumnGraph`], by name and by column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectTables {
    tables: Vec<TableEntry>,
    by_name: HashMap<String, usize>,
    /// Per column index: the table that owns the column.
    owner: Vec<usize>,
}

impl ProjectTables {
    /// Groups the columns of `graph` by table and links the tables by the
    /// graph's edges and each model's indirect inputs. The columns of a
    /// model's CTEs and subqueries belong to the model.
    pub fn build(graph: &ColumnGraph) -> ProjectTables {
        let mut tables = ProjectTables::default();
        // Columns come in index order, so `owner` lines up with the indices.
        for (id, node) in graph.columns() {
            let table = tables.table_for(node);
            tables.owner.push(table);
            let entry = &mut tables.tables[table];
            if !entry.is_model {
                entry.columns.push(id);
            }
        }
        for entry in &mut tables.tables {
            if entry.is_model {
                entry.columns = graph.model_columns(&entry.name);
            }
        }
        let mut links = Vec::new();
        for (parent, child, _) in graph.edges() {
            links.push((tables.owner[parent.index()], tables.owner[child.index()]));
        }
        for (index, entry) in tables.tables.iter().enumerate() {
            if entry.is_model {
                for (input, _) in graph.indirect_inputs(&entry.name) {
                    links.push((tables.owner[input.index()], index));
                }
            }
        }
        for (parent, child) in links {
            if parent != child {
                tables.tables[child].parents.insert(parent);
                tables.tables[parent].children.insert(child);
            }
        }
        tables
    }

    fn table_for(&mut self, node: &LineageNode) -> usize {
        let (name, is_model) = match (&node.kind, &node.model) {
            (TableKind::Source, _) | (_, None) => (node.table.as_str(), false),
            (_, Some(model)) => (model.as_str(), true),
        };
        let key = name.to_ascii_lowercase();
        if let Some(&index) = self.by_name.get(&key) {
            return index;
        }
        self.tables.push(TableEntry {
            name: name.to_string(),
            is_model,
            columns: Vec::new(),
            parents: BTreeSet::new(),
            children: BTreeSet::new(),
        });
        self.by_name.insert(key, self.tables.len() - 1);
        self.tables.len() - 1
    }

    pub fn tables(&self) -> &[TableEntry] {
        &self.tables
    }

    /// Finds a table by name, in any case.
    pub fn find(&self, name: &str) -> Option<&TableEntry> {
        let index = self.by_name.get(&name.to_ascii_lowercase())?;
        self.tables.get(*index)
    }

    /// Returns the table that owns a column: its source table, or the model
    /// of a model, CTE or subquery column.
    pub fn owner(&self, column: ColumnId) -> Option<&TableEntry> {
        let index = self.owner.get(column.index())?;
        self.tables.get(*index)
    }

    /// Returns the names of the tables one step up or down from `name`,
    /// parents first, each in the order the graph added them.
    pub fn neighbours(&self, name: &str) -> Vec<String> {
        let Some(entry) = self.find(name) else {
            return Vec::new();
        };
        entry
            .parents
            .iter()
            .chain(&entry.children)
            .map(|&index| self.tables[index].name.clone())
            .collect()
    }

    /// Counts the neighbours of `name` that `shown` (lower-cased names)
    /// lacks, which is what the box's expand control would add.
    pub fn hidden_neighbours(&self, name: &str, shown: &BTreeSet<String>) -> usize {
        self.neighbours(name)
            .iter()
            .filter(|neighbour| !shown.contains(&neighbour.to_ascii_lowercase()))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use rocky_core::compile;

    use super::*;
    use crate::sample::sample_project;

    fn sample_tables() -> (ColumnGraph, ProjectTables) {
        let graph = ColumnGraph::build(&compile(&sample_project()));
        let tables = ProjectTables::build(&graph);
        (graph, tables)
    }

    fn names(graph: &ColumnGraph, columns: &[ColumnId]) -> Vec<String> {
        columns
            .iter()
            .map(|&id| graph.node(id).column.clone())
            .collect()
    }

    #[test]
    fn sample_has_eight_tables() {
        let (_, tables) = sample_tables();
        let mut found: Vec<&str> = tables.tables().iter().map(|t| t.name.as_str()).collect();
        found.sort_unstable();
        assert_eq!(
            found,
            [
                "customers",
                "orders",
                "raw_customers",
                "raw_orders",
                "raw_payments",
                "stg_customers",
                "stg_orders",
                "stg_payments"
            ]
        );
    }

    #[test]
    fn columns_in_table_order() {
        let (graph, tables) = sample_tables();
        let raw = tables.find("RAW_ORDERS").map(|t| t.columns.clone());
        assert_eq!(
            names(&graph, &raw.unwrap_or_default()),
            ["id", "user_id", "order_date", "status"]
        );
        let customers = tables.find("customers").map(|t| t.columns.clone());
        assert_eq!(names(&graph, &customers.unwrap_or_default()).len(), 7);
        assert_eq!(tables.find("customers").map(|t| t.is_model), Some(true));
        assert_eq!(tables.find("raw_orders").map(|t| t.is_model), Some(false));
    }

    #[test]
    fn neighbours_of_sample_tables() {
        let (_, tables) = sample_tables();
        assert_eq!(
            tables.neighbours("stg_orders"),
            ["raw_orders", "orders", "customers"]
        );
        // Models come in the compiler's dependency order.
        assert_eq!(
            tables.neighbours("customers"),
            ["stg_payments", "stg_orders", "stg_customers"]
        );
        assert_eq!(tables.neighbours("raw_payments"), ["stg_payments"]);
        assert!(tables.neighbours("missing").is_empty());
    }

    #[test]
    fn indirect_input_links_tables() {
        // orders reads stg_payments.payment_method only in CASE WHEN, and
        // customers reads stg_orders.customer_id only as a join key; both
        // tables have direct links too, so check the count of parents.
        let (_, tables) = sample_tables();
        let orders = tables.find("orders").map(|t| t.parents.len());
        assert_eq!(orders, Some(2));
    }

    #[test]
    fn hidden_neighbours_counts_missing() {
        let (_, tables) = sample_tables();
        let shown: BTreeSet<String> = ["stg_orders", "orders"].map(String::from).into();
        assert_eq!(tables.hidden_neighbours("stg_orders", &shown), 2);
        let all: BTreeSet<String> = ["raw_orders", "orders", "customers"]
            .map(String::from)
            .into();
        assert_eq!(tables.hidden_neighbours("stg_orders", &all), 0);
    }

    #[test]
    fn owner_of_model_column() {
        let (graph, tables) = sample_tables();
        let id = graph.find("orders", "amount");
        let owner = id.and_then(|id| tables.owner(id)).map(|t| t.name.as_str());
        assert_eq!(owner, Some("orders"));
    }
}
