//! The OpenLineage run event of a view: the project is the job, each
//! model is an output dataset with a `columnLineage` facet, and the
//! sources and models they read are the inputs.
//!
//! Versions: the event follows the core spec 2-0-2 (`RunEvent`), and the
//! facet ColumnLineageDatasetFacet 1-2-0, the first with `transformations`
//! per input field and the dataset-wide `dataset` list. CTEs and subqueries
//! are not datasets, so their columns are followed through to the source
//! and model columns they read.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use super::{sha1, ExportError};
use crate::layout::view::{describe_path, PathStep};
use crate::layout::{ColumnAt, LineageView};
use crate::lineage::{LineageKind, TableKind};
use crate::output::{EdgeKind, IndirectKind};

/// The `schemaURL` of the event: the RunEvent of core spec 2-0-2.
pub const RUN_EVENT_SCHEMA_URL: &str =
    "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
/// The `_schemaURL` of the column-lineage facet, version 1-2-0.
pub const COLUMN_LINEAGE_FACET_URL: &str =
    "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet";
/// The event time used when none is given. There is no clock in the core,
/// so that the same project always gives the same event.
pub const DEFAULT_EVENT_TIME: &str = "1970-01-01T00:00:00Z";

/// The URL namespace of RFC 9562, under which run ids are version 5
/// UUIDs of `urn:rocky:run:` and the event's content.
const URL_NAMESPACE: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

/// The names an event uses for the job and datasets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenLineageOptions {
    /// The namespace of the job and of every dataset.
    pub namespace: String,
    pub job_name: String,
    /// The `producer` and `_producer` URI.
    pub producer: String,
    /// An RFC 3339 date-time; [`DEFAULT_EVENT_TIME`] when `None`.
    pub event_time: Option<String>,
}

impl OpenLineageOptions {
    /// Options for a project: namespace `rocky://<project>`, the project
    /// as the job name, and Rocky's version as the producer.
    pub fn for_project(project: &str) -> OpenLineageOptions {
        OpenLineageOptions {
            namespace: format!("rocky://{project}"),
            job_name: project.to_string(),
            producer: format!("urn:rocky:rocky-core:{}", env!("CARGO_PKG_VERSION")),
            event_time: None,
        }
    }
}

impl Default for OpenLineageOptions {
    fn default() -> OpenLineageOptions {
        OpenLineageOptions::for_project("project")
    }
}

/// Per column of the view: its direct parents, with the kind and the
/// expression of the edge.
type Parents<'a> = HashMap<ColumnAt, Vec<(ColumnAt, EdgeKind, Option<&'a str>)>>;

/// One input field of an output column or of a model as a whole.
#[derive(Default)]
struct InputField {
    direct: BTreeSet<EdgeKind>,
    indirect: BTreeSet<IndirectKind>,
    description: Option<String>,
}

pub(super) fn run_event(
    view: &LineageView,
    options: &OpenLineageOptions,
) -> Result<Value, ExportError> {
    let event_time = options
        .event_time
        .clone()
        .unwrap_or_else(|| DEFAULT_EVENT_TIME.to_string());
    if !is_rfc3339_date_time(&event_time) {
        return Err(ExportError::InvalidEventTime(event_time));
    }

    let mut parents: Parents = HashMap::new();
    let mut indirect_edges: BTreeMap<usize, Vec<(ColumnAt, IndirectKind)>> = BTreeMap::new();
    for edge in &view.edges {
        match (edge.kind, edge.to.column) {
            (LineageKind::Direct(kind), Some(column)) => {
                let child = ColumnAt {
                    table: edge.to.table,
                    column,
                };
                parents.entry(child).or_default().push((
                    edge.from,
                    kind,
                    edge.expression.as_deref(),
                ));
            }
            (LineageKind::Indirect(kind), _) => indirect_edges
                .entry(edge.to.table)
                .or_default()
                .push((edge.from, kind)),
            // A direct edge to a whole table does not occur in a view.
            (LineageKind::Direct(_), None) => {}
        }
    }

    let mut read: BTreeSet<usize> = BTreeSet::new();
    let mut outputs = Vec::new();
    for (table_index, table) in view.tables.iter().enumerate() {
        if table.kind != TableKind::Model {
            continue;
        }
        let mut fields = Map::new();
        for (column_index, column) in table.columns.iter().enumerate() {
            // A column whose parents the view leaves out would claim too
            // few inputs, so it is not listed.
            if !column.parents_shown {
                continue;
            }
            let at = ColumnAt {
                table: table_index,
                column: column_index,
            };
            let mut inputs: BTreeMap<ColumnAt, InputField> = BTreeMap::new();
            for (parent, kind, expression) in parents.get(&at).into_iter().flatten() {
                let step = (*kind, expression.map(str::to_string));
                for (origin, kind, description) in dataset_columns(view, &parents, *parent, step) {
                    let field = inputs.entry(origin).or_default();
                    field.direct.insert(kind);
                    if field.description.is_none() {
                        field.description = description;
                    }
                }
            }
            for origin in inputs.keys() {
                read.insert(origin.table);
            }
            fields.insert(
                column.name.clone(),
                json!({"inputFields": input_fields(view, &inputs, options)}),
            );
        }
        let mut dataset: BTreeMap<ColumnAt, InputField> = BTreeMap::new();
        for (from, kind) in indirect_edges.get(&table_index).into_iter().flatten() {
            let step = (EdgeKind::Identity, None);
            for (origin, _, _) in dataset_columns(view, &parents, *from, step) {
                dataset.entry(origin).or_default().indirect.insert(*kind);
                read.insert(origin.table);
            }
        }
        let dataset = input_fields(view, &dataset, options);
        if fields.is_empty() && dataset.is_empty() {
            continue;
        }
        outputs.push(json!({
            "namespace": options.namespace,
            "name": table.name,
            "facets": {
                "columnLineage": {
                    "_producer": options.producer,
                    "_schemaURL": COLUMN_LINEAGE_FACET_URL,
                    "fields": fields,
                    "dataset": dataset,
                },
            },
        }));
    }

    let mut input_names = BTreeSet::new();
    let inputs: Vec<Value> = read
        .iter()
        .filter(|&&table| input_names.insert(view.tables[table].name.to_ascii_lowercase()))
        .map(|&table| json!({"namespace": options.namespace, "name": view.tables[table].name}))
        .collect();

    let mut event = json!({
        "eventType": "COMPLETE",
        "producer": options.producer,
        "schemaURL": RUN_EVENT_SCHEMA_URL,
        "job": {"namespace": options.namespace, "name": options.job_name},
        "inputs": inputs,
        "outputs": outputs,
    });
    // The run id depends on everything above but not on the event time,
    // so exporting the same project again names the same run.
    let content = serde_json::to_string(&event).expect("a JSON value always serializes");
    let name = format!("urn:rocky:run:{content}");
    event["run"] = json!({"runId": sha1::uuid_v5(URL_NAMESPACE, name.as_bytes())});
    event["eventTime"] = Value::String(event_time);
    Ok(event)
}

