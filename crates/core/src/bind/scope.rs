//! Scopes: the relations a SELECT can see, and how a column name resolves
//! in them.

use sqlparser::tokenizer::Span as SqlSpan;

use super::BoundColumn;
use crate::types::Type;

/// One FROM item: a table, CTE, subquery or table function, under its alias.
#[derive(Clone, Debug)]
pub(crate) struct Relation {
    /// The alias, or the table name as written (last part).
    pub name: String,
    /// The written name parts, for `schema.table.column` references.
    pub parts: Vec<String>,
    pub columns: Vec<BoundColumn>,
    /// True when the relation did not resolve; names that might belong to
    /// it resolve to UNKNOWN without another error.
    pub opaque: bool,
    /// The FROM item in the model's text; empty for relations with none.
    pub span: SqlSpan,
}

impl Relation {
    /// Makes a relation from a query's output. It is opaque when the query
    /// read `*` from an opaque relation, so its columns are not all known.
    pub(crate) fn derived(name: &str, columns: Vec<BoundColumn>) -> Relation {
        let opaque = columns.iter().any(BoundColumn::is_unknown_rest);
        let columns = columns
            .into_iter()
            .filter(|c| !c.is_unknown_rest())
            .collect();
        Relation {
            name: name.to_string(),
            parts: Vec::new(),
            columns,
            opaque,
            span: SqlSpan::empty(),
        }
    }

    /// Marks every column as possibly NULL, for the inner side of an outer join.
    pub(crate) fn make_nullable(&mut self) {
        for column in &mut self.columns {
            column.not_null = false;
        }
    }

    /// Returns the columns `*` expands to, with a marker for the unknown rest.
    pub(crate) fn star_columns(&self) -> Vec<BoundColumn> {
        let mut columns = self.columns.clone();
        if self.opaque {
            columns.push(BoundColumn::unknown_rest());
        }
        columns
    }
}

/// The relations of one SELECT, with a link to the enclosing query's scope
/// for correlated subqueries.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scope<'p> {
    pub relations: Vec<Relation>,
    /// Join keys merged by USING or NATURAL: an unqualified name matches
    /// both sides without being ambiguous, and `*` lists it once.
    pub merged: Vec<MergedKey>,
    /// Select-list aliases bound so far, which DuckDB lets WHERE, GROUP BY,
    /// HAVING and later select items use.
    pub aliases: Vec<BoundColumn>,
    /// The SELECT has a plain GROUP BY (no ROLLUP, CUBE or GROUPING SETS),
    /// so each aggregate runs over a group with at least one row.
    pub grouped: bool,
    pub parent: Option<&'p Scope<'p>>,
}

/// Which side of a USING join supplies a merged key's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeySide {
    /// INNER and LEFT joins keep the left side's key.
    Left,
    /// A RIGHT join keeps the right side's key.
    Right,
    /// A FULL join fills the key from whichever side has the row.
    Both,
}

#[derive(Clone, Debug)]
pub(crate) struct MergedKey {
    pub name: String,
    pub side: KeySide,
    /// For a FULL join, whether the filled-in key can be NULL; the other
    /// joins take the kept side's column as it is.
    pub not_null: Option<bool>,
}

/// The result of resolving a column name.
pub(crate) enum Resolution {
    Found(BoundColumn),
    /// The name may belong to a relation that did not resolve.
    Opaque,
    /// Every match, as `table.column`, with the FROM item it belongs to.
    Ambiguous(Vec<(String, SqlSpan)>),
    NotFound,
}

impl<'p> Scope<'p> {
    pub(crate) fn with_parent(parent: Option<&'p Scope<'p>>) -> Scope<'p> {
        Scope {
            parent,
            ..Default::default()
        }
    }

    pub(crate) fn is_merged(&self, name: &str) -> bool {
        self.merged
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(name))
    }

    /// Resolves an unqualified column name: FROM items first, then
    /// select-list aliases, then the enclosing queries.
    pub(crate) fn resolve(&self, name: &str, aliases_first: bool) -> Resolution {
        if aliases_first {
            if let Some(alias) = self.alias(name) {
                return Resolution::Found(alias);
            }
        }
        let mut matches: Vec<(&Relation, &BoundColumn)> = Vec::new();
        for relation in &self.relations {
            for column in &relation.columns {
                if column.name.eq_ignore_ascii_case(name) {
                    matches.push((relation, column));
                    break;
                }
            }
        }
        match matches.len() {
            1 => return Resolution::Found(matches[0].1.clone()),
            n if n > 1 => {
                if let Some(key) = self
                    .merged
                    .iter()
                    .rev()
                    .find(|m| m.name.eq_ignore_ascii_case(name))
                {
                    let found = match key.side {
                        KeySide::Left => matches[0].1.clone(),
                        KeySide::Right => matches[matches.len() - 1].1.clone(),
                        KeySide::Both => {
                            let mut merged = matches[0].1.clone();
                            for (_, column) in &matches[1..] {
                                merged.origins.merge(&column.origins);
                                if let Some(ty) = Type::common_supertype(&merged.ty, &column.ty) {
                                    merged.ty = ty;
                                }
                            }
                            merged.not_null = key.not_null.unwrap_or(false);
                            merged
                        }
                    };
                    return Resolution::Found(found);
                }
                return Resolution::Ambiguous(
                    matches
                        .iter()
                        .map(|(r, c)| (format!("{}.{}", r.name, c.name), r.span))
                        .collect(),
                );
            }
            _ => {}
        }
        if !aliases_first {
            if let Some(alias) = self.alias(name) {
                return Resolution::Found(alias);
            }
        }
        if self.relations.iter().any(|r| r.opaque) {
            return Resolution::Opaque;
        }
        match self.parent {
            Some(parent) => parent.resolve(name, false),
            None => Resolution::NotFound,
        }
    }

    fn alias(&self, name: &str) -> Option<BoundColumn> {
        self.aliases
            .iter()
            .rev()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .cloned()
    }

    /// Finds the relation a qualifier names (`o` in `o.id`, or `raw.orders`
    /// in `raw.orders.id`), here or in an enclosing scope.
    pub(crate) fn relation(&self, qualifier: &[String]) -> Option<&Relation> {
        let found = self.relations.iter().find(|relation| {
            if qualifier.len() == 1 {
                relation.name.eq_ignore_ascii_case(&qualifier[0])
            } else {
                relation.parts.len() >= qualifier.len()
                    && relation.parts[relation.parts.len() - qualifier.len()..]
                        .iter()
                        .zip(qualifier)
                        .all(|(a, b)| a.eq_ignore_ascii_case(b))
            }
        });
        found.or_else(|| self.parent.and_then(|parent| parent.relation(qualifier)))
    }

    /// Returns every column name visible here, for did-you-mean help.
    pub(crate) fn visible_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .relations
            .iter()
            .flat_map(|r| r.columns.iter().map(|c| c.name.to_string()))
            .collect();
        names.extend(self.aliases.iter().map(|a| a.name.to_string()));
        if let Some(parent) = self.parent {
            names.extend(parent.visible_names());
        }
        // A name seen twice (a join key on both sides) is listed once.
        let mut seen = std::collections::HashSet::new();
        names.retain(|name| !name.starts_with('\u{0}') && seen.insert(name.to_ascii_lowercase()));
        names
    }

    pub(crate) fn relation_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.relations.iter().map(|r| r.name.clone()).collect();
        if let Some(parent) = self.parent {
            names.extend(parent.relation_names());
        }
        names
    }
}
