//! Pure parts of a run: the fresh database each run builds in, which steps
//! are skipped and why, where DuckDB's errors point in a model's file, and
//! how tables are named in the queries that read them back.

use rocky_core::{Compilation, Diagnostic, Model, RunStep, Span};

use crate::bridge::QueryResult;
use crate::state::{SkipReason, SkippedTarget};

/// The problems-list code of a DuckDB error placed on a model's line.
pub const DUCKDB_CODE: &str = "DuckDB";

/// Lists the databases a run may have to detach: every one but DuckDB's
/// own `system` and `temp`.
pub const LIST_DATABASES_SQL: &str =
    "SELECT database_name FROM duckdb_databases() WHERE NOT internal";

/// Returns the name of the in-memory database that run number `run` builds in.
pub fn run_database_name(run: u32) -> String {
    format!("rocky_run_{run}")
}

/// Returns the statements that make `database` a new, empty in-memory
/// database and the connection's default, so unqualified names in the plan
/// and in the result queries resolve there.
pub fn switch_database_sql(database: &str) -> [String; 2] {
    let quoted = quote_table_name(database);
    [
        format!("ATTACH ':memory:' AS {quoted}"),
        format!("USE {quoted}"),
    ]
}

pub fn detach_sql(database: &str) -> String {
    format!("DETACH {}", quote_table_name(database))
}

/// Returns the databases in `listed` (the result of [`LIST_DATABASES_SQL`])
/// other than `current`: the earlier runs' databases, and DuckDB's default
/// `memory` at the first run.
pub fn databases_to_detach(listed: &QueryResult, current: &str) -> Vec<String> {
    listed
        .rows
        .iter()
        .filter_map(|row| row.first().cloned().flatten())
        .filter(|name| name != current)
        .collect()
}

/// How many steps of a run were built, failed and were skipped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepCounts {
    pub total: usize,
    pub built: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl StepCounts {
    pub fn all_built(&self) -> bool {
        self.built == self.total && self.failed == 0 && self.skipped == 0
    }

    /// Returns the outcome line shown in `run-status`.
    pub fn summary(&self) -> String {
        let StepCounts {
            total,
            built,
            failed,
            skipped,
        } = *self;
        if self.all_built() {
            format!("Built all {total} steps")
        } else {
            format!("Built {built} of {total} steps: {failed} failed, {skipped} skipped")
        }
    }
}

/// The runner's action for one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepDecision {
    Execute,
    /// Leave the step out. It carries `Some` the first time a target is
    /// skipped, to report it, and `None` for a later step of a target that
    /// is already not built.
    Skip(Option<SkippedTarget>),
}

/// Decides which steps of a plan run, and counts the outcomes. The runner
/// calls [`RunTracker::decide`] for every step in order, and
/// [`RunTracker::built`] or [`RunTracker::failed`] for each one it executes.
pub struct RunTracker<'a> {
    compilation: &'a Compilation,
    /// Canonical names of the targets that failed or were skipped.
    not_built: Vec<String>,
    counts: StepCounts,
}

