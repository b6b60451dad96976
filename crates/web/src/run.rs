//! Pure parts of a run: which steps a failure blocks, and how tables are
//! named in the queries that read them back.

use rocky_core::{Compilation, RunStep};

/// Returns the canonical name (a model's or source's own spelling) of a
/// name as the SQL writes it, or `None` when it names neither.
pub fn canonical_name(compilation: &Compilation, name: &str) -> Option<String> {
    compilation
        .model(name)
        .map(|model| model.name.clone())
        .or_else(|| compilation.source(name).map(|source| source.name.clone()))
}

/// Returns the failed or skipped target that keeps `step` from running:
/// the step's own target when an earlier step of it failed, else one of
/// the model's dependencies. `blocked` contains canonical names.
pub fn blocked_by(compilation: &Compilation, step: &RunStep, blocked: &[String]) -> Option<String> {
    let is_blocked = |name: &str| blocked.iter().any(|other| other.eq_ignore_ascii_case(name));
    if is_blocked(&step.target) {
        return Some(step.target.clone());
    }
    let model = compilation.model(&step.target).filter(|_| step.is_model)?;
    model
        .depends_on
        .iter()
        .chain(&model.config.depends_on)
        .filter_map(|name| canonical_name(compilation, name))
        .find(|name| is_blocked(name))
}

/// Quotes a possibly schema-qualified table name for DuckDB: each part in
/// double quotes, with inner quotes doubled.
pub fn quote_table_name(name: &str) -> String {
    name.split('.')
        .map(|part| format!("\"{}\"", part.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use rocky_core::{Model, SourceTable};

    use super::*;

    fn compilation() -> Compilation {
        let model = |name: &str, depends_on: &[&str]| Model {
            name: name.to_string(),
            depends_on: depends_on.iter().map(|name| name.to_string()).collect(),
            ..Default::default()
        };
        Compilation {
            sources: vec![SourceTable {
                name: "raw.orders".to_string(),
                ..Default::default()
            }],
            models: vec![
                model("stg_orders", &["raw.orders"]),
                model("orders", &["STG_ORDERS"]),
            ],
            ..Default::default()
        }
    }

    fn step(target: &str, is_model: bool) -> RunStep {
        RunStep {
            target: target.to_string(),
            is_model,
            sql: String::new(),
        }
    }

    #[test]
    fn nothing_blocked_runs() {
        assert_eq!(blocked_by(&compilation(), &step("orders", true), &[]), None);
    }

    #[test]
    fn failed_dependency_blocks() {
        let blocked = vec!["stg_orders".to_string()];
        let found = blocked_by(&compilation(), &step("orders", true), &blocked);
        assert_eq!(found.as_deref(), Some("stg_orders"));
    }

    #[test]
    fn failed_source_blocks_model() {
        let blocked = vec!["raw.orders".to_string()];
        let found = blocked_by(&compilation(), &step("stg_orders", true), &blocked);
        assert_eq!(found.as_deref(), Some("raw.orders"));
    }

    #[test]
    fn failed_target_blocks_its_later_steps() {
        let blocked = vec!["raw.orders".to_string()];
        let found = blocked_by(&compilation(), &step("raw.orders", false), &blocked);
        assert_eq!(found.as_deref(), Some("raw.orders"));
    }

    #[test]
    fn unrelated_failure_does_not_block() {
        let blocked = vec!["customers".to_string()];
        assert_eq!(
            blocked_by(&compilation(), &step("orders", true), &blocked),
            None
        );
    }

    #[test]
    fn names_quoted_per_part() {
        assert_eq!(quote_table_name("orders"), "\"orders\"");
        assert_eq!(quote_table_name("raw.orders"), "\"raw\".\"orders\"");
        assert_eq!(quote_table_name("we\"ird"), "\"we\"\"ird\"");
    }
}
