//! Hash values: a short field/value list (`listpack`) that becomes a hash table (`hashtable`)
//! for good once it outgrows the configured limits, as in Redis.
//!
//! The table is the keyspace's own [`Dict`] rather than a `HashMap`: HSCAN needs a cursor that
//! survives resizes between calls, and HRANDFIELD needs random entries without a full walk.

use std::fmt;

use crate::types::dict::Dict;
use crate::types::small_bytes::SmallBytes;

/// When a `listpack` hash converts (`hash-max-listpack-entries` and `hash-max-listpack-value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashLimits {
    /// Most fields a `listpack` hash may hold.
    pub max_entries: usize,
    /// Longest field or value a `listpack` hash may hold.
    pub max_value: usize,
}

/// A hash in one of its two encodings.
pub enum HashValue {
    /// Field/value pairs in insertion order, searched linearly.
    Listpack(Vec<(SmallBytes, SmallBytes)>),
    /// A hash table from field to value (boxed: small hashes, the common case, stay small).
    Hashtable(Box<Dict<SmallBytes>>),
}

impl Default for HashValue {
    fn default() -> Self {
        HashValue::Listpack(Vec::new())
    }
}

impl HashValue {
    /// Number of fields.
    pub fn len(&self) -> usize {
        match self {
            HashValue::Listpack(pairs) => pairs.len(),
            HashValue::Hashtable(table) => table.len(),
        }
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            HashValue::Listpack(_) => "listpack",
            HashValue::Hashtable(_) => "hashtable",
        }
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match self {
            HashValue::Listpack(pairs) => pairs.iter().find(|(f, _)| f.as_bytes() == field).map(|(_, v)| v.as_bytes()),
            HashValue::Hashtable(table) => table.get(field).map(SmallBytes::as_bytes),
        }
    }

    /// Sets `field` to `value`; returns whether the field is new. Converts to `hashtable` first
    /// when either is too long for a `listpack`, and after when there are too many fields.
    pub fn set(&mut self, field: &[u8], value: &[u8], limits: HashLimits) -> bool {
        if field.len() > limits.max_value || value.len() > limits.max_value {
            self.convert();
        }
        let new = match self {
            HashValue::Listpack(pairs) => match pairs.iter_mut().find(|(f, _)| f.as_bytes() == field) {
                Some((_, v)) => {
                    *v = SmallBytes::new(value);
                    false
                }
                None => {
                    pairs.push((SmallBytes::new(field), SmallBytes::new(value)));
                    true
                }
            },
            HashValue::Hashtable(table) => table.insert(field, SmallBytes::new(value)).is_none(),
        };
        if self.len() > limits.max_entries {
            self.convert();
        }
        new
    }

    /// Removes `field`; returns whether it was there.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self {
            HashValue::Listpack(pairs) => match pairs.iter().position(|(f, _)| f.as_bytes() == field) {
                Some(i) => {
                    pairs.remove(i);
                    true
                }
                None => false,
            },
            HashValue::Hashtable(table) => table.remove(field).is_some(),
        }
    }

    /// Turns a `listpack` into a `hashtable` (no-op when it already is one).
    fn convert(&mut self) {
        if let HashValue::Listpack(pairs) = self {
            let mut table = Dict::new();
            for (field, value) in std::mem::take(pairs) {
                table.insert_new(field, value);
            }
            *self = HashValue::Hashtable(Box::new(table));
        }
    }

    /// Every field and value: insertion order for a `listpack`, table order for a `hashtable`.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        let (list, table) = match self {
            HashValue::Listpack(pairs) => (Some(pairs.iter().map(|(f, v)| (f, v))), None),
            HashValue::Hashtable(table) => (None, Some(table.iter())),
        };
        list.into_iter().flatten().chain(table.into_iter().flatten()).map(|(f, v)| (f.as_bytes(), v.as_bytes()))
    }

    /// A random field and value (`None` when empty).
    pub fn random(&self, rng: &mut fastrand::Rng) -> Option<(&[u8], &[u8])> {
        match self {
            HashValue::Listpack(pairs) if pairs.is_empty() => None,
            HashValue::Listpack(pairs) => {
                pairs.get(rng.usize(..pairs.len())).map(|(f, v)| (f.as_bytes(), v.as_bytes()))
            }
            HashValue::Hashtable(table) => table.fair_random_entry(rng).map(|(f, v)| (f.as_bytes(), v.as_bytes())),
        }
    }

    /// One HSCAN step from `cursor`: a `listpack` is visited whole and returns cursor 0, as in
    /// Redis; a `hashtable` is scanned bucket by bucket.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&[u8], &[u8])) -> u64 {
        match self {
            HashValue::Listpack(pairs) => {
                pairs.iter().for_each(|(f, v)| visit(f.as_bytes(), v.as_bytes()));
                0
            }
            HashValue::Hashtable(table) => table.scan(cursor, |f, v| visit(f.as_bytes(), v.as_bytes())),
        }
    }
}

impl Clone for HashValue {
    fn clone(&self) -> Self {
        match self {
            HashValue::Listpack(pairs) => HashValue::Listpack(pairs.clone()),
            HashValue::Hashtable(table) => {
                let mut copy = Dict::new();
                for (field, value) in table.iter() {
                    copy.insert_new(field.clone(), value.clone());
                }
                HashValue::Hashtable(Box::new(copy))
            }
        }
    }
}

impl fmt::Debug for HashValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs = self.iter().map(|(k, v)| (String::from_utf8_lossy(k), String::from_utf8_lossy(v)));
        f.debug_map().entries(pairs).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: HashLimits = HashLimits { max_entries: 2, max_value: 4 };

    #[test]
    fn converts_past_the_entry_limit_and_stays_converted() {
        let mut h = HashValue::default();
        assert!(h.set(b"a", b"1", LIMITS));
        assert!(!h.set(b"a", b"2", LIMITS));
        assert!(h.set(b"b", b"3", LIMITS));
        assert_eq!(h.encoding(), "listpack");
        let order: Vec<_> = h.iter().map(|(f, _)| f.to_vec()).collect();
        assert_eq!(order, [b"a".to_vec(), b"b".to_vec()]);
        assert!(h.set(b"c", b"4", LIMITS));
        assert_eq!(h.encoding(), "hashtable");
        assert!(h.remove(b"c") && h.remove(b"b"));
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"a"), Some(&b"2"[..]));
        assert_eq!(h.clone().get(b"a"), Some(&b"2"[..]));
    }

    #[test]
    fn converts_on_long_fields_or_values() {
        let mut h = HashValue::default();
        h.set(b"f", b"12345", LIMITS);
        assert_eq!(h.encoding(), "hashtable");
        let mut h = HashValue::default();
        h.set(b"fffff", b"1", LIMITS);
        assert_eq!((h.encoding(), h.len()), ("hashtable", 1));
        assert!(!h.remove(b"nope"));
    }

    #[test]
    fn small_hashes_stay_small() {
        assert!(std::mem::size_of::<HashValue>() <= 32);
    }

    #[test]
    fn listpack_scans_whole() {
        let mut h = HashValue::default();
        h.set(b"a", b"1", LIMITS);
        h.set(b"b", b"2", LIMITS);
        let mut seen = 0;
        assert_eq!(h.scan(0, |_, _| seen += 1), 0);
        assert_eq!(seen, 2);
    }
}
