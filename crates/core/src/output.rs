//! The result of compiling a project: what the CLI prints as JSON and the
//! playground renders.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

/// Everything the compiler learned about a project. Compilation never
/// stops at the first error, so this is filled in as far as the input
/// allows, and `diagnostics` lists what went wrong.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Compilation {
    /// The `[project] name` of rocky.toml.
    pub project: String,
    pub sources: Vec<SourceTable>,
    /// Models in topological order: every model comes after the models it
    /// reads. Shared, so a recompile keeps the models an edit left alone
    /// without copying them.
    pub models: Vec<Arc<Model>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A declared source table.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SourceTable {
    /// The name as declared, schema-qualified where it was (`raw.orders`).
    pub name: String,
    /// The file that declares it.
    pub file: String,
    pub columns: Vec<Column>,
    /// Project-relative path of the CSV file with its rows, if any.
    pub data: Option<String>,
    /// True when the rows come from INSERT statements in the declaring file.
    pub seeded: bool,
    /// Those INSERT statements, run after the table is created.
    #[serde(skip)]
    pub seed_statements: Vec<String>,
}

/// A model: one SELECT in `models/<name>.sql`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Model {
    pub name: String,
    pub file: String,
    /// The model's SQL as written.
    pub sql: String,
    /// Output columns in order. A column whose type could not be inferred
    /// has the type `UNKNOWN`.
    pub columns: Vec<Column>,
    /// Models and source tables this model reads, by the name the SQL uses.
    pub depends_on: Vec<String>,
    /// Upstream columns that decide which rows appear or which values are
    /// picked (join keys, WHERE, GROUP BY, CASE conditions, window
    /// partitions and orders), without feeding a value: one entry per
    /// column and kind.
    pub filters: Vec<IndirectInput>,
    /// Metadata from the `models/<name>.toml` sidecar.
    pub config: ModelConfig,
    /// The model's CTEs and FROM subqueries, which lineage passes through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internal: Vec<InternalTable>,
    /// Every column name in `sql` that resolved, with its type: what an
    /// editor shows on hover.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub column_uses: Vec<ColumnUse>,
    /// The tables and columns each SELECT can read, for completion. Scopes
    /// nest: a subquery's span lies inside its parent's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<QueryScope>,
    /// Each table name in `sql` that DuckDB would not find as written (a
    /// source's unqualified name), with the quoted name it is built under.
    #[serde(skip)]
    pub table_refs: Vec<(crate::Span, String)>,
    /// Every table name in `sql` that resolved to a model or a source, so
    /// a build can point each at another schema.
    #[serde(skip)]
    pub table_uses: Vec<TableUse>,
}

/// A table name in a model's SQL that resolved to a model or a source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableUse {
    /// The name as written, from its first to its last part.
    pub span: crate::Span,
    /// The model's name, or the source table's declared name.
    pub name: String,
    pub is_model: bool,
}

/// One output column of a model, or one column of a source table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// The type as DuckDB's DESCRIBE prints it, such as `DECIMAL(38,2)`.
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null: bool,
    /// The column's parent columns in upstream models or source tables.
    /// CTE and subquery hops are resolved through. Empty for source columns.
    #[serde(default)]
    pub lineage: Vec<LineageEdge>,
    /// The parents one step up, which may be columns of the model's own
    /// CTEs and subquery tables (see `Model::internal`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<Parent>,
    /// The expression that defines the column in the model's SQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<crate::Span>,
    /// Why some of the column's lineage is not known, when it is not: it
    /// reads a table that did not resolve, or syntax Rocky does not analyze.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<String>,
}

/// A CTE or a FROM subquery of a model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InternalTable {
    /// The CTE's name or the subquery's alias (`unnamed_subquery` without one).
    pub name: String,
    pub kind: InternalKind,
    pub columns: Vec<Column>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InternalKind {
    Cte,
    Subquery,
}

/// A parent column one step up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    pub table: ParentTable,
    pub column: String,
    pub kind: EdgeKind,
}

/// The table of a parent column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParentTable {
    /// An upstream model or source table, as the SQL names it.
    Upstream(String),
    /// A CTE or subquery of the same model: an index into `Model::internal`.
    Internal(usize),
}

/// A column name in a model's SQL and what it resolved to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnUse {
    /// The name as written, with its qualifier (`o.amount`).
    pub span: crate::Span,
    /// The column's name as its table defines it.
    pub column: String,
    /// The FROM item it belongs to, by alias, when there is one.
    pub table: Option<String>,
    #[serde(rename = "type")]
    pub ty: String,
    /// The upstream column it copies, when it copies exactly one.
    pub source: Option<ColumnRef>,
}

