//! rkv's values from decoded elements, in the encodings Redis 7.0 gives loaded values under the
//! current limits (`hash-max-listpack-*`, `zset-max-listpack-*`, `set-max-intset-entries`,
//! `list-max-listpack-size`, `list-compress-depth`). Which limits apply depends on the RDB type,
//! as in Redis: a value loaded one element at a time is checked on counts and lengths, a value
//! loaded as a listpack or ziplist only on its count; the caller decides and passes `large`.
//!
//! Duplicates are refused here (Redis's sanitization does so for every compact encoding, and
//! its hash tables refuse them anyway), so nothing built here can hold a member twice.

use std::collections::HashSet;

use super::format::LISTPACK_SAFETY_SIZE;
use crate::config::Config;
use crate::keyspace::{HashLimits, HashValue, StringValue, Value};
use crate::types::dict::Dict;
use crate::types::intset::IntSet;
use crate::types::listpack::Listpack;
use crate::types::number::parse_i64;
use crate::types::quicklist::{Quicklist, Shape};
use crate::types::set::SetValue;
use crate::types::small_bytes::SmallBytes;
use crate::types::zset::btree::Item;
use crate::types::zset::{ZSetLimits, ZSetValue};

/// The limits that decide loaded values' encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodingLimits {
    /// `hash-max-listpack-entries` / `-value`.
    pub hash: HashLimits,
    /// `zset-max-listpack-entries` / `-value`.
    pub zset: ZSetLimits,
    /// `set-max-intset-entries`.
    pub set_max_intset: u64,
    /// `list-max-listpack-size` and `list-compress-depth`.
    pub list: Shape,
}

impl EncodingLimits {
    /// The limits `config` sets.
    pub fn from_config(config: &Config) -> Self {
        EncodingLimits {
            hash: HashLimits {
                max_entries: config.hash_max_listpack_entries,
                max_value: config.hash_max_listpack_value,
            },
            zset: ZSetLimits {
                max_entries: config.zset_max_listpack_entries,
                max_value: config.zset_max_listpack_value,
            },
            set_max_intset: config.set_max_intset_entries,
            list: Shape { fill: config.list_max_listpack_size, depth: config.list_compress_depth },
        }
    }

    /// Redis 7.0's defaults (what a server started without a config uses).
    pub fn redis_defaults() -> Self {
        EncodingLimits::from_config(&Config::default())
    }
}

/// Why elements did not make a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A collection with no elements.
    Empty,
    /// The same member or field twice.
    Duplicate,
}

/// A string value, encoded as SET would encode it.
pub fn string(bytes: &[u8]) -> Value {
    Value::String(StringValue::from_bytes(bytes))
}

/// A list value of `list`, refused when empty.
pub fn list(list: Quicklist) -> Result<Value, Refused> {
    if list.is_empty() { Err(Refused::Empty) } else { Ok(Value::List(Box::new(list))) }
}

/// A set of `members`: an intset when they are all integers and at most `max_intset`, else a
/// hash table.
pub fn set(members: Vec<Vec<u8>>, max_intset: u64) -> Result<Value, Refused> {
    if members.is_empty() {
        return Err(Refused::Empty);
    }
    let ints: Option<Vec<i64>> = members.iter().map(|m| parse_i64(m)).collect();
    let set = match ints {
        Some(mut ints) if members.len() as u64 <= max_intset => {
            ints.sort_unstable();
            if ints.windows(2).any(|w| w[0] == w[1]) {
                return Err(Refused::Duplicate);
            }
            SetValue::IntSet(IntSet::from_sorted(&ints))
        }
        _ => {
            let mut table = Dict::new();
            for member in members {
                if table.contains_key(&member) {
                    return Err(Refused::Duplicate);
                }
                table.insert_new(SmallBytes::new(&member), ());
            }
            SetValue::Hashtable(Box::new(table))
        }
    };
    Ok(Value::Set(set))
}

/// A set of integers already known distinct and ascending (a validated intset).
pub fn int_set(members: IntSet, max_intset: u64) -> Result<Value, Refused> {
    if members.len() as u64 <= max_intset {
        return Ok(Value::Set(SetValue::IntSet(members)));
    }
    set(members.iter().map(|n| n.to_string().into_bytes()).collect(), max_intset)
}

/// Whether a hash or sorted set loaded one element at a time stays in a listpack (Redis's
/// checks while loading: count, each length, and the listpack's safe size).
pub fn fits_listpack(
    count: usize,
    lengths: impl IntoIterator<Item = usize>,
    max_entries: usize,
    max_value: usize,
) -> bool {
    if count > max_entries {
        return false;
    }
    let mut total = 0usize;
    lengths.into_iter().all(|len| {
        total = total.saturating_add(len);
        len <= max_value && total <= LISTPACK_SAFETY_SIZE
    })
}

