//! The impact section: what the changes reach downstream, and which of
//! them break a consumer.

use rocky_core::compare::{Breaking, Comparison, ModelChange};
use rocky_core::{Diagnostic, Span};

use super::plural;
use super::schema::{column_row, ColumnRow};

/// The counts over the whole comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImpactSummary {
    pub affected_columns: usize,
    pub affected_models: usize,
    pub breaking: usize,
}

impl ImpactSummary {
    pub fn of(comparison: &Comparison) -> ImpactSummary {
        ImpactSummary {
            affected_columns: comparison.affected_columns.len(),
            affected_models: comparison.affected_models.len(),
            breaking: comparison.breaking,
        }
    }

    /// Returns the reach as a sentence, such as `The changes affect 6
    /// columns in 2 models`.
    pub fn reach_text(&self) -> String {
        if self.affected_columns == 0 {
            return "The changes affect no other column".to_string();
        }
        format!(
            "The changes affect {} in {}",
            plural(self.affected_columns, "column"),
            plural(self.affected_models, "model")
        )
    }

    /// Returns the breaking count as a sentence.
    pub fn breaking_text(&self) -> String {
        match self.breaking {
            0 => "no breaking change".to_string(),
            count => plural(count, "breaking change"),
        }
    }
}

/// Returns one model's reach as `affects N columns in M models`, or
/// `affects no other column`, worded as the lineage view words a blast
/// radius.
pub fn reach_text(columns: usize, models: usize) -> String {
    if columns == 0 {
        return "affects no other column".to_string();
    }
    format!(
        "affects {} in {}",
        plural(columns, "column"),
        plural(models, "model")
    )
}

/// One column change, classified.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassifiedChange {
    pub row: ColumnRow,
    /// The breaking change it causes, with its consumers and errors;
    /// `None` when it breaks no consumer.
    pub breaking: Option<Breaking>,
}

impl ClassifiedChange {
    /// Returns the `data-class` value: `breaking` or `non-breaking`.
    pub fn class(&self) -> &'static str {
        if self.breaking.is_some() {
            "breaking"
        } else {
            "non-breaking"
        }
    }
}

/// The impact of one changed model.
#[derive(Clone, Debug, PartialEq)]
pub struct ImpactEntry {
    pub model: String,
    pub changes: Vec<ClassifiedChange>,
    /// Breaking changes of no single column: the model's removal, or new
    /// errors downstream that no column change explains.
    pub model_breaking: Vec<Breaking>,
    /// True when the model's SQL changed but no output column did, so its
    /// rows may differ, such as after a new filter.
    pub rows_may_differ: bool,
    pub affected_columns: usize,
    pub affected_models: usize,
}

impl ImpactEntry {
    pub fn breaking_count(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking.is_some()).count() + self.model_breaking.len()
    }

    pub fn reach_text(&self) -> String {
        reach_text(self.affected_columns, self.affected_models)
    }
}

/// Lists the impact of every changed model, in the comparison's order.
pub fn impact_entries(comparison: &Comparison) -> Vec<ImpactEntry> {
    comparison.models.iter().map(impact_entry).collect()
}

fn impact_entry(change: &ModelChange) -> ImpactEntry {
    let column_breaking = |column: &str| {
        change
            .breaking
            .iter()
            .find(|b| {
                b.column
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(column))
            })
            .cloned()
    };
    let changes = change
        .columns
        .iter()
        .map(|column| ClassifiedChange {
            row: column_row(column),
            breaking: column_breaking(column.column()),
        })
        .collect();
    // A breaking change naming a column the model's changes lack would
    // otherwise be lost, so it is listed with the model's own.
    let model_breaking = change
        .breaking
        .iter()
        .filter(|b| match &b.column {
            None => true,
            Some(column) => !change
                .columns
                .iter()
                .any(|c| c.column().eq_ignore_ascii_case(column)),
        })
        .cloned()
        .collect();
    ImpactEntry {
        model: change.model.clone(),
        changes,
        model_breaking,
        rows_may_differ: change.sql_changed && change.columns.is_empty(),
        affected_columns: change.affected_columns.len(),
        affected_models: change.affected_models.len(),
    }
}

/// Returns where a click on a diagnostic goes: its file and its range, or
/// no range when it has no location.
pub fn diagnostic_target(diagnostic: &Diagnostic) -> (String, Option<Span>) {
    let span = (!diagnostic.span.is_empty()).then_some(diagnostic.span);
    (diagnostic.file.clone(), span)
}
