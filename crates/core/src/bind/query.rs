//! Binding of queries: WITH, set operations, SELECT, FROM and joins.

use sqlparser::ast::{
    Expr, GroupByExpr, JoinConstraint, JoinOperator, OrderByKind, Query, Select, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, Spanned, TableAlias, TableFactor, TableWithJoins,
    WildcardAdditionalOptions,
};

use super::locals::LocalKind;
use super::scope::{KeySide, MergedKey, Relation, Scope};
use super::{column_key, span_of, BoundColumn, Catalog, ModelAnalysis, Origins, TableRef};
use sqlparser::tokenizer::Span as SqlSpan;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::output::{Column, ColumnUse, EdgeKind, IndirectKind, QueryScope, ScopeTable};
use crate::project::name_parts;
use crate::text::closest;
use crate::types::Type;

/// A CTE in scope.
struct CteEntry {
    name: String,
    columns: Vec<BoundColumn>,
    /// Set when a FROM item reads it, for the unused-CTE warning.
    used: bool,
    span: sqlparser::tokenizer::Span,
    /// The indirect inputs of its query, which become the reader's when a
    /// FROM item reads the CTE, so an unused CTE's filters count for
    /// nothing.
    filters: super::Indirect,
}

pub(crate) struct Binder<'c> {
    pub(super) catalog: &'c dyn Catalog,
    /// The model's SQL, for spans sqlparser leaves short.
    pub(super) sql: &'c str,
    pub(super) line_index: crate::text::LineIndex<'c>,
    pub(super) file: String,
    pub(super) model: String,
    pub(super) diagnostics: Vec<Diagnostic>,
    references: Vec<TableRef>,
    unresolved: Vec<String>,
    pub(super) filters: super::Indirect,
    /// CTEs in scope, innermost last.
    ctes: Vec<CteEntry>,
    /// True while binding the body of a query with LIMIT.
    order_limited: bool,
    pub(super) column_uses: Vec<ColumnUse>,
    scopes: Vec<QueryScope>,
    /// The start of the table of each `POSITIONAL JOIN`.
    pub(super) positional_joins: Vec<crate::Position>,
    /// `* RENAME` lists, by the place of their star.
    pub(super) wildcard_renames: Vec<crate::dialect::WildcardRename>,
    /// `* LIKE '...'` patterns, by the place of their star.
    pub(super) wildcard_patterns: Vec<crate::dialect::WildcardPattern>,
    /// The model's CTEs and FROM subqueries, for lineage through them.
    pub(super) locals: Vec<super::locals::LocalTable>,
}