/// What one SELECT can read: its FROM items and their columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryScope {
    /// From the SELECT keyword to the end of the SELECT.
    pub span: crate::Span,
    pub tables: Vec<ScopeTable>,
}

/// A FROM item of a scope, under the name the query uses for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScopeTable {
    /// The alias, or the table name as written.
    pub name: String,
    pub columns: Vec<Column>,
}

/// One parent of an output column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineageEdge {
    /// The upstream model's or source table's name as the SQL names it.
    pub model: String,
    pub column: String,
    pub kind: EdgeKind,
}

/// A column of an upstream model or source table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ColumnRef {
    pub model: String,
    pub column: String,
}

/// How a parent column's value reaches its child: the DIRECT
/// transformation subtypes of OpenLineage's column-lineage facet. Along a
/// path the strongest kind wins, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// The value passes through unchanged, possibly renamed.
    Identity,
    /// The value is computed from the parent (arithmetic, functions, CASE
    /// results, CAST, offset window functions such as `lag`).
    Transformation,
    /// The value is an aggregate over the parent, also over a window.
    Aggregation,
}

impl EdgeKind {
    /// Returns the facet's name for the kind, such as `DIRECT/IDENTITY`.
    pub fn facet_name(self) -> &'static str {
        match self {
            EdgeKind::Identity => "DIRECT/IDENTITY",
            EdgeKind::Transformation => "DIRECT/TRANSFORMATION",
            EdgeKind::Aggregation => "DIRECT/AGGREGATION",
        }
    }
}

/// Why a column influences a model without feeding a value: the INDIRECT
/// subtypes of OpenLineage's column-lineage facet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndirectKind {
    /// A join key: ON, USING, NATURAL, ASOF, SEMI and ANTI conditions.
    Join,
    /// A grouping key: GROUP BY, GROUP BY ALL, DISTINCT, PIVOT keys, and the
    /// columns a set operation compares to remove duplicates.
    GroupBy,
    /// A row filter: WHERE, HAVING, QUALIFY, predicates on subqueries
    /// (IN, EXISTS), UNNEST sources, and the right side of EXCEPT.
    Filter,
    /// An ORDER BY that, with LIMIT, decides which rows remain.
    Sort,
    /// A window's PARTITION BY or ORDER BY.
    Window,
    /// A condition that selects a value: CASE WHEN, aggregate FILTER,
    /// the predicate of `list_filter`.
    Conditional,
}

impl IndirectKind {
    /// Returns the facet's name for the kind, such as `INDIRECT/JOIN`.
    pub fn facet_name(self) -> &'static str {
        match self {
            IndirectKind::Join => "INDIRECT/JOIN",
            IndirectKind::GroupBy => "INDIRECT/GROUP_BY",
            IndirectKind::Filter => "INDIRECT/FILTER",
            IndirectKind::Sort => "INDIRECT/SORT",
            IndirectKind::Window => "INDIRECT/WINDOW",
            IndirectKind::Conditional => "INDIRECT/CONDITIONAL",
        }
    }
}

/// A column that influences a model indirectly, and how.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IndirectInput {
    /// The upstream model's or source table's name as the SQL names it.
    pub model: String,
    pub column: String,
    pub kind: IndirectKind,
}

/// The sidecar metadata of a model.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ModelConfig {
    pub intent: Option<String>,
    pub description: Option<String>,
    /// `full_refresh` (a table, the default), `view`, or another Rocky strategy.
    pub strategy: String,
    /// Extra dependencies declared with `depends_on`.
    pub depends_on: Vec<String>,
    /// The `grain` key: the columns that identify a row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grain: Vec<String>,
    pub tests: Vec<ColumnTest>,
    /// Column descriptions from `[columns.<name>] description`.
    pub column_descriptions: Vec<(String, String)>,
    /// The `owner` key: who answers for the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The model's and its columns' `invariants`, parsed (docs/intent.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invariants: Vec<crate::intent::StatedInvariant>,
}

