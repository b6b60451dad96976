//! Pure parts of a run. It decides which steps are skipped and why, and
//! the record a run leaves when some targets were not built. It writes the
//! run's outcome line, places DuckDB's errors in a model's file, and names
//! tables in the queries that read them back.

use rocky_core::branch::plan::{Action, BranchPlan, PlanItem, Reason, RunRecord};
use rocky_core::{Compilation, Diagnostic, Model, RunStep, Span};

use crate::state::{SkipReason, SkippedTarget};
use crate::test_results::TestCounts;

/// The problems-list code of a DuckDB error placed on a model's line.
pub const DUCKDB_CODE: &str = "DuckDB";

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

    /// Returns the canonical names of the targets that failed or were
    /// skipped so far.
    pub fn not_built(&self) -> &[String] {
        &self.not_built
    }
}

/// Returns why a run skips a plan item that the plan blocked, or `None`
/// for an item the plan does not block.
pub fn blocked_reason(item: &PlanItem) -> Option<SkipReason> {
    if item.action != Action::Blocked {
        return None;
    }
    let upstream = item.reasons.iter().find_map(|reason| match reason {
        Reason::UpstreamBlocked { upstream } => upstream.first().cloned(),
        _ => None,
    });
    let has_errors = item
        .reasons
        .iter()
        .any(|reason| matches!(reason, Reason::Errors { .. }));
    Some(match upstream {
        Some(by) if !has_errors => SkipReason::Blocked(by),
        _ => SkipReason::CompileErrors,
    })
}

/// Returns the record a run of `plan` leaves when the targets `not_built`
/// (canonical names) failed or were skipped. Each keeps the object of
/// `previous` with an empty fingerprint, so the next run builds it again,
/// or has no object when `previous` had none. This generalizes core's
/// `BranchPlan::record_after`, which assumes that a run stops at its first
/// failure, to a run that goes on with the targets that do not read it.
pub fn record_after_failures(
    plan: &BranchPlan,
    previous: Option<&RunRecord>,
    not_built: &[String],
) -> RunRecord {
    let mut record = plan.record.clone();
    for name in not_built {
        let key = name.to_ascii_lowercase();
        if key.is_empty() {
            continue;
        }
        match previous.and_then(|p| p.objects.get(&key)) {
            Some(object) => {
                let mut object = object.clone();
                object.fingerprint.clear();
                record.objects.insert(key, object);
            }
            None => {
                record.objects.remove(&key);
            }
        }
    }
    record
}

/// The outcome of a run, by model and source table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Items the plan builds or drops.
    pub planned: usize,
    /// Of those, the ones whose steps all ran.
    pub built: usize,
    pub failed: usize,
    /// Items not built because the plan blocked them or because something
    /// they read failed.
    pub skipped: usize,
    pub reused: usize,
    pub kept: usize,
    pub tests: TestCounts,
}

impl RunSummary {
    /// Counts the outcome of `items` given the targets that failed and
    /// those that were skipped.
    pub fn of(
        items: &[PlanItem],
        failed: &[String],
        skipped: &[String],
        tests: TestCounts,
    ) -> RunSummary {
        let listed = |names: &[String], item: &PlanItem| {
            names
                .iter()
                .any(|name| name.eq_ignore_ascii_case(&item.name))
        };
        let mut summary = RunSummary {
            tests,
            ..RunSummary::default()
        };
        for item in items {
            if listed(failed, item) {
                summary.failed += 1;
            } else if listed(skipped, item) || item.action == Action::Blocked {
                summary.skipped += 1;
            }
            match item.action {
                Action::Build | Action::Drop => {
                    summary.planned += 1;
                    if !listed(failed, item) && !listed(skipped, item) {
                        summary.built += 1;
                    }
                }
                Action::Reuse { .. } => summary.reused += 1,
                Action::Keep => summary.kept += 1,
                Action::Blocked => {}
            }
        }
        summary
    }

    /// Returns true when every planned target was built and no `error`
    /// test failed.
    pub fn succeeded(&self) -> bool {
        self.failed == 0 && self.skipped == 0 && self.tests.failed == 0
    }