impl<'c> Binder<'c> {
    pub(crate) fn new(
        catalog: &'c dyn Catalog,
        sql: &'c str,
        file: &str,
        model: &str,
    ) -> Binder<'c> {
        Binder {
            catalog,
            sql,
            line_index: crate::text::LineIndex::new(sql),
            file: file.to_string(),
            model: model.to_string(),
            diagnostics: Vec::new(),
            references: Vec::new(),
            unresolved: Vec::new(),
            filters: super::Indirect::new(),
            ctes: Vec::new(),
            order_limited: false,
            column_uses: Vec::new(),
            scopes: Vec::new(),
            positional_joins: Vec::new(),
            wildcard_renames: Vec::new(),
            wildcard_patterns: Vec::new(),
            locals: Vec::new(),
        }
    }

    /// Extends a call's span over its closing parenthesis, which
    /// sqlparser's span of a function call leaves out.
    pub(super) fn through_paren(
        &self,
        span: sqlparser::tokenizer::Span,
    ) -> sqlparser::tokenizer::Span {
        let index = &self.line_index;
        let end = crate::Position {
            line: span.end.line as u32,
            column: span.end.column as u32,
        };
        let Some(offset) = index.offset(end) else {
            return span;
        };
        let rest = &self.sql[offset..];
        let skipped = rest.len() - rest.trim_start().len();
        if !rest[skipped..].starts_with(')') {
            return span;
        }
        let after = index.position(offset + skipped + 1);
        let mut extended = span;
        extended.end.line = u64::from(after.line);
        extended.end.column = u64::from(after.column);
        extended
    }

    pub(crate) fn finish(self, columns: Vec<BoundColumn>) -> ModelAnalysis {
        let mut resolver = super::locals::Resolver::new(&self.locals);
        // Output columns keep their parents one step up for the column
        // graph, and name upstream columns only for the model's lineage.
        let parents: Vec<Origins> = columns.iter().map(|c| c.origins.clone()).collect();
        let columns = columns
            .into_iter()
            .map(|column| BoundColumn {
                origins: resolver.resolve(&column.origins),
                ..column
            })
            .collect();
        let filters = resolver.resolve_indirect(&self.filters);
        let mut column_uses = self.column_uses;
        for used in &mut column_uses {
            if let Some(source) = &mut used.source {
                if super::locals::local_index(&source.model).is_some() {
                    let origins = Origins::from([(
                        column_key(source.model.as_str(), source.column.as_str()),
                        EdgeKind::Identity,
                    )]);
                    let resolved = resolver.resolve(&origins);
                    used.source = match resolved.iter().next() {
                        Some(((model, column), EdgeKind::Identity)) if resolved.len() == 1 => {
                            Some(crate::output::ColumnRef {
                                model: model.to_string(),
                                column: column.to_string(),
                            })
                        }
                        _ => None,
                    };
                }
            }
        }
        ModelAnalysis {
            columns,
            parents,
            references: self.references,
            unresolved: self.unresolved,
            filters,
            diagnostics: self.diagnostics,
            column_uses,
            scopes: self.scopes,
            locals: self.locals,
        }
    }

    pub(super) fn error(
        &mut self,
        code: &str,
        span: sqlparser::tokenizer::Span,
        message: String,
        help: Option<String>,
    ) {
        let mut diagnostic =
            Diagnostic::error(code, &self.file, span_of(&span), message).with_model(&self.model);
        diagnostic.help = help;
        self.diagnostics.push(diagnostic);
    }

    /// Reports syntax that parses but that Rocky does not analyze as the
    /// error E0114, because none of it is DuckDB 1.4 syntax. The message
    /// names the syntax by the first word of its text.
    pub(super) fn unsupported(&mut self, span: SqlSpan, what: &str) {
        let start = self.line_index.offset(crate::Position {
            line: span.start.line as u32,
            column: span.start.column as u32,
        });
        let word: String = start
            .map(|at| {
                self.sql[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect()
            })
            .unwrap_or_default();
        let named = if word.is_empty() {
            format!("this {what}")
        } else {
            format!("`{}`", word.to_ascii_uppercase())
        };
        self.error(
            "E0114",
            span,
            format!("Rocky does not support {named} here; its type is unknown"),
            Some("Rocky checks DuckDB 1.4's SQL; write this with DuckDB functions or a construct Rocky supports".to_string()),
        );
    }

    /// Records the columns behind `origins` as indirect inputs of `kind`.
    pub(super) fn add_indirect(&mut self, origins: &Origins, kind: IndirectKind) {
        for key in origins.keys() {
            self.filters.entry(key.clone()).or_default().insert(kind);
        }
    }

    /// Adds a secondary label to the diagnostic reported last.
    pub(super) fn label(&mut self, span: SqlSpan, message: String) {
        if let Some(last) = self.diagnostics.pop() {
            let labeled = last.with_label(span_of(&span), message);
            self.diagnostics.push(labeled);
        }
    }

    pub(super) fn warning(
        &mut self,
        code: &str,
        span: sqlparser::tokenizer::Span,
        message: String,
        help: Option<String>,
    ) {
        let mut diagnostic =
            Diagnostic::warning(code, &self.file, span_of(&span), message).with_model(&self.model);
        diagnostic.help = help;
        self.diagnostics.push(diagnostic);
    }

    /// Binds a query and returns its output columns.
    pub(crate) fn bind_query(&mut self, query: &Query, parent: Option<&Scope>) -> Vec<BoundColumn> {
        let cte_depth = self.ctes.len();
        if let Some(with) = &query.with {
            self.bind_ctes(&with.cte_tables, with.recursive, parent);
        }
        // ORDER BY with LIMIT decides which rows remain, so it filters.
        let limited = query.limit_clause.is_some() || query.fetch.is_some();
        let outer_limited = std::mem::replace(&mut self.order_limited, limited);
        let columns = self.bind_set_expr(&query.body, parent, query.order_by.as_ref());
        self.order_limited = outer_limited;
        self.end_ctes(cte_depth);
        columns
    }

    /// Binds the CTEs of a WITH clause and puts them in scope; `end_ctes`
    /// takes them out again.
    pub(super) fn bind_ctes(
        &mut self,
        cte_tables: &[sqlparser::ast::Cte],
        recursive: bool,
        parent: Option<&Scope>,
    ) {
        let cte_depth = self.ctes.len();
        {
            for cte in cte_tables {
                let name = cte.alias.name.value.clone();
                let span = cte.alias.name.span;
                if let Some(first) = self.ctes[cte_depth..]
                    .iter()
                    .find(|entry| entry.name.eq_ignore_ascii_case(&name))
                    .map(|entry| entry.span)
                {
                    self.error(
                        "E0113",
                        span,
                        format!("CTE `{name}` is defined twice in this WITH"),
                        Some("rename one of them".to_string()),
                    );
                    self.label(first, "first defined here".to_string());
                }
                let entry = |name: String, columns, filters| CteEntry {
                    name,
                    columns,
                    used: false,
                    span,
                    filters,
                };
                // The CTE's indirect inputs are kept apart until it is read.
                let outer_filters = std::mem::take(&mut self.filters);
                if recursive {
                    // The recursive part refers to the CTE itself: bind the
                    // anchor (the first branch) first and expose its columns.
                    let anchor = match query_anchor(&cte.query) {
                        Some(anchor) => self.bind_set_expr(anchor, parent, None),
                        None => Vec::new(),
                    };
                    let anchor = rename_columns(anchor, &cte.alias);
                    let (index, anchor) = self.add_local(&name, LocalKind::Cte, anchor);
                    self.ctes
                        .push(entry(name.clone(), anchor, super::Indirect::new()));
                    let columns = self.bind_query(&cte.query, parent);
                    self.ctes.pop();
                    let columns = rename_columns(columns, &cte.alias);
                    let columns = self.update_local(index, columns);
                    let filters = std::mem::replace(&mut self.filters, outer_filters);
                    self.ctes.push(entry(name, columns, filters));
                } else {
                    let columns = self.bind_query(&cte.query, parent);
                    let columns = rename_columns(columns, &cte.alias);
                    let (_, columns) = self.add_local(&name, LocalKind::Cte, columns);
                    let filters = std::mem::replace(&mut self.filters, outer_filters);
                    self.ctes.push(entry(name, columns, filters));
                }
            }
        }
    }

    /// Returns how many CTEs are in scope, for `end_ctes`.
    pub(super) fn cte_count(&self) -> usize {
        self.ctes.len()
    }

    /// Takes the CTEs bound since `cte_depth` out of scope, warning about
    /// the ones nothing read.
    pub(super) fn end_ctes(&mut self, cte_depth: usize) {
        let unused: Vec<(String, sqlparser::tokenizer::Span)> = self
            .ctes
            .drain(cte_depth..)
            .filter(|e| !e.used)
            .map(|e| (e.name, e.span))
            .collect();
        for (name, span) in unused {
            self.warning(
                "W0104",
                span,
                format!("CTE `{name}` is never used"),
                Some("remove it, or read it in the query".to_string()),
            );
        }
    }

    fn bind_set_expr(
        &mut self,
        body: &SetExpr,
        parent: Option<&Scope>,
        order_by: Option<&sqlparser::ast::OrderBy>,
    ) -> Vec<BoundColumn> {
        match body {
            SetExpr::Select(select) => self.bind_select(select, parent, order_by),
            SetExpr::Query(query) => {
                let columns = self.bind_query(query, parent);
                // `(SELECT ... UNION ...) ORDER BY a LIMIT 3` orders the
                // parenthesized query's rows.
                if let Some(order_by) = order_by {
                    self.bind_order_by_outputs(order_by, &columns, parent);
                }
                columns
            }
            SetExpr::SetOperation {
                left,
                right,
                op,
                set_quantifier,
            } => {
                let left_columns = self.bind_set_expr(left, parent, None);
                let right_columns = self.bind_set_expr(right, parent, None);
                // ORDER BY may name a column by its name in any branch.
                let branch_names: Vec<BoundColumn> = right_columns
                    .iter()
                    .zip(&left_columns)
                    .filter(|(r, l)| !r.name.eq_ignore_ascii_case(&l.name))
                    .map(|(r, l)| BoundColumn {
                        name: r.name.clone(),
                        ..l.clone()
                    })
                    .collect();
                self.add_set_semantics(op, set_quantifier, &left_columns, &right_columns);
                let except = matches!(op, sqlparser::ast::SetOperator::Except);
                let by_name = matches!(
                    set_quantifier,
                    sqlparser::ast::SetQuantifier::ByName
                        | sqlparser::ast::SetQuantifier::AllByName
                        | sqlparser::ast::SetQuantifier::DistinctByName
                );
                let columns = if by_name {
                    combine_by_name(left_columns, right_columns)
                } else {
                    // A branch whose columns are not all known has no count to compare.
                    let known =
                        |columns: &[BoundColumn]| !columns.iter().any(BoundColumn::is_unknown_rest);
                    let counts_differ = known(&left_columns)
                        && known(&right_columns)
                        && left_columns.len() != right_columns.len();
                    if counts_differ {
                        self.error(
                            "E0110",
                            branch_span(right),
                            format!(
                                "the branches of {op} have {} and {} columns",
                                left_columns.len(),
                                right_columns.len()
                            ),
                            Some(format!("make both sides select the same number of columns, or use {op} BY NAME")),
                        );
                        self.label(
                            branch_span(left),
                            format!("this branch has {} columns", left_columns.len()),
                        );
                    }
                    // With the counts apart, pairing columns by position
                    // shows nothing about their types.
                    let spans = (!counts_differ).then(|| (branch_items(left), branch_items(right)));
                    self.combine_by_position(left_columns, right_columns, spans, !except)
                };
                if let Some(order_by) = order_by {
                    let mut visible = columns.clone();
                    visible.extend(branch_names);
                    self.bind_order_by_outputs(order_by, &visible, parent);
                }
                columns
            }
            SetExpr::Values(values) => {
                let mut columns: Vec<BoundColumn> = Vec::new();
                let scope = Scope::with_parent(parent);
                for row in &values.rows {
                    for (i, expr) in row.iter().enumerate() {
                        let info = self.bind_expr(expr, &scope);
                        match columns.get_mut(i) {
                            Some(column) => {
                                column.ty = Type::common_supertype(&column.ty, &info.ty)
                                    .unwrap_or(Type::Unknown);
                                column.origins.merge(&info.origins);
                                column.not_null &= info.not_null;
                            }
                            None => columns.push(BoundColumn {
                                name: format!("col{i}").into(),
                                ty: info.ty,
                                origins: info.origins,
                                not_null: info.not_null,
                                definition: None,
                            }),
                        }
                    }
                }
                columns
            }
            SetExpr::Table(table) => {
                let parts: Vec<String> = table
                    .schema_name
                    .iter()
                    .map(|i| i.value.clone())
                    .chain(table.table_name.iter().map(|i| i.value.clone()))
                    .collect();
                self.lookup_table(&parts, body.span())
                    .map(|r| r.columns)
                    .unwrap_or_default()
            }
            other => {
                self.warning(
                    "W0101",
                    other.span(),
                    "this statement is not a query; its columns are unknown".to_string(),
                    Some("a model is one SELECT".to_string()),
                );
                vec![BoundColumn::unknown_rest()]
            }
        }
    }

    fn combine_by_position(
        &mut self,
        left: Vec<BoundColumn>,
        right: Vec<BoundColumn>,
        items: Option<(BranchItems, BranchItems)>,
        right_values: bool,
    ) -> Vec<BoundColumn> {
        let mut right = right.into_iter();
        let mut columns = Vec::new();
        for (position, mut column) in left.into_iter().enumerate() {
            let spans = items
                .as_ref()
                .map(|(left, right)| (left.at(position), right.at(position)));
            if let Some(other) = right.next() {
                let left_ty = column.ty.clone();
                column.ty = match (Type::common_supertype(&column.ty, &other.ty), spans) {
                    (Some(ty), _) => ty,
                    (None, None) => Type::Unknown,
                    (None, Some((left_span, span))) => {
                        self.error(
                            "E0201",
                            span,
                            format!(
                                "column `{}` is {} in one branch and {} in the other",
                                column.name, column.ty, other.ty
                            ),
                            Some("cast one side so both branches have the same type".to_string()),
                        );
                        self.label(
                            left_span,
                            format!("`{}` is {} here", column.name, column.ty),
                        );
                        Type::Unknown
                    }
                };
                if let Some((left_span, span)) = spans {
                    let lossy = [
                        (&left_ty, &other.ty, left_span, span),
                        (&other.ty, &left_ty, span, left_span),
                    ]
                    .into_iter()
                    .find(|(exact, floating, _, _)| {
                        matches!(floating, Type::Float | Type::Double)
                            && super::operators::loses_precision_in(
                                exact,
                                &column_ty_after(exact, floating),
                            )
                    });
                    if let Some((exact, floating, at, other_at)) = lossy {
                        let result = column_ty_after(exact, floating);
                        self.warning(
                            "W0107",
                            at,
                            format!("column `{}` is {exact} in one branch and {floating} in the other, so its values become {result} and may lose digits", column.name),
                            Some(format!("cast the {floating} branch to {exact}, or cast both explicitly")),
                        );
                        self.label(other_at, format!("`{}` is {floating} here", column.name));
                    }
                }
                // EXCEPT returns left rows only: its right side filters.
                if right_values {
                    column.origins.merge(&other.origins);
                    column.not_null &= other.not_null;
                }
            }
            columns.push(column);
        }
        columns
    }

    fn bind_select(
        &mut self,
        select: &Select,
        parent: Option<&Scope>,
        order_by: Option<&sqlparser::ast::OrderBy>,
    ) -> Vec<BoundColumn> {
        let mut scope = Scope::with_parent(parent);
        for item in &select.from {
            self.bind_table_with_joins(item, &mut scope);
        }
        if let Some(selection) = &select.selection {
            refine_not_null(selection, &mut scope);
        }
        let grouping_sets = has_grouping_sets(&select.group_by);
        // Only a GROUP BY with a key makes every group non-empty: over no
        // rows, `GROUP BY ()` and a GROUP BY ALL with nothing to group by
        // still return one row of aggregates.
        scope.grouped = !grouping_sets
            && match &select.group_by {
                GroupByExpr::All(_) => select.projection.iter().any(|item| match item {
                    SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                        !super::grouping::has_aggregate(expr)
                    }
                    _ => true,
                }),
                GroupByExpr::Expressions(exprs, _) => exprs
                    .iter()
                    .any(|e| !matches!(e, Expr::Tuple(items) if items.is_empty())),
            };
        self.record_scope(select, &scope);

        let mut columns = Vec::new();
        let from_only = matches!(
            select.flavor,
            sqlparser::ast::SelectFlavor::FromFirstNoSelect
        );
        if select.projection.is_empty() && from_only {
            // `FROM t` alone selects every column.
            for relation in &scope.relations {
                columns.extend(relation.star_columns());
            }
        }
        for item in &select.projection {
            let produced = self.bind_select_item(item, &scope);
            scope.aliases.extend(produced.iter().cloned());
            columns.extend(produced);
        }
        if grouping_sets {
            // Rows of a coarser grouping set have NULL in the keys they leave out.
            for column in &mut columns {
                let is_key = !column.origins.is_empty()
                    && column
                        .origins
                        .values()
                        .all(|k| matches!(k, EdgeKind::Identity | EdgeKind::Transformation));
                if is_key {
                    column.not_null = false;
                }
            }
        }

        if let Some(selection) = &select.selection {
            let info = self.bind_expr(selection, &scope);
            self.add_indirect(&info.origins, IndirectKind::Filter);
        }
        self.check_grouping(select, &scope);
        // Group keys decide how many rows there are, so they are filters.
        match &select.group_by {
            GroupByExpr::Expressions(exprs, _) => {
                for expr in exprs {
                    let origins = match ordinal(expr) {
                        Some(position) => columns
                            .get(position.wrapping_sub(1))
                            .map(|c| c.origins.clone()),
                        None => Some(self.bind_expr(expr, &scope).origins),
                    };
                    self.add_indirect(&origins.unwrap_or_default(), IndirectKind::GroupBy);
                }
            }
            GroupByExpr::All(_) => {
                // GROUP BY ALL groups by every select item without an aggregate.
                for column in &columns {
                    let is_key = !column.origins.is_empty()
                        && column
                            .origins
                            .values()
                            .all(|k| matches!(k, EdgeKind::Identity | EdgeKind::Transformation));
                    if is_key {
                        let origins = column.origins.clone();
                        self.add_indirect(&origins, IndirectKind::GroupBy);
                    }
                }
            }
        }
        if let Some(condition) = &select.having {
            let info = self.bind_expr(condition, &scope);
            self.add_indirect(&info.origins, IndirectKind::Filter);
        }
        if let Some(condition) = &select.qualify {
            // The partition and order keys of a window in QUALIFY decide
            // which rows remain, so they filter as well.
            let outer = std::mem::take(&mut self.filters);
            let info = self.bind_expr(condition, &scope);
            self.add_indirect(&info.origins, IndirectKind::Filter);
            let inner = std::mem::replace(&mut self.filters, outer);
            for (key, mut kinds) in inner {
                if kinds.contains(&IndirectKind::Window) {
                    kinds.insert(IndirectKind::Filter);
                }
                self.filters.entry(key).or_default().extend(kinds);
            }
            // `QUALIFY rn = 1` names a window of the select list by its
            // alias; that window's keys decide which rows remain too.
            for spec in aliased_window_specs(select, condition) {
                for expr in spec
                    .partition_by
                    .iter()
                    .chain(spec.order_by.iter().map(|o| &o.expr))
                {
                    let info = self.bind_expr(expr, &scope);
                    self.add_indirect(&info.origins, IndirectKind::Filter);
                }
            }
        }
        for window in &select.named_window {
            if let sqlparser::ast::NamedWindowExpr::WindowSpec(spec) = &window.1 {
                self.bind_window_spec(spec, &scope);
            }
        }
        // DISTINCT compares whole rows; DISTINCT ON its expressions.
        let distinct_on = matches!(&select.distinct, Some(sqlparser::ast::Distinct::On(_)));
        match &select.distinct {
            Some(sqlparser::ast::Distinct::On(exprs)) => {
                for expr in exprs {
                    let info = self.bind_expr(expr, &scope);
                    self.add_indirect(&info.origins, IndirectKind::GroupBy);
                }
            }
            Some(sqlparser::ast::Distinct::Distinct) => {
                for column in &columns {
                    let origins = column.origins.clone();
                    self.add_indirect(&origins, IndirectKind::GroupBy);
                }
            }
            _ => {}
        }
        if let Some(order_by) = order_by {
            match &order_by.kind {
                OrderByKind::Expressions(items) => {
                    for item in items {
                        let origins = match ordinal(&item.expr) {
                            Some(position) => columns
                                .get(position.wrapping_sub(1))
                                .map(|c| c.origins.clone())
                                .unwrap_or_default(),
                            None => self.bind_expr_with(&item.expr, &scope, true).origins,
                        };
                        // With LIMIT, or under DISTINCT ON, the order decides
                        // which rows remain.
                        if self.order_limited || distinct_on {
                            self.add_indirect(&origins, IndirectKind::Sort);
                        }
                    }
                }
                // ORDER BY ALL sorts by every output column.
                OrderByKind::All(_) if self.order_limited || distinct_on => {
                    let all: Vec<_> = columns.iter().map(|c| c.origins.clone()).collect();
                    for origins in &all {
                        self.add_indirect(origins, IndirectKind::Sort);
                    }
                }
                OrderByKind::All(_) => {}
            }
        }
        dedupe_names(columns)
    }

    /// Records the columns a set operation compares whole rows on: UNION
    /// without ALL removes duplicates, INTERSECT and EXCEPT keep rows by
    /// what the other side has.
    fn add_set_semantics(
        &mut self,
        op: &sqlparser::ast::SetOperator,
        quantifier: &sqlparser::ast::SetQuantifier,
        left: &[BoundColumn],
        right: &[BoundColumn],
    ) {
        use sqlparser::ast::{SetOperator, SetQuantifier};
        let all = matches!(quantifier, SetQuantifier::All | SetQuantifier::AllByName);
        let kind = match op {
            SetOperator::Union if all => return,
            SetOperator::Union => IndirectKind::GroupBy,
            _ => IndirectKind::Filter,
        };
        for column in left.iter().chain(right) {
            let origins = column.origins.clone();
            self.add_indirect(&origins, kind);
        }
    }

    /// Keeps what the SELECT can read, for completion in an editor.
    fn record_scope(&mut self, select: &Select, scope: &Scope) {
        let tables = scope
            .relations
            .iter()
            .filter(|relation| !relation.name.is_empty())
            .map(|relation| ScopeTable {
                name: relation.name.clone(),
                columns: relation
                    .columns
                    .iter()
                    .map(|column| Column {
                        name: column.name.to_string(),
                        ty: column.ty.to_string(),
                        not_null: column.not_null,
                        ..Column::default()
                    })
                    .collect(),
            })
            .collect();
        self.scopes.push(QueryScope {
            span: span_of(&select.span()),
            tables,
        });
    }

    /// Binds the ORDER BY of a set operation, which can read only the output columns.
    fn bind_order_by_outputs(
        &mut self,
        order_by: &sqlparser::ast::OrderBy,
        columns: &[BoundColumn],
        parent: Option<&Scope>,
    ) {
        let mut scope = Scope::with_parent(parent);
        scope.relations.push(Relation {
            name: String::new(),
            parts: Vec::new(),
            columns: columns.to_vec(),
            opaque: false,
            span: SqlSpan::empty(),
        });
        match &order_by.kind {
            OrderByKind::Expressions(items) => {
                for item in items {
                    let origins = match ordinal(&item.expr) {
                        Some(position) => columns
                            .get(position.wrapping_sub(1))
                            .map(|c| c.origins.clone())
                            .unwrap_or_default(),
                        None => self.bind_expr(&item.expr, &scope).origins,
                    };
                    // With LIMIT the order decides which rows of every branch
                    // remain.
                    if self.order_limited {
                        self.add_indirect(&origins, IndirectKind::Sort);
                    }
                }
            }
            OrderByKind::All(_) if self.order_limited => {
                for column in columns {
                    self.add_indirect(&column.origins, IndirectKind::Sort);
                }
            }
            OrderByKind::All(_) => {}
        }
    }

    fn bind_select_item(&mut self, item: &SelectItem, scope: &Scope) -> Vec<BoundColumn> {
        let mut columns = self.bind_select_item_columns(item, scope);
        // Lineage shows the expression that defines a column; a column `*`
        // expands to is defined by the `*`.
        let definition = match item {
            SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                self.expr_span(expr)
            }
            other => other.span(),
        };
        for column in &mut columns {
            column.definition = Some(definition);
        }
        columns
    }

    fn bind_select_item_columns(&mut self, item: &SelectItem, scope: &Scope) -> Vec<BoundColumn> {
        let columns_item = match item {
            SelectItem::UnnamedExpr(expr) => Some((expr, None)),
            SelectItem::ExprWithAlias { expr, alias } => Some((expr, Some(alias))),
            _ => None,
        };
        if let Some((expr, alias)) = columns_item {
            if let Some(columns) = self.expand_columns(expr, alias, scope) {
                return columns;
            }
        }
        match item {
            SelectItem::UnnamedExpr(expr) => {
                let info = self.bind_expr(expr, scope);
                if let Some(columns) = self.unnest_columns(expr, &info, scope, false) {
                    return columns;
                }
                // A bare column keeps the spelling of its definition, so
                // `SELECT entryid` from a column "EntryID" is named EntryID.
                let name = info
                    .column_name
                    .clone()
                    .unwrap_or_else(|| super::names::column_name(expr));
                vec![BoundColumn {
                    name: name.into(),
                    ty: info.ty,
                    origins: info.origins,
                    not_null: info.not_null,
                    definition: None,
                }]
            }
            SelectItem::ExprWithAlias { expr, alias } => {
                let info = self.bind_expr(expr, scope);
                self.unnest_columns(expr, &info, scope, true);
                vec![BoundColumn {
                    name: alias.value.as_str().into(),
                    ty: info.ty,
                    origins: info.origins,
                    not_null: info.not_null,
                    definition: None,
                }]
            }
            SelectItem::ExprWithAliases { expr, aliases } => {
                let info = self.bind_expr(expr, scope);
                aliases
                    .iter()
                    .map(|alias| BoundColumn {
                        name: alias.value.as_str().into(),
                        ty: Type::Unknown,
                        origins: info.origins.clone(),
                        not_null: false,
                        definition: None,
                    })
                    .collect()
            }
            SelectItem::Wildcard(options) => {
                let columns = star_candidates(scope)
                    .into_iter()
                    .map(|(_, column)| column)
                    .collect();
                if scope.relations.is_empty() {
                    self.error(
                        "E0111",
                        item.span(),
                        "SELECT * with no FROM clause".to_string(),
                        Some("add a FROM clause or list the columns".to_string()),
                    );
                }
                self.apply_wildcard_options(columns, options, scope)
            }
            SelectItem::QualifiedWildcard(kind, options) => match kind {
                SelectItemQualifiedWildcardKind::ObjectName(name) => {
                    let qualifier = name_parts(name);
                    // `st.*` on a STRUCT column lists its fields.
                    let struct_column = match scope.relation(&qualifier) {
                        Some(_) => None,
                        None if qualifier.len() == 1 => match scope.resolve(&qualifier[0], false) {
                            super::scope::Resolution::Found(found) => match &found.ty {
                                // A field is not the struct unchanged, as in `st.x`.
                                Type::Struct(fields) => Some((
                                    fields.clone(),
                                    found.origins.raised(EdgeKind::Transformation),
                                )),
                                _ => None,
                            },
                            _ => None,
                        },
                        None => None,
                    };
                    if let Some((fields, origins)) = struct_column {
                        let columns = fields
                            .into_iter()
                            .map(|(name, ty)| BoundColumn {
                                name: name.into(),
                                ty,
                                origins: origins.clone(),
                                not_null: false,
                                definition: None,
                            })
                            .collect();
                        return self.apply_wildcard_options(columns, options, scope);
                    }
                    match scope.relation(&qualifier) {
                        Some(relation) => {
                            let columns = relation.star_columns();
                            self.apply_wildcard_options(columns, options, scope)
                        }
                        None => {
                            let names = scope.relation_names();
                            let help =
                                closest(&qualifier.join("."), names.iter().map(String::as_str))
                                    .map(|similar| format!("did you mean `{similar}.*`?"))
                                    .or_else(|| {
                                        Some(format!(
                                            "the FROM clause has {}",
                                            list_or_none(&names)
                                        ))
                                    });
                            self.error(
                                "E0105",
                                name.span(),
                                format!(
                                    "table `{}` is not in the FROM clause",
                                    qualifier.join(".")
                                ),
                                help,
                            );
                            Vec::new()
                        }
                    }
                }
                SelectItemQualifiedWildcardKind::Expr(expr) => {
                    let info = self.bind_expr(expr, scope);
                    // A field is not the struct unchanged, as in `dev.os`.
                    let origins = info.origins.raised(EdgeKind::Transformation);
                    match info.ty {
                        Type::Struct(fields) => fields
                            .into_iter()
                            .map(|(name, ty)| BoundColumn {
                                name: name.into(),
                                ty,
                                origins: origins.clone(),
                                not_null: false,
                                definition: None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    }
                }
            },
        }
    }

    /// A select-list `unnest(list)` multiplies rows, so its list filters;
    /// with `recursive := true` a list of structs becomes one column per
    /// field. `unnest(struct)` keeps the rows and makes one column per
    /// field. Returns the columns of an unnamed call that are not the one
    /// column the call's value is; `named` calls only record the filter.
    fn unnest_columns(
        &mut self,
        expr: &Expr,
        info: &super::expr::ExprInfo,
        scope: &Scope,
        named: bool,
    ) -> Option<Vec<BoundColumn>> {
        let Expr::Function(function) = expr else {
            return None;
        };
        let is_unnest = matches!(
            function.name.0.last(),
            Some(sqlparser::ast::ObjectNamePart::Identifier(ident))
                if ident.quote_style.is_none() && ident.value.eq_ignore_ascii_case("unnest")
        );
        if !is_unnest || function.over.is_some() {
            return None;
        }
        let sqlparser::ast::FunctionArguments::List(list) = &function.args else {
            return None;
        };
        let argument = list.args.first().and_then(|arg| match arg {
            sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) => {
                Some(e)
            }
            _ => None,
        });
        if let Some(Type::Struct(fields)) = argument.map(|arg| self.type_of_quietly(arg, scope)) {
            if named {
                return None;
            }
            let origins = info.origins.raised(EdgeKind::Transformation);
            return Some(
                fields
                    .iter()
                    .map(|(field, ty)| BoundColumn {
                        name: field.as_str().into(),
                        ty: ty.clone(),
                        origins: origins.clone(),
                        not_null: false,
                        definition: None,
                    })
                    .collect(),
            );
        }
        let source = raise_to_copy(&info.origins);
        self.add_indirect(&source, IndirectKind::Filter);
        if named {
            return None;
        }
        let recursive = list.args.iter().any(|arg| {
            matches!(arg, sqlparser::ast::FunctionArg::Named { name, arg: sqlparser::ast::FunctionArgExpr::Expr(Expr::Value(v)), .. }
                if name.value.eq_ignore_ascii_case("recursive") && matches!(v.value, sqlparser::ast::Value::Boolean(true)))
        });
        match (&info.ty, recursive) {
            (Type::Struct(fields), true) => Some(
                fields
                    .iter()
                    .map(|(field, ty)| BoundColumn {
                        name: field.as_str().into(),
                        ty: ty.clone(),
                        origins: info.origins.clone(),
                        not_null: false,
                        definition: None,
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Returns the type of `expr` without recording anything: no column
    /// uses, diagnostics, indirect inputs or local tables, for a second
    /// look at an expression bound already.
    fn type_of_quietly(&mut self, expr: &Expr, scope: &Scope) -> Type {
        let (uses, diagnostics, scopes, locals) = (
            self.column_uses.len(),
            self.diagnostics.len(),
            self.scopes.len(),
            self.locals.len(),
        );
        let filters = self.filters.clone();
        let ty = self.bind_expr(expr, scope).ty;
        self.column_uses.truncate(uses);
        self.diagnostics.truncate(diagnostics);
        self.scopes.truncate(scopes);
        self.locals.truncate(locals);
        self.filters = filters;
        ty
    }

    pub(super) fn apply_wildcard_options(
        &mut self,
        mut columns: Vec<BoundColumn>,
        options: &WildcardAdditionalOptions,
        scope: &Scope,
    ) -> Vec<BoundColumn> {
        use sqlparser::ast::{ExcludeSelectItem, RenameSelectItem};
        if let Some(exclude) = &options.opt_exclude {
            let names: Vec<&sqlparser::ast::ObjectName> = match exclude {
                ExcludeSelectItem::Single(name) => vec![name],
                ExcludeSelectItem::Multiple(names) => names.iter().collect(),
            };
            for name in names {
                let parts = name_parts(name);
                let target = parts.last().cloned().unwrap_or_default();
                let before = columns.len();
                if parts.len() > 1 {
                    // `o.id` leaves out the `id` of `o` only, so a star over
                    // a join keeps the other table's `id`.
                    let qualifier = &parts[parts.len() - 2];
                    let wanted = scope
                        .relations
                        .iter()
                        .find(|r| r.name.eq_ignore_ascii_case(qualifier))
                        .and_then(|r| {
                            r.columns
                                .iter()
                                .find(|c| c.name.eq_ignore_ascii_case(&target))
                        })
                        .map(|c| c.origins.clone());
                    let index = columns.iter().position(|c| {
                        c.name.eq_ignore_ascii_case(&target)
                            && wanted.as_ref().is_none_or(|origins| &c.origins == origins)
                    });
                    if let Some(index) = index {
                        columns.remove(index);
                    }
                } else {
                    columns.retain(|c| !c.name.eq_ignore_ascii_case(&target));
                }
                if columns.len() == before {
                    let help = closest(&target, columns.iter().map(|c| &*c.name))
                        .map(|s| format!("did you mean `{s}`?"));
                    self.error(
                        "E0101",
                        name.span(),
                        format!("EXCLUDE names column `{target}`, which `*` does not include"),
                        help,
                    );
                }
            }
        }
        if let Some(replace) = &options.opt_replace {
            for item in &replace.items {
                let info = self.bind_expr(&item.expr, scope);
                match columns
                    .iter_mut()
                    .find(|c| c.name.eq_ignore_ascii_case(&item.column_name.value))
                {
                    Some(column) => {
                        column.ty = info.ty;
                        column.origins = info.origins;
                        column.not_null = info.not_null;
                    }
                    None => self.error(
                        "E0101",
                        item.column_name.span,
                        format!(
                            "REPLACE names column `{}`, which `*` does not include",
                            item.column_name.value
                        ),
                        None,
                    ),
                }
            }
        }
        let mut renames: Vec<(sqlparser::ast::Ident, sqlparser::ast::Ident)> =
            match &options.opt_rename {
                Some(RenameSelectItem::Single(one)) => vec![(one.ident.clone(), one.alias.clone())],
                Some(RenameSelectItem::Multiple(many)) => many
                    .iter()
                    .map(|item| (item.ident.clone(), item.alias.clone()))
                    .collect(),
                None => Vec::new(),
            };
        let star = options.wildcard_token.0.span.start;
        if let Some(found) = self
            .wildcard_patterns
            .iter()
            .find(|p| p.star == star)
            .cloned()
        {
            match super::columns::name_matcher(&found.operator, &found.pattern) {
                Some(matches) => columns.retain(|c| matches(&c.name) != found.negated),
                None => self.error(
                    "E0204",
                    found.span,
                    format!("invalid pattern `{}` after `*`", found.pattern),
                    Some("write a LIKE pattern such as '%_id' or a regular expression for SIMILAR TO".to_string()),
                ),
            }
        }
        if let Some(found) = self.wildcard_renames.iter().find(|r| r.star == star) {
            renames.extend(found.renames.iter().cloned());
        }
        for (old, new) in renames {
            match columns
                .iter_mut()
                .find(|c| c.name.eq_ignore_ascii_case(&old.value))
            {
                Some(column) => column.name = new.value.as_str().into(),
                None => {
                    let help = closest(&old.value, columns.iter().map(|c| &*c.name))
                        .map(|s| format!("did you mean `{s}`?"));
                    self.error(
                        "E0101",
                        old.span,
                        format!(
                            "RENAME names column `{}`, which `*` does not include",
                            old.value
                        ),
                        help,
                    );
                }
            }
        }
        columns
    }

    fn bind_table_with_joins(&mut self, item: &TableWithJoins, scope: &mut Scope) {
        // Relations of earlier comma-separated FROM items are not part of
        // these joins, so an outer join leaves them alone.
        let first = scope.relations.len();
        let relation = self.bind_table_factor(&item.relation, scope);
        scope.relations.extend(relation);
        for join in &item.joins {
            let mut joined = self.bind_table_factor(&join.relation, scope);
            let (left_outer, right_outer) = match &join.join_operator {
                JoinOperator::Left(_) | JoinOperator::LeftOuter(_) | JoinOperator::OuterApply => {
                    (false, true)
                }
                JoinOperator::Right(_) | JoinOperator::RightOuter(_) => (true, false),
                JoinOperator::FullOuter(_) => (true, true),
                // A POSITIONAL JOIN pads the shorter side with NULLs.
                JoinOperator::CrossJoin(_)
                    if self
                        .positional_joins
                        .contains(&span_of(&join.relation.span()).start) =>
                {
                    (true, true)
                }
                _ => (false, false),
            };
            // Keys merged by USING keep their nullability from before the
            // join: a FULL join fills them from whichever side has the row.
            let key_not_null = |name: &str, relations: &[Relation]| {
                relations.iter().any(|r| {
                    r.columns
                        .iter()
                        .any(|c| c.not_null && c.name.eq_ignore_ascii_case(name))
                })
            };
            let before_left: Vec<Relation> = if right_outer || left_outer {
                scope.relations[first..].to_vec()
            } else {
                Vec::new()
            };
            let before_right = joined.clone();
            if right_outer {
                for relation in &mut joined {
                    relation.make_nullable();
                }
            }
            if left_outer {
                for relation in &mut scope.relations[first..] {
                    relation.make_nullable();
                }
            }
            let joined_names: Vec<Arc<str>> = joined
                .iter()
                .flat_map(|r| r.columns.iter().map(|c| c.name.clone()))
                .collect();
            let left_names: Vec<Arc<str>> = scope
                .relations
                .iter()
                .flat_map(|r| r.columns.iter().map(|c| c.name.clone()))
                .collect();
            let side = match &join.join_operator {
                JoinOperator::Right(_) | JoinOperator::RightOuter(_) => KeySide::Right,
                JoinOperator::FullOuter(_) => KeySide::Both,
                _ => KeySide::Left,
            };
            let (constraint, semi) = match &join.join_operator {
                JoinOperator::Join(c)
                | JoinOperator::Inner(c)
                | JoinOperator::Left(c)
                | JoinOperator::LeftOuter(c)
                | JoinOperator::Right(c)
                | JoinOperator::RightOuter(c)
                | JoinOperator::FullOuter(c)
                | JoinOperator::CrossJoin(c)
                | JoinOperator::StraightJoin(c) => (Some(c), false),
                JoinOperator::Semi(c)
                | JoinOperator::LeftSemi(c)
                | JoinOperator::RightSemi(c)
                | JoinOperator::Anti(c)
                | JoinOperator::LeftAnti(c)
                | JoinOperator::RightAnti(c) => (Some(c), true),
                JoinOperator::AsOf {
                    constraint,
                    match_condition,
                } => {
                    scope.relations.extend(joined.clone());
                    let info = self.bind_expr(match_condition, scope);
                    self.add_indirect(&info.origins, IndirectKind::Join);
                    let count = joined.len();
                    let len = scope.relations.len();
                    scope.relations.truncate(len - count);
                    (Some(constraint), false)
                }
                _ => (None, false),
            };
            let joined_count = joined.len();
            scope.relations.extend(joined);
            match constraint {
                Some(JoinConstraint::On(condition)) => {
                    let info = self.bind_expr(condition, scope);
                    self.add_indirect(&info.origins, IndirectKind::Join);
                }
                Some(JoinConstraint::Using(names)) => {
                    for name in names {
                        let column = name_parts(name).last().cloned().unwrap_or_default();
                        let on_left = left_names.iter().any(|n| n.eq_ignore_ascii_case(&column));
                        let on_right = joined_names.iter().any(|n| n.eq_ignore_ascii_case(&column));
                        if !on_left || !on_right {
                            let side = if on_left { "right" } else { "left" };
                            self.error(
                                "E0101",
                                name.span(),
                                format!(
                                    "USING column `{column}` is not on the {side} side of the join"
                                ),
                                Some(
                                    "USING needs a column of the same name on both sides"
                                        .to_string(),
                                ),
                            );
                            continue;
                        }
                        self.add_key_filters(scope, &column);
                        let not_null = merged_not_null(
                            &column,
                            side,
                            (&before_left, &before_right),
                            &key_not_null,
                        );
                        scope.merged.push(MergedKey {
                            name: column,
                            side,
                            not_null,
                        });
                    }
                }
                Some(JoinConstraint::Natural) => {
                    for column in joined_names
                        .iter()
                        .filter(|n| left_names.iter().any(|l| l.eq_ignore_ascii_case(n)))
                    {
                        self.add_key_filters(scope, column);
                        let not_null = merged_not_null(
                            column,
                            side,
                            (&before_left, &before_right),
                            &key_not_null,
                        );
                        scope.merged.push(MergedKey {
                            name: column.to_string(),
                            side,
                            not_null,
                        });
                    }
                }
                _ => {}
            }
            if semi {
                // A semi or anti join only filters: its right side's columns
                // are not part of the result.
                let len = scope.relations.len();
                scope.relations.truncate(len - joined_count);
            }
        }
    }

    fn add_key_filters(&mut self, scope: &Scope, column: &str) {
        for relation in &scope.relations {
            if let Some(found) = relation
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(column))
            {
                let origins = found.origins.clone();
                self.add_indirect(&origins, IndirectKind::Join);
            }
        }
    }

    pub(super) fn bind_table_factor(
        &mut self,
        factor: &TableFactor,
        scope: &Scope,
    ) -> Vec<Relation> {
        let mut relations = self.bind_table_factor_columns(factor, scope);
        for relation in &mut relations {
            if relation.span == SqlSpan::empty() {
                relation.span = factor.span();
            }
        }
        relations
    }

    fn bind_table_factor_columns(&mut self, factor: &TableFactor, scope: &Scope) -> Vec<Relation> {
        match factor {
            TableFactor::Table {
                name,
                alias,
                args,
                with_ordinality,
                ..
            } => {
                let parts = name_parts(name);
                if let Some(args) = args {
                    return vec![self.table_function(
                        &parts,
                        name.span(),
                        &args.args,
                        *with_ordinality,
                        alias,
                        scope,
                    )];
                }
                let mut relation =
                    self.lookup_table(&parts, name.span())
                        .unwrap_or_else(|| Relation {
                            name: parts.last().cloned().unwrap_or_default(),
                            parts: parts.clone(),
                            columns: Vec::new(),
                            opaque: true,
                            span: SqlSpan::empty(),
                        });
                apply_alias(&mut relation, alias);
                vec![relation]
            }
            TableFactor::Derived {
                subquery,
                alias,
                lateral,
                ..
            } => {
                // DuckDB lets any subquery in FROM refer to the items before it.
                let _ = lateral;
                let columns = self.bind_query(subquery, Some(scope));
                let columns = match alias {
                    Some(alias) => rename_columns(columns, alias),
                    None => columns,
                };
                let name = alias
                    .as_ref()
                    .map_or("unnamed_subquery", |a| a.name.value.as_str());
                let (_, columns) = self.add_local(name, LocalKind::Subquery, columns);
                let mut relation = Relation::derived("unnamed_subquery", columns);
                if let Some(alias) = alias {
                    relation.name = alias.name.value.clone();
                }
                vec![relation]
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias,
            } => {
                let mut inner = Scope::with_parent(scope.parent);
                self.bind_table_with_joins(table_with_joins, &mut inner);
                match alias {
                    Some(_) => {
                        let columns = inner
                            .relations
                            .iter()
                            .flat_map(Relation::star_columns)
                            .collect();
                        let mut relation = Relation::derived("", columns);
                        apply_alias(&mut relation, alias);
                        vec![relation]
                    }
                    None => inner.relations,
                }
            }
            TableFactor::Function {
                name,
                alias,
                args,
                with_ordinality,
                ..
            } => vec![self.table_function(
                &name_parts(name),
                name.span(),
                args,
                *with_ordinality,
                alias,
                scope,
            )],
            TableFactor::UNNEST {
                alias,
                array_exprs,
                with_ordinality,
                ..
            } => {
                let mut columns = Vec::new();
                for expr in array_exprs {
                    let info = self.bind_expr(expr, scope);
                    // UNNEST decides how many rows there are.
                    self.add_indirect(&info.origins, IndirectKind::Filter);
                    let ty = match info.ty {
                        Type::List(element) | Type::Array(element, _) => *element,
                        _ => Type::Unknown,
                    };
                    columns.push(BoundColumn {
                        name: "unnest".into(),
                        ty,
                        origins: info.origins,
                        not_null: false,
                        definition: None,
                    });
                }
                if *with_ordinality {
                    columns.push(ordinality_column());
                }
                let mut relation = Relation {
                    name: "unnest".to_string(),
                    parts: Vec::new(),
                    columns,
                    opaque: false,
                    span: SqlSpan::empty(),
                };
                apply_alias(&mut relation, alias);
                vec![relation]
            }
            TableFactor::Pivot { .. } | TableFactor::Unpivot { .. } => {
                self.bind_pivot_factor(factor, scope).into_iter().collect()
            }
            other => {
                let span = match other {
                    TableFactor::JsonTable { json_expr, .. } => json_expr.span(),
                    TableFactor::OpenJsonTable { json_expr, .. } => json_expr.span(),
                    _ => other.span(),
                };
                let span = self.enclosing_call(span);
                self.unsupported(span, "FROM item");
                vec![Relation {
                    name: String::new(),
                    parts: Vec::new(),
                    columns: Vec::new(),
                    opaque: true,
                    span: SqlSpan::empty(),
                }]
            }
        }
    }

    /// A table function in FROM. `unnest`, `range` and `generate_series`
    /// are typed; others (`read_csv`, ...) are opaque. Arguments may read
    /// the FROM items before it, as in `unnest(c.items)`.
    fn table_function(
        &mut self,
        parts: &[String],
        name_span: SqlSpan,
        args: &[sqlparser::ast::FunctionArg],
        with_ordinality: bool,
        alias: &Option<TableAlias>,
        scope: &Scope,
    ) -> Relation {
        let name = parts
            .last()
            .cloned()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let infos: Vec<super::expr::ExprInfo> = args
            .iter()
            .filter_map(|arg| match arg {
                sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) => {
                    Some(e)
                }
                _ => None,
            })
            .map(|e| self.bind_expr(e, scope))
            .collect();
        let mut columns = match name.as_str() {
            "range" | "generate_series" => {
                // Over dates or timestamps DuckDB generates TIMESTAMPs.
                let ty = match infos.first().map(|i| &i.ty) {
                    Some(Type::Date | Type::Timestamp) => Type::Timestamp,
                    Some(Type::TimestampTz) => Type::TimestampTz,
                    _ => Type::BigInt,
                };
                vec![BoundColumn {
                    name: name.as_str().into(),
                    ty,
                    origins: Origins::new(),
                    not_null: true,
                    definition: None,
                }]
            }
            "unnest" => infos
                .iter()
                .inspect(|info| self.add_indirect(&info.origins, IndirectKind::Filter))
                .map(|info| BoundColumn {
                    name: "unnest".into(),
                    ty: match &info.ty {
                        Type::List(element) | Type::Array(element, _) => (**element).clone(),
                        _ => Type::Unknown,
                    },
                    // An element is not the list itself, as in the
                    // select-list `unnest(list)`.
                    origins: info.origins.raised(EdgeKind::Transformation),
                    not_null: false,
                    definition: None,
                })
                .collect(),
            // DuckDB's `glob` lists file names in one column.
            "glob" => vec![BoundColumn {
                name: "file".into(),
                ty: Type::Varchar,
                origins: Origins::new(),
                not_null: true,
                definition: None,
            }],
            _ => {
                self.warning(
                    "W0109",
                    name_span,
                    format!("the columns of `{name}(...)` are known only when it runs, so Rocky cannot type or trace them"),
                    Some("declare the data as a source table in sources/ with its CSV in data/, or cast the columns you read: `SELECT CAST(a AS INTEGER) AS a FROM ...`".to_string()),
                );
                Vec::new()
            }
        };
        let opaque = columns.is_empty();
        if with_ordinality && !opaque {
            columns.push(ordinality_column());
        }
        // DuckDB 1.4.4 names the column of `unnest(l) AS x` `unnest`: a
        // table alias without a column list names only the table.
        let mut relation = Relation {
            name: name.clone(),
            parts: vec![name],
            columns,
            opaque,
            span: SqlSpan::empty(),
        };
        apply_alias(&mut relation, alias);
        relation
    }

    /// Resolves a table name to a CTE, a model or a source, reporting an
    /// unknown table with did-you-mean help.
    pub(super) fn lookup_table(
        &mut self,
        parts: &[String],
        span: sqlparser::tokenizer::Span,
    ) -> Option<Relation> {
        let written = parts.join(".");
        let table_name = parts.last().cloned().unwrap_or_default();
        // Names are matched by their dotted spelling, so `"a.b"` would read
        // as the table `b` of the schema `a`. No source can be declared so
        // (E0004) and no model named so (E0002).
        if parts.iter().any(|part| part.contains('.')) {
            self.error(
                "E0103",
                span,
                format!("table `{}` not found", quoted_parts(parts)),
                Some("Rocky does not read a `.` inside a quoted table name; rename the table without it".to_string()),
            );
            return None;
        }
        if parts.len() == 1 {
            if let Some(entry) = self
                .ctes
                .iter_mut()
                .rev()
                .find(|entry| entry.name.eq_ignore_ascii_case(&table_name))
            {
                entry.used = true;
                let (columns, filters) = (entry.columns.clone(), entry.filters.clone());
                for (key, kinds) in filters {
                    self.filters.entry(key).or_default().extend(kinds);
                }
                let mut relation = Relation::derived(&table_name, columns);
                relation.parts = parts.to_vec();
                return Some(relation);
            }
        }
        match self.catalog.lookup(parts, &self.model) {
            Some(table) => {
                // Lineage names the table as the SQL does (`orders` for the
                // source `raw.orders`), in the spelling of its declaration.
                let declared: Vec<&str> = table.name.split('.').collect();
                let written = if declared.len() >= parts.len() {
                    declared[declared.len() - parts.len()..].join(".")
                } else {
                    written
                };
                self.references.push(TableRef {
                    written: written.clone(),
                    canonical: table.name.clone(),
                    is_model: table.is_model,
                    // DuckDB finds `raw.orders` only by its schema-qualified name.
                    needs_qualifying: !table.is_model && parts.len() < declared.len(),
                    span: span_of(&span),
                });
                let opaque = table.columns.is_none();
                let written: Arc<str> = written.into();
                let columns = table
                    .columns
                    .iter()
                    .flat_map(|columns| columns.iter())
                    .map(|(column, ty, not_null)| BoundColumn {
                        origins: Origins::from([(
                            column_key(Arc::clone(&written), Arc::clone(column)),
                            EdgeKind::Identity,
                        )]),
                        name: column.clone(),
                        ty: ty.clone(),
                        not_null: *not_null,
                        definition: None,
                    })
                    .collect();
                Some(Relation {
                    name: table_name,
                    parts: parts.to_vec(),
                    columns,
                    opaque,
                    span: SqlSpan::empty(),
                })
            }
            None => {
                let mut candidates = self.catalog.table_names();
                candidates.extend(self.ctes.iter().map(|entry| entry.name.clone()));
                let help = match closest(&written, candidates.iter().map(String::as_str)) {
                    Some(similar) => format!("did you mean `{similar}`?"),
                    None => "declare it in sources/*.sql or add a model of that name".to_string(),
                };
                self.error(
                    "E0103",
                    span,
                    format!("table `{written}` not found"),
                    Some(help),
                );
                self.unresolved.push(written);
                None
            }
        }
    }
}

/// Returns the type two set-operation columns meet at.
fn column_ty_after(a: &Type, b: &Type) -> Type {
    Type::common_supertype(a, b).unwrap_or(Type::Unknown)
}

/// The columns `*` expands to in a scope, each with the qualifier that
/// names it unambiguously (`None` for a key merged by USING, which `*`
/// lists once). A relation whose columns are not all known adds the
/// unknown-rest marker.
pub(super) fn star_candidates(scope: &Scope) -> Vec<(Option<String>, BoundColumn)> {
    let mut columns = Vec::new();
    let mut seen_merged: Vec<String> = Vec::new();
    for relation in &scope.relations {
        if relation.opaque {
            columns.push((None, BoundColumn::unknown_rest()));
        }
        for column in &relation.columns {
            if scope.is_merged(&column.name) {
                if seen_merged
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(&column.name))
                {
                    continue;
                }
                seen_merged.push(column.name.to_string());
                if let super::scope::Resolution::Found(merged) = scope.resolve(&column.name, false)
                {
                    columns.push((None, merged));
                    continue;
                }
            }
            let qualifier = (!relation.name.is_empty()).then(|| relation.name.clone());
            columns.push((qualifier, column.clone()));
        }
    }
    columns
}

/// Whether a key merged by USING or NATURAL can be NULL. Only a FULL join
/// mixes the sides; the others keep one side's key, whose nullability the
/// scope already has.
fn merged_not_null(
    name: &str,
    side: KeySide,
    (left, right): (&[Relation], &[Relation]),
    key_not_null: &dyn Fn(&str, &[Relation]) -> bool,
) -> Option<bool> {
    match side {
        KeySide::Both => Some(key_not_null(name, left) || key_not_null(name, right)),
        KeySide::Left | KeySide::Right => None,
    }
}

/// True when GROUP BY has ROLLUP, CUBE or GROUPING SETS.
fn has_grouping_sets(group_by: &GroupByExpr) -> bool {
    let (exprs, modifiers) = match group_by {
        GroupByExpr::All(modifiers) => (&[][..], modifiers),
        GroupByExpr::Expressions(exprs, modifiers) => (&exprs[..], modifiers),
    };
    !modifiers.is_empty()
        || exprs
            .iter()
            .any(|e| matches!(e, Expr::Rollup(_) | Expr::Cube(_) | Expr::GroupingSets(_)))
}

/// Marks the columns a WHERE condition proves non-NULL: a row passes only
/// when each top-level AND term is true, and `x IS NOT NULL`, `x = ...`,
/// `x < ...` or `x IN (...)` is never true for a NULL `x`.
fn refine_not_null(condition: &Expr, scope: &mut Scope) {
    use sqlparser::ast::BinaryOperator as B;
    match condition {
        Expr::BinaryOp {
            left,
            op: B::And,
            right,
        } => {
            refine_not_null(left, scope);
            refine_not_null(right, scope);
        }
        Expr::Nested(inner) => refine_not_null(inner, scope),
        Expr::IsNotNull(inner) => mark_not_null(inner, scope),
        Expr::BinaryOp {
            left,
            op: B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq,
            right,
        } => {
            mark_not_null(left, scope);
            mark_not_null(right, scope);
        }
        Expr::In {
            expr,
            negated: false,
            ..
        }
        | Expr::Between {
            expr,
            negated: false,
            ..
        }
        | Expr::Like {
            expr,
            negated: false,
            ..
        }
        | Expr::ILike {
            expr,
            negated: false,
            ..
        } => mark_not_null(expr, scope),
        _ => {}
    }
}

/// Marks a bare column reference non-NULL in the relation it names.
fn mark_not_null(expr: &Expr, scope: &mut Scope) {
    let (qualifier, column) = match expr {
        Expr::Identifier(ident) => (None, ident),
        Expr::CompoundIdentifier(parts) if parts.len() == 2 => (Some(&parts[0]), &parts[1]),
        Expr::Nested(inner) => return mark_not_null(inner, scope),
        _ => return,
    };
    let mut matching = scope.relations.iter_mut().filter(|relation| {
        qualifier.is_none_or(|q| relation.name.eq_ignore_ascii_case(&q.value))
            && relation
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&column.value))
    });
    // An unqualified name in two relations is ambiguous; leave both alone.
    if let (Some(relation), None) = (matching.next(), matching.next()) {
        for c in &mut relation.columns {
            if c.name.eq_ignore_ascii_case(&column.value) {
                c.not_null = true;
            }
        }
    }
}

