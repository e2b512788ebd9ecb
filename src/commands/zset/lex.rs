//! Lex ranges walked the way Redis 7.0 walks them (t_zset.c), for ZRANGEBYLEX, ZREVRANGEBYLEX,
//! ZRANGE/ZRANGESTORE BYLEX, ZLEXCOUNT and ZREMRANGEBYLEX.
//!
//! Redis's lex functions assume every member has the same score, so that score order is member
//! order. When scores differ, members are not in lex order and Redis's answer is whatever its
//! walk produces; clients see it, so rkv walks the same way rather than answering "correctly":
//!
//! - `listpack`: linear scans (`zzlFirstInLexRange` from the head to the first member `>= min`,
//!   `zzlLastInLexRange` from the tail to the first member `<= max`), then a walk that stops at
//!   the first member out of range. Deterministic, and reproduced exactly.
//! - `skiplist`: Redis descends its skiplist (`zslFirstInLexRange`, `zslLastInLexRange`,
//!   `zslDeleteRangeByLex`), skipping members along express lanes whose heights are random. With
//!   differing scores the member found depends on those heights, so Redis itself may answer
//!   differently for the same data. rkv answers as a skiplist without express lanes would (the
//!   likeliest heights: three nodes in four have height one), by linear scans from the head.
//!   Whenever the answer does not depend on the heights (the test flips at most once along the
//!   set, e.g. `-` as min for a forward walk), this is Redis's answer exactly. With one score
//!   throughout, the usual case, members are in lex order and binary searches (O(log² n) rank
//!   reads) find what every descent finds.
//!
//! Ranges are returned as ascending ranks `lo..hi`; every walk Redis does covers consecutive
//! ranks.

use crate::types::zset::ZSetValue;
use crate::types::zset::score::{LexBound, LexRange};

/// How the ends of a range are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    /// `listpack`: Redis's linear scans, from the head for the first member and from the tail
    /// for the last.
    Listpack,
    /// `skiplist` with one score throughout: members are in lex order, every descent finds the
    /// same member, and a binary search finds it too.
    SkiplistSorted,
    /// `skiplist` with differing scores: the descent of a skiplist whose nodes all have height
    /// one (no express lanes), Redis's most likely answer: linear scans from the head for both
    /// ends.
    SkiplistMixed,
}

/// A sorted set and a lex range, with Redis's per-member tests.
struct Walk<'a> {
    zset: &'a ZSetValue,
    range: &'a LexRange,
    search: Search,
}

impl Walk<'_> {
    fn new<'a>(zset: &'a ZSetValue, range: &'a LexRange) -> Walk<'a> {
        let score = |rank| zset.get(rank).map(|(s, _)| s);
        let search = if zset.encoding() == "listpack" {
            Search::Listpack
        } else if score(0) == score(zset.len().saturating_sub(1)) {
            Search::SkiplistSorted
        } else {
            Search::SkiplistMixed
        };
        Walk { zset, range, search }
    }

    fn len(&self) -> usize {
        self.zset.len()
    }

    fn member(&self, rank: usize) -> &[u8] {
        self.zset.get(rank).map_or(&[][..], |(_, m)| m)
    }

    /// `zslLexValueGteMin`.
    fn gte_min(&self, rank: usize) -> bool {
        !self.range.below(self.member(rank))
    }

    /// `zslLexValueLteMax`.
    fn lte_max(&self, rank: usize) -> bool {
        self.range.not_above(self.member(rank))
    }

    /// `zzlIsInLexRange` / `zslIsInLexRange`: the range is not empty, the last member is `>= min`
    /// and the first is `<= max`.
    fn in_range(&self) -> bool {
        let n = self.len();
        !always_empty(self.range) && n > 0 && self.gte_min(n - 1) && self.lte_max(0)
    }

    /// A rank `i` where `pred` flips: `pred(i - 1)` holds (or `i == 0`) and `pred(i)` does not
    /// (or `i == len`); the first such rank when `pred` is monotone.
    fn boundary(&self, pred: impl Fn(usize) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(mid) { lo = mid + 1 } else { hi = mid }
        }
        lo
    }

    /// Where Redis's descent to "the first member `>= min`" stops (no emptiness check, as in
    /// `zslDeleteRangeByLex`).
    fn first_gte_min(&self) -> Option<usize> {
        if self.search == Search::SkiplistSorted {
            Some(self.boundary(|i| !self.gte_min(i))).filter(|&i| i < self.len())
        } else {
            (0..self.len()).find(|&i| self.gte_min(i))
        }
    }

    /// `zzlFirstInLexRange` / `zslFirstInLexRange`.
    fn first(&self) -> Option<usize> {
        if !self.in_range() {
            return None;
        }
        self.first_gte_min().filter(|&i| self.lte_max(i))
    }

    /// `zzlLastInLexRange` / `zslLastInLexRange`.
    fn last(&self) -> Option<usize> {
        if !self.in_range() {
            return None;
        }
        // The first member is `<= max` (checked above), so a skiplist's descent moves past it.
        let last = match self.search {
            Search::Listpack => (0..self.len()).rev().find(|&i| self.lte_max(i)),
            Search::SkiplistSorted => self.boundary(|i| self.lte_max(i)).checked_sub(1),
            Search::SkiplistMixed => self.run_up(0, usize::MAX).checked_sub(1),
        };
        last.filter(|&i| self.gte_min(i))
    }

    /// From `start`, the end of the run of members `<= max`, at most `limit` long.
    fn run_up(&self, start: usize, limit: usize) -> usize {
        let mut end = start;
        while end < self.len() && end - start < limit && self.lte_max(end) {
            end += 1;
        }
        end
    }
}

