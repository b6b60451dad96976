//! The JSON document of a view. Like the compile JSON, it is built key by
//! key so the documented shape does not follow changes of the core types.

use serde_json::{json, Value};

use crate::diagnostic::{Position, Span};
use crate::layout::{LineageView, ViewTable};
use crate::lineage::{LineageKind, TableKind};

/// The shape's version, raised when a key changes meaning or goes away.
const VERSION: u32 = 1;

pub(super) fn view_json(view: &LineageView) -> Value {
    // Node ids are dense over the view: table by table, column by column.
    let mut first_id = Vec::with_capacity(view.tables.len());
    let mut nodes = Vec::new();
    for table in &view.tables {
        first_id.push(nodes.len());
        for column in &table.columns {
            nodes.push(json!({
                "id": nodes.len(),
                "table": table.name,
                "column": column.name,
                "kind": kind_name(table.kind),
                "model": table.model,
                "type": column.ty,
                "unresolved": column.unresolved,
                "parents_shown": column.parents_shown,
            }));
        }
    }
    let node_id = |table: usize, column: usize| first_id[table] + column;

    let mut edges = Vec::new();
    let mut indirect: Vec<Vec<Value>> = vec![Vec::new(); view.tables.len()];
    for edge in &view.edges {
        let from = node_id(edge.from.table, edge.from.column);
        match (edge.kind, edge.to.column) {
            (LineageKind::Direct(_), Some(column)) => edges.push(json!({
                "from": from,
                "to": node_id(edge.to.table, column),
                "kind": edge.kind.facet_name(),
                "expression": edge.expression,
                "file": edge.file,
                "span": edge.span.map(span_json),
            })),
            _ => indirect[edge.to.table].push(json!({
                "node": from,
                "kind": edge.kind.facet_name(),
            })),
        }
    }

    let tables: Vec<Value> = view
        .tables
        .iter()
        .enumerate()
        .map(|(index, table)| {
            let columns: Vec<usize> = (0..table.columns.len())
                .map(|column| node_id(index, column))
                .collect();
            table_json(table, columns, &indirect[index])
        })
        .collect();

    let focus = view.focus.map(|focus| {
        let table = &view.tables[focus.table];
        json!({
            "table": table.name,
            "column": focus.column.map(|c| table.columns[c].name.clone()),
            "node": focus.column.map(|c| node_id(focus.table, c)),
        })
    });

    json!({
        "version": VERSION,
        "focus": focus,
        "nodes": nodes,
        "edges": edges,
        "tables": tables,
    })
}

fn table_json(table: &ViewTable, columns: Vec<usize>, indirect: &[Value]) -> Value {
    json!({
        "name": table.name,
        "kind": kind_name(table.kind),
        "model": table.model,
        "columns": columns,
        "indirect": indirect,
        "more_upstream": table.more_upstream,
        "more_downstream": table.more_downstream,
    })
}

pub(super) fn kind_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Source => "source",
        TableKind::Model => "model",
        TableKind::Cte => "cte",
        TableKind::Subquery => "subquery",
    }
}

fn span_json(span: Span) -> Value {
    json!({"start": position_json(span.start), "end": position_json(span.end)})
}

fn position_json(position: Position) -> Value {
    json!({"line": position.line, "column": position.column})
}
