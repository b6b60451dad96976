//! The lineage view's exports: which formats the page offers, and the
//! name and media type of each download.

/// A download format of the lineage view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Rocky's own JSON of the column graph.
    Json,
    /// OpenLineage run events with the column-lineage facet.
    OpenLineage,
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// The graph as the view shows it now.
    Svg,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Json,
        ExportFormat::OpenLineage,
        ExportFormat::Dot,
        ExportFormat::Mermaid,
        ExportFormat::Svg,
    ];

    /// Returns the `data-format` value of the contract.
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::OpenLineage => "openlineage",
            ExportFormat::Dot => "dot",
            ExportFormat::Mermaid => "mermaid",
            ExportFormat::Svg => "svg",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "JSON",
            ExportFormat::OpenLineage => "OpenLineage",
            ExportFormat::Dot => "DOT",
            ExportFormat::Mermaid => "Mermaid",
            ExportFormat::Svg => "SVG",
        }
    }

    /// Returns the button's tooltip.
    pub fn description(self) -> &'static str {
        match self {
            ExportFormat::Json => "Download the column graph as JSON",
            ExportFormat::OpenLineage => "Download OpenLineage events with column lineage",
            ExportFormat::Dot => "Download the graph in Graphviz DOT",
            ExportFormat::Mermaid => "Download the graph as a Mermaid flowchart",
            ExportFormat::Svg => "Download the graph as the view shows it, as SVG",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            ExportFormat::Json => "lineage.json",
            ExportFormat::OpenLineage => "openlineage.json",
            ExportFormat::Dot => "lineage.dot",
            ExportFormat::Mermaid => "lineage.mmd",
            ExportFormat::Svg => "lineage.svg",
        }
    }

    /// Returns the media type of the download.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Json | ExportFormat::OpenLineage => "application/json",
            ExportFormat::Dot => "text/vnd.graphviz",
            ExportFormat::Mermaid => "text/plain",
            ExportFormat::Svg => "image/svg+xml",
        }
    }

    /// Returns the download's file name: the project, the exported column
    /// when there is one, and the format's suffix, such as
    /// `jaffle_shop-customers.customer_id-lineage.dot`. Characters other
    /// than letters, digits, `.`, `-` and `_` become `_`.
    pub fn file_name(self, project: &str, subject: Option<&str>) -> String {
        let project = if project.is_empty() {
            "project"
        } else {
            project
        };
        let stem = match subject {
            Some(subject) => format!("{project}-{subject}"),
            None => project.to_string(),
        };
        let safe: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("{safe}-{}", self.suffix())
    }
}

/// The part of the graph an export covers. The SVG always shows the view as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportScope {
    #[default]
    Project,
    /// The selected column's upstream and downstream subgraph.
    Column,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_per_format() {
        let names: Vec<String> = ExportFormat::ALL
            .iter()
            .map(|format| format.file_name("jaffle_shop", None))
            .collect();
        assert_eq!(
            names,
            [
                "jaffle_shop-lineage.json",
                "jaffle_shop-openlineage.json",
                "jaffle_shop-lineage.dot",
                "jaffle_shop-lineage.mmd",
                "jaffle_shop-lineage.svg",
            ]
        );
    }

    #[test]
    fn file_name_of_column_scope() {
        let name = ExportFormat::Dot.file_name("jaffle_shop", Some("customers.customer_id"));
        assert_eq!(name, "jaffle_shop-customers.customer_id-lineage.dot");
    }

    #[test]
    fn file_name_replaces_unsafe_characters() {
        let name = ExportFormat::Json.file_name("my shop", Some("raw/orders.\"id\""));
        assert_eq!(name, "my_shop-raw_orders._id_-lineage.json");
        assert_eq!(
            ExportFormat::Json.file_name("", None),
            "project-lineage.json"
        );
    }

    #[test]
    fn ids_are_distinct() {
        let mut ids: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ExportFormat::ALL.len());
    }
}
