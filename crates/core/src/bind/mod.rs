//! The binder: resolves every name in a model's query against its scopes
//! (CTEs, FROM items, outer queries, select-list aliases), infers each
//! expression's DuckDB type, and records which upstream columns feed each
//! output column. It walks sqlparser's AST and produces Rocky's own result
//! types; the AST is never kept.

mod call;
pub(crate) mod catalog;
mod columns;
mod expr;
mod extent;
pub(crate) mod functions;
mod grouping;
mod keywords;
mod lambda;
pub(crate) mod locals;
pub(crate) mod names;
mod operators;
mod origins;
mod pivot;
mod query;
mod scope;

use std::collections::BTreeMap;
use std::sync::Arc;

use sqlparser::ast::ObjectName;
use sqlparser::tokenizer::Span as SqlSpan;

use crate::diagnostic::{Diagnostic, Span};
use crate::dialect::{ModelBody, ParsedModel};
use crate::output::{ColumnUse, IndirectKind, QueryScope};
use crate::types::Type;

pub(crate) use keywords::is_keyword;

/// A column as an origin names it: (table as the SQL names it, column).
/// The names are shared, because origins are copied into every value
/// computed from them.
pub(crate) type ColumnKey = (Arc<str>, Arc<str>);

/// Returns the origin key of `column` of `table`.
pub(crate) fn column_key(table: impl Into<Arc<str>>, column: impl Into<Arc<str>>) -> ColumnKey {
    (table.into(), column.into())
}

pub(crate) use origins::Origins;

/// Upstream columns that influence a model indirectly, with every way they do.
pub(crate) type Indirect = BTreeMap<ColumnKey, std::collections::BTreeSet<IndirectKind>>;

/// A column produced by a query or visible in a scope.
#[derive(Clone, Debug)]
pub(crate) struct BoundColumn {
    /// Shared with the catalog and between copies.
    pub name: Arc<str>,
    pub ty: Type,
    pub origins: Origins,
    /// True when the column can never hold NULL.
    pub not_null: bool,
    /// The select item that defines the column, for lineage edges.
    pub definition: Option<SqlSpan>,
}

/// Name of the marker column that stands for the unknown columns `*`
/// expanded from a table that did not resolve. It cannot collide with a
/// user's name because SQL identifiers cannot contain NUL.
const UNKNOWN_REST: &str = "\u{0}*";

impl BoundColumn {
    pub(crate) fn unknown_rest() -> BoundColumn {
        BoundColumn {
            name: UNKNOWN_REST.into(),
            ty: Type::Unknown,
            origins: Origins::new(),
            not_null: false,
            definition: None,
        }
    }

    pub(crate) fn is_unknown_rest(&self) -> bool {
        &*self.name == UNKNOWN_REST
    }
}

/// A table's columns: each one's name, type and whether it is declared
/// NOT NULL. Shared by the catalog and every lookup of the table.
pub(crate) type TableColumns = Arc<[(Arc<str>, Type, bool)]>;

/// A table the catalog resolves: a source table or an upstream model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CatalogTable {
    /// The canonical name (a model's name, a source's declared name).
    pub name: String,
    /// `None` while the table's columns are not known yet: names that may
    /// belong to it resolve to UNKNOWN without an error.
    pub columns: Option<TableColumns>,
    pub is_model: bool,
}

/// Tables a model can read.
pub(crate) trait Catalog {
    /// Resolves a table name read by the model `reader`. A model's own
    /// name means a source of that name when there is one, because a model
    /// cannot read itself.
    fn lookup(&self, parts: &[String], reader: &str) -> Option<CatalogTable>;
    /// Every name a query may use, for did-you-mean help.
    fn table_names(&self) -> Vec<String>;
}

/// A table name in a model that resolved to a model or source.
#[derive(Clone, Debug)]
pub(crate) struct TableRef {
    pub written: String,
    pub canonical: String,
    pub is_model: bool,
    /// True when DuckDB would not find the table by the name as written.
    pub needs_qualifying: bool,
    pub span: Span,
}

/// What binding one model produced.
#[derive(Debug, Default)]
pub(crate) struct ModelAnalysis {
    /// Output columns, with origins followed to upstream models and sources.
    pub columns: Vec<BoundColumn>,
    /// Each output column's origins one step up, possibly local tables.
    pub parents: Vec<Origins>,
    /// The model's CTEs and FROM subqueries.
    pub locals: Vec<locals::LocalTable>,
    pub references: Vec<TableRef>,
    /// Names of tables that did not resolve; the model depends on them anyway.
    pub unresolved: Vec<String>,
    /// Upstream columns that decide which rows appear (joins, WHERE, ...).
    pub filters: Indirect,
    pub diagnostics: Vec<Diagnostic>,
    pub column_uses: Vec<ColumnUse>,
    pub scopes: Vec<QueryScope>,
}

/// Binds a model's query.
pub(crate) fn bind_model(
    parsed: &ParsedModel,
    sql: &str,
    catalog: &dyn Catalog,
    file: &str,
    model: &str,
) -> ModelAnalysis {
    let mut binder = query::Binder::new(catalog, sql, file, model);
    binder.positional_joins = parsed.positional_joins.clone();
    binder.wildcard_renames = parsed.wildcard_renames.clone();
    binder.wildcard_patterns = parsed.wildcard_patterns.clone();
    let columns = match &parsed.body {
        ModelBody::Query(query) => binder.bind_query(query, None),
        ModelBody::Pivot(statement) => binder.bind_pivot_statement(statement),
    };
    binder.finish(columns)
}

/// Converts a sqlparser span to a diagnostic span. An empty sqlparser span
/// stays empty.
pub(crate) fn span_of(span: &SqlSpan) -> Span {
    Span::new(
        span.start.line as u32,
        span.start.column as u32,
        span.end.line as u32,
        span.end.column as u32,
    )
}

pub(crate) fn object_span(name: &ObjectName) -> Span {
    use sqlparser::ast::Spanned;
    span_of(&name.span())
}
