//! The sorted-set type's value, in Redis 7.0's two encodings as OBJECT ENCODING names them:
//! `listpack` (here a sorted vector of entries, searched linearly by member) while small, then
//! `skiplist` for good (here a member → score [`Dict`] for O(1) ZSCORE plus an order-statistic
//! [`BTree`] for ranks and ranges; see `btree.rs` for why not a skiplist).
//!
//! Entries are ordered by score, then member bytes. Scores are never NaN. Every range operation
//! is expressed as a half-open interval of ranks (`start..end`), found with one partition point
//! per end, so counting, listing, reversing and removing share one shape.

pub mod btree;
pub mod packed;
pub mod score;

use btree::{BTree, Item};
use packed::Packed;
use score::{LexRange, ScoreRange, compare};

use crate::types::dict::{Dict, TableStats};
use crate::types::small_bytes::SmallBytes;

/// When a `listpack` sorted set converts (`zset-max-listpack-entries`, `-value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZSetLimits {
    /// Most members a `listpack` sorted set may hold.
    pub max_entries: usize,
    /// Longest member a `listpack` sorted set may hold.
    pub max_value: usize,
}

/// The large encoding: member → score, and the ordered entries.
#[derive(Default)]
pub struct Sorted {
    scores: Dict<f64>,
    tree: BTree,
}

impl Sorted {
    fn insert_new(&mut self, score: f64, member: &[u8]) {
        self.scores.insert_new(SmallBytes::new(member), score);
        self.tree.insert(Item { score, member: SmallBytes::new(member) });
    }

    /// Holds `items` (sorted, distinct members).
    fn from_items(items: Vec<Item>) -> Self {
        let mut sorted = Sorted::default();
        for item in items {
            sorted.scores.insert_new(item.member.clone(), item.score);
            sorted.tree.insert(item);
        }
        sorted
    }

    fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let (_, score) = self.scores.remove(member)?;
        self.tree.remove(score, member);
        Some(score)
    }
}

/// A score as a listpack keeps it: Redis stores integral scores as integers there, so `-0`
/// comes back as `0`.
fn listpack_score(score: f64) -> f64 {
    if score == 0.0 { 0.0 } else { score }
}

/// A sorted set.
pub enum ZSetValue {
    /// Entries in order, packed in one buffer (small sets).
    Listpack(Packed),
    /// Hash table plus tree (boxed: the small form is the common one).
    Skiplist(Box<Sorted>),
}

/// What ZADD's flags ask for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddFlags {
    /// Only add new members.
    pub nx: bool,
    /// Only update existing members.
    pub xx: bool,
    /// Only update when the new score is greater.
    pub gt: bool,
    /// Only update when the new score is less.
    pub lt: bool,
    /// Add the score to the current one.
    pub incr: bool,
}

/// What one ZADD pair did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Added {
    /// A new member, with its score.
    New(f64),
    /// An existing member got a new score.
    Changed(f64),
    /// An existing member kept its score (the update asked for the same one).
    Same(f64),
    /// Nothing was done (NX, XX, GT or LT said no).
    Skipped,
}

/// ZINCRBY (or ZADD INCR) produced NaN, e.g. `+inf` plus `-inf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

impl ZSetValue {
    /// The empty set ZADD creates for a first member of `first_len` bytes: `skiplist` right away
    /// when the limits rule the small form out, as in Redis.
    pub fn for_first_member(first_len: usize, limits: ZSetLimits) -> Self {
        ZSetValue::empty(limits.max_entries == 0 || first_len > limits.max_value)
    }

    /// An empty set in the `skiplist` encoding when `large`, else `listpack`.
    pub fn empty(large: bool) -> Self {
        if large { ZSetValue::Skiplist(Box::default()) } else { ZSetValue::Listpack(Packed::default()) }
    }

