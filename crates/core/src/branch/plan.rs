//! The run plan of a branch: which models and source tables to build into
//! the branch's schema, which to take from the parent's last run as views,
//! and why, together with the statements that do it.
//!
//! Every model and source table gets a fingerprint: a hash of its own
//! definition and of the fingerprints of what it reads. A branch reuses a
//! model whose fingerprint equals the one the parent built, as a view over
//! the parent's table, the way a virtual environment does, and builds the
//! rest. A model whose fingerprint equals the branch's own last run is
//! kept as it is. `main` has no parent, so only its own last run counts.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{schema_of, MAIN};
use crate::compile::quote_ident;
use crate::export::sha1;
use crate::output::{Compilation, Model, SourceTable};
use crate::plan::{source_steps, with_table_names, RunStep};
use crate::{ProjectFiles, Severity};
use sqlparser::ast::{Ident, ObjectName, Statement, TableObject};

/// The objects one run of a branch left in DuckDB, kept by the caller between
/// runs. It lives as long as the database does: a new, empty database
/// starts without records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    pub branch: String,
    pub schema: String,
    /// Objects by lower-case model or source name.
    pub objects: BTreeMap<String, BuiltObject>,
}

/// A table or view that a run created for a model or a source table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuiltObject {
    /// The model's name or the source table's declared name.
    pub name: String,
    pub is_model: bool,
    /// The quoted, schema-qualified name of the object.
    pub relation: String,
    pub kind: ObjectKind,
    /// The fingerprint it was built from: its definition and what it
    /// reads. Empty when the build failed, so the next run builds it again.
    pub fingerprint: String,
    /// The hash of its own definition alone, to tell a change of its own
    /// from a change upstream.
    pub definition: String,
    /// The relation of the parent's object this one is a view over, if
    /// the run reused it. A reused source table has no object of its own
    /// and `relation` is the parent's.
    pub reused_from: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Table,
    View,
    /// A source table read from the parent: nothing in this schema.
    None,
}

/// The action a run takes for one model or source table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Builds it from its SQL or its declaration.
    Build,
    /// Reads the parent's table: a view for a model, nothing for a
    /// source table.
    Reuse { from: String },
    /// Leaves the object of the branch's last run, which is up to date.
    Keep,
    /// Skips it, because it or something it reads has errors.
    Blocked,
    /// Drops the object of a model or source table the project no longer
    /// has.
    Drop,
}

/// The reason a model or source table is built, blocked or dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The branch has not run since the database was created.
    NotBuiltYet,
    /// The parent has not run since the database was created, so there is
    /// nothing to reuse.
    ParentNotRun,
    /// The parent's last run has no such model or source table.
    New,
    /// Its own SQL, sidecar strategy, declaration or data differ from what
    /// the compared run built.
    Changed,
    /// Something it reads was changed, listed by name.
    UpstreamChanged { upstream: Vec<String> },
    /// It has error diagnostics.
    Errors { count: usize },
    /// Something it reads is blocked, listed by name.
    UpstreamBlocked { upstream: Vec<String> },
    /// The project no longer has it.
    Removed,
    /// Its last build failed.
    LastBuildFailed,
}

/// The plan for one model or source table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub name: String,
    pub is_model: bool,
    #[serde(flatten)]
    pub action: Action,
    pub reasons: Vec<Reason>,
}

/// The plan of one run of a branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchPlan {
    pub branch: String,
    pub schema: String,
    /// Source tables first, then models in build order, then dropped
    /// objects.
    pub items: Vec<PlanItem>,
    /// The statements to run, in order.
    pub steps: Vec<RunStep>,
    /// The record the run leaves when every step succeeds.
    pub record: RunRecord,
    /// Lower-case model or source name → the quoted relation this run's
    /// models read it from.
    pub relations: BTreeMap<String, String>,
}

impl BranchPlan {
    /// Returns the quoted relation that the branch's models read `name`
    /// from, or `name` quoted when the plan has no such table.
    pub fn relation(&self, name: &str) -> String {
        self.relations
            .get(&name.to_ascii_lowercase())
            .cloned()
            .unwrap_or_else(|| quote_ident(name))
    }

    /// Returns the items that this run builds.
    pub fn built(&self) -> impl Iterator<Item = &PlanItem> {
        self.items
            .iter()
            .filter(|item| item.action == Action::Build)
    }

