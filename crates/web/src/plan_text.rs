//! The words the page uses for a branch's run plan: each item's action
//! and reasons as one line, such as `stg_payments: SQL changed` or
//! `stg_orders: reused from main`, and the plan's counts.

use rocky_core::branch::plan::{Action, BranchPlan, PlanItem, Reason};

/// Returns the `data-action` value of an item.
pub fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Build => "build",
        Action::Reuse { .. } => "reuse",
        Action::Keep => "keep",
        Action::Blocked => "blocked",
        Action::Drop => "drop",
    }
}

/// Returns why an item gets its action, for a branch whose parent is
/// `parent` (`None` on `main`), without the item's name.
pub fn describe_item(item: &PlanItem, parent: Option<&str>) -> String {
    match &item.action {
        Action::Reuse { .. } => format!("reused from {}", parent.unwrap_or("the parent")),
        Action::Keep => "up to date".to_string(),
        Action::Build | Action::Blocked | Action::Drop => {
            let reasons: Vec<String> = item
                .reasons
                .iter()
                .map(|reason| describe_reason(reason, item.is_model, parent))
                .collect();
            let text = if reasons.is_empty() {
                "changed".to_string()
            } else {
                reasons.join("; ")
            };
            match item.action {
                Action::Blocked => format!("blocked: {text}"),
                _ => text,
            }
        }
    }
}

/// Returns the line of the plan panel for an item: its name and why.
pub fn item_line(item: &PlanItem, parent: Option<&str>) -> String {
    format!("{}: {}", item.name, describe_item(item, parent))
}

fn describe_reason(reason: &Reason, is_model: bool, parent: Option<&str>) -> String {
    match reason {
        Reason::NotBuiltYet => "not built yet".to_string(),
        Reason::ParentNotRun => match parent {
            Some(parent) => format!("{parent} has not run, so nothing can be reused"),
            None => "not built yet".to_string(),
        },
        Reason::New => match parent {
            Some(parent) => format!("new: {parent}'s last run has no such table"),
            None => "new since the last run".to_string(),
        },
        Reason::Changed if is_model => "SQL changed".to_string(),
        Reason::Changed => "declaration or data changed".to_string(),
        Reason::UpstreamChanged { upstream } => format!("upstream {} changed", upstream.join(", ")),
        Reason::Errors { count: 1 } => "it has 1 compile error".to_string(),
        Reason::Errors { count } => format!("it has {count} compile errors"),
        Reason::UpstreamBlocked { upstream } => {
            format!("it reads {}, which is blocked", upstream.join(", "))
        }
        Reason::Removed => "removed from the project, so its table is dropped".to_string(),
        Reason::LastBuildFailed => "its last build did not finish".to_string(),
    }
}

/// How many items of a plan take each action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanCounts {
    pub build: usize,
    pub reuse: usize,
    pub keep: usize,
    pub blocked: usize,
    pub drop: usize,
}

impl PlanCounts {
    pub fn of(items: &[PlanItem]) -> PlanCounts {
        let mut counts = PlanCounts::default();
        for item in items {
            match item.action {
                Action::Build => counts.build += 1,
                Action::Reuse { .. } => counts.reuse += 1,
                Action::Keep => counts.keep += 1,
                Action::Blocked => counts.blocked += 1,
                Action::Drop => counts.drop += 1,
            }
        }
        counts
    }

    /// Returns the plan's one-line summary, such as `3 to build, 5 reused
    /// from main`, leaving out the actions no item takes.
    pub fn summary(&self, parent: Option<&str>) -> String {
        let mut parts = Vec::new();
        if self.build > 0 {
            parts.push(format!("{} to build", self.build));
        }
        if self.reuse > 0 {
            parts.push(format!(
                "{} reused from {}",
                self.reuse,
                parent.unwrap_or("the parent")
            ));
        }
        if self.keep > 0 {
            parts.push(format!("{} up to date", self.keep));
        }
        if self.blocked > 0 {
            parts.push(format!("{} blocked", self.blocked));
        }
        if self.drop > 0 {
            parts.push(format!("{} to drop", self.drop));
        }
        if parts.is_empty() {
            return "nothing to build".to_string();
        }
        parts.join(", ")
    }
}