/// Whether Redis rules the range empty before looking at members (`sdscmplex(min, max) > 0`, or
/// equal with an exclusive end). `-` and `+` compare equal only to themselves.
fn always_empty(range: &LexRange) -> bool {
    use std::cmp::Ordering;
    fn value(b: &LexBound) -> Option<&[u8]> {
        match b {
            LexBound::Inclusive(v) | LexBound::Exclusive(v) => Some(v),
            LexBound::Min | LexBound::Max => None,
        }
    }
    let cmp = match (&range.min, &range.max) {
        (LexBound::Min, LexBound::Min) | (LexBound::Max, LexBound::Max) => Ordering::Equal,
        (LexBound::Min, _) | (_, LexBound::Max) => Ordering::Less,
        (LexBound::Max, _) | (_, LexBound::Min) => Ordering::Greater,
        (min, max) => value(min).cmp(&value(max)),
    };
    let exclusive = matches!(range.min, LexBound::Exclusive(_)) || matches!(range.max, LexBound::Exclusive(_));
    cmp == Ordering::Greater || (cmp == Ordering::Equal && exclusive)
}

/// The ranks `genericZrangebylexCommand` emits, as ascending `lo..hi`: from the first (or, when
/// `rev`, the last) member in range, `offset` members are skipped unchecked, then members are
/// taken while they pass the far end's test, at most `count` (negative: no limit).
pub fn range_span(zset: &ZSetValue, range: &LexRange, rev: bool, offset: i64, count: i64) -> (usize, usize) {
    let walk = Walk::new(zset, range);
    // A negative offset walks off the end in Redis.
    let Ok(offset) = usize::try_from(offset) else { return (0, 0) };
    let limit = usize::try_from(count).unwrap_or(usize::MAX);
    if rev {
        let Some(start) = walk.last().and_then(|last| last.checked_sub(offset)) else { return (0, 0) };
        let mut lo = start + 1;
        while lo > 0 && start + 1 - lo < limit && walk.gte_min(lo - 1) {
            lo -= 1;
        }
        (lo, start + 1)
    } else {
        let Some(start) = walk.first().map(|first| first.saturating_add(offset)) else { return (0, 0) };
        if start >= walk.len() {
            return (0, 0);
        }
        (start, walk.run_up(start, limit))
    }
}

