//! A Mermaid flowchart. Each table is a subgraph and each column a node
//! in it; an indirect input links to the model's subgraph. Identifiers
//! are generated (`t3`, `t3c0`), so user text appears only inside quoted
//! labels, where Mermaid entity codes stand for the characters that would
//! end the label or be read as HTML.

use std::fmt::Write;

use crate::layout::{visible_text, LineageView};
use crate::lineage::{LineageKind, TableKind};
use crate::output::EdgeKind;

pub(super) fn flowchart(view: &LineageView) -> String {
    let mut out = String::from("flowchart LR\n");
    for (index, table) in view.tables.iter().enumerate() {
        writeln!(
            out,
            "  subgraph t{index}[\"{}\"]",
            label(&format!(
                "{} ({})",
                table.display_name(),
                kind_label(table.kind)
            ))
        )
        .unwrap();
        for (row, column) in table.columns.iter().enumerate() {
            writeln!(
                out,
                "    t{index}c{row}[\"{}\"]",
                label(&format!("{}: {}", column.name, column.ty))
            )
            .unwrap();
        }
        out.push_str("  end\n");
    }
    let mut link_styles = Vec::new();
    for (link, edge) in view.edges.iter().enumerate() {
        let from = format!("t{}c{}", edge.from.table, edge.from.column);
        let to = match edge.to.column {
            Some(column) => format!("t{}c{column}", edge.to.table),
            None => format!("t{}", edge.to.table),
        };
        let arrow = match edge.kind {
            LineageKind::Direct(EdgeKind::Identity) => "-->".to_string(),
            LineageKind::Direct(EdgeKind::Transformation) => "-->|\"transformation\"|".to_string(),
            LineageKind::Direct(EdgeKind::Aggregation) => "==>|\"aggregation\"|".to_string(),
            LineageKind::Indirect(kind) => {
                let subtype = kind.facet_name().trim_start_matches("INDIRECT/");
                format!("-.->|\"{}\"|", subtype.to_ascii_lowercase())
            }
        };
        writeln!(out, "  {from} {arrow} {to}").unwrap();
        link_styles.push((link, edge.kind));
    }
    for (index, table) in view.tables.iter().enumerate() {
        let style = match table.kind {
            TableKind::Source => "fill:#e6f4ea,stroke:#2f855a",
            TableKind::Model => "fill:#e2ecf7,stroke:#2b6cb0",
            TableKind::Cte | TableKind::Subquery => {
                "fill:#f3f4f6,stroke:#718096,stroke-dasharray:4 3"
            }
        };
        writeln!(out, "  style t{index} {style}").unwrap();
    }
    if let Some(focus) = view.focus {
        match focus.column {
            Some(column) => writeln!(
                out,
                "  style t{}c{column} fill:#fefcbf,stroke:#b7791f",
                focus.table
            ),
            None => writeln!(out, "  style t{} stroke-width:3px", focus.table),
        }
        .unwrap();
    }
    for (link, kind) in link_styles {
        let style = match kind {
            LineageKind::Direct(EdgeKind::Identity) => "stroke:#4a5568",
            LineageKind::Direct(EdgeKind::Transformation) => "stroke:#2b6cb0",
            LineageKind::Direct(EdgeKind::Aggregation) => "stroke:#c05621",
            LineageKind::Indirect(_) => "stroke:#a0aec0",
        };
        writeln!(out, "  linkStyle {link} {style}").unwrap();
    }
    out
}

fn kind_label(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Source => "source",
        TableKind::Model => "model",
        TableKind::Cte => "cte",
        TableKind::Subquery => "subquery",
    }
}

/// Escapes text for inside `["..."]`. Mermaid decodes `#<decimal>;` entity
/// codes, so a quote, which would end the label, is written as a code. So
/// are the characters that HTML labels or Markdown strings interpret, and
/// `#` itself, which keeps a name containing `#35;` as written.
pub(super) fn label(text: &str) -> String {
    let visible = visible_text(text);
    let mut out = String::with_capacity(visible.len());
    for c in visible.chars() {
        match c {
            '"' | '#' | '&' | '<' | '>' | '`' => write!(out, "#{};", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_codes_special_characters() {
        assert_eq!(label(r#"a"b<c>&'#"#), "a#34;b#60;c#62;#38;'#35;");
        assert_eq!(label("back\\slash (x)"), "back\\slash (x)");
    }
}