    /// Returns the record the run leaves when it stops at the step with
    /// index `failed_step`. That step's target keeps its previous object
    /// with an empty fingerprint, so the next run builds it again, and the
    /// targets after it keep their previous objects.
    pub fn record_after(
        &self,
        previous: Option<&RunRecord>,
        failed_step: Option<usize>,
    ) -> RunRecord {
        let mut record = self.record.clone();
        let Some(failed_step) = failed_step else {
            return record;
        };
        let failed_target = self
            .steps
            .get(failed_step)
            .map(|step| step.target.to_ascii_lowercase());
        for step in self.steps.iter().skip(failed_step) {
            let target = step.target.to_ascii_lowercase();
            if target.is_empty() {
                continue;
            }
            match previous.and_then(|p| p.objects.get(&target)) {
                Some(object) if Some(&target) == failed_target.as_ref() => {
                    let object = BuiltObject {
                        fingerprint: String::new(),
                        ..object.clone()
                    };
                    record.objects.insert(target, object)
                }
                Some(object) => record.objects.insert(target, object.clone()),
                None => record.objects.remove(&target),
            };
        }
        record
    }
}

/// Plans a run of `branch`, whose files are `files` and compilation
/// `compilation`. `previous` is the branch's own last run and `parent` the
/// parent's, if they ran in this database.
pub fn plan_branch(
    branch: &str,
    files: &ProjectFiles,
    compilation: &Compilation,
    previous: Option<&RunRecord>,
    parent: Option<&RunRecord>,
) -> BranchPlan {
    let schema = schema_of(branch);
    let is_main = schema == MAIN;
    let mut planner = Planner {
        is_main,
        schema: schema.clone(),
        previous,
        parent,
        fingerprints: BTreeMap::new(),
        relations: BTreeMap::new(),
        blocked: BTreeSet::new(),
        items: Vec::new(),
        steps: Vec::new(),
        record: RunRecord {
            branch: branch.to_string(),
            schema: schema.clone(),
            objects: BTreeMap::new(),
        },
    };
    if !is_main && previous.is_none() {
        planner.steps.push(RunStep {
            target: String::new(),
            is_model: false,
            sql: format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(&schema)),
        });
    } else {
        planner.steps.extend(source_schema_steps(compilation));
    }
    for source in &compilation.sources {
        planner.plan_source(source, files);
    }
    for model in &compilation.models {
        planner.plan_model(model, compilation);
    }
    planner.plan_drops(compilation);
    BranchPlan {
        branch: branch.to_string(),
        schema,
        items: planner.items,
        steps: planner.steps,
        record: planner.record,
        relations: planner.relations,
    }
}

struct Planner<'a> {
    is_main: bool,
    schema: String,
    previous: Option<&'a RunRecord>,
    parent: Option<&'a RunRecord>,
    /// Lower-case name → fingerprint of every model and source planned.
    fingerprints: BTreeMap<String, String>,
    /// Lower-case name → the relation that models read it from.
    relations: BTreeMap<String, String>,
    blocked: BTreeSet<String>,
    items: Vec<PlanItem>,
    steps: Vec<RunStep>,
    record: RunRecord,
}

/// A model or source table being planned.
struct Target<'c> {
    key: String,
    name: &'c str,
    is_model: bool,
    definition: String,
    fingerprint: String,
    /// Lower-case names of what it reads.
    upstream: Vec<String>,
}