/// A hash of `pairs`: a hash table when `large`, else a listpack in the given order.
pub fn hash(pairs: Vec<(Vec<u8>, Vec<u8>)>, large: bool) -> Result<Value, Refused> {
    if pairs.is_empty() {
        return Err(Refused::Empty);
    }
    let hash = if large {
        let mut table = Dict::new();
        for (field, value) in pairs {
            if table.contains_key(&field) {
                return Err(Refused::Duplicate);
            }
            table.insert_new(SmallBytes::new(&field), SmallBytes::new(&value));
        }
        HashValue::Hashtable(Box::new(table))
    } else {
        let mut seen = HashSet::with_capacity(pairs.len());
        if !pairs.iter().all(|(field, _)| seen.insert(field.as_slice())) {
            return Err(Refused::Duplicate);
        }
        HashValue::from_listpack(pairs.iter().flat_map(|(f, v)| [f, v]).collect::<Listpack>())
    };
    Ok(Value::Hash(hash))
}

/// A sorted set of `(score, member)` pairs (scores never NaN): a skiplist when `large`, else a
/// listpack.
pub fn zset(pairs: Vec<(f64, Vec<u8>)>, large: bool) -> Result<Value, Refused> {
    if pairs.is_empty() {
        return Err(Refused::Empty);
    }
    let mut seen = HashSet::with_capacity(pairs.len());
    if !pairs.iter().all(|(_, member)| seen.insert(member.as_slice())) {
        return Err(Refused::Duplicate);
    }
    drop(seen);
    let mut items: Vec<Item> =
        pairs.into_iter().map(|(score, member)| Item { score, member: SmallBytes::new(&member) }).collect();
    items
        .sort_by(|a, b| crate::types::zset::score::compare(a.score, a.member.as_bytes(), b.score, b.member.as_bytes()));
    let limits = if large {
        ZSetLimits { max_entries: 0, max_value: 0 }
    } else {
        ZSetLimits { max_entries: usize::MAX, max_value: usize::MAX }
    };
    Ok(Value::ZSet(ZSetValue::from_sorted(items, limits)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    #[test]
    fn sets_pick_intset_only_for_few_integers() {
        let Ok(Value::Set(s)) = set(vec![b("3"), b("-1"), b("2")], 3) else { panic!() };
        assert_eq!((s.encoding(), s.members()), ("intset", vec![b("-1"), b("2"), b("3")]));
        let Ok(Value::Set(s)) = set(vec![b("3"), b("-1"), b("2")], 2) else { panic!() };
        assert_eq!(s.encoding(), "hashtable");
        let Ok(Value::Set(s)) = set(vec![b("1"), b("01")], 10) else { panic!() };
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(set(vec![b("1"), b("1")], 10).unwrap_err(), Refused::Duplicate);
        assert_eq!(set(vec![b("a"), b("a")], 10).unwrap_err(), Refused::Duplicate);
        assert_eq!(set(vec![], 10).unwrap_err(), Refused::Empty);
        let Ok(Value::Set(s)) = int_set(IntSet::from_sorted(&[1, 2, 3]), 2) else { panic!() };
        assert_eq!((s.encoding(), s.len()), ("hashtable", 3));
    }

    #[test]
    fn hashes_keep_order_and_refuse_duplicates() {
        let pairs = vec![(b("b"), b("1")), (b("a"), b("2"))];
        let Ok(Value::Hash(h)) = hash(pairs.clone(), false) else { panic!() };
        assert_eq!(h.encoding(), "listpack");
        let got: Vec<(Vec<u8>, Vec<u8>)> = h.iter().map(|(f, v)| (f.into_owned(), v.into_owned())).collect();
        assert_eq!(got, pairs);
        let Ok(Value::Hash(h)) = hash(pairs, true) else { panic!() };
        assert_eq!((h.encoding(), h.get(b"a").as_deref()), ("hashtable", Some(&b"2"[..])));
        for large in [false, true] {
            assert_eq!(hash(vec![(b("f"), b("1")), (b("f"), b("2"))], large).unwrap_err(), Refused::Duplicate);
        }
        assert!(fits_listpack(2, [1, 64], 2, 64));
        assert!(!fits_listpack(3, [1, 1, 1], 2, 64));
        assert!(!fits_listpack(1, [65], 2, 64));
    }

    #[test]
    fn sorted_sets_sort_and_pick_encoding() {
        let pairs = vec![(2.0, b("b")), (1.0, b("z")), (2.0, b("a"))];
        let Ok(Value::ZSet(z)) = zset(pairs.clone(), false) else { panic!() };
        assert_eq!(z.encoding(), "listpack");
        let order: Vec<Vec<u8>> = z.items().iter().map(|i| i.member.as_bytes().to_vec()).collect();
        assert_eq!(order, [b("z"), b("a"), b("b")]);
        let Ok(Value::ZSet(z)) = zset(pairs, true) else { panic!() };
        assert_eq!((z.encoding(), z.score(b"a")), ("skiplist", Some(2.0)));
        assert_eq!(zset(vec![(1.0, b("m")), (2.0, b("m"))], false).unwrap_err(), Refused::Duplicate);
    }

    #[test]
    fn empty_lists_are_refused() {
        assert_eq!(list(Quicklist::new(Shape::plain(-2))).unwrap_err(), Refused::Empty);
    }
}