/// Returns true when running the plan would change nothing in DuckDB.
pub fn is_up_to_date(plan: &BranchPlan) -> bool {
    plan.steps.is_empty()
        && plan
            .items
            .iter()
            .all(|item| matches!(item.action, Action::Keep))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, is_model: bool, action: Action, reasons: Vec<Reason>) -> PlanItem {
        PlanItem {
            name: name.to_string(),
            is_model,
            action,
            reasons,
        }
    }

    #[test]
    fn built_model_lines() {
        let changed = item("stg_payments", true, Action::Build, vec![Reason::Changed]);
        assert_eq!(
            item_line(&changed, Some("main")),
            "stg_payments: SQL changed"
        );
        let upstream = item(
            "orders",
            true,
            Action::Build,
            vec![Reason::UpstreamChanged {
                upstream: vec!["stg_payments".to_string()],
            }],
        );
        assert_eq!(
            item_line(&upstream, Some("main")),
            "orders: upstream stg_payments changed"
        );
        let both = item(
            "orders",
            true,
            Action::Build,
            vec![
                Reason::Changed,
                Reason::UpstreamChanged {
                    upstream: vec!["a".to_string(), "b".to_string()],
                },
            ],
        );
        assert_eq!(
            describe_item(&both, Some("main")),
            "SQL changed; upstream a, b changed"
        );
    }

    #[test]
    fn reused_and_kept_lines() {
        let reused = item(
            "stg_orders",
            true,
            Action::Reuse {
                from: "\"main\".\"stg_orders\"".to_string(),
            },
            Vec::new(),
        );
        assert_eq!(
            item_line(&reused, Some("main")),
            "stg_orders: reused from main"
        );
        let kept = item("orders", true, Action::Keep, Vec::new());
        assert_eq!(item_line(&kept, None), "orders: up to date");
    }

    #[test]
    fn source_and_first_run_lines() {
        let source = item("raw_payments", false, Action::Build, vec![Reason::Changed]);
        assert_eq!(
            describe_item(&source, Some("main")),
            "declaration or data changed"
        );
        let first = item("orders", true, Action::Build, vec![Reason::ParentNotRun]);
        assert_eq!(
            describe_item(&first, Some("main")),
            "main has not run, so nothing can be reused"
        );
        let main = item("orders", true, Action::Build, vec![Reason::NotBuiltYet]);
        assert_eq!(describe_item(&main, None), "not built yet");
        let new = item("extra", true, Action::Build, vec![Reason::New]);
        assert_eq!(
            describe_item(&new, Some("feature")),
            "new: feature's last run has no such table"
        );
    }

    #[test]
    fn blocked_and_dropped_lines() {
        let errors = item(
            "stg_payments",
            true,
            Action::Blocked,
            vec![Reason::Errors { count: 2 }],
        );
        assert_eq!(
            describe_item(&errors, Some("main")),
            "blocked: it has 2 compile errors"
        );
        let upstream = item(
            "orders",
            true,
            Action::Blocked,
            vec![Reason::UpstreamBlocked {
                upstream: vec!["stg_payments".to_string()],
            }],
        );
        assert_eq!(
            describe_item(&upstream, None),
            "blocked: it reads stg_payments, which is blocked"
        );
        let dropped = item("extra", true, Action::Drop, vec![Reason::Removed]);
        assert_eq!(
            describe_item(&dropped, None),
            "removed from the project, so its table is dropped"
        );
    }

    #[test]
    fn counts_and_summary() {
        let items = vec![
            item("a", true, Action::Build, vec![Reason::Changed]),
            item(
                "b",
                true,
                Action::Reuse {
                    from: "x".to_string(),
                },
                Vec::new(),
            ),
            item(
                "c",
                false,
                Action::Reuse {
                    from: "y".to_string(),
                },
                Vec::new(),
            ),
            item(
                "d",
                true,
                Action::Blocked,
                vec![Reason::Errors { count: 1 }],
            ),
        ];
        let counts = PlanCounts::of(&items);
        assert_eq!(
            counts,
            PlanCounts {
                build: 1,
                reuse: 2,
                keep: 0,
                blocked: 1,
                drop: 0
            }
        );
        assert_eq!(
            counts.summary(Some("main")),
            "1 to build, 2 reused from main, 1 blocked"
        );
        assert_eq!(PlanCounts::default().summary(None), "nothing to build");
    }

    #[test]
    fn action_names_match_contract() {
        assert_eq!(action_name(&Action::Build), "build");
        assert_eq!(
            action_name(&Action::Reuse {
                from: String::new()
            }),
            "reuse"
        );
        assert_eq!(action_name(&Action::Keep), "keep");
        assert_eq!(action_name(&Action::Blocked), "blocked");
        assert_eq!(action_name(&Action::Drop), "drop");
    }
}