/// Returns the source and model columns that `start` is read from: itself,
/// or for a CTE or subquery column the columns it reads, each with the
/// strongest direct kind on the way and the path's description.
fn dataset_columns(
    view: &LineageView,
    parents: &Parents,
    start: ColumnAt,
    first_step: PathStep,
) -> Vec<(ColumnAt, EdgeKind, Option<String>)> {
    let mut found: BTreeMap<ColumnAt, (EdgeKind, Option<String>)> = BTreeMap::new();
    let mut visited = BTreeSet::new();
    let mut stack = vec![(start, vec![first_step])];
    while let Some((at, path)) = stack.pop() {
        let kind = path
            .iter()
            .map(|step| step.0)
            .max()
            .unwrap_or(EdgeKind::Identity);
        if !matches!(
            view.tables[at.table].kind,
            TableKind::Cte | TableKind::Subquery
        ) {
            let entry = found
                .entry(at)
                .or_insert_with(|| (kind, describe_path(&path)));
            entry.0 = entry.0.max(kind);
            continue;
        }
        if !visited.insert((at, kind)) {
            continue;
        }
        for (parent, edge_kind, expression) in parents.get(&at).into_iter().flatten() {
            let mut longer = path.clone();
            longer.push((*edge_kind, expression.map(str::to_string)));
            stack.push((*parent, longer));
        }
    }
    found
        .into_iter()
        .map(|(at, (kind, description))| (at, kind, description))
        .collect()
}

fn input_fields(
    view: &LineageView,
    inputs: &BTreeMap<ColumnAt, InputField>,
    options: &OpenLineageOptions,
) -> Vec<Value> {
    inputs
        .iter()
        .map(|(at, field)| {
            let table = &view.tables[at.table];
            let description = field.description.clone().unwrap_or_default();
            let mut transformations: Vec<Value> = field
                .direct
                .iter()
                .map(|kind| {
                    // A copied column has no computation to describe.
                    let text = if *kind == crate::output::EdgeKind::Identity {
                        ""
                    } else {
                        description.as_str()
                    };
                    transformation(kind.facet_name(), text)
                })
                .collect();
            transformations.extend(
                field
                    .indirect
                    .iter()
                    .map(|kind| transformation(kind.facet_name(), "")),
            );
            json!({
                "namespace": options.namespace,
                "name": table.name,
                "field": table.columns[at.column].name,
                "transformations": transformations,
            })
        })
        .collect()
}

/// Builds a transformation from a facet name such as `DIRECT/IDENTITY`. Rocky
/// does not detect masking functions, so `masking` is always false.
fn transformation(facet_name: &str, description: &str) -> Value {
    let (kind, subtype) = facet_name
        .split_once('/')
        .expect("facet names are TYPE/SUBTYPE");
    json!({
        "type": kind,
        "subtype": subtype,
        "description": description,
        "masking": false,
    })
}

/// Checks that `text` is an RFC 3339 `date-time`, the format JSON Schema uses:
/// `2024-05-01T12:00:00Z`, with optional fractional seconds and a `Z` or
/// `+hh:mm` offset. Leap seconds (second 60) are rejected.
pub(super) fn is_rfc3339_date_time(text: &str) -> bool {
    let pattern = regex_lite::Regex::new(
        r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$",
    )
    .expect("the pattern is valid");
    let Some(parts) = pattern.captures(text) else {
        return false;
    };
    let number = |index: usize| -> u32 {
        parts
            .get(index)
            .map_or(0, |m| m.as_str().parse().unwrap_or(u32::MAX))
    };
    let (year, month, day) = (number(1), number(2), number(3));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
        && number(4) <= 23
        && number(5) <= 59
        && number(6) <= 59
        && number(9) <= 23
        && number(10) <= 59
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_are_checked() {
        for valid in [
            "2024-05-01T12:00:00Z",
            "2024-02-29T23:59:59.123+02:00",
            "1970-01-01t00:00:00z",
        ] {
            assert!(is_rfc3339_date_time(valid), "{valid}");
        }
        for invalid in [
            "2024-05-01",
            "2024-05-01 12:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T12:00:00",
            "2024-05-01T12:00:00+2:00",
        ] {
            assert!(!is_rfc3339_date_time(invalid), "{invalid}");
        }
    }
}
