//! The upstream columns of a value, with how each feeds it. A value
//! usually reads one or a few columns, and its set is copied into every
//! value computed from it, often unchanged. So one column is kept inline,
//! more are a sorted slice shared between copies, and a copy allocates
//! nothing: only a change builds a new slice.

use std::sync::Arc;

use super::ColumnKey;
use crate::output::EdgeKind;

/// Upstream columns feeding a value, sorted by column, each with how it
/// feeds the value.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origins {
    entries: Entries,
}

#[derive(Clone, Debug, Default)]
enum Entries {
    #[default]
    Empty,
    One((ColumnKey, EdgeKind)),
    /// Two or more, sorted by column.
    Many(Arc<[(ColumnKey, EdgeKind)]>),
}

impl PartialEq for Origins {
    fn eq(&self, other: &Origins) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Origins {}

impl Origins {
    pub(crate) fn new() -> Origins {
        Origins::default()
    }

    /// Takes entries that are sorted by column with no column twice.
    fn from_sorted(mut entries: Vec<(ColumnKey, EdgeKind)>) -> Origins {
        let entries = match entries.len() {
            0 => Entries::Empty,
            1 => Entries::One(entries.pop().expect("one entry")),
            _ => Entries::Many(entries.into()),
        };
        Origins { entries }
    }

