//! A self-contained SVG document of a layout: the style sheet and arrow
//! markers are inside it, and it references no file, font or script.
//! Every piece of user text is XML-escaped; labels cut to fit a box keep
//! the full text in a `<title>` tooltip.

use std::fmt::Write;

use crate::layout::{
    shown_label, Layout, LayoutBox, LayoutEdge, LayoutRow, Point, HEADER_HEIGHT, MAX_NAME_CHARS,
    MAX_TITLE_CHARS, MAX_TYPE_CHARS, PADDING,
};
use crate::lineage::{LineageKind, TableKind};
use crate::output::EdgeKind;

use super::xml_escape;

const STYLE: &str = "\
.box rect.frame{fill:#ffffff;stroke:#4a5568;stroke-width:1}\
.box.source rect.header{fill:#e6f4ea}.box.model rect.header{fill:#e2ecf7}\
.box.cte rect.header,.box.subquery rect.header{fill:#f3f4f6}\
.box.cte rect.frame,.box.subquery rect.frame{stroke-dasharray:4 3}\
.box.focus rect.frame{stroke:#b7791f;stroke-width:2}\
.row.focus rect{fill:#fefcbf}\
text{font-family:'DejaVu Sans Mono',monospace;font-size:12px;fill:#1a202c}\
text.title{font-weight:bold}text.type{fill:#718096}\
text.kind{font-size:9px;fill:#4a5568}text.more{fill:#2b6cb0}\
.row.unresolved text.name{fill:#c53030}\
path.edge{fill:none;stroke-width:1.2}\
path.identity{stroke:#4a5568}path.transformation{stroke:#2b6cb0}\
path.aggregation{stroke:#c05621;stroke-width:2}\
path.indirect{stroke:#a0aec0;stroke-dasharray:5 3}";

pub(super) fn document(layout: &Layout) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">",
        w = number(layout.width),
        h = number(layout.height),
    )
    .unwrap();
    writeln!(out, "<style>{STYLE}</style>").unwrap();
    out.push_str("<defs>");
    for (id, color) in [
        ("identity", "#4a5568"),
        ("transformation", "#2b6cb0"),
        ("aggregation", "#c05621"),
        ("indirect", "#a0aec0"),
    ] {
        write!(
            out,
            "<marker id=\"arrow-{id}\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"{color}\"/></marker>"
        )
        .unwrap();
    }
    out.push_str("</defs>\n");

    out.push_str("<g class=\"edges\">\n");
    for edge in &layout.edges {
        write_edge(&mut out, layout, edge);
    }
    out.push_str("</g>\n<g class=\"boxes\">\n");
    for lbox in &layout.boxes {
        write_box(&mut out, lbox);
    }
    out.push_str("</g>\n</svg>\n");
    out
}

fn write_edge(out: &mut String, layout: &Layout, edge: &LayoutEdge) {
    let class = kind_class(edge.kind);
    let from = &layout.boxes[edge.from_box];
    let to = &layout.boxes[edge.to_box];
    let target = match edge.to_row {
        Some(row) => format!("{}.{}", to.title, to.rows[row].name),
        None => to.title.clone(),
    };
    let mut tooltip = xml_escape(&format!(
        "{}.{} → {target}: {}",
        from.title,
        from.rows[edge.from_row].name,
        edge.kind.facet_name()
    ));
    if let Some(expression) = &edge.expression {
        // A line break as a character reference, which XML keeps.
        tooltip.push_str("&#10;");
        tooltip.push_str(&xml_escape(expression));
    }
    writeln!(
        out,
        "<path class=\"edge {class}\" d=\"{}\" marker-end=\"url(#arrow-{class})\"><title>{tooltip}</title></path>",
        path_data(&edge.points),
    )
    .unwrap();
}

/// Writes the path data through the points: straight where a segment is level (the
/// lanes through a layer), a horizontal-tangent cubic curve otherwise.
fn path_data(points: &[Point]) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    write!(d, "M{},{}", number(first.x), number(first.y)).unwrap();
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.y == b.y {
            write!(d, " L{},{}", number(b.x), number(b.y)).unwrap();
        } else {
            // Going backwards (an edge of a cycle) bends out by a fixed
            // amount instead of by half the distance.
            let bend = ((b.x - a.x) / 2.0).abs().max(40.0);
            write!(
                d,
                " C{},{} {},{} {},{}",
                number(a.x + bend),
                number(a.y),
                number(b.x - bend),
                number(b.y),
                number(b.x),
                number(b.y)
            )
            .unwrap();
        }
    }
    d
}

