//! The set type's value: Redis 7.0's two encodings, `intset` (a sorted array of integers) while
//! every member is a canonical integer and the set is small, else `hashtable` for good.

use crate::types::dict::Dict;
use crate::types::intset::IntSet;
use crate::types::number::parse_i64;
use crate::types::small_bytes::SmallBytes;

/// Formats an intset member the way Redis replies with it.
fn int_bytes(n: i64) -> Vec<u8> {
    n.to_string().into_bytes()
}

/// A set of binary strings.
pub enum SetValue {
    /// Sorted canonical integers, packed as Redis's intset.
    IntSet(IntSet),
    /// Any members; keys of the table, no values. Boxed so that a small set pays for a pointer,
    /// not for a whole table header.
    Hashtable(Box<Dict<()>>),
}

// Written out rather than derived: the hash table implements neither trait.
impl Clone for SetValue {
    fn clone(&self) -> Self {
        match self {
            SetValue::IntSet(v) => SetValue::IntSet(v.clone()),
            SetValue::Hashtable(d) => {
                let mut copy = Dict::new();
                for (key, ()) in d.iter() {
                    copy.insert_new(key.clone(), ());
                }
                SetValue::Hashtable(Box::new(copy))
            }
        }
    }
}

impl std::fmt::Debug for SetValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SetValue({}, {} members)", self.encoding(), self.len())
    }
}

impl SetValue {
    /// The empty set Redis would create to hold `first` (`setTypeCreate`): an intset when it is
    /// an integer.
    pub fn for_member(first: &[u8]) -> Self {
        if parse_i64(first).is_some() { SetValue::empty() } else { SetValue::Hashtable(Box::default()) }
    }

    /// An empty set (an empty intset, as Redis's `intsetNew`).
    pub fn empty() -> Self {
        SetValue::IntSet(IntSet::new())
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            SetValue::IntSet(v) => v.len(),
            SetValue::Hashtable(d) => d.len(),
        }
    }

    /// Whether the set has no members.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            SetValue::IntSet(_) => "intset",
            SetValue::Hashtable(_) => "hashtable",
        }
    }

    /// Whether `member` is in the set.
    pub fn contains(&self, member: &[u8]) -> bool {
        match self {
            SetValue::IntSet(v) => parse_i64(member).is_some_and(|n| v.contains(n)),
            SetValue::Hashtable(d) => d.contains_key(member),
        }
    }

    /// Adds `member`; returns whether it was new. Converts to `hashtable` when the member is not
    /// an integer or the intset grows past `max_intset` entries.
    pub fn add(&mut self, member: &[u8], max_intset: u64) -> bool {
        if let SetValue::IntSet(v) = self {
            if let Some(n) = parse_i64(member) {
                if !v.insert(n) {
                    return false;
                }
                if v.len() as u64 > max_intset {
                    self.convert_to_hashtable();
                }
                return true;
            }
            self.convert_to_hashtable();
        }
        match self {
            SetValue::Hashtable(d) if !d.contains_key(member) => {
                d.insert_new(SmallBytes::new(member), ());
                true
            }
            _ => false,
        }
    }

    /// Removes `member`; returns whether it was present.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            SetValue::IntSet(v) => parse_i64(member).is_some_and(|n| v.remove(n)),
            SetValue::Hashtable(d) => {
                let removed = d.remove(member).is_some();
                if removed {
                    d.shrink_if_needed();
                }
                removed
            }
        }
    }

    fn convert_to_hashtable(&mut self) {
        if let SetValue::IntSet(v) = self {
            let mut d = Dict::new();
            for n in v.iter() {
                d.insert_new(SmallBytes::new(&int_bytes(n)), ());
            }
            *self = SetValue::Hashtable(Box::new(d));
        }
    }

    /// Every member, in the encoding's order (ascending for intsets).
    pub fn members(&self) -> Vec<Vec<u8>> {
        match self {
            SetValue::IntSet(v) => v.iter().map(int_bytes).collect(),
            SetValue::Hashtable(d) => d.iter().map(|(k, ())| k.as_bytes().to_vec()).collect(),
        }
    }

    /// A random member (None when empty).
    pub fn random_member(&self, rng: &mut fastrand::Rng) -> Option<Vec<u8>> {
        match self {
            SetValue::IntSet(v) if !v.is_empty() => v.get(rng.usize(..v.len())).map(int_bytes),
            SetValue::IntSet(_) => None,
            SetValue::Hashtable(d) => d.random_entry(rng).map(|(k, _)| k.as_bytes().to_vec()),
        }
    }

    /// Removes and returns a random member.
    pub fn pop_random(&mut self, rng: &mut fastrand::Rng) -> Option<Vec<u8>> {
        let member = self.random_member(rng)?;
        self.remove(&member);
        Some(member)
    }

    /// One SSCAN step: intsets return everything at once with cursor 0, as in Redis.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&[u8])) -> u64 {
        match self {
            SetValue::IntSet(v) => {
                for n in v.iter() {
                    visit(&int_bytes(n));
                }
                0
            }
            SetValue::Hashtable(d) => d.scan(cursor, |k, _| visit(k.as_bytes())),
        }
    }

    /// Heap bytes the set owns beyond its two inline words (MEMORY USAGE estimate: members,
    /// nodes and buckets).
    pub fn heap_size(&self) -> usize {
        match self {
            SetValue::IntSet(v) => v.heap_size(),
            SetValue::Hashtable(d) => {
                let keys: usize = d.iter().map(|(k, ())| k.heap_size()).sum();
                std::mem::size_of::<Dict<()>>() + d.heap_size() + keys
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_on_strings_and_size() {
        let mut s = SetValue::for_member(b"1");
        assert!(s.add(b"3", 2) && s.add(b"1", 2) && !s.add(b"3", 2));
        assert_eq!((s.encoding(), s.members()), ("intset", vec![b"1".to_vec(), b"3".to_vec()]));
        assert!(s.add(b"2", 2));
        assert_eq!((s.encoding(), s.len()), ("hashtable", 3));
        let mut t = SetValue::for_member(b"5");
        assert!(t.add(b"5", 10) && t.add(b"05", 10));
        assert_eq!(t.encoding(), "hashtable");
        assert!(t.contains(b"5") && t.contains(b"05") && t.remove(b"5") && !t.remove(b"5"));
    }

    #[test]
    fn pops_until_empty() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut s = SetValue::for_member(b"a");
        for m in [&b"a"[..], b"b", b"c"] {
            s.add(m, 512);
        }
        let mut seen: Vec<_> = std::iter::from_fn(|| s.pop_random(&mut rng)).collect();
        seen.sort();
        assert_eq!(seen, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
        assert!(s.is_empty());
    }
}