/// Where a set-operation branch's columns are written: one span per
/// select item, or only the whole list when an item is `*`, whose columns
/// have no place of their own.
pub(super) struct BranchItems {
    list: SqlSpan,
    items: Option<Vec<SqlSpan>>,
}

impl BranchItems {
    fn at(&self, position: usize) -> SqlSpan {
        self.items
            .as_ref()
            .and_then(|items| items.get(position).copied())
            .unwrap_or(self.list)
    }
}

fn branch_items(branch: &SetExpr) -> BranchItems {
    let items = match branch {
        SetExpr::Select(select) => {
            let plain = select.projection.iter().all(|item| {
                matches!(
                    item,
                    SelectItem::UnnamedExpr(_) | SelectItem::ExprWithAlias { .. }
                )
            });
            plain.then(|| select.projection.iter().map(|item| item.span()).collect())
        }
        SetExpr::SetOperation { left, .. } => return branch_items(left),
        SetExpr::Query(query) => return branch_items(&query.body),
        _ => None,
    };
    BranchItems {
        list: branch_span(branch),
        items,
    }
}

/// The select list of a set-operation branch (of its first SELECT when the
/// branch is itself a set operation), where column counts and types are
/// decided.
fn branch_span(branch: &SetExpr) -> SqlSpan {
    match branch {
        SetExpr::Select(select) => {
            SqlSpan::union_iter(select.projection.iter().map(|item| item.span()))
        }
        SetExpr::SetOperation { left, .. } => branch_span(left),
        SetExpr::Query(query) => branch_span(&query.body),
        other => other.span(),
    }
}