impl<'a> RunTracker<'a> {
    pub fn new(compilation: &'a Compilation, total: usize) -> RunTracker<'a> {
        RunTracker {
            compilation,
            not_built: Vec::new(),
            counts: StepCounts {
                total,
                ..StepCounts::default()
            },
        }
    }

    /// Returns whether `step` runs. A model with compile errors is skipped
    /// for that reason before its dependencies are looked at, since fixing
    /// it is needed either way.
    pub fn decide(&mut self, step: &RunStep) -> StepDecision {
        let reason = if step.is_model && has_compile_errors(self.compilation, &step.target) {
            SkipReason::CompileErrors
        } else {
            match blocked_by(self.compilation, step, &self.not_built) {
                None => return StepDecision::Execute,
                Some(blocker) if blocker == step.target => {
                    self.counts.skipped += 1;
                    return StepDecision::Skip(None);
                }
                Some(blocker) => SkipReason::Blocked(blocker),
            }
        };
        self.counts.skipped += 1;
        self.not_built.push(step.target.clone());
        StepDecision::Skip(Some(SkippedTarget {
            target: step.target.clone(),
            reason,
        }))
    }

    pub fn built(&mut self) {
        self.counts.built += 1;
    }

    pub fn failed(&mut self, step: &RunStep) {
        self.counts.failed += 1;
        if !self.not_built.contains(&step.target) {
            self.not_built.push(step.target.clone());
        }
    }

    pub fn counts(&self) -> StepCounts {
        self.counts
    }
}

/// Returns true when a diagnostic of severity error belongs to the model.
pub fn has_compile_errors(compilation: &Compilation, model: &str) -> bool {
    compilation.diagnostics.iter().any(|diagnostic| {
        diagnostic.is_error()
            && diagnostic
                .model
                .as_deref()
                .is_some_and(|name| name.eq_ignore_ascii_case(model))
    })
}

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

/// Splits DuckDB's error message into the line its `LINE n:` excerpt names
/// and the message without that excerpt. DuckDB ends a located error with a
/// blank line, `LINE n: <the statement's line n>` and a line with a caret.
pub fn duckdb_error_line(message: &str) -> Option<(u32, &str)> {
    let mut offset = 0;
    let mut found = None;
    for line in message.split_inclusive('\n') {
        let number = line
            .strip_prefix("LINE ")
            .and_then(|rest| rest.split_once(':'))
            .and_then(|(digits, _)| digits.parse::<u32>().ok());
        if let Some(number) = number.filter(|&n| n > 0) {
            // The last one counts: the message text before it may quote a
            // name that starts with `LINE`.
            found = Some((number, offset));
        }
        offset += line.len();
    }
    let (number, start) = found?;
    let text = message[..start].trim_end();
    Some((number, if text.is_empty() { message } else { text }))
}

/// Returns DuckDB's error for `model` as an error diagnostic on the whole
/// line that DuckDB names, or `None` when the message names no line of the
/// model's file.
///
/// DuckDB's line numbers are the file's because `rocky_core::run_plan`
/// starts the model's SQL on the first line of its CREATE statement. It
/// rewrites only names within a line, as `plan_keeps_model_lines` checks.
pub fn duckdb_diagnostic(model: &Model, message: &str) -> Option<Diagnostic> {
    let (line, text) = duckdb_error_line(message)?;
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let line_text = model.sql.split('\n').nth(index)?;
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    let length = u32::try_from(line_text.chars().count()).unwrap_or(u32::MAX);
    let span = Span::new(line, 1, line, length.saturating_add(1));
    Some(Diagnostic::error(DUCKDB_CODE, &model.file, span, text).with_model(&model.name))
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
    use rocky_core::{compile, run_plan, Model, ProjectFiles, Severity, SourceTable};

    use super::*;
    use crate::bridge::QueryColumn;

    fn model(name: &str, depends_on: &[&str]) -> Model {
        Model {
            name: name.to_string(),
            file: format!("models/{name}.sql"),
            depends_on: depends_on.iter().map(|name| name.to_string()).collect(),
            ..Default::default()
        }
    }

    fn compilation() -> Compilation {
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

    /// Returns the plan of `compilation()`: a source with two steps, then
    /// two models.
    fn plan() -> Vec<RunStep> {
        vec![
            step("raw.orders", false),
            step("raw.orders", false),
            step("stg_orders", true),
            step("orders", true),
        ]
    }

    fn error_in(model: &str, severity: Severity) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(
            "E0103",
            &format!("models/{model}.sql"),
            Span::new(3, 19, 3, 29),
            "table `stg_ordrs` not found",
        )
        .with_model(model);
        diagnostic.severity = severity;
        diagnostic
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

    #[test]
    fn compile_errors_found_by_model() {
        let mut compilation = compilation();
        compilation.diagnostics = vec![
            error_in("stg_orders", Severity::Error),
            error_in("orders", Severity::Warning),
            Diagnostic::error(
                "E0004",
                "sources/raw.sql",
                Span::new(1, 1, 1, 2),
                "bad type",
            ),
        ];
        assert!(has_compile_errors(&compilation, "stg_orders"));
        assert!(has_compile_errors(&compilation, "STG_ORDERS"));
        assert!(
            !has_compile_errors(&compilation, "orders"),
            "a warning does not keep a model from being built"
        );
        assert!(!has_compile_errors(&compilation, "raw.orders"));
    }

    #[test]
    fn tracker_runs_clean_plan() {
        let compilation = compilation();
        let plan = plan();
        let mut tracker = RunTracker::new(&compilation, plan.len());
        for step in &plan {
            assert_eq!(
                tracker.decide(step),
                StepDecision::Execute,
                "{}",
                step.target
            );
            tracker.built();
        }
        let counts = tracker.counts();
        assert!(counts.all_built());
        assert_eq!(counts.summary(), "Built all 4 steps");
    }

    #[test]
    fn tracker_skips_model_with_errors_and_downstream() {
        let mut compilation = compilation();
        compilation.diagnostics = vec![error_in("stg_orders", Severity::Error)];
        let plan = plan();
        let mut tracker = RunTracker::new(&compilation, plan.len());
        let decisions: Vec<StepDecision> = plan
            .iter()
            .map(|step| {
                let decision = tracker.decide(step);
                if decision == StepDecision::Execute {
                    tracker.built();
                }
                decision
            })
            .collect();

        assert_eq!(decisions[0], StepDecision::Execute);
        assert_eq!(decisions[1], StepDecision::Execute);
        assert_eq!(
            decisions[2],
            StepDecision::Skip(Some(SkippedTarget {
                target: "stg_orders".to_string(),
                reason: SkipReason::CompileErrors,
            }))
        );
        assert_eq!(
            decisions[3],
            StepDecision::Skip(Some(SkippedTarget {
                target: "orders".to_string(),
                reason: SkipReason::Blocked("stg_orders".to_string()),
            }))
        );

        let counts = tracker.counts();
        assert!(!counts.all_built());
        assert_eq!(counts.summary(), "Built 2 of 4 steps: 0 failed, 2 skipped");
    }

    #[test]
    fn tracker_skips_after_failed_source() {
        let compilation = compilation();
        let plan = plan();
        let mut tracker = RunTracker::new(&compilation, plan.len());
        assert_eq!(tracker.decide(&plan[0]), StepDecision::Execute);
        tracker.failed(&plan[0]);

        assert_eq!(
            tracker.decide(&plan[1]),
            StepDecision::Skip(None),
            "the source's COPY is skipped without a second report"
        );
        let skipped = |target: &str, by: &str| {
            StepDecision::Skip(Some(SkippedTarget {
                target: target.to_string(),
                reason: SkipReason::Blocked(by.to_string()),
            }))
        };
        assert_eq!(
            tracker.decide(&plan[2]),
            skipped("stg_orders", "raw.orders")
        );
        assert_eq!(tracker.decide(&plan[3]), skipped("orders", "stg_orders"));

        let counts = tracker.counts();
        assert_eq!(
            counts,
            StepCounts {
                total: 4,
                built: 0,
                failed: 1,
                skipped: 3
            }
        );
        assert_eq!(counts.summary(), "Built 0 of 4 steps: 1 failed, 3 skipped");
    }

    #[test]
    fn compile_errors_outrank_failed_dependency() {
        let mut compilation = compilation();
        compilation.diagnostics = vec![error_in("stg_orders", Severity::Error)];
        let plan = plan();
        let mut tracker = RunTracker::new(&compilation, plan.len());
        assert_eq!(tracker.decide(&plan[0]), StepDecision::Execute);
        tracker.failed(&plan[0]);
        assert_eq!(tracker.decide(&plan[1]), StepDecision::Skip(None));

        let expected = StepDecision::Skip(Some(SkippedTarget {
            target: "stg_orders".to_string(),
            reason: SkipReason::CompileErrors,
        }));
        assert_eq!(tracker.decide(&plan[2]), expected);
    }

    #[test]
    fn run_databases_named_and_switched() {
        assert_eq!(run_database_name(3), "rocky_run_3");
        assert_eq!(
            switch_database_sql("rocky_run_3"),
            [
                "ATTACH ':memory:' AS \"rocky_run_3\"".to_string(),
                "USE \"rocky_run_3\"".to_string()
            ]
        );
        assert_eq!(detach_sql("memory"), "DETACH \"memory\"");
    }

    #[test]
    fn earlier_databases_detached() {
        let listed = QueryResult {
            columns: vec![QueryColumn {
                name: "database_name".to_string(),
                ty: "VARCHAR".to_string(),
            }],
            rows: vec![
                vec![Some("memory".to_string())],
                vec![Some("rocky_run_2".to_string())],
                vec![None],
                vec![Some("rocky_run_3".to_string())],
            ],
            row_count: 4.0,
        };
        assert_eq!(
            databases_to_detach(&listed, "rocky_run_3"),
            vec!["memory".to_string(), "rocky_run_2".to_string()]
        );
    }

    const BINDER_ERROR: &str = "Binder Error: Referenced column \"nope\" not found in FROM clause!\nCandidate bindings: \"x\"\n\nLINE 2:   nope\n          ^";

    #[test]
    fn duckdb_line_read_and_excerpt_dropped() {
        assert_eq!(
            duckdb_error_line(BINDER_ERROR),
            Some((
                2,
                "Binder Error: Referenced column \"nope\" not found in FROM clause!\nCandidate bindings: \"x\""
            ))
        );
        assert_eq!(
            duckdb_error_line("Parser Error: syntax error at end of input"),
            None
        );
        assert_eq!(
            duckdb_error_line("LINE 3: x\n^"),
            Some((3, "LINE 3: x\n^")),
            "a message that is only the excerpt is kept whole"
        );
        assert_eq!(duckdb_error_line("Error\n\nLINE 0: x\n^"), None);
        assert_eq!(duckdb_error_line("Error\n\nLINE x: y\n^"), None);
    }

    #[test]
    fn duckdb_line_last_excerpt_counts() {
        let message = "Catalog Error: Table with name \"LINE 9: t\" does not exist!\nLINE 9: t\n\nLINE 4: from \"LINE 9: t\"\n     ^";
        assert_eq!(duckdb_error_line(message).map(|(line, _)| line), Some(4));
    }

    fn located_model() -> Model {
        Model {
            sql: "select x,\r\n  nope\nfrom t\n".to_string(),
            ..model("m", &[])
        }
    }

    #[test]
    fn duckdb_error_covers_named_line() {
        let diagnostic = duckdb_diagnostic(&located_model(), BINDER_ERROR);
        let Some(diagnostic) = diagnostic else {
            panic!("no diagnostic for a message with LINE 2");
        };
        assert_eq!(diagnostic.code, DUCKDB_CODE);
        assert_eq!(diagnostic.severity, Severity::Error);
        assert_eq!(diagnostic.file, "models/m.sql");
        assert_eq!(diagnostic.model.as_deref(), Some("m"));
        assert_eq!(
            diagnostic.span,
            Span::new(2, 1, 2, 7),
            "the whole of `  nope`"
        );
        assert!(diagnostic
            .message
            .starts_with("Binder Error: Referenced column"));
        assert!(!diagnostic.message.contains("LINE 2"));
    }

    #[test]
    fn duckdb_error_past_file_end_dropped() {
        let message = "Binder Error: x\n\nLINE 9: y\n^";
        assert_eq!(duckdb_diagnostic(&located_model(), message), None);
        assert_eq!(duckdb_diagnostic(&located_model(), "Binder Error: x"), None);
    }

    /// `duckdb_diagnostic` relies on this layout of core's plan: line n of a
    /// model's CREATE statement is line n of its file.
    #[test]
    fn plan_keeps_model_lines() {
        let files: ProjectFiles = [
            ("rocky.toml", "[project]\nname = \"p\"\n"),
            (
                "sources/raw.sql",
                "CREATE TABLE raw.orders (id INTEGER, amount INTEGER);",
            ),
            (
                "models/totals.sql",
                "select\n    sum(amount) as total\nfrom orders\nwhere id > 0\n",
            ),
        ]
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
        let compilation = compile(&files);
        assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
        let steps = run_plan(&compilation);
        let Some(step) = steps.iter().find(|step| step.target == "totals") else {
            panic!("no step builds totals: {steps:?}");
        };
        let lines: Vec<&str> = step.sql.split('\n').collect();
        assert_eq!(lines.len(), 4, "{}", step.sql);
        assert!(lines[0].ends_with(" AS select"), "{}", lines[0]);
        assert_eq!(lines[1], "    sum(amount) as total");
        assert!(lines[2].starts_with("from "), "{}", lines[2]);
        assert!(lines[2].contains("orders"), "{}", lines[2]);
        assert_eq!(lines[3], "where id > 0");
    }
}