    /// A set holding `items` (sorted, distinct members), encoded as Redis encodes a computed
    /// result (ZUNIONSTORE, ZRANGESTORE): `listpack` when both limits allow it.
    pub fn from_sorted(items: Vec<Item>, limits: ZSetLimits) -> Self {
        let longest = items.iter().map(|e| e.member.len()).max().unwrap_or(0);
        if items.len() <= limits.max_entries && longest <= limits.max_value {
            let entries = items.iter().map(|e| (listpack_score(e.score), e.member.as_bytes()));
            return ZSetValue::Listpack(Packed::from_sorted(entries));
        }
        ZSetValue::Skiplist(Box::new(Sorted::from_items(items)))
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            ZSetValue::Listpack(v) => v.len(),
            ZSetValue::Skiplist(s) => s.tree.len(),
        }
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            ZSetValue::Listpack(_) => "listpack",
            ZSetValue::Skiplist(_) => "skiplist",
        }
    }

    /// The shape of a `skiplist` set's member → score table (DEBUG HTSTATS-KEY); `None` for a
    /// `listpack` set, which has no table.
    pub fn member_table_stats(&self) -> Option<Vec<TableStats>> {
        match self {
            ZSetValue::Listpack(_) => None,
            ZSetValue::Skiplist(s) => Some(s.scores.stats()),
        }
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            ZSetValue::Listpack(v) => v.position(member).map(|(_, score)| score),
            ZSetValue::Skiplist(s) => s.scores.get(member).copied(),
        }
    }

    /// ZADD of one pair under `flags`, converting to `skiplist` when a new member outgrows the
    /// limits.
    pub fn add(&mut self, score: f64, member: &[u8], flags: AddFlags, limits: ZSetLimits) -> Result<Added, NotANumber> {
        if let Some(current) = self.score(member) {
            if flags.nx {
                return Ok(Added::Skipped);
            }
            let new = if flags.incr { current + score } else { score };
            if new.is_nan() {
                return Err(NotANumber);
            }
            if (flags.lt && new >= current) || (flags.gt && new <= current) {
                return Ok(Added::Skipped);
            }
            if new == current {
                return Ok(Added::Same(new));
            }
            self.update_score(member, current, new);
            return Ok(Added::Changed(new));
        }
        if flags.xx {
            return Ok(Added::Skipped);
        }
        self.insert_new(score, member, limits);
        Ok(Added::New(score))
    }

    /// Inserts a member known to be absent.
    fn insert_new(&mut self, score: f64, member: &[u8], limits: ZSetLimits) {
        if let ZSetValue::Listpack(v) = self {
            if v.len() < limits.max_entries && member.len() <= limits.max_value {
                let score = listpack_score(score);
                let at = v.partition_point(|s, m| compare(s, m, score, member).is_lt());
                v.insert(at, score, member);
                return;
            }
            self.convert_to_skiplist();
        }
        if let ZSetValue::Skiplist(s) = self {
            s.insert_new(score, member);
        }
    }

    /// Moves an existing member from score `old` to `new` (never converts, as in Redis).
    fn update_score(&mut self, member: &[u8], old: f64, new: f64) {
        match self {
            ZSetValue::Listpack(v) => {
                let Some((at, _)) = v.position(member) else { return };
                v.remove_ranks(at, at + 1);
                let new = listpack_score(new);
                let to = v.partition_point(|s, m| compare(s, m, new, member).is_lt());
                v.insert(to, new, member);
            }
            ZSetValue::Skiplist(s) => {
                if let Some(mut item) = s.tree.remove(old, member) {
                    item.score = new;
                    s.tree.insert(item);
                }
                if let Some(score) = s.scores.get_mut(member) {
                    *score = new;
                }
            }
        }
    }

    fn convert_to_skiplist(&mut self) {
        if let ZSetValue::Listpack(v) = self {
            let items = v.iter().map(|(score, member)| Item { score, member: SmallBytes::new(member) }).collect();
            *self = ZSetValue::Skiplist(Box::new(Sorted::from_items(items)));
        }
    }

    /// Removes `member`; returns its score if it was there.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        match self {
            ZSetValue::Listpack(v) => {
                let (at, score) = v.position(member)?;
                v.remove_ranks(at, at + 1);
                Some(score)
            }
            ZSetValue::Skiplist(s) => {
                let score = s.remove(member)?;
                s.scores.shrink_if_needed();
                Some(score)
            }
        }
    }

    /// The 0-based rank of `member` (ascending) and its score.
    pub fn rank(&self, member: &[u8]) -> Option<(usize, f64)> {
        match self {
            ZSetValue::Listpack(v) => v.position(member),
            ZSetValue::Skiplist(s) => {
                let score = *s.scores.get(member)?;
                Some((s.tree.rank(score, member), score))
            }
        }
    }

    /// The entry at 0-based ascending `rank`.
    pub fn get(&self, rank: usize) -> Option<(f64, &[u8])> {
        match self {
            ZSetValue::Listpack(v) => v.get(rank),
            ZSetValue::Skiplist(s) => s.tree.get(rank).map(|e| (e.score, e.member.as_bytes())),
        }
    }

    /// Calls `f` with the entries of ranks `start..end`, in descending order if `rev`.
    pub fn for_each(&self, start: usize, end: usize, rev: bool, mut f: impl FnMut(f64, &[u8])) {
        match self {
            ZSetValue::Listpack(v) => {
                let range = v.iter().take(end).skip(start);
                if rev {
                    let entries: Vec<_> = range.collect();
                    entries.into_iter().rev().for_each(|(score, member)| f(score, member));
                } else {
                    range.for_each(|(score, member)| f(score, member));
                }
            }
            ZSetValue::Skiplist(s) => s.tree.visit(start, end, rev, |e| f(e.score, e.member.as_bytes())),
        }
    }

    /// Every entry in order, copied.
    pub fn items(&self) -> Vec<Item> {
        let mut out = Vec::with_capacity(self.len());
        self.for_each(0, self.len(), false, |score, member| out.push(Item { score, member: SmallBytes::new(member) }));
        out
    }

    fn partition_point(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        match self {
            ZSetValue::Listpack(v) => v.partition_point(pred),
            ZSetValue::Skiplist(s) => s.tree.partition_point(pred),
        }
    }

    /// The ranks `start..end` of the members within a score range (empty when `end <= start`).
    pub fn score_span(&self, range: &ScoreRange) -> (usize, usize) {
        let start = self.partition_point(|s, _| range.below(s));
        let end = self.partition_point(|s, _| range.not_above(s));
        (start, end.max(start))
    }

    /// The ranks `start..end` of the members within a lex range (meaningful when all scores are
    /// equal, as in Redis).
    pub fn lex_span(&self, range: &LexRange) -> (usize, usize) {
        let start = self.partition_point(|_, m| range.below(m));
        let end = self.partition_point(|_, m| range.not_above(m));
        (start, end.max(start))
    }

    /// Removes the members of ranks `start..end`; returns how many.
    pub fn remove_ranks(&mut self, start: usize, end: usize) -> usize {
        match self {
            ZSetValue::Listpack(v) => v.remove_ranks(start, end),
            ZSetValue::Skiplist(s) => {
                let mut doomed = Vec::new();
                s.tree.visit(start, end, false, |e| doomed.push(e.member.clone()));
                for member in &doomed {
                    s.remove(member.as_bytes());
                }
                s.scores.shrink_if_needed();
                doomed.len()
            }
        }
    }

    /// Removes and returns the lowest (`max` false) or highest entry.
    pub fn pop(&mut self, max: bool) -> Option<(f64, SmallBytes)> {
        let len = self.len();
        let rank = if max { len.checked_sub(1)? } else { 0 };
        let member = SmallBytes::new(self.get(rank)?.1);
        let score = self.remove(member.as_bytes())?;
        Some((score, member))
    }

    /// A uniformly chosen entry.
    pub fn random(&self, rng: &mut fastrand::Rng) -> Option<(f64, &[u8])> {
        let len = self.len();
        if len == 0 {
            return None;
        }
        self.get(rng.usize(..len))
    }

    /// One ZSCAN step: a `listpack` set returns everything with cursor 0, as in Redis; a
    /// `skiplist` set walks its hash table.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&[u8], f64)) -> u64 {
        match self {
            ZSetValue::Listpack(v) => {
                v.iter().for_each(|(score, member)| visit(member, score));
                0
            }
            ZSetValue::Skiplist(s) => s.scores.scan(cursor, |m, score| visit(m.as_bytes(), score.value)),
        }
    }

    /// Heap bytes the set owns beyond its two inline words (MEMORY USAGE estimate).
    pub fn heap_size(&self) -> usize {
        match self {
            ZSetValue::Listpack(v) => v.heap_size(),
            ZSetValue::Skiplist(s) => {
                let keys: usize = s.scores.iter().map(|(k, _)| k.heap_size()).sum();
                std::mem::size_of::<Sorted>() + s.scores.heap_size() + keys + s.tree.heap_size()
            }
        }
    }
}

