//! Finding a model, source or column by name for the view's search box.

use rocky_core::ColumnGraph;

use crate::lineage::tables::ProjectTables;

/// The maximum results a search returns, so a large project's list stays
/// short to render.
pub const MAX_RESULTS: usize = 20;

/// A search result: a table, or one of its columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    pub table: String,
    pub column: Option<String>,
    pub is_model: bool,
}

impl SearchHit {
    /// Returns the hit as the list shows it: `table` or `table.column`.
    pub fn label(&self) -> String {
        match &self.column {
            Some(column) => format!("{}.{column}", self.table),
            None => self.table.clone(),
        }
    }
}

/// Ranks how well a name matches a query: lower is better.
fn rank(name: &str, query: &str) -> Option<u8> {
    if name == query {
        Some(0)
    } else if name.starts_with(query) {
        Some(1)
    } else if name.contains(query) {
        Some(2)
    } else {
        None
    }
}

/// Finds the tables and columns whose name contains `query`, in any case.
/// A query with a dot, such as `orders.amo`, matches the table part
/// against table names and the rest against their columns. Exact matches
/// come first, then prefixes, then other matches, tables before columns
/// of the same rank, each group in the graph's order.
pub fn search(graph: &ColumnGraph, tables: &ProjectTables, query: &str) -> Vec<SearchHit> {
    let query = query.trim().to_ascii_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let (table_query, column_query) = match query.split_once('.') {
        Some((table, column)) => (Some(table), column),
        None => (None, query.as_str()),
    };
    let mut ranked: Vec<(u8, bool, usize, SearchHit)> = Vec::new();
    for table in tables.tables() {
        let name = table.name.to_ascii_lowercase();
        let table_rank = match table_query {
            Some(table_query) => rank(&name, table_query),
            None => rank(&name, column_query),
        };
        if table_query.is_none() {
            if let Some(table_rank) = table_rank {
                ranked.push((
                    table_rank,
                    false,
                    ranked.len(),
                    SearchHit {
                        table: table.name.clone(),
                        column: None,
                        is_model: table.is_model,
                    },
                ));
            }
        } else if table_rank.is_none() {
            continue;
        }
        for &id in &table.columns {
            let column = &graph.node(id).column;
            let Some(column_rank) = rank(&column.to_ascii_lowercase(), column_query) else {
                continue;
            };
            let order = ranked.len();
            ranked.push((
                column_rank.max(table_rank.unwrap_or(0)),
                true,
                order,
                SearchHit {
                    table: table.name.clone(),
                    column: Some(column.clone()),
                    is_model: table.is_model,
                },
            ));
        }
    }
    ranked.sort_by_key(|(rank, is_column, order, _)| (*rank, *is_column, *order));
    ranked
        .into_iter()
        .take(MAX_RESULTS)
        .map(|(_, _, _, hit)| hit)
        .collect()
}

#[cfg(test)]
mod tests {
    use rocky_core::compile;

    use super::*;
    use crate::sample::sample_project;

    fn labels(query: &str) -> Vec<String> {
        let graph = ColumnGraph::build(&compile(&sample_project()));
        let tables = ProjectTables::build(&graph);
        search(&graph, &tables, query)
            .iter()
            .map(SearchHit::label)
            .collect()
    }

    #[test]
    fn exact_table_first() {
        let found = labels("orders");
        assert_eq!(found.first().map(String::as_str), Some("orders"));
        assert!(found.contains(&"raw_orders".to_string()), "{found:?}");
        assert!(found.contains(&"stg_orders".to_string()), "{found:?}");
        assert!(
            found.contains(&"customers.number_of_orders".to_string()),
            "{found:?}"
        );
    }

    #[test]
    fn column_by_prefix() {
        let found = labels("lifetime");
        assert_eq!(found, ["customers.customer_lifetime_value"]);
        let found = labels("CUSTOMER_LIFE");
        assert_eq!(found, ["customers.customer_lifetime_value"]);
    }

    #[test]
    fn dotted_query_filters_table() {
        assert_eq!(labels("stg_payments.amo"), ["stg_payments.amount"]);
        assert_eq!(
            labels("raw_orders."),
            [
                "raw_orders.id",
                "raw_orders.user_id",
                "raw_orders.order_date",
                "raw_orders.status"
            ]
        );
    }

    #[test]
    fn empty_and_unknown_find_nothing() {
        assert!(labels("  ").is_empty());
        assert!(labels("no_such_name").is_empty());
    }

    #[test]
    fn results_capped() {
        // Every column name of the sample contains a vowel or an underscore.
        assert_eq!(labels("_").len(), MAX_RESULTS);
    }
}