/// A data test declared in a sidecar's `[[tests]]`: a query that returns
/// the failing rows, built by [`crate::data_tests::compile_tests`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ColumnTest {
    /// The `name` key, or a name derived from the kind, the model and the
    /// columns, such as `unique_customers_customer_id`.
    pub name: String,
    /// What the test checks, tagged by the `type` key.
    #[serde(flatten)]
    pub rule: TestRule,
    /// The `where` key: a SQL condition that selects the model rows the
    /// test reads.
    #[serde(rename = "where", default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    #[serde(default)]
    pub severity: TestSeverity,
    /// Where the sidecar writes each value, for diagnostics.
    #[serde(skip)]
    pub(crate) spans: crate::data_tests::TestSpans,
}

impl ColumnTest {
    /// Creates a test of `model` with the derived name, no `where` filter
    /// and severity `error`.
    pub fn new(model: &str, rule: TestRule) -> ColumnTest {
        ColumnTest {
            name: crate::data_tests::default_name(model, &rule),
            rule,
            filter: None,
            severity: TestSeverity::Error,
            spans: Default::default(),
        }
    }

    pub fn kind(&self) -> TestKind {
        self.rule.kind()
    }
}

/// The check of a data test, with the keys of its `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TestRule {
    /// Fails on each row whose `column` is NULL.
    NotNull { column: String },
    /// Fails on each key that occurs more than once. A one-column key
    /// skips NULL, as dbt's `unique` does; a composite key groups NULLs
    /// like any value, as dbt_utils' `unique_combination_of_columns` does.
    Unique { columns: Vec<String> },
    /// Fails on each value of `column` that is not in `values`; NULL
    /// passes. With `quote = false` each string is SQL text, not a string.
    AcceptedValues {
        column: String,
        values: Vec<TestValue>,
        quote: bool,
    },
    /// Fails on each row whose non-NULL `column` matches no `field` of
    /// the model or source `to`.
    Relationships {
        column: String,
        to: String,
        field: String,
    },
    /// Fails on each row where the SQL condition `expression` is false;
    /// NULL passes, as in dbt_utils' `expression_is_true`.
    Expression { expression: String },
    /// Fails when the row count is below `min` or above `max`, both
    /// inclusive bounds.
    RowCountRange { min: Option<u64>, max: Option<u64> },
}

impl TestRule {
    pub fn kind(&self) -> TestKind {
        match self {
            TestRule::NotNull { .. } => TestKind::NotNull,
            TestRule::Unique { .. } => TestKind::Unique,
            TestRule::AcceptedValues { .. } => TestKind::AcceptedValues,
            TestRule::Relationships { .. } => TestKind::Relationships,
            TestRule::Expression { .. } => TestKind::Expression,
            TestRule::RowCountRange { .. } => TestKind::RowCountRange,
        }
    }
}

/// The `type` of a data test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    NotNull,
    Unique,
    AcceptedValues,
    Relationships,
    Expression,
    RowCountRange,
}

impl TestKind {
    pub const ALL: [TestKind; 6] = [
        TestKind::NotNull,
        TestKind::Unique,
        TestKind::AcceptedValues,
        TestKind::Relationships,
        TestKind::Expression,
        TestKind::RowCountRange,
    ];

    /// Returns the `type` value that selects the kind, such as `not_null`.
    pub fn as_str(self) -> &'static str {
        match self {
            TestKind::NotNull => "not_null",
            TestKind::Unique => "unique",
            TestKind::AcceptedValues => "accepted_values",
            TestKind::Relationships => "relationships",
            TestKind::Expression => "expression",
            TestKind::RowCountRange => "row_count_range",
        }
    }

    /// Returns the kind whose `type` value is `name`.
    pub fn from_name(name: &str) -> Option<TestKind> {
        TestKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// One entry of an `accepted_values` test's `values`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TestValue {
    Boolean(bool),
    Integer(i64),
    Float(f64),
    String(String),
}

/// What a failing data test means for a run: `error` fails it, `warn`
/// only reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestSeverity {
    #[default]
    Error,
    Warn,
}

impl Compilation {
    /// Returns the model with this name.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models
            .iter()
            .find(|model| model.name.eq_ignore_ascii_case(name))
            .map(|model| &**model)
    }

    /// Returns the source table with this name, matched on the full name
    /// first and then on the unqualified table name.
    pub fn source(&self, name: &str) -> Option<&SourceTable> {
        self.sources
            .iter()
            .find(|source| source.name.eq_ignore_ascii_case(name))
            .or_else(|| {
                self.sources.iter().find(|source| {
                    source
                        .name
                        .rsplit('.')
                        .next()
                        .is_some_and(|table| table.eq_ignore_ascii_case(name))
                })
            })
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}