// Written out: the hash table and the tree are not `Clone`; a copy is rebuilt in order.
impl Clone for ZSetValue {
    fn clone(&self) -> Self {
        match self {
            ZSetValue::Listpack(v) => ZSetValue::Listpack(v.clone()),
            ZSetValue::Skiplist(_) => {
                let limits = ZSetLimits { max_entries: 0, max_value: 0 };
                ZSetValue::from_sorted(self.items(), limits)
            }
        }
    }
}

impl std::fmt::Debug for ZSetValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ZSetValue({}, {} members)", self.encoding(), self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: ZSetLimits = ZSetLimits { max_entries: 4, max_value: 8 };

    fn add(z: &mut ZSetValue, score: f64, member: &str) -> Added {
        z.add(score, member.as_bytes(), AddFlags::default(), SMALL).unwrap()
    }

    #[test]
    fn converts_past_the_limits_and_keeps_order() {
        let mut z = ZSetValue::for_first_member(1, SMALL);
        for (i, m) in ["d", "c", "b", "a"].iter().enumerate() {
            assert_eq!(add(&mut z, i as f64, m), Added::New(i as f64));
        }
        assert_eq!(z.encoding(), "listpack");
        add(&mut z, 0.5, "e");
        assert_eq!(z.encoding(), "skiplist");
        assert_eq!(z.rank(b"e"), Some((1, 0.5)));
        assert_eq!(add(&mut z, 9.0, "e"), Added::Changed(9.0));
        assert_eq!(z.get(4), Some((9.0, &b"e"[..])));
        assert_eq!(ZSetValue::for_first_member(9, SMALL).encoding(), "skiplist");
        let mut long = ZSetValue::for_first_member(1, SMALL);
        add(&mut long, 1.0, "a");
        add(&mut long, 1.0, "longer-than-8");
        assert_eq!(long.encoding(), "skiplist");
    }

    #[test]
    fn large_sets_keep_their_table_sized() {
        let big = ZSetLimits { max_entries: 0, max_value: 64 };
        let mut z = ZSetValue::for_first_member(1, big);
        for i in 0..50_000 {
            z.add(f64::from(i), format!("m:{i:012}").as_bytes(), AddFlags::default(), big).unwrap();
        }
        let ZSetValue::Skiplist(s) = &z else { panic!("not a skiplist") };
        // A table stuck mid-resize would keep 4 buckets and chains thousands long.
        assert!(s.scores.bucket_count() >= 50_000, "{} buckets", s.scores.bucket_count());
        assert_eq!(z.rank(b"m:000000049999"), Some((49_999, 49_999.0)));
    }

    #[test]
    fn flags_and_nan() {
        let mut z = ZSetValue::for_first_member(1, SMALL);
        add(&mut z, f64::INFINITY, "a");
        let incr = AddFlags { incr: true, ..AddFlags::default() };
        assert_eq!(z.add(f64::NEG_INFINITY, b"a", incr, SMALL), Err(NotANumber));
        let gt = AddFlags { gt: true, ..AddFlags::default() };
        assert_eq!(z.add(1.0, b"a", gt, SMALL), Ok(Added::Skipped));
        let xx = AddFlags { xx: true, ..AddFlags::default() };
        assert_eq!(z.add(1.0, b"b", xx, SMALL), Ok(Added::Skipped));
        assert_eq!(z.add(f64::INFINITY, b"a", AddFlags::default(), SMALL), Ok(Added::Same(f64::INFINITY)));
    }

    #[test]
    fn spans_agree_between_encodings() {
        let big = ZSetLimits { max_entries: 1000, max_value: 64 };
        let mut small = ZSetValue::for_first_member(1, big);
        let mut large = ZSetValue::Skiplist(Box::default());
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..500 {
            let m = format!("{}", rng.u32(..300));
            let s = f64::from(rng.u8(..20));
            small.add(s, m.as_bytes(), AddFlags::default(), big).unwrap();
            large.add(s, m.as_bytes(), AddFlags::default(), big).unwrap();
            if rng.u8(..4) == 0 {
                small.remove(m.as_bytes());
                large.remove(m.as_bytes());
            }
        }
        assert_eq!(small.items().len(), large.items().len());
        for (lo, hi) in [("(3", "7"), ("-inf", "+inf"), ("5", "(5"), ("10", "2")] {
            let r = ScoreRange::parse(lo.as_bytes(), hi.as_bytes()).unwrap();
            assert_eq!(small.score_span(&r), large.score_span(&r));
        }
        assert_eq!(small.remove_ranks(10, 30), large.remove_ranks(10, 30));
        let same = |a: &ZSetValue, b: &ZSetValue| {
            a.items().iter().zip(b.items()).all(|(x, y)| x.score == y.score && x.member == y.member)
        };
        assert!(same(&small, &large));
        assert!(same(&large.clone(), &large));
        assert_eq!(small.pop(true).map(|p| p.1), large.pop(true).map(|p| p.1));
    }
}