/// Returns the origins as plain column references, for filters.
fn raise_to_copy(origins: &Origins) -> Origins {
    origins
        .keys()
        .map(|key| (key.clone(), EdgeKind::Identity))
        .collect()
}

/// Returns the column WITH ORDINALITY adds: the 1-based position of each row.
fn ordinality_column() -> BoundColumn {
    BoundColumn {
        name: "ordinality".into(),
        ty: Type::BigInt,
        origins: Origins::new(),
        not_null: true,
        definition: None,
    }
}

/// Returns the first branch of a (possibly nested) set operation.
fn query_anchor(query: &Query) -> Option<&SetExpr> {
    let mut body = query.body.as_ref();
    while let SetExpr::SetOperation { left, .. } = body {
        body = left.as_ref();
    }
    Some(body)
}

pub(super) fn apply_alias(relation: &mut Relation, alias: &Option<TableAlias>) {
    let Some(alias) = alias else { return };
    relation.name = alias.name.value.clone();
    relation.parts = vec![alias.name.value.clone()];
    for (column, renamed) in relation.columns.iter_mut().zip(&alias.columns) {
        column.name = renamed.name.value.as_str().into();
    }
}

fn rename_columns(mut columns: Vec<BoundColumn>, alias: &TableAlias) -> Vec<BoundColumn> {
    for (column, renamed) in columns.iter_mut().zip(&alias.columns) {
        column.name = renamed.name.value.as_str().into();
    }
    columns
}

