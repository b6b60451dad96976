//! PIVOT and UNPIVOT, as statements (`PIVOT t ON c IN (...) USING ...`)
//! and as FROM items (`FROM t PIVOT (agg FOR c IN (...))`).
//!
//! The output columns follow DuckDB 1.4: a PIVOT keeps its group columns
//! (the GROUP BY list, or else every source column that neither an ON
//! expression nor an aggregate reads), then adds one column per
//! combination of IN values and aggregate, named `value[_value...]` with
//! `_alias` (or `_sum(x)`) appended when there are several aggregates or the
//! aggregate has an alias. An UNPIVOT keeps the columns it does not unpivot
//! and adds the name column and the value columns.

use sqlparser::ast::{Expr, ExprWithAlias, Ident, InTarget, NullInclusion, TableFactor, Value};

use super::query::{apply_alias, Binder};
use super::scope::{Relation, Scope};
use super::{BoundColumn, Origins};
use crate::dialect::{PivotKind, PivotStatement};
use crate::output::{EdgeKind, IndirectKind};
use crate::types::Type;

/// One ON item of a PIVOT: the expression and, when listed, its values
/// with their optional aliases.
pub(super) struct PivotOn<'a> {
    expr: &'a Expr,
    values: Option<Vec<(&'a Expr, Option<&'a Ident>)>>,
}