impl Planner<'_> {
    /// Returns the name parts of a model or source table built in this
    /// branch. On `main` a source keeps its declared schema. Elsewhere it
    /// goes into the branch's schema under its full declared name, which
    /// no model name can equal because model names have no dot.
    fn own_relation(&self, name: &str, is_model: bool) -> Vec<String> {
        if self.is_main && !is_model {
            return name.split('.').map(str::to_string).collect();
        }
        vec![self.schema.clone(), name.to_string()]
    }

    fn plan_source(&mut self, source: &SourceTable, files: &ProjectFiles) {
        let mut definition = String::from("source\n");
        for column in &source.columns {
            definition.push_str(&format!(
                "{} {} {}\n",
                column.name, column.ty, column.not_null
            ));
        }
        if let Some(path) = &source.data {
            definition.push_str(&format!("data {path}\n"));
            definition.push_str(files.get(path).map(String::as_str).unwrap_or(""));
        }
        for statement in &source.seed_statements {
            definition.push_str(statement);
            definition.push('\n');
        }
        let definition = hash(&definition);
        let target = Target {
            key: source.name.to_ascii_lowercase(),
            name: &source.name,
            is_model: false,
            fingerprint: definition.clone(),
            definition,
            upstream: Vec::new(),
        };
        self.fingerprints
            .insert(target.key.clone(), target.fingerprint.clone());

        if let Some(object) = self.parent_match(&target) {
            // Models read the parent's table directly: nothing to create.
            self.relations
                .insert(target.key.clone(), object.relation.clone());
            let already = self
                .previous_object(&target.key)
                .is_some_and(|p| p.reused_from.as_deref() == Some(object.relation.as_str()));
            self.replace_previous(&target, ObjectKind::None);
            self.finish(
                &target,
                &object.relation,
                ObjectKind::None,
                Some(&object.relation),
            );
            let action = if already {
                Action::Keep
            } else {
                Action::Reuse {
                    from: object.relation,
                }
            };
            self.push_item(&target, action, Vec::new());
            return;
        }
        let parts = self.own_relation(&source.name, false);
        let relation = quote_parts(&parts);
        self.relations.insert(target.key.clone(), relation.clone());
        if self.is_kept(&target, ObjectKind::Table) {
            self.finish(&target, &relation, ObjectKind::Table, None);
            self.push_item(&target, Action::Keep, Vec::new());
            return;
        }
        let reasons = self.build_reasons(&target, &[]);
        self.replace_previous(&target, ObjectKind::Table);
        let declared = quote_parts(&source.name.split('.').collect::<Vec<_>>());
        for step in source_steps(source) {
            let sql = if declared == relation {
                step.sql
            } else {
                retarget(&step.sql, &declared, &parts)
            };
            self.steps.push(RunStep {
                target: source.name.clone(),
                is_model: false,
                sql,
            });
        }
        self.finish(&target, &relation, ObjectKind::Table, None);
        self.push_item(&target, Action::Build, reasons);
    }

    fn plan_model(&mut self, model: &Model, compilation: &Compilation) {
        let definition = hash(&format!(
            "model\n{}\n{}",
            model.config.strategy,
            model.sql.trim_end().trim_end_matches(';').trim_end()
        ));
        let mut upstream: Vec<String> = model
            .table_uses
            .iter()
            .map(|table| table.name.to_ascii_lowercase())
            .chain(
                model
                    .config
                    .depends_on
                    .iter()
                    .map(|d| d.to_ascii_lowercase()),
            )
            .collect();
        upstream.sort();
        upstream.dedup();
        let mut combined = definition.clone();
        for name in &upstream {
            let fingerprint = self.fingerprints.get(name).map_or("?", String::as_str);
            combined.push_str(&format!("\n{name} {fingerprint}"));
        }
        let target = Target {
            key: model.name.to_ascii_lowercase(),
            name: &model.name,
            is_model: true,
            definition,
            fingerprint: hash(&combined),
            upstream,
        };
        self.fingerprints
            .insert(target.key.clone(), target.fingerprint.clone());
        let relation = quote_parts(&self.own_relation(&model.name, true));
        self.relations.insert(target.key.clone(), relation.clone());

        let errors = compilation
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| {
                d.model
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case(&model.name))
            })
            .count();
        let blocked_upstream: Vec<String> = target
            .upstream
            .iter()
            .filter(|name| self.blocked.contains(*name))
            .map(|name| display_name(name, compilation))
            .collect();
        if errors > 0 || !blocked_upstream.is_empty() {
            let mut reasons = Vec::new();
            if errors > 0 {
                reasons.push(Reason::Errors { count: errors });
            }
            if !blocked_upstream.is_empty() {
                reasons.push(Reason::UpstreamBlocked {
                    upstream: blocked_upstream,
                });
            }
            self.blocked.insert(target.key.clone());
            // The old object stays, marked so that it is built once the
            // errors are fixed.
            if let Some(object) = self.previous_object(&target.key) {
                let object = BuiltObject {
                    fingerprint: String::new(),
                    ..object
                };
                self.record.objects.insert(target.key.clone(), object);
            }
            self.push_item(&target, Action::Blocked, reasons);
            return;
        }

        if let Some(object) = self.parent_match(&target) {
            let already = self
                .previous_object(&target.key)
                .is_some_and(|p| p.reused_from.as_deref() == Some(object.relation.as_str()));
            let action = if already {
                Action::Keep
            } else {
                self.replace_previous(&target, ObjectKind::View);
                self.steps.push(RunStep {
                    target: model.name.clone(),
                    is_model: true,
                    sql: format!(
                        "CREATE OR REPLACE VIEW {relation} AS SELECT * FROM {}",
                        object.relation
                    ),
                });
                Action::Reuse {
                    from: object.relation.clone(),
                }
            };
            self.finish(&target, &relation, ObjectKind::View, Some(&object.relation));
            self.push_item(&target, action, Vec::new());
            return;
        }
        let kind = if model.config.strategy == "view" {
            ObjectKind::View
        } else {
            ObjectKind::Table
        };
        if self.is_kept(&target, kind) {
            self.finish(&target, &relation, kind, None);
            self.push_item(&target, Action::Keep, Vec::new());
            return;
        }

        let reasons = self
            .build_reasons(&target, &target.upstream)
            .into_iter()
            .map(|reason| match reason {
                Reason::UpstreamChanged { upstream } => Reason::UpstreamChanged {
                    upstream: upstream
                        .iter()
                        .map(|name| display_name(name, compilation))
                        .collect(),
                },
                other => other,
            })
            .collect();
        self.replace_previous(&target, kind);
        let names: Vec<(crate::Span, String)> = model
            .table_uses
            .iter()
            .map(|table| {
                let relation = self
                    .relations
                    .get(&table.name.to_ascii_lowercase())
                    .cloned()
                    .unwrap_or_else(|| quote_ident(&table.name));
                (table.span, relation)
            })
            .collect();
        let object = if kind == ObjectKind::View {
            "VIEW"
        } else {
            "TABLE"
        };
        self.steps.push(RunStep {
            target: model.name.clone(),
            is_model: true,
            sql: format!(
                "CREATE OR REPLACE {object} {relation} AS {}",
                with_table_names(model, &names)
            ),
        });
        self.finish(&target, &relation, kind, None);
        self.push_item(&target, Action::Build, reasons);
    }

    /// Drops the objects of the last run whose model or source the project
    /// no longer has.
    fn plan_drops(&mut self, compilation: &Compilation) {
        let Some(previous) = self.previous else {
            return;
        };
        for object in previous.objects.values() {
            let present = compilation.model(&object.name).is_some()
                || compilation
                    .sources
                    .iter()
                    .any(|s| s.name.eq_ignore_ascii_case(&object.name));
            if present {
                continue;
            }
            if let Some(sql) = drop_sql(object) {
                self.steps.push(RunStep {
                    target: object.name.clone(),
                    is_model: object.is_model,
                    sql,
                });
            }
            self.items.push(PlanItem {
                name: object.name.clone(),
                is_model: object.is_model,
                action: Action::Drop,
                reasons: vec![Reason::Removed],
            });
        }
    }

    fn push_item(&mut self, target: &Target, action: Action, reasons: Vec<Reason>) {
        self.items.push(PlanItem {
            name: target.name.to_string(),
            is_model: target.is_model,
            action,
            reasons,
        });
    }

    /// Records the object that the run leaves for `target`.
    fn finish(
        &mut self,
        target: &Target,
        relation: &str,
        kind: ObjectKind,
        reused_from: Option<&str>,
    ) {
        self.record.objects.insert(
            target.key.clone(),
            BuiltObject {
                name: target.name.to_string(),
                is_model: target.is_model,
                relation: relation.to_string(),
                kind,
                fingerprint: target.fingerprint.clone(),
                definition: target.definition.clone(),
                reused_from: reused_from.map(str::to_string),
            },
        );
    }

    /// Returns the parent's object for `target` when the parent built it
    /// from the same fingerprint.
    fn parent_match(&self, target: &Target) -> Option<BuiltObject> {
        if self.is_main {
            return None;
        }
        let object = self.parent?.objects.get(&target.key)?;
        (!object.fingerprint.is_empty() && object.fingerprint == target.fingerprint)
            .then(|| object.clone())
    }

    fn previous_object(&self, key: &str) -> Option<BuiltObject> {
        self.previous?.objects.get(key).cloned()
    }

    /// Tells whether the last run of this branch built `target` itself,
    /// from the same fingerprint, as an object of `kind`.
    fn is_kept(&self, target: &Target, kind: ObjectKind) -> bool {
        self.previous_object(&target.key).is_some_and(|object| {
            object.fingerprint == target.fingerprint
                && object.kind == kind
                && object.reused_from.is_none()
        })
    }

    /// Drops the last run's object for `target` when the new one is of
    /// another kind, since DuckDB replaces a table only with a table and a
    /// view only with a view.
    fn replace_previous(&mut self, target: &Target, kind: ObjectKind) {
        let Some(previous) = self.previous_object(&target.key) else {
            return;
        };
        if previous.kind == kind {
            return;
        }
        if let Some(sql) = drop_sql(&previous) {
            self.steps.push(RunStep {
                target: target.name.to_string(),
                is_model: target.is_model,
                sql,
            });
        }
    }

    /// Lists why `target` must be built: against the parent's last run on
    /// a branch, against its own last run on `main`.
    fn build_reasons(&self, target: &Target, upstream: &[String]) -> Vec<Reason> {
        let compared = if self.is_main {
            match self.previous {
                Some(record) => record,
                None => return vec![Reason::NotBuiltYet],
            }
        } else {
            match self.parent {
                Some(record) => record,
                None => return vec![Reason::ParentNotRun],
            }
        };
        let Some(object) = compared.objects.get(&target.key) else {
            return vec![Reason::New];
        };
        if object.fingerprint.is_empty() {
            return vec![Reason::LastBuildFailed];
        }
        let mut reasons = Vec::new();
        if object.definition != target.definition {
            reasons.push(Reason::Changed);
        }
        let changed: Vec<String> = upstream
            .iter()
            .filter(|name| {
                let now = self.fingerprints.get(*name);
                let then = compared.objects.get(*name).map(|o| &o.fingerprint);
                now != then
            })
            .cloned()
            .collect();
        if !changed.is_empty() {
            reasons.push(Reason::UpstreamChanged { upstream: changed });
        }
        if reasons.is_empty() {
            // Same definition and inputs, but another list of inputs, such
            // as a `depends_on` entry added.
            reasons.push(Reason::Changed);
        }
        reasons
    }
}

