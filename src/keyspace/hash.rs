//! Hash values: a short field/value list (`listpack`) that becomes a hash table (`hashtable`)
//! for good once it outgrows the configured limits, as in Redis.
//!
//! A `listpack` hash is one exact-size allocation: the [`Listpack`] entries of its fields and
//! values, alternating and without backlens ([`forward_listpack`]: a hash is never walked
//! backwards), followed by the number of entries (4 bytes). Together with the table
//! variant's pointer it fits the 16 bytes a keyspace [`super::Value`] has room for inline, so a
//! small hash costs its key's node plus one buffer (Redis: dict entry, key, object, listpack).
//! Reads walk the bytes in place; a write builds the new buffer from the old one in one pass.
//!
//! The table is the keyspace's own [`Dict`] rather than a `HashMap`: HSCAN needs a cursor that
//! survives resizes between calls, and HRANDFIELD needs random entries without a full walk.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use crate::types::dict::Dict;
use crate::types::forward_listpack;
use crate::types::listpack::{Entry, Listpack};
use crate::types::small_bytes::SmallBytes;

/// A field and its value, borrowed unless a listpack stored one as an integer.
pub type FieldValue<'a> = (Cow<'a, [u8]>, Cow<'a, [u8]>);

/// Bytes of the entry count after a packed listpack.
const COUNT_BYTES: usize = 4;

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
    /// Field/value pairs in insertion order, searched linearly (see the module docs).
    Listpack(Box<[u8]>),
    /// A hash table from field to value (boxed: small hashes, the common case, stay small).
    Hashtable(Box<Dict<SmallBytes>>),
}

impl Default for HashValue {
    fn default() -> Self {
        HashValue::Listpack(Box::default())
    }
}

/// The encoded entries and the entry count of a packed listpack.
fn unpack(packed: &[u8]) -> (&[u8], usize) {
    let split = packed.len().saturating_sub(COUNT_BYTES);
    let (entries, count) = packed.split_at(split);
    let count = <[u8; COUNT_BYTES]>::try_from(count).map_or(0, u32::from_le_bytes);
    (entries, count as usize)
}

/// A field or value and the bytes its entry occupies in a packed listpack.
type Located<'a> = (Entry<'a>, Range<usize>);

/// Field/value pairs of a packed listpack, in order, with where each entry lies.
fn located_pairs(packed: &[u8]) -> impl Iterator<Item = (Located<'_>, Located<'_>)> {
    let mut entries = forward_listpack::entries(unpack(packed).0);
    std::iter::from_fn(move || Some((entries.next()?, entries.next()?)))
}

/// Field/value pairs of a packed listpack, in order.
fn pairs(packed: &[u8]) -> impl Iterator<Item = (Entry<'_>, Entry<'_>)> {
    located_pairs(packed).map(|((field, _), (value, _))| (field, value))
}

/// The pair whose field is `field`: the byte range from its field's start to its value's end,
/// and its value's range.
fn find_pair(packed: &[u8], field: &[u8]) -> Option<(Range<usize>, Range<usize>)> {
    located_pairs(packed)
        .find(|((f, _), _)| f.eq_bytes(field))
        .map(|((_, field_at), (_, value_at))| (field_at.start..value_at.end, value_at))
}

/// A packed listpack of `count` entries: `head`, the entries `middle` pushes, then `tail`
/// (which ends with the old count, replaced by `count`), in one exact-size allocation.
fn repack(head: &[u8], middle: &[&[u8]], tail: &[u8], count: usize) -> Box<[u8]> {
    let tail = &tail[..tail.len().saturating_sub(COUNT_BYTES)];
    let size = head.len() + middle.iter().map(|v| forward_listpack::entry_size(v)).sum::<usize>() + tail.len();
    let mut bytes = Vec::with_capacity(size + COUNT_BYTES);
    bytes.extend_from_slice(head);
    middle.iter().for_each(|v| forward_listpack::push(&mut bytes, v));
    bytes.extend_from_slice(tail);
    bytes.extend_from_slice(&u32::try_from(count).unwrap_or(u32::MAX).to_le_bytes());
    bytes.into_boxed_slice()
}