/// UNION BY NAME: columns matched by name, in order of first appearance.
fn combine_by_name(left: Vec<BoundColumn>, right: Vec<BoundColumn>) -> Vec<BoundColumn> {
    let left_count = left.len();
    let right_names: Vec<String> = right.iter().map(|c| c.name.to_string()).collect();
    let mut columns = left;
    for other in right {
        match columns
            .iter_mut()
            .find(|c| c.name.eq_ignore_ascii_case(&other.name))
        {
            Some(column) => {
                column.ty = Type::common_supertype(&column.ty, &other.ty).unwrap_or(Type::Unknown);
                column.origins.merge(&other.origins);
                column.not_null &= other.not_null;
            }
            // The left side's rows have NULL in a column only the right has.
            None => columns.push(BoundColumn {
                not_null: false,
                ..other
            }),
        }
    }
    // Likewise the right side's rows in a column only the left has.
    let right_has = |name: &str| right_names.iter().any(|n| n.eq_ignore_ascii_case(name));
    for column in &mut columns[..left_count] {
        if !right_has(&column.name) {
            column.not_null = false;
        }
    }
    columns
}

/// Renames repeated output names the way DuckDB does: the second `id`
/// becomes `id_1`, the third `id_2`.
fn dedupe_names(mut columns: Vec<BoundColumn>) -> Vec<BoundColumn> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    // The next suffix to try per name, so a thousand `1`s stay linear.
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for column in columns.iter_mut().filter(|c| !c.is_unknown_rest()) {
        let lower = column.name.to_ascii_lowercase();
        if !seen.contains(&lower) {
            seen.insert(lower);
            continue;
        }
        let n = next.entry(lower.clone()).or_insert(1);
        while seen.contains(&format!("{lower}_{n}")) {
            *n += 1;
        }
        column.name = format!("{}_{n}", column.name).into();
        *n += 1;
        seen.insert(column.name.to_ascii_lowercase());
    }
    columns
}