/// ZLEXCOUNT's answer. A `listpack` counts the run of members `<= max` from the first in range;
/// a `skiplist` subtracts the ranks of the first and last in range, which can come out zero or
/// negative when they cross (Redis prints the wrapped unsigned count as a signed number).
pub fn count(zset: &ZSetValue, range: &LexRange) -> i64 {
    let walk = Walk::new(zset, range);
    let Some(first) = walk.first() else { return 0 };
    let signed = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    if walk.search == Search::Listpack {
        return signed(walk.run_up(first, usize::MAX) - first);
    }
    match walk.last() {
        Some(last) => signed(last + 1) - signed(first),
        None => signed(walk.len() - first),
    }
}

/// The ranks ZREMRANGEBYLEX deletes, as ascending `lo..hi`: from the first member in range (a
/// `skiplist` skips the emptiness checks, as `zslDeleteRangeByLex` does), while members are
/// `<= max`.
pub fn delete_span(zset: &ZSetValue, range: &LexRange) -> (usize, usize) {
    let walk = Walk::new(zset, range);
    let first = if walk.search == Search::Listpack { walk.first() } else { walk.first_gte_min() };
    first.map_or((0, 0), |start| (start, walk.run_up(start, usize::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::zset::{AddFlags, ZSetLimits};

    fn zset(pairs: &[(f64, &str)], large: bool) -> ZSetValue {
        let limits = ZSetLimits { max_entries: 128, max_value: 64 };
        let mut z = ZSetValue::empty(large);
        for (score, member) in pairs {
            z.add(*score, member.as_bytes(), AddFlags::default(), limits).unwrap();
        }
        z
    }

    fn lex(min: &str, max: &str) -> LexRange {
        LexRange::parse(min.as_bytes(), max.as_bytes()).unwrap()
    }

    fn members(z: &ZSetValue, (lo, hi): (usize, usize)) -> Vec<String> {
        (lo..hi).map(|r| String::from_utf8_lossy(z.get(r).unwrap().1).into_owned()).collect()
    }

    #[test]
    fn equal_scores_give_lex_order_in_both_encodings() {
        let pairs: Vec<(f64, &str)> = ["a", "b", "c", "d", "e"].iter().map(|m| (0.0, *m)).collect();
        for large in [false, true] {
            let z = zset(&pairs, large);
            assert_eq!(members(&z, range_span(&z, &lex("[b", "(e"), false, 0, -1)), ["b", "c", "d"]);
            assert_eq!(members(&z, range_span(&z, &lex("[b", "(e"), true, 1, 1)), ["c"]);
            assert_eq!(count(&z, &lex("(a", "+")), 4);
            assert_eq!(count(&z, &lex("[c", "[b")), 0);
            assert_eq!(members(&z, delete_span(&z, &lex("-", "[b"))), ["a", "b"]);
        }
    }

    #[test]
    fn mixed_scores_follow_redis_walks() {
        // Score order: c a d b.
        let z = zset(&[(1.0, "c"), (2.0, "a"), (3.0, "d"), (4.0, "b")], false);
        // (Answers checked against redis-server 7.0.15.) The first member >= "b" is c; the walk
        // then only tests <= "c": a passes, d stops it.
        assert_eq!(members(&z, range_span(&z, &lex("[b", "[c"), false, 0, -1)), ["c", "a"]);
        // An offset is skipped unchecked.
        assert_eq!(members(&z, range_span(&z, &lex("[b", "[c"), false, 1, -1)), ["a"]);
        // The last member <= "c" from the tail is b; walking down only tests >= "b": d passes,
        // a stops it.
        assert_eq!(members(&z, range_span(&z, &lex("[b", "[c"), true, 0, -1)), ["d", "b"]);
        assert_eq!(count(&z, &lex("[b", "[c")), 2);
        // The last member is "b" < "c": nothing is in range at all.
        assert_eq!(count(&z, &lex("[c", "+")), 0);
        assert_eq!(delete_span(&z, &lex("[c", "+")), (0, 0));
        assert!(always_empty(&lex("[b", "[a")) && always_empty(&lex("(a", "[a")) && !always_empty(&lex("[a", "[a")));
        assert!(always_empty(&lex("+", "-")) && !always_empty(&lex("-", "-")) && always_empty(&lex("[a", "-")));
    }
}