impl Binder<'_> {
    /// Binds a PIVOT or UNPIVOT statement and returns its columns.
    pub(crate) fn bind_pivot_statement(&mut self, statement: &PivotStatement) -> Vec<BoundColumn> {
        let cte_depth = self.cte_count();
        self.bind_ctes(&statement.with, statement.recursive, None);
        let scope = Scope::with_parent(None);
        let sources = self.bind_table_factor(&statement.source, &scope);
        let columns = match &statement.kind {
            PivotKind::Pivot {
                on,
                using,
                group_by,
            } => {
                let on: Vec<PivotOn> = on.iter().map(pivot_on).collect();
                let aggregates: Vec<(&Expr, Option<&Ident>)> =
                    using.iter().map(|a| (&a.expr, a.alias.as_ref())).collect();
                let group_by: Vec<&Expr> = group_by.iter().collect();
                self.pivot(sources, &on, &aggregates, Some(&group_by), &scope)
            }
            PivotKind::Unpivot { on, name, values } => {
                let name = name.as_ref().map_or("name", |n| n.value.as_str());
                let values: Vec<String> = if values.is_empty() {
                    vec!["value".to_string()]
                } else {
                    values.iter().map(|v| v.value.clone()).collect()
                };
                // The statement form leaves out rows whose value is NULL.
                self.unpivot(sources, on, name, &values, true)
            }
        };
        self.end_ctes(cte_depth);
        columns
    }

    /// Binds a PIVOT or UNPIVOT FROM item, or returns `None` for any other.
    pub(super) fn bind_pivot_factor(
        &mut self,
        factor: &TableFactor,
        scope: &Scope,
    ) -> Option<Relation> {
        let (columns, alias) = match factor {
            TableFactor::Pivot {
                table,
                aggregate_functions,
                value_column,
                value_source,
                alias,
                ..
            } => {
                let sources = self.bind_table_factor(table, scope);
                let values = match value_source {
                    sqlparser::ast::PivotValueSource::List(values) if value_column.len() == 1 => {
                        Some(values.iter().map(|v| (&v.expr, v.alias.as_ref())).collect())
                    }
                    _ => None,
                };
                let on: Vec<PivotOn> = value_column
                    .iter()
                    .map(|expr| PivotOn {
                        expr,
                        values: values.clone(),
                    })
                    .collect();
                let aggregates: Vec<(&Expr, Option<&Ident>)> = aggregate_functions
                    .iter()
                    .map(|a| (&a.expr, a.alias.as_ref()))
                    .collect();
                (self.pivot(sources, &on, &aggregates, None, scope), alias)
            }
            TableFactor::Unpivot {
                table,
                value,
                name,
                columns,
                null_inclusion,
                alias,
            } => {
                let sources = self.bind_table_factor(table, scope);
                let values: Vec<String> = match value {
                    Expr::Tuple(items) => items.iter().map(super::names::column_name).collect(),
                    other => vec![super::names::column_name(other)],
                };
                let exclude_nulls = !matches!(null_inclusion, Some(NullInclusion::IncludeNulls));
                (
                    self.unpivot(sources, columns, &name.value, &values, exclude_nulls),
                    alias,
                )
            }
            _ => return None,
        };
        let mut relation = Relation::derived("unnamed_pivot", columns);
        apply_alias(&mut relation, alias);
        Some(relation)
    }

    /// The columns of a PIVOT over `sources`. `group_by` is the explicit
    /// GROUP BY of the statement form; `None` or an empty list means the
    /// implicit group columns.
    fn pivot(
        &mut self,
        sources: Vec<Relation>,
        on: &[PivotOn],
        aggregates: &[(&Expr, Option<&Ident>)],
        group_by: Option<&[&Expr]>,
        parent: &Scope,
    ) -> Vec<BoundColumn> {
        let mut scope = Scope::with_parent(parent.parent);
        scope.relations = sources;
        scope.grouped = true;
        // What the ON expressions and aggregates read is not a group column.
        let first_use = self.column_uses.len();
        let mut on_origins = Origins::new();
        for item in on {
            let info = self.bind_expr(item.expr, &scope);
            on_origins.merge(&info.origins);
            for (value, _) in item.values.iter().flatten() {
                self.bind_expr(value, &scope);
            }
        }
        self.add_indirect(&on_origins, IndirectKind::GroupBy);
        let bound_aggregates: Vec<super::expr::ExprInfo> = aggregates
            .iter()
            .map(|(expr, _)| self.bind_expr(expr, &scope))
            .collect();
        let read: Vec<String> = self.column_uses[first_use..]
            .iter()
            .map(|u| u.column.to_ascii_lowercase())
            .collect();

        let mut columns: Vec<BoundColumn> = match group_by {
            Some(keys) if !keys.is_empty() => keys
                .iter()
                .map(|key| {
                    let info = self.bind_expr(key, &scope);
                    BoundColumn {
                        name: info
                            .column_name
                            .clone()
                            .unwrap_or_else(|| super::names::column_name(key))
                            .into(),
                        ty: info.ty,
                        origins: info.origins,
                        not_null: info.not_null,
                        definition: None,
                    }
                })
                .collect(),
            _ => scope
                .relations
                .iter()
                .flat_map(Relation::star_columns)
                .filter(|c| c.is_unknown_rest() || !read.contains(&c.name.to_ascii_lowercase()))
                .collect(),
        };
        for column in &columns {
            let origins = column.origins.clone();
            self.add_indirect(&origins, IndirectKind::GroupBy);
        }

        let Some(combinations) = value_combinations(on) else {
            if let Some(item) = on.iter().find(|item| item.values.is_none()) {
                self.warning(
                    "W0105",
                    sqlparser::ast::Spanned::span(item.expr),
                    "the columns of this PIVOT depend on the data: it has no IN list".to_string(),
                    Some(format!(
                        "list the values to get typed columns, for example `{} IN ('a', 'b')`",
                        item.expr
                    )),
                );
            }
            columns.push(BoundColumn::unknown_rest());
            return columns;
        };
        // Without USING, DuckDB counts the rows of each cell.
        let count = [(Type::BigInt, Origins::new(), None::<String>)];
        let cells: Vec<(Type, Origins, Option<String>)> = if aggregates.is_empty() {
            count.to_vec()
        } else {
            let named = aggregates.len() > 1;
            aggregates
                .iter()
                .zip(bound_aggregates)
                .map(|((expr, alias), info)| {
                    let suffix = match alias {
                        Some(alias) => Some(alias.value.clone()),
                        None if named => Some(super::names::column_name(expr)),
                        None => None,
                    };
                    (info.ty, info.origins.raised(EdgeKind::Aggregation), suffix)
                })
                .collect()
        };
        for combination in combinations {
            for (ty, origins, suffix) in &cells {
                let name = match suffix {
                    Some(suffix) => format!("{combination}_{suffix}"),
                    None => combination.clone(),
                };
                columns.push(BoundColumn {
                    name: name.into(),
                    ty: ty.clone(),
                    origins: origins.clone(),
                    // A combination with no rows gives NULL.
                    not_null: false,
                    definition: None,
                });
            }
        }
        columns
    }

    /// The columns of an UNPIVOT: the columns it keeps, then the name
    /// column, then one value column per name in `values`.
    fn unpivot(
        &mut self,
        sources: Vec<Relation>,
        on: &[ExprWithAlias],
        name: &str,
        values: &[String],
        exclude_nulls: bool,
    ) -> Vec<BoundColumn> {
        let mut scope = Scope::with_parent(None);
        scope.relations = sources;
        let opaque = scope.relations.iter().any(|r| r.opaque);
        let mut unpivoted: Vec<String> = Vec::new();
        let mut value_columns: Vec<Option<BoundColumn>> = vec![None; values.len()];
        for item in on {
            let parts: Vec<&Expr> = match &item.expr {
                Expr::Tuple(items) => items.iter().collect(),
                other => vec![other],
            };
            if parts.len() != values.len() {
                self.error(
                    "E0201",
                    sqlparser::ast::Spanned::span(&item.expr),
                    format!(
                        "this UNPIVOT item has {} columns, but there are {} value columns",
                        parts.len(),
                        values.len()
                    ),
                    Some("give each ON item as many columns as VALUE names".to_string()),
                );
                continue;
            }
            for (slot, part) in value_columns.iter_mut().zip(parts) {
                let first_use = self.column_uses.len();
                let info = self.bind_expr(part, &scope);
                unpivoted.extend(
                    self.column_uses[first_use..]
                        .iter()
                        .map(|u| u.column.to_ascii_lowercase()),
                );
                let column = slot.get_or_insert_with(|| BoundColumn {
                    name: "".into(),
                    ty: info.ty.clone(),
                    origins: Origins::new(),
                    not_null: exclude_nulls,
                    definition: None,
                });
                column.ty = Type::common_supertype(&column.ty, &info.ty).unwrap_or(Type::Unknown);
                column.origins.merge(&info.origins);
                if exclude_nulls {
                    // A NULL value drops its row.
                    self.add_indirect(&info.origins, IndirectKind::Filter);
                }
            }
        }
        let mut columns: Vec<BoundColumn> = scope
            .relations
            .iter()
            .flat_map(Relation::star_columns)
            .filter(|c| c.is_unknown_rest() || !unpivoted.contains(&c.name.to_ascii_lowercase()))
            .collect();
        if opaque {
            // The kept columns are not all known; neither are their names.
            return columns;
        }
        columns.push(BoundColumn {
            name: name.into(),
            ty: Type::Varchar,
            origins: Origins::new(),
            not_null: true,
            definition: None,
        });
        for (value, column) in values.iter().zip(value_columns) {
            let mut column = column.unwrap_or(BoundColumn {
                name: "".into(),
                ty: Type::Unknown,
                origins: Origins::new(),
                not_null: false,
                definition: None,
            });
            column.name = value.as_str().into();
            columns.push(column);
        }
        columns
    }
}