/// Returns the position an ordinal like `GROUP BY 1` names.
fn ordinal(expr: &Expr) -> Option<usize> {
    match expr {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::Number(text, _) => text.parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "no tables".to_string()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Writes name parts as SQL, quoting those that hold a `.`.
fn quoted_parts(parts: &[String]) -> String {
    parts
        .iter()
        .map(|part| {
            if part.contains('.') {
                format!("\"{}\"", part.replace('"', "\"\""))
            } else {
                part.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Returns the window specifications of the select items whose alias the
/// QUALIFY condition names, such as `row_number() OVER (...) AS rn` for
/// `QUALIFY rn = 1`.
fn aliased_window_specs(
    select: &sqlparser::ast::Select,
    condition: &Expr,
) -> Vec<sqlparser::ast::WindowSpec> {
    use std::ops::ControlFlow;
    let mut named: Vec<String> = Vec::new();
    let _ = sqlparser::ast::visit_expressions(condition, |expr| {
        if let Expr::Identifier(ident) = expr {
            named.push(ident.value.to_ascii_lowercase());
        }
        ControlFlow::<()>::Continue(())
    });
    let mut specs = Vec::new();
    for item in &select.projection {
        let SelectItem::ExprWithAlias { expr, alias } = item else {
            continue;
        };
        if !named.contains(&alias.value.to_ascii_lowercase()) {
            continue;
        }
        let _ = sqlparser::ast::visit_expressions(expr, |inner| {
            if let Expr::Function(function) = inner {
                if let Some(sqlparser::ast::WindowType::WindowSpec(spec)) = &function.over {
                    specs.push(spec.clone());
                }
            }
            ControlFlow::<()>::Continue(())
        });
    }
    specs
}
