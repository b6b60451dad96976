//! Exports of a lineage view: a JSON document, an OpenLineage run event,
//! Graphviz DOT, a Mermaid flowchart, and SVG of a [`Layout`].
//!
//! Each format escapes the names and SQL text it writes its own way, since
//! names come from user SQL and may contain any character: DOT quotes and
//! HTML-like labels, Mermaid entity codes, XML entities in SVG. Control
//! characters, which none of them can show, are written as
//! [`crate::layout::visible_text`] spells them.
//!
//! docs/lineage.md describes each format and the JSON shape.

mod dot;
mod json;
mod mermaid;
mod openlineage;
pub(crate) mod sha1;
mod svg;

use std::fmt;

use crate::layout::{Layout, LineageView};

pub use openlineage::{
    OpenLineageOptions, COLUMN_LINEAGE_FACET_URL, DEFAULT_EVENT_TIME, RUN_EVENT_SCHEMA_URL,
};

/// The formats [`export`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    OpenLineage,
    Dot,
    Mermaid,
    Svg,
}

/// An error of an export: an invalid option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// The event time is not an RFC 3339 date-time such as
    /// `2024-05-01T12:00:00Z`.
    InvalidEventTime(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::InvalidEventTime(time) => write!(
                formatter,
                "invalid event time `{time}`: expected an RFC 3339 date-time such as 2024-05-01T12:00:00Z"
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// Writes `view` in `format`. SVG lays the view out first.
pub fn export(
    view: &LineageView,
    format: Format,
    options: &OpenLineageOptions,
) -> Result<String, ExportError> {
    Ok(match format {
        Format::Json => pretty(&to_json(view)),
        Format::OpenLineage => pretty(&to_openlineage(view, options)?),
        Format::Dot => to_dot(view),
        Format::Mermaid => to_mermaid(view),
        Format::Svg => to_svg(&crate::layout::layout(view)),
    })
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// Builds the JSON document of a view that docs/lineage.md describes:
/// nodes, edges with kind and expression, indirect inputs per model.
pub fn to_json(view: &LineageView) -> serde_json::Value {
    json::view_json(view)
}

/// Builds an OpenLineage run event (core spec 2-0-2) with one output
/// dataset per model of the view, each with a `columnLineage` facet (1-2-0).
pub fn to_openlineage(
    view: &LineageView,
    options: &OpenLineageOptions,
) -> Result<serde_json::Value, ExportError> {
    openlineage::run_event(view, options)
}

/// Writes a Graphviz digraph: a cluster per model holding its table and its CTEs
/// and subqueries, one HTML-like table per table with a port per column.
pub fn to_dot(view: &LineageView) -> String {
    dot::digraph(view)
}

/// Writes a Mermaid flowchart: a subgraph per table, a node per column.
pub fn to_mermaid(view: &LineageView) -> String {
    mermaid::flowchart(view)
}

/// Writes a self-contained SVG document of a layout.
pub fn to_svg(layout: &Layout) -> String {
    svg::document(layout)
}

/// Escapes text for XML content and attribute values, after making
/// control characters visible, since XML 1.0 cannot contain most of them
/// even as character references.
pub(crate) fn xml_escape(text: &str) -> String {
    let visible = crate::layout::visible_text(text);
    let mut out = String::with_capacity(visible.len());
    for c in visible.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