/// Returns the statements that create the declared schemas of the source
/// tables, each once.
fn source_schema_steps(compilation: &Compilation) -> Vec<RunStep> {
    let mut schemas: Vec<String> = Vec::new();
    for source in &compilation.sources {
        let parts: Vec<&str> = source.name.split('.').collect();
        if parts.len() < 2 {
            continue;
        }
        let schema = quote_parts(&parts[..parts.len() - 1]);
        if !schemas.contains(&schema) {
            schemas.push(schema);
        }
    }
    schemas
        .into_iter()
        .map(|schema| RunStep {
            target: String::new(),
            is_model: false,
            sql: format!("CREATE SCHEMA IF NOT EXISTS {schema}"),
        })
        .collect()
}

fn display_name(key: &str, compilation: &Compilation) -> String {
    compilation
        .model(key)
        .map(|model| model.name.clone())
        .or_else(|| {
            compilation
                .sources
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(key))
                .map(|s| s.name.clone())
        })
        .unwrap_or_else(|| key.to_string())
}

fn quote_parts<S: AsRef<str>>(parts: &[S]) -> String {
    parts
        .iter()
        .map(|part| quote_ident(part.as_ref()))
        .collect::<Vec<_>>()
        .join(".")
}

fn drop_sql(object: &BuiltObject) -> Option<String> {
    match object.kind {
        ObjectKind::Table => Some(format!("DROP TABLE IF EXISTS {}", object.relation)),
        ObjectKind::View => Some(format!("DROP VIEW IF EXISTS {}", object.relation)),
        ObjectKind::None => None,
    }
}