/// Reads an ON item of the statement form: `expr IN (values)` or `expr`.
fn pivot_on(expr: &Expr) -> PivotOn<'_> {
    match expr {
        Expr::In {
            expr,
            target: InTarget::List(list),
            negated: false,
            ..
        } => PivotOn {
            expr,
            values: Some(list.iter().map(|v| (v, None)).collect()),
        },
        other => PivotOn {
            expr: other,
            values: None,
        },
    }
}

/// Lists every combination of the ON items' values, as the column-name prefix
/// DuckDB gives it, first item outermost. `None` when an item has no list.
fn value_combinations(on: &[PivotOn]) -> Option<Vec<String>> {
    let mut combinations = vec![String::new()];
    for item in on {
        let values = item.values.as_ref()?;
        let mut next = Vec::with_capacity(combinations.len() * values.len());
        for prefix in &combinations {
            for (value, alias) in values {
                let name = match alias {
                    Some(alias) => alias.value.clone(),
                    None => value_name(value),
                };
                next.push(if prefix.is_empty() {
                    name
                } else {
                    format!("{prefix}_{name}")
                });
            }
        }
        combinations = next;
    }
    Some(combinations)
}

/// Names a column after a pivot value: strings unquoted, numbers as written.
fn value_name(value: &Expr) -> String {
    match value {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(text) | Value::DoubleQuotedString(text) => text.clone(),
            Value::Number(text, _) => text.clone(),
            Value::Null => "NULL".to_string(),
            other => other.to_string(),
        },
        other => super::names::column_name(other),
    }
}