impl HashValue {
    /// Number of fields.
    pub fn len(&self) -> usize {
        match self {
            HashValue::Listpack(packed) => unpack(packed).1 / 2,
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

    /// The value of `field` (copied only when a listpack stored it as an integer).
    pub fn get(&self, field: &[u8]) -> Option<Cow<'_, [u8]>> {
        match self {
            HashValue::Listpack(packed) => pairs(packed).find(|(f, _)| f.eq_bytes(field)).map(|(_, v)| v.into_cow()),
            HashValue::Hashtable(table) => table.get(field).map(|v| Cow::Borrowed(v.as_bytes())),
        }
    }

    /// Sets `field` to `value`; returns whether the field is new. Converts to `hashtable` first
    /// when either is too long for a `listpack`, and after when there are too many fields.
    pub fn set(&mut self, field: &[u8], value: &[u8], limits: HashLimits) -> bool {
        if field.len() > limits.max_value || value.len() > limits.max_value {
            self.convert();
        }
        let new = match self {
            HashValue::Listpack(packed) => {
                let (entries, count) = unpack(packed);
                // Replace the value in place, or append the pair after the last entry.
                let (at, added, new): (Range<usize>, &[&[u8]], bool) = match find_pair(packed, field) {
                    Some((_, value_at)) => (value_at, &[value], false),
                    None => (entries.len()..entries.len(), &[field, value], true),
                };
                let count = if new { count + 2 } else { count };
                *packed = repack(&packed[..at.start], added, &packed[at.end..], count);
                new
            }
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
            HashValue::Listpack(packed) => {
                let Some((at, _)) = find_pair(packed, field) else { return false };
                let count = unpack(packed).1;
                *packed = repack(&packed[..at.start], &[], &packed[at.end..], count.saturating_sub(2));
                true
            }
            HashValue::Hashtable(table) => table.remove(field).is_some(),
        }
    }

    /// A `listpack` hash of `list`'s field/value pairs as they are (RDB loading: Redis keeps a
    /// loaded listpack hash whatever the length of its values, only its size is checked).
    pub fn from_listpack(list: Listpack) -> HashValue {
        let mut bytes = forward_listpack::from_listpack(list.encoded());
        bytes.extend_from_slice(&u32::try_from(list.len()).unwrap_or(u32::MAX).to_le_bytes());
        HashValue::Listpack(bytes.into_boxed_slice())
    }

    /// The entries of a `listpack` hash (fields and values alternating, without backlens: see
    /// [`forward_listpack`]) and how many there are; `None` for a `hashtable`.
    pub fn listpack_entries(&self) -> Option<(&[u8], usize)> {
        match self {
            HashValue::Listpack(packed) => Some(unpack(packed)),
            HashValue::Hashtable(_) => None,
        }
    }

    /// Turns a `listpack` into a `hashtable` (no-op when it already is one).
    fn convert(&mut self) {
        if let HashValue::Listpack(packed) = self {
            let mut table = Dict::new();
            for (field, value) in pairs(packed) {
                table.insert_new(SmallBytes::new(&field.into_cow()), SmallBytes::new(&value.into_cow()));
            }
            *self = HashValue::Hashtable(Box::new(table));
        }
    }

    /// Every field and value: insertion order for a `listpack`, table order for a `hashtable`.
    pub fn iter(&self) -> impl Iterator<Item = FieldValue<'_>> {
        let (list, table) = match self {
            HashValue::Listpack(packed) => (Some(pairs(packed).map(|(f, v)| (f.into_cow(), v.into_cow()))), None),
            HashValue::Hashtable(table) => (None, Some(table.iter())),
        };
        let table =
            table.into_iter().flatten().map(|(f, v)| (Cow::Borrowed(f.as_bytes()), Cow::Borrowed(v.as_bytes())));
        list.into_iter().flatten().chain(table)
    }

    /// A random field and value (`None` when empty).
    pub fn random(&self, rng: &mut fastrand::Rng) -> Option<FieldValue<'_>> {
        match self {
            HashValue::Listpack(packed) => {
                let len = self.len();
                if len == 0 {
                    return None;
                }
                pairs(packed).nth(rng.usize(..len)).map(|(f, v)| (f.into_cow(), v.into_cow()))
            }
            HashValue::Hashtable(table) => {
                table.random_entry(rng).map(|(f, v)| (Cow::Borrowed(f.as_bytes()), Cow::Borrowed(v.value.as_bytes())))
            }
        }
    }

    /// One HSCAN step from `cursor`: a `listpack` is visited whole and returns cursor 0, as in
    /// Redis; a `hashtable` is scanned bucket by bucket.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&[u8], &[u8])) -> u64 {
        match self {
            HashValue::Listpack(packed) => {
                pairs(packed).for_each(|(f, v)| visit(&f.into_cow(), &v.into_cow()));
                0
            }
            HashValue::Hashtable(table) => table.scan(cursor, |f, v| visit(f.as_bytes(), v.value.as_bytes())),
        }
    }
}

impl Clone for HashValue {
    fn clone(&self) -> Self {
        match self {
            HashValue::Listpack(packed) => HashValue::Listpack(packed.clone()),
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
        let pairs = self
            .iter()
            .map(|(k, v)| (String::from_utf8_lossy(&k).into_owned(), String::from_utf8_lossy(&v).into_owned()));
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
        assert_eq!(h.get(b"a").as_deref(), Some(&b"2"[..]));
        assert_eq!(h.clone().get(b"a").as_deref(), Some(&b"2"[..]));
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
        // Inline in a keyspace value: two words.
        assert_eq!(std::mem::size_of::<HashValue>(), 16);
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

    #[test]
    fn random_operations_match_a_model_in_both_encodings() {
        let limits = HashLimits { max_entries: 16, max_value: 12 };
        let fields: Vec<Vec<u8>> = ["0", "1", "-7", "12", "a", "bb", "ccc", "", "x y", "007", "99999999999"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .chain((0..12).map(|i| format!("field-{i}").into_bytes()))
            .collect();
        for seed in 0..20 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut hash = HashValue::default();
            let mut model: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
            for _ in 0..300 {
                let field = &fields[rng.usize(..fields.len())];
                if rng.u8(..3) == 0 {
                    let was = model.iter().position(|(f, _)| f == field).map(|i| model.remove(i));
                    assert_eq!(hash.remove(field), was.is_some());
                } else {
                    let value = fields[rng.usize(..fields.len())].clone();
                    let new = match model.iter_mut().find(|(f, _)| f == field) {
                        Some((_, v)) => {
                            *v = value.clone();
                            false
                        }
                        None => {
                            model.push((field.clone(), value.clone()));
                            true
                        }
                    };
                    assert_eq!(hash.set(field, &value, limits), new);
                }
                assert_eq!(hash.len(), model.len());
                for (f, v) in &model {
                    assert_eq!(hash.get(f).as_deref(), Some(v.as_slice()));
                }
                let mut got: Vec<(Vec<u8>, Vec<u8>)> =
                    hash.iter().map(|(f, v)| (f.into_owned(), v.into_owned())).collect();
                if hash.encoding() == "listpack" {
                    assert_eq!(got, model, "insertion order");
                } else {
                    let mut want = model.clone();
                    got.sort();
                    want.sort();
                    assert_eq!(got, want);
                }
            }
        }
    }
}