/// Points a statement that builds a source table at the name `parts`: the
/// quoted `declared` name after CREATE or COPY, or the target of a seed
/// file's INSERT, which is rewritten through the parser.
fn retarget(sql: &str, declared: &str, parts: &[String]) -> String {
    let relation = quote_parts(parts);
    for prefix in ["CREATE OR REPLACE TABLE ", "COPY "] {
        if let Some(tail) = sql
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix(declared))
        {
            return format!("{prefix}{relation}{tail}");
        }
    }
    let Ok(mut statements) = crate::parse::parse_statements(sql, "") else {
        return sql.to_string();
    };
    if let [Statement::Insert(insert)] = statements.as_mut_slice() {
        let name: Vec<Ident> = parts
            .iter()
            .map(|part| Ident::with_quote('"', part.as_str()))
            .collect();
        insert.table = TableObject::TableName(ObjectName::from(name));
        return insert.to_string();
    }
    sql.to_string()
}

/// Returns a short hex digest of `text`.
fn hash(text: &str) -> String {
    sha1::digest(text.as_bytes())[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The statements that copy a branch's builds into its parent, in one
/// transaction, and the parent's record after them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotePlan {
    /// `BEGIN TRANSACTION`, the copies, then `COMMIT`. When a statement
    /// fails the caller runs `ROLLBACK`, and the parent keeps its tables.
    pub steps: Vec<RunStep>,
    /// The models and source tables the promote replaces in the parent.
    pub promoted: Vec<String>,
    /// Those the promote drops from the parent.
    pub dropped: Vec<String>,
    /// Those the branch built but the promote does not copy, because the
    /// parent's files after the promote define them otherwise (a conflict
    /// resolved with the parent's side): the parent builds them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<String>,
    pub record: RunRecord,
}

/// A promote that cannot copy the branch's builds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum PromoteError {
    /// The branch's last run is not up to date with its files: run it first.
    NotRun { stale: Vec<String> },
}