    fn as_slice(&self) -> &[(ColumnKey, EdgeKind)] {
        match &self.entries {
            Entries::Empty => &[],
            Entries::One(entry) => std::slice::from_ref(entry),
            Entries::Many(entries) => entries,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.as_slice().len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    fn position(&self, key: &ColumnKey) -> Result<usize, usize> {
        self.as_slice().binary_search_by(|(k, _)| k.cmp(key))
    }

    /// Returns how `key` feeds the value, if it does.
    pub(crate) fn get(&self, key: &ColumnKey) -> Option<&EdgeKind> {
        self.position(key).ok().map(|i| &self.as_slice()[i].1)
    }

    /// Collects `entries`; of two with the same column, the stronger kind
    /// stays.
    pub(crate) fn strongest(mut entries: Vec<(ColumnKey, EdgeKind)>) -> Origins {
        entries.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        entries.dedup_by(|later, earlier| later.0 == earlier.0);
        Origins::from_sorted(entries)
    }

    /// Adds every column of `other`, keeping the stronger kind where both
    /// have a column.
    pub(crate) fn merge(&mut self, other: &Origins) {
        let theirs = other.as_slice();
        if theirs.is_empty() {
            return;
        }
        let mine = self.as_slice();
        if mine.is_empty() {
            self.entries = other.entries.clone();
            return;
        }
        if theirs
            .iter()
            .all(|(key, kind)| matches!(self.get(key), Some(k) if k >= kind))
        {
            return;
        }
        let mut merged = Vec::with_capacity(mine.len() + theirs.len());
        let (mut i, mut j) = (0, 0);
        while i < mine.len() && j < theirs.len() {
            match mine[i].0.cmp(&theirs[j].0) {
                std::cmp::Ordering::Less => {
                    merged.push(mine[i].clone());
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    merged.push(theirs[j].clone());
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    merged.push((mine[i].0.clone(), mine[i].1.max(theirs[j].1)));
                    i += 1;
                    j += 1;
                }
            }
        }
        merged.extend_from_slice(&mine[i..]);
        merged.extend_from_slice(&theirs[j..]);
        *self = Origins::from_sorted(merged);
    }

    /// Returns the origins with every kind raised to at least `kind`. When
    /// every kind is that strong already, the copy shares this one's slice.
    pub(crate) fn raised(&self, kind: EdgeKind) -> Origins {
        if self.values().all(|k| *k >= kind) {
            return self.clone();
        }
        Origins::from_sorted(
            self.as_slice()
                .iter()
                .map(|(key, k)| (key.clone(), (*k).max(kind)))
                .collect(),
        )
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&ColumnKey, &EdgeKind)> {
        self.into_iter()
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &ColumnKey> {
        self.as_slice().iter().map(|(key, _)| key)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &EdgeKind> {
        self.as_slice().iter().map(|(_, kind)| kind)
    }
}

impl<const N: usize> From<[(ColumnKey, EdgeKind); N]> for Origins {
    fn from(entries: [(ColumnKey, EdgeKind); N]) -> Origins {
        if N == 1 {
            if let Some(entry) = entries.into_iter().next() {
                return Origins {
                    entries: Entries::One(entry),
                };
            }
            return Origins::new();
        }
        entries.into_iter().collect()
    }
}

impl FromIterator<(ColumnKey, EdgeKind)> for Origins {
    /// Collects the entries; of two with the same column, the later one
    /// wins, as in a `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (ColumnKey, EdgeKind)>>(iter: I) -> Origins {
        let mut entries: Vec<(ColumnKey, EdgeKind)> = iter.into_iter().collect();
        // A stable sort keeps equal columns in their order, so the last of
        // each run is the later one.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut deduplicated: Vec<(ColumnKey, EdgeKind)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match deduplicated.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => deduplicated.push(entry),
            }
        }
        Origins::from_sorted(deduplicated)
    }
}

impl<'a> IntoIterator for &'a Origins {
    type Item = (&'a ColumnKey, &'a EdgeKind);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (ColumnKey, EdgeKind)>,
        fn(&'a (ColumnKey, EdgeKind)) -> (&'a ColumnKey, &'a EdgeKind),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter().map(|(key, kind)| (key, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bind::column_key;

    #[test]
    fn strongest_keeps_columns_sorted_and_the_stronger_kind() {
        let origins = Origins::strongest(vec![
            (column_key("t", "b"), EdgeKind::Identity),
            (column_key("t", "a"), EdgeKind::Transformation),
            (column_key("t", "b"), EdgeKind::Aggregation),
            (column_key("t", "a"), EdgeKind::Identity),
        ]);
        let keys: Vec<String> = origins.keys().map(|(_, c)| c.to_string()).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(
            origins.get(&column_key("t", "a")),
            Some(&EdgeKind::Transformation)
        );
        assert_eq!(
            origins.get(&column_key("t", "b")),
            Some(&EdgeKind::Aggregation)
        );
        assert_eq!(origins.get(&column_key("u", "b")), None);
        let one = Origins::strongest(vec![
            (column_key("t", "a"), EdgeKind::Identity),
            (column_key("t", "a"), EdgeKind::Aggregation),
        ]);
        assert_eq!(one.len(), 1);
        assert_eq!(one.get(&column_key("t", "a")), Some(&EdgeKind::Aggregation));
    }

    #[test]
    fn raised_lifts_weaker_kinds_only() {
        let origins: Origins = [
            (column_key("t", "a"), EdgeKind::Identity),
            (column_key("t", "b"), EdgeKind::Aggregation),
        ]
        .into();
        let raised = origins.raised(EdgeKind::Transformation);
        assert_eq!(
            raised.get(&column_key("t", "a")),
            Some(&EdgeKind::Transformation)
        );
        assert_eq!(
            raised.get(&column_key("t", "b")),
            Some(&EdgeKind::Aggregation)
        );
        assert_eq!(raised.raised(EdgeKind::Identity), raised);
    }

    #[test]
    fn merge_keeps_the_stronger_kind() {
        let mut origins: Origins = [
            (column_key("t", "a"), EdgeKind::Identity),
            (column_key("t", "c"), EdgeKind::Aggregation),
        ]
        .into();
        let other: Origins = [
            (column_key("t", "b"), EdgeKind::Identity),
            (column_key("t", "c"), EdgeKind::Identity),
            (column_key("t", "d"), EdgeKind::Transformation),
        ]
        .into();
        origins.merge(&other);
        let all: Vec<(String, EdgeKind)> = origins
            .iter()
            .map(|((_, column), kind)| (column.to_string(), *kind))
            .collect();
        let expected = [
            ("a", EdgeKind::Identity),
            ("b", EdgeKind::Identity),
            ("c", EdgeKind::Aggregation),
            ("d", EdgeKind::Transformation),
        ]
        .map(|(c, k)| (c.to_string(), k));
        assert_eq!(all, expected);
        let mut empty = Origins::new();
        empty.merge(&other);
        assert_eq!(empty, other);
    }

    #[test]
    fn collect_keeps_the_later_duplicate() {
        let origins: Origins = [
            (column_key("t", "x"), EdgeKind::Identity),
            (column_key("s", "y"), EdgeKind::Identity),
            (column_key("t", "x"), EdgeKind::Aggregation),
        ]
        .into_iter()
        .collect();
        assert_eq!(origins.len(), 2);
        assert_eq!(
            origins.get(&column_key("t", "x")),
            Some(&EdgeKind::Aggregation)
        );
        let first = origins.iter().next().map(|(key, _)| key.0.to_string());
        assert_eq!(first.as_deref(), Some("s"));
    }
}