fn write_box(out: &mut String, lbox: &LayoutBox) {
    let kind = match lbox.kind {
        TableKind::Source => "source",
        TableKind::Model => "model",
        TableKind::Cte => "cte",
        TableKind::Subquery => "subquery",
    };
    let focus = if lbox.focus { " focus" } else { "" };
    let (x, y, w) = (lbox.x, lbox.y, lbox.width);
    writeln!(out, "<g class=\"box {kind}{focus}\">").unwrap();
    writeln!(
        out,
        "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>",
        number(x),
        number(y),
        number(w),
        number(lbox.height)
    )
    .unwrap();
    writeln!(
        out,
        "<rect class=\"header\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>",
        number(x + 0.5),
        number(y + 0.5),
        number(w - 1.0),
        number(HEADER_HEIGHT - 1.0)
    )
    .unwrap();
    writeln!(
        out,
        "<text class=\"title\" x=\"{}\" y=\"{}\">{}<title>{}</title></text>",
        number(x + PADDING),
        number(y + HEADER_HEIGHT / 2.0 + 4.0),
        xml_escape(&shown_label(&lbox.title, MAX_TITLE_CHARS)),
        xml_escape(&format!("{} ({kind})", lbox.title)),
    )
    .unwrap();
    let markers = match (lbox.more_upstream, lbox.more_downstream) {
        (true, true) => Some("‹›"),
        (true, false) => Some("‹"),
        (false, true) => Some("›"),
        (false, false) => None,
    };
    if let Some(markers) = markers {
        writeln!(
            out,
            "<text class=\"more\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{markers}<title>more tables upstream or downstream are not shown</title></text>",
            number(x + w - PADDING),
            number(y + HEADER_HEIGHT / 2.0 + 4.0),
        )
        .unwrap();
    }
    for row in &lbox.rows {
        write_row(out, lbox, row);
    }
    out.push_str("</g>\n");
}

fn write_row(out: &mut String, lbox: &LayoutBox, row: &LayoutRow) {
    let (x, y, w) = (lbox.x, lbox.y, lbox.width);
    let mut classes = String::from("row");
    if row.focus {
        classes.push_str(" focus");
    }
    if row.unresolved.is_some() {
        classes.push_str(" unresolved");
    }
    let baseline = y + row.y + row.height / 2.0 + 4.0;
    writeln!(out, "<g class=\"{classes}\">").unwrap();
    if row.focus {
        writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            number(x + 1.0),
            number(y + row.y),
            number(w - 2.0),
            number(row.height)
        )
        .unwrap();
    }
    let mut tooltip = format!("{}.{}: {}", lbox.title, row.name, row.ty);
    if let Some(reason) = &row.unresolved {
        tooltip.push_str(" (");
        tooltip.push_str(reason);
        tooltip.push(')');
    }
    writeln!(
        out,
        "<text class=\"name\" x=\"{}\" y=\"{}\">{}<title>{}</title></text>",
        number(x + PADDING),
        number(baseline),
        xml_escape(&shown_label(&row.name, MAX_NAME_CHARS)),
        xml_escape(&tooltip),
    )
    .unwrap();
    writeln!(
        out,
        "<text class=\"type\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        number(x + w - PADDING),
        number(baseline),
        xml_escape(&shown_label(&row.ty, MAX_TYPE_CHARS)),
    )
    .unwrap();
    out.push_str("</g>\n");
}

fn kind_class(kind: LineageKind) -> &'static str {
    match kind {
        LineageKind::Direct(EdgeKind::Identity) => "identity",
        LineageKind::Direct(EdgeKind::Transformation) => "transformation",
        LineageKind::Direct(EdgeKind::Aggregation) => "aggregation",
        LineageKind::Indirect(_) => "indirect",
    }
}

/// Formats a coordinate with at most one decimal, without a trailing `.0`.
fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}