impl std::fmt::Display for PromoteError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PromoteError::NotRun { stale } => write!(
                formatter,
                "the branch's last run does not match its files ({}); run the branch first",
                stale.join(", ")
            ),
        }
    }
}

impl std::error::Error for PromoteError {}

/// Plans the promote of `branch`, whose files compile to `compilation` and
/// whose last run is `record`, into the parent branch `parent`, whose last
/// run is `parent_record`. Every model and source table that the branch
/// built is copied: tables as `CREATE TABLE ... AS SELECT * FROM` the
/// branch's table, views created again over the parent's tables.
pub fn plan_promote(
    branch: &str,
    files: &ProjectFiles,
    compilation: &Compilation,
    record: &RunRecord,
    parent: &str,
    parent_record: Option<&RunRecord>,
) -> Result<PromotePlan, PromoteError> {
    // The branch is up to date when planning it again would do nothing.
    let check = plan_branch(branch, files, compilation, Some(record), parent_record);
    let stale: Vec<String> = check
        .items
        .iter()
        .filter(|item| item.action != Action::Keep)
        .map(|item| item.name.clone())
        .collect();
    if !stale.is_empty() {
        return Err(PromoteError::NotRun { stale });
    }

    let parent_schema = schema_of(parent);
    let target = Planner {
        is_main: parent_schema == MAIN,
        schema: parent_schema.clone(),
        previous: parent_record,
        parent: None,
        fingerprints: BTreeMap::new(),
        relations: BTreeMap::new(),
        blocked: BTreeSet::new(),
        items: Vec::new(),
        steps: Vec::new(),
        record: RunRecord::default(),
    };
    let mut new_record = parent_record.cloned().unwrap_or_else(|| RunRecord {
        branch: parent.to_string(),
        schema: parent_schema.clone(),
        objects: BTreeMap::new(),
    });
    let mut steps = vec![RunStep {
        target: String::new(),
        is_model: false,
        sql: "BEGIN TRANSACTION".to_string(),
    }];
    if target.is_main {
        steps.extend(source_schema_steps(compilation));
    }
    let mut promoted = Vec::new();
    // Where the parent's models read each table once the promote is done.
    let mut relations: BTreeMap<String, String> = BTreeMap::new();
    let mut sources: Vec<(&str, bool)> = compilation
        .sources
        .iter()
        .map(|s| (s.name.as_str(), false))
        .collect();
    sources.extend(compilation.models.iter().map(|m| (m.name.as_str(), true)));
    for (name, is_model) in sources {
        let key = name.to_ascii_lowercase();
        let Some(object) = record.objects.get(&key) else {
            continue;
        };
        let before = parent_record.and_then(|p| p.objects.get(&key));
        if object.reused_from.is_some() {
            if let Some(before) = before {
                relations.insert(key, before.relation.clone());
            }
            continue;
        }
        let relation = quote_parts(&target.own_relation(name, is_model));
        relations.insert(key.clone(), relation.clone());
        if let Some(before) = before.filter(|b| b.kind != object.kind && b.reused_from.is_none()) {
            steps.extend(drop_sql(before).map(|sql| RunStep {
                target: name.to_string(),
                is_model,
                sql,
            }));
        }
        let sql = match (object.kind, compilation.model(name)) {
            (ObjectKind::View, Some(model)) => {
                let names: Vec<(crate::Span, String)> = model
                    .table_uses
                    .iter()
                    .map(|table| {
                        let relation = relations
                            .get(&table.name.to_ascii_lowercase())
                            .cloned()
                            .unwrap_or_else(|| quote_ident(&table.name));
                        (table.span, relation)
                    })
                    .collect();
                format!(
                    "CREATE OR REPLACE VIEW {relation} AS {}",
                    with_table_names(model, &names)
                )
            }
            _ => format!(
                "CREATE OR REPLACE TABLE {relation} AS SELECT * FROM {}",
                object.relation
            ),
        };
        steps.push(RunStep {
            target: name.to_string(),
            is_model,
            sql,
        });
        new_record.objects.insert(
            key,
            BuiltObject {
                relation,
                reused_from: None,
                ..object.clone()
            },
        );
        promoted.push(name.to_string());
    }
    let mut dropped = Vec::new();
    for (key, object) in parent_record.map(|p| &p.objects).into_iter().flatten() {
        if record.objects.contains_key(key) {
            continue;
        }
        steps.extend(drop_sql(object).map(|sql| RunStep {
            target: object.name.clone(),
            is_model: object.is_model,
            sql,
        }));
        new_record.objects.remove(key);
        dropped.push(object.name.clone());
    }
    steps.push(RunStep {
        target: String::new(),
        is_model: false,
        sql: "COMMIT".to_string(),
    });
    Ok(PromotePlan {
        steps,
        promoted,
        dropped,
        kept: Vec::new(),
        record: new_record,
    })
}

