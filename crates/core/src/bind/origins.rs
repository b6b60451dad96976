//! The upstream columns of a value, with how each feeds it. A value
//! usually reads a few columns, and its set is copied into every value
//! computed from it. So the set is a sorted vector, one allocation, where
//! a `BTreeMap` allocates a node of eleven slots.

use super::ColumnKey;
use crate::output::EdgeKind;

/// Upstream columns feeding a value, sorted by column, each with how it
/// feeds the value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Origins {
    entries: Vec<(ColumnKey, EdgeKind)>,
}

impl Origins {
    pub(crate) fn new() -> Origins {
        Origins::default()
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &ColumnKey) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// Returns how `key` feeds the value, if it does.
    pub(crate) fn get(&self, key: &ColumnKey) -> Option<&EdgeKind> {
        self.position(key).ok().map(|i| &self.entries[i].1)
    }

    /// Adds `key` with `kind`, keeping the stronger kind when `key` is
    /// there already.
    pub(crate) fn add(&mut self, key: ColumnKey, kind: EdgeKind) {
        match self.position(&key) {
            Ok(i) => self.entries[i].1 = self.entries[i].1.max(kind),
            Err(i) => self.entries.insert(i, (key, kind)),
        }
    }

    /// Adds every column of `other`, keeping the stronger kind where both
    /// have a column.
    pub(crate) fn merge(&mut self, other: &Origins) {
        if other.entries.is_empty() {
            return;
        }
        if self.entries.is_empty() {
            self.entries.clone_from(&other.entries);
            return;
        }
        let mine = std::mem::take(&mut self.entries);
        let theirs = &other.entries;
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
        self.entries = merged;
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&ColumnKey, &EdgeKind)> {
        self.entries.iter().map(|(key, kind)| (key, kind))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &ColumnKey> {
        self.entries.iter().map(|(key, _)| key)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &EdgeKind> {
        self.entries.iter().map(|(_, kind)| kind)
    }

    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut EdgeKind> {
        self.entries.iter_mut().map(|(_, kind)| kind)
    }
}

impl<const N: usize> From<[(ColumnKey, EdgeKind); N]> for Origins {
    fn from(entries: [(ColumnKey, EdgeKind); N]) -> Origins {
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
        Origins {
            entries: deduplicated,
        }
    }
}

impl IntoIterator for Origins {
    type Item = (ColumnKey, EdgeKind);
    type IntoIter = std::vec::IntoIter<(ColumnKey, EdgeKind)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Origins {
    type Item = (&'a ColumnKey, &'a EdgeKind);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (ColumnKey, EdgeKind)>,
        fn(&'a (ColumnKey, EdgeKind)) -> (&'a ColumnKey, &'a EdgeKind),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(key, kind)| (key, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bind::column_key;

    #[test]
    fn add_keeps_columns_sorted() {
        let mut origins = Origins::new();
        origins.add(column_key("t", "b"), EdgeKind::Identity);
        origins.add(column_key("t", "a"), EdgeKind::Transformation);
        origins.add(column_key("t", "b"), EdgeKind::Aggregation);
        origins.add(column_key("t", "a"), EdgeKind::Identity);
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
