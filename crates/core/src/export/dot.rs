//! Graphviz DOT. Every table is a node with an HTML-like label: a title
//! cell and one cell per column, each with a port, so edges run from
//! column to column. A model's table and its CTEs and subqueries share a
//! cluster. Identifiers are generated (`t3`, `c0`), so user text appears
//! only inside labels and tooltips.

use std::fmt::Write;

use crate::layout::{visible_text, LineageView, ViewTable};
use crate::lineage::{LineageKind, TableKind};
use crate::output::EdgeKind;

use super::xml_escape;

pub(super) fn digraph(view: &LineageView) -> String {
    let mut out = String::new();
    out.push_str("digraph lineage {\n");
    out.push_str(
        "  graph [rankdir=LR, ranksep=1.2, nodesep=0.3, fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str("  edge [arrowsize=0.6];\n");

    // Sources stand alone; each model's tables go into one cluster, in the
    // order of the view.
    let mut clusters: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, table) in view.tables.iter().enumerate() {
        match &table.model {
            Some(model) if table.kind != TableKind::Source => {
                match clusters
                    .iter_mut()
                    .find(|(name, _)| name.eq_ignore_ascii_case(model))
                {
                    Some((_, members)) => members.push(index),
                    None => clusters.push((model.clone(), vec![index])),
                }
            }
            _ => write_table(&mut out, view, index, "  "),
        }
    }
    for (cluster_index, (model, members)) in clusters.iter().enumerate() {
        writeln!(out, "  subgraph cluster_{cluster_index} {{").unwrap();
        writeln!(out, "    label=<{}>;", xml_escape(model)).unwrap();
        writeln!(out, "    tooltip={};", quoted(model)).unwrap();
        out.push_str(
            "    style=\"rounded,dashed\";\n    color=\"#a0aec0\";\n    fontcolor=\"#4a5568\";\n",
        );
        for &index in members {
            write_table(&mut out, view, index, "    ");
        }
        out.push_str("  }\n");
    }

    for edge in &view.edges {
        let target_port = match edge.to.column {
            Some(column) => format!("c{column}"),
            None => "h".to_string(),
        };
        let mut tooltip = edge.kind.facet_name().to_string();
        if let Some(expression) = &edge.expression {
            tooltip.push_str(": ");
            tooltip.push_str(expression);
        }
        writeln!(
            out,
            "  t{}:c{}:e -> t{}:{}:w [{}, tooltip={}];",
            edge.from.table,
            edge.from.column,
            edge.to.table,
            target_port,
            edge_style(edge.kind),
            quoted(&tooltip),
        )
        .unwrap();
    }
    out.push_str("}\n");
    out
}

fn write_table(out: &mut String, view: &LineageView, index: usize, indent: &str) {
    let table = &view.tables[index];
    let focus = view.focus.filter(|f| f.table == index);
    let (fill, border) = match table.kind {
        TableKind::Source => ("#e6f4ea", "#2f855a"),
        TableKind::Model => ("#e2ecf7", "#2b6cb0"),
        TableKind::Cte | TableKind::Subquery => ("#f3f4f6", "#718096"),
    };
    let border_width = if focus.is_some() { 2 } else { 1 };
    writeln!(
        out,
        "{indent}t{index} [tooltip={}, label=<<TABLE BORDER=\"{border_width}\" COLOR=\"{border}\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\">",
        quoted(&title(table)),
    )
    .unwrap();
    writeln!(
        out,
        "{indent}  <TR><TD PORT=\"h\" BGCOLOR=\"{fill}\" ALIGN=\"LEFT\"><B>{}</B> <FONT POINT-SIZE=\"8\" COLOR=\"#4a5568\">{}</FONT></TD></TR>",
        xml_escape(&title(table)),
        kind_label(table.kind),
    )
    .unwrap();
    for (row, column) in table.columns.iter().enumerate() {
        let background = if focus.is_some_and(|f| f.column == Some(row)) {
            " BGCOLOR=\"#fefcbf\""
        } else {
            ""
        };
        let warning = if column.unresolved.is_some() {
            " <FONT COLOR=\"#c53030\">?</FONT>"
        } else {
            ""
        };
        writeln!(
            out,
            "{indent}  <TR><TD PORT=\"c{row}\" ALIGN=\"LEFT\"{background}>{} <FONT COLOR=\"#718096\">{}</FONT>{warning}</TD></TR>",
            xml_escape(&column.name),
            xml_escape(&column.ty),
        )
        .unwrap();
    }
    writeln!(out, "{indent}</TABLE>>];").unwrap();
}

fn title(table: &ViewTable) -> String {
    table.display_name()
}

fn kind_label(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Source => "source",
        TableKind::Model => "model",
        TableKind::Cte => "cte",
        TableKind::Subquery => "subquery",
    }
}

fn edge_style(kind: LineageKind) -> &'static str {
    match kind {
        LineageKind::Direct(EdgeKind::Identity) => "color=\"#4a5568\"",
        LineageKind::Direct(EdgeKind::Transformation) => "color=\"#2b6cb0\"",
        LineageKind::Direct(EdgeKind::Aggregation) => "color=\"#c05621\", penwidth=2",
        LineageKind::Indirect(_) => "color=\"#a0aec0\", style=dashed, arrowhead=empty",
    }
}

/// Quotes text as a DOT double-quoted string. Inside one, `\"` is a quote.
/// Graphviz then reads backslash escapes such as `\n` and `\N` in labels
/// and tooltips, so every backslash is doubled to stay literal.
pub(super) fn quoted(text: &str) -> String {
    let visible = visible_text(text);
    let mut out = String::with_capacity(visible.len() + 2);
    out.push('"');
    for c in visible.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_escapes_quotes_and_backslashes() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quoted("line\nbreak"), r#""line\\nbreak""#);
    }
}