/// Restricts a promote plan to the builds that match the parent's files
/// after the promote, `merged`. Where a conflict kept the parent's side of
/// a file, the branch's tables of what that file defines, and of what
/// reads them, are not the parent's: they are left out of the copy and
/// listed in `kept`, and the parent's record keeps its earlier entry for
/// them, so the parent's next run builds them from its own files.
pub fn restrict_promote(
    mut plan: PromotePlan,
    branch: &str,
    record: &RunRecord,
    merged: &ProjectFiles,
    parent_record: Option<&RunRecord>,
) -> PromotePlan {
    let merged_compilation = crate::compile(merged);
    let check = plan_branch(
        branch,
        merged,
        &merged_compilation,
        Some(record),
        parent_record,
    );
    let differ: BTreeSet<String> = check
        .items
        .iter()
        .filter(|item| item.action != Action::Keep)
        .map(|item| item.name.to_ascii_lowercase())
        .collect();
    let is_kept = |name: &str| differ.contains(&name.to_ascii_lowercase());
    plan.steps
        .retain(|step| step.target.is_empty() || !is_kept(&step.target));
    let (kept, promoted): (Vec<String>, Vec<String>) =
        plan.promoted.into_iter().partition(|name| is_kept(name));
    for name in &kept {
        let key = name.to_ascii_lowercase();
        match parent_record.and_then(|p| p.objects.get(&key)) {
            Some(before) => {
                plan.record.objects.insert(key, before.clone());
            }
            None => {
                plan.record.objects.remove(&key);
            }
        }
    }
    plan.promoted = promoted;
    plan.kept = kept;
    plan
}

/// Returns the statement that removes a branch's schema and everything in
/// it.
pub fn drop_branch_sql(branch: &str) -> Option<String> {
    let schema = schema_of(branch);
    (schema != MAIN).then(|| format!("DROP SCHEMA IF EXISTS {} CASCADE", quote_ident(&schema)))
}
