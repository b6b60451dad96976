//! The outcome of a branch's data tests after a run: each test's query
//! and whether it returned failing rows, and the counts the run status
//! shows. An `error` test that fails fails the run; a `warn` one is shown
//! as a warning.

use rocky_core::{DataTest, TestSeverity};

use crate::bridge::QueryResult;

/// The failing rows a test shows at most.
pub const FAILING_ROW_LIMIT: u32 = 10;

/// One data test of the latest run.
#[derive(Clone, Debug, PartialEq)]
pub struct TestOutcome {
    pub test: DataTest,
    pub status: TestStatus,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TestStatus {
    /// Not run yet in this run.
    Pending,
    Passed,
    /// The query returned rows: the first [`FAILING_ROW_LIMIT`] of them
    /// and the full count.
    Failed(QueryResult),
    /// DuckDB rejected the query, with its message.
    Error(String),
    /// The model was not built, so its tests did not run; the reason.
    NotRun(String),
}

impl TestOutcome {
    /// Returns the `data-status` value of the contract.
    pub fn status_name(&self) -> &'static str {
        match self.status {
            TestStatus::Pending => "pending",
            TestStatus::Passed => "passed",
            TestStatus::Failed(_) => "failed",
            TestStatus::Error(_) => "error",
            TestStatus::NotRun(_) => "not-run",
        }
    }

    /// Returns true for an `error` test that failed or could not run its
    /// query, which fails the run and blocks a promote.
    pub fn fails_run(&self) -> bool {
        self.test.severity == TestSeverity::Error
            && matches!(self.status, TestStatus::Failed(_) | TestStatus::Error(_))
    }

    /// Returns the outcome as one line: `failed: 8 rows`, `passed`, ...
    pub fn describe(&self) -> String {
        match &self.status {
            TestStatus::Pending => "running".to_string(),
            TestStatus::Passed => "passed".to_string(),
            TestStatus::Failed(rows) => {
                let count = rows.total_rows();
                let noun = if count == 1 { "row" } else { "rows" };
                match self.test.severity {
                    TestSeverity::Error => format!("failed: {count} failing {noun}"),
                    TestSeverity::Warn => format!("warning: {count} failing {noun}"),
                }
            }
            TestStatus::Error(message) => format!("the query failed: {message}"),
            TestStatus::NotRun(reason) => format!("not run: {reason}"),
        }
    }
}

/// The counts of a run's tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: usize,
    /// `error` tests that failed or whose query failed.
    pub failed: usize,
    /// `warn` tests that failed or whose query failed.
    pub warnings: usize,
    pub not_run: usize,
}

impl TestCounts {
    pub fn of(outcomes: &[TestOutcome]) -> TestCounts {
        let mut counts = TestCounts::default();
        for outcome in outcomes {
            match &outcome.status {
                TestStatus::Passed => counts.passed += 1,
                TestStatus::Failed(_) | TestStatus::Error(_) => match outcome.test.severity {
                    TestSeverity::Error => counts.failed += 1,
                    TestSeverity::Warn => counts.warnings += 1,
                },
                TestStatus::NotRun(_) => counts.not_run += 1,
                TestStatus::Pending => {}
            }
        }
        counts
    }

    /// Returns `tests: 30 passed, 1 failed, 1 warning`, or `None` when
    /// the project has no tests.
    pub fn summary(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.passed > 0 {
            parts.push(format!("{} passed", self.passed));
        }
        if self.failed > 0 {
            parts.push(format!("{} failed", self.failed));
        }
        if self.warnings > 0 {
            let noun = if self.warnings == 1 {
                "warning"
            } else {
                "warnings"
            };
            parts.push(format!("{} {noun}", self.warnings));
        }
        if self.not_run > 0 {
            parts.push(format!("{} not run", self.not_run));
        }
        (!parts.is_empty()).then(|| format!("tests: {}", parts.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use rocky_core::TestKind;

    use super::*;

    fn outcome(severity: TestSeverity, status: TestStatus) -> TestOutcome {
        TestOutcome {
            test: DataTest {
                name: "t".to_string(),
                kind: TestKind::Expression,
                model: "m".to_string(),
                severity,
                sql: String::new(),
            },
            status,
        }
    }

    fn rows(count: f64) -> QueryResult {
        QueryResult {
            columns: Vec::new(),
            rows: Vec::new(),
            row_count: count,
        }
    }

    #[test]
    fn error_failure_fails_run() {
        assert!(outcome(TestSeverity::Error, TestStatus::Failed(rows(3.0))).fails_run());
        assert!(outcome(TestSeverity::Error, TestStatus::Error("x".into())).fails_run());
        assert!(!outcome(TestSeverity::Warn, TestStatus::Failed(rows(3.0))).fails_run());
        assert!(!outcome(TestSeverity::Error, TestStatus::Passed).fails_run());
        assert!(!outcome(TestSeverity::Error, TestStatus::NotRun("x".into())).fails_run());
    }

    #[test]
    fn outcomes_described() {
        assert_eq!(
            outcome(TestSeverity::Error, TestStatus::Failed(rows(8.0))).describe(),
            "failed: 8 failing rows"
        );
        assert_eq!(
            outcome(TestSeverity::Warn, TestStatus::Failed(rows(1.0))).describe(),
            "warning: 1 failing row"
        );
        assert_eq!(
            outcome(
                TestSeverity::Error,
                TestStatus::NotRun("orders was not built".into())
            )
            .describe(),
            "not run: orders was not built"
        );
    }

    #[test]
    fn counts_summarized() {
        let outcomes = vec![
            outcome(TestSeverity::Error, TestStatus::Passed),
            outcome(TestSeverity::Error, TestStatus::Passed),
            outcome(TestSeverity::Error, TestStatus::Failed(rows(2.0))),
            outcome(TestSeverity::Warn, TestStatus::Failed(rows(2.0))),
            outcome(TestSeverity::Error, TestStatus::NotRun("x".into())),
        ];
        let counts = TestCounts::of(&outcomes);
        assert_eq!(
            counts.summary().as_deref(),
            Some("tests: 2 passed, 1 failed, 1 warning, 1 not run")
        );
        assert_eq!(TestCounts::default().summary(), None);
    }
}
