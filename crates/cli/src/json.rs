//! The JSON document of `rocky compile --format json`. docs/compile-json.md
//! describes its shape; that shape is a stable interface, so it is built
//! key by key here instead of serializing the core's types, whose fields
//! may change.

use rocky_core::{Column, Compilation, Diagnostic, LineageEdge, Model, Position, Severity};
use serde_json::{json, Value};

/// Builds `{"models": [...], "diagnostics": [...]}` for a compilation.
pub fn compilation_json(compilation: &Compilation) -> Value {
    json!({
        "models": compilation.models.iter().map(|model| model_json(model)).collect::<Vec<_>>(),
        "diagnostics": compilation.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
    })
}

fn model_json(model: &Model) -> Value {
    json!({
        "name": model.name,
        "columns": model.columns.iter().map(column_json).collect::<Vec<_>>(),
        "depends_on": model.depends_on,
        "filters": model.filters.iter().map(|input| json!({
            "model": input.model,
            "column": input.column,
            "kind": input.kind.facet_name(),
        })).collect::<Vec<_>>(),
    })
}

fn column_json(column: &Column) -> Value {
    json!({
        "name": column.name,
        "type": column.ty,
        "not_null": column.not_null,
        "lineage": column.lineage.iter().map(edge_json).collect::<Vec<_>>(),
    })
}

fn edge_json(edge: &LineageEdge) -> Value {
    json!({
        "model": edge.model,
        "column": edge.column,
        "kind": edge.kind.facet_name(),
    })
}

fn diagnostic_json(diagnostic: &Diagnostic) -> Value {
    json!({
        "code": diagnostic.code,
        "severity": severity_name(diagnostic.severity),
        "model": diagnostic.model,
        "file": diagnostic.file,
        "message": diagnostic.message,
        "span": {
            "start": position_json(diagnostic.span.start),
            "end": position_json(diagnostic.span.end),
        },
        "help": diagnostic.help,
        "labels": diagnostic.labels.iter().map(|label| json!({
            "span": {
                "start": position_json(label.span.start),
                "end": position_json(label.span.end),
            },
            "message": label.message,
        })).collect::<Vec<_>>(),
    })
}

fn position_json(position: Position) -> Value {
    json!({ "line": position.line, "column": position.column })
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rocky_core::{EdgeKind, IndirectInput, IndirectKind, Span};

    fn sample_compilation() -> Compilation {
        let column = Column {
            name: "customer_lifetime_value".to_string(),
            ty: "DOUBLE".to_string(),
            not_null: true,
            lineage: vec![LineageEdge {
                model: "stg_payments".to_string(),
                column: "amount".to_string(),
                kind: EdgeKind::Aggregation,
            }],
            ..Default::default()
        };
        let model = Model {
            name: "customers".to_string(),
            file: "models/customers.sql".to_string(),
            sql: "select 1".to_string(),
            columns: vec![column],
            depends_on: vec!["stg_payments".to_string()],
            filters: vec![IndirectInput {
                model: "stg_payments".to_string(),
                column: "customer_id".to_string(),
                kind: IndirectKind::GroupBy,
            }],
            ..Default::default()
        };
        let error = Diagnostic::error(
            "E0101",
            "models/customers.sql",
            Span::new(3, 8, 3, 12),
            "unknown table",
        )
        .with_model("customers")
        .with_help("did you mean `stg_payments`?")
        .with_label(Span::new(1, 6, 1, 18), "read here");
        let warning = Diagnostic::warning("W0001", "rocky.toml", Span::default(), "no description");
        Compilation {
            models: vec![model.into()],
            diagnostics: vec![error, warning],
            ..Default::default()
        }
    }

    #[test]
    fn document_has_exact_shape() {
        let document = compilation_json(&sample_compilation());

        let expected = json!({
            "models": [{
                "name": "customers",
                "columns": [{
                    "name": "customer_lifetime_value",
                    "type": "DOUBLE",
                    "not_null": true,
                    "lineage": [{"model": "stg_payments", "column": "amount", "kind": "DIRECT/AGGREGATION"}],
                }],
                "depends_on": ["stg_payments"],
                "filters": [{"model": "stg_payments", "column": "customer_id", "kind": "INDIRECT/GROUP_BY"}],
            }],
            "diagnostics": [
                {
                    "code": "E0101",
                    "severity": "error",
                    "model": "customers",
                    "file": "models/customers.sql",
                    "message": "unknown table",
                    "span": {"start": {"line": 3, "column": 8}, "end": {"line": 3, "column": 12}},
                    "help": "did you mean `stg_payments`?",
                    "labels": [{
                        "span": {"start": {"line": 1, "column": 6}, "end": {"line": 1, "column": 18}},
                        "message": "read here",
                    }],
                },
                {
                    "code": "W0001",
                    "severity": "warning",
                    "model": null,
                    "file": "rocky.toml",
                    "message": "no description",
                    "span": {"start": {"line": 0, "column": 0}, "end": {"line": 0, "column": 0}},
                    "help": null,
                    "labels": [],
                },
            ],
        });
        assert_eq!(document, expected);
    }

    #[test]
    fn kind_and_severity_names() {
        assert_eq!(EdgeKind::Identity.facet_name(), "DIRECT/IDENTITY");
        assert_eq!(
            EdgeKind::Transformation.facet_name(),
            "DIRECT/TRANSFORMATION"
        );
        assert_eq!(
            IndirectKind::Conditional.facet_name(),
            "INDIRECT/CONDITIONAL"
        );
        assert_eq!(severity_name(Severity::Info), "info");
    }
}