    /// Returns the outcome line shown in `run-status`, such as `Built 3 of
    /// 3, reused 5; tests: 30 passed`.
    pub fn line(&self) -> String {
        let mut line = if self.planned == 0 && self.failed == 0 && self.skipped == 0 {
            "Nothing to build".to_string()
        } else if self.failed == 0 && self.skipped == 0 {
            format!("Built {} of {}", self.built, self.planned)
        } else {
            format!(
                "Built {} of {}: {} failed, {} skipped",
                self.built, self.planned, self.failed, self.skipped
            )
        };
        if self.reused > 0 {
            line.push_str(&format!(", reused {}", self.reused));
        }
        if self.kept > 0 {
            line.push_str(&format!(", {} up to date", self.kept));
        }
        if let Some(tests) = self.tests.summary() {
            line.push_str("; ");
            line.push_str(&tests);
        }
        line
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
    use rocky_core::branch::plan::plan_branch;
    use rocky_core::{compile, run_plan, Model, ProjectFiles, Severity, SourceTable};

    use super::*;

    fn model(name: &str, depends_on: &[&str]) -> std::sync::Arc<Model> {
        Model {
            name: name.to_string(),
            file: format!("models/{name}.sql"),
            depends_on: depends_on.iter().map(|name| name.to_string()).collect(),
            ..Default::default()
        }
        .into()
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
        assert_eq!(counts.built, 4);
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
        assert_eq!((counts.built, counts.failed, counts.skipped), (2, 0, 2));
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
            ..(*model("m", &[])).clone()
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

    /// The same layout holds for a branch plan's statements, which the
    /// runner executes.
    #[test]
    fn branch_plan_keeps_model_lines() {
        let files: ProjectFiles = [
            ("rocky.toml", "[project]\nname = \"p\"\n"),
            ("sources/raw.sql", "CREATE TABLE orders (id INTEGER);"),
            ("models/ids.sql", "select\n    id\nfrom orders\n"),
        ]
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
        let compilation = compile(&files);
        let plan = plan_branch("feature", &files, &compilation, None, None);
        let Some(step) = plan.steps.iter().find(|step| step.target == "ids") else {
            panic!("no step builds ids: {:?}", plan.steps);
        };
        // The plan drops the file's trailing newline.
        let lines: Vec<&str> = step.sql.split('\n').collect();
        assert_eq!(lines.len(), 3, "{}", step.sql);
        assert!(lines[0].ends_with(" AS select"), "{}", lines[0]);
        assert_eq!(lines[1], "    id");
        assert!(
            lines[2].contains("\"branch_feature\".\"orders\""),
            "{}",
            lines[2]
        );
    }

    fn plan_item(name: &str, action: Action, reasons: Vec<Reason>) -> PlanItem {
        PlanItem {
            name: name.to_string(),
            is_model: true,
            action,
            reasons,
        }
    }

    #[test]
    fn blocked_items_skip_for_their_reason() {
        let errors = plan_item("a", Action::Blocked, vec![Reason::Errors { count: 1 }]);
        assert_eq!(blocked_reason(&errors), Some(SkipReason::CompileErrors));
        let upstream = plan_item(
            "b",
            Action::Blocked,
            vec![Reason::UpstreamBlocked {
                upstream: vec!["a".to_string()],
            }],
        );
        assert_eq!(
            blocked_reason(&upstream),
            Some(SkipReason::Blocked("a".to_string()))
        );
        let both = plan_item(
            "c",
            Action::Blocked,
            vec![
                Reason::Errors { count: 2 },
                Reason::UpstreamBlocked {
                    upstream: vec!["a".to_string()],
                },
            ],
        );
        assert_eq!(blocked_reason(&both), Some(SkipReason::CompileErrors));
        assert_eq!(blocked_reason(&plan_item("d", Action::Build, vec![])), None);
    }

    fn sample_plan() -> (ProjectFiles, BranchPlan) {
        let files = crate::sample::sample_project();
        let compilation = compile(&files);
        let plan = plan_branch("main", &files, &compilation, None, None);
        (files, plan)
    }

    #[test]
    fn failed_targets_keep_previous_objects() {
        let (files, first) = sample_plan();
        if files.is_empty() {
            return;
        }
        let mut edited = files.clone();
        let sql = edited
            .get_mut("models/stg_payments.sql")
            .expect("the sample has stg_payments");
        *sql = sql.replace("amount / 100 as amount", "amount as amount");
        let compilation = compile(&edited);
        let second = plan_branch("main", &edited, &compilation, Some(&first.record), None);
        let not_built = vec!["stg_payments".to_string(), "orders".to_string()];
        let record = record_after_failures(&second, Some(&first.record), &not_built);
        assert_eq!(record.objects["stg_payments"].fingerprint, "");
        assert_eq!(record.objects["orders"].fingerprint, "");
        assert_eq!(
            record.objects["customers"], second.record.objects["customers"],
            "a target that was built keeps its new object"
        );
        let third = plan_branch("main", &edited, &compilation, Some(&record), None);
        let mut rebuilt: Vec<&str> = third.built().map(|item| item.name.as_str()).collect();
        rebuilt.sort();
        assert_eq!(rebuilt, vec!["orders", "stg_payments"]);
        assert!(third
            .items
            .iter()
            .filter(|item| item.name == "orders")
            .all(|item| item.reasons == vec![Reason::LastBuildFailed]));

        let without_previous = record_after_failures(&first, None, &not_built);
        assert!(!without_previous.objects.contains_key("stg_payments"));
    }

    #[test]
    fn summary_lines() {
        let items = vec![
            plan_item("a", Action::Build, vec![Reason::Changed]),
            plan_item("b", Action::Build, vec![Reason::Changed]),
            plan_item("c", Action::Reuse { from: "x".into() }, vec![]),
            plan_item("d", Action::Keep, vec![]),
        ];
        let tests = TestCounts {
            passed: 3,
            ..TestCounts::default()
        };
        let clean = RunSummary::of(&items, &[], &[], tests);
        assert!(clean.succeeded());
        assert_eq!(
            clean.line(),
            "Built 2 of 2, reused 1, 1 up to date; tests: 3 passed"
        );
        let failed = RunSummary::of(&items, &["a".to_string()], &["b".to_string()], tests);
        assert!(!failed.succeeded());
        assert_eq!(
            failed.line(),
            "Built 0 of 2: 1 failed, 1 skipped, reused 1, 1 up to date; tests: 3 passed"
        );
        let nothing = RunSummary::of(&items[3..], &[], &[], TestCounts::default());
        assert_eq!(nothing.line(), "Nothing to build, 1 up to date");
        let failing_test = RunSummary::of(
            &items,
            &[],
            &[],
            TestCounts {
                failed: 1,
                ..TestCounts::default()
            },
        );
        assert!(!failing_test.succeeded());
    }
}
