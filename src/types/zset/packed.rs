//! The small sorted-set encoding (`listpack` to OBJECT ENCODING): every entry in one byte
//! buffer, in order, each `member length | member | score`.
//!
//! A vector of [`Item`](super::btree::Item)s cost 32 bytes an entry plus spare capacity; here a
//! short member with a small integral score costs its length plus two bytes. The buffer opens
//! with the entry count (absent when there are none), so the set is one pointer and one length
//! and fits in a value's inline words. Lengths and the count are LEB128 varints. A score is one varint: an even value is an integer, zigzag-encoded and shifted left
//! by one (integral scores up to 2^53 in magnitude, the ones a double holds exactly); the value 1
//! announces 8 little-endian bytes of a double. Sets in this encoding hold at most
//! `zset-max-listpack-entries` members (128 by default), so the linear walks and the buffer
//! rebuilt on each change cost what Redis's listpack costs.

/// Largest integral magnitude stored as an integer (every integer up to it is a double).
const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;
/// The score varint announcing a raw double.
const RAW_DOUBLE: u64 = 1;

/// Appends `value` as a LEB128 varint.
fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads a LEB128 varint at `*at`, advancing it.
fn get_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut value = 0u64;
    let mut shift = 0;
    while let Some(&byte) = bytes.get(*at) {
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 || shift >= 63 {
            break;
        }
        shift += 7;
    }
    value
}

/// A buffer's entry count, and the offset where its entries start.
fn header(bytes: &[u8]) -> (usize, usize) {
    let mut at = 0;
    let count = if bytes.is_empty() { 0 } else { get_varint(bytes, &mut at) as usize };
    (count, at)
}

/// Appends one entry.
fn put_entry(out: &mut Vec<u8>, score: f64, member: &[u8]) {
    put_varint(out, member.len() as u64);
    out.extend_from_slice(member);
    if score.fract() == 0.0 && score.abs() <= EXACT_INTEGER {
        let n = score as i64;
        put_varint(out, ((n << 1) ^ (n >> 63)) as u64 * 2);
    } else {
        put_varint(out, RAW_DOUBLE);
        out.extend_from_slice(&score.to_le_bytes());
    }
}

/// The sorted entries of a small sorted set.
#[derive(Clone, Default)]
pub struct Packed {
    /// The entry count, then the entries back to back, sized exactly; empty for no entries.
    bytes: Box<[u8]>,
}

/// One decoded entry and where it lies in the buffer.
struct Located<'a> {
    start: usize,
    score: f64,
    member: &'a [u8],
}

impl Packed {
    /// The entries `(score, member)` given in order.
    pub fn from_sorted<'a>(entries: impl IntoIterator<Item = (f64, &'a [u8])>) -> Self {
        let mut body = Vec::new();
        let mut count = 0;
        for (score, member) in entries {
            put_entry(&mut body, score, member);
            count += 1;
        }
        let mut packed = Packed::default();
        packed.rebuild(count, &[&body]);
        packed
    }

    /// The entry count, and the offset where the entries start.
    fn header(&self) -> (usize, usize) {
        header(&self.bytes)
    }

    /// Makes the buffer `count` then `parts` back to back (nothing at all for no entries).
    fn rebuild(&mut self, count: usize, parts: &[&[u8]]) {
        let mut bytes = Vec::with_capacity(10 + parts.iter().map(|p| p.len()).sum::<usize>());
        if count > 0 {
            put_varint(&mut bytes, count as u64);
            for part in parts {
                bytes.extend_from_slice(part);
            }
        }
        self.bytes = bytes.into_boxed_slice();
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.header().0
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn located(&self) -> impl Iterator<Item = Located<'_>> {
        let bytes = &self.bytes[..];
        let mut at = self.header().1;
        std::iter::from_fn(move || {
            if at >= bytes.len() {
                return None;
            }
            let start = at;
            let len = get_varint(bytes, &mut at) as usize;
            let member = bytes.get(at..at + len).unwrap_or_default();
            at += len;
            let code = get_varint(bytes, &mut at);
            let score = if code == RAW_DOUBLE {
                let raw = bytes.get(at..at + 8).and_then(|b| b.try_into().ok()).unwrap_or_default();
                at += 8;
                f64::from_le_bytes(raw)
            } else {
                let zigzag = code / 2;
                ((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64)) as f64
            };
            Some(Located { start, score, member })
        })
    }

    /// The entries `(score, member)` in order.
    pub fn iter(&self) -> impl Iterator<Item = (f64, &[u8])> {
        self.located().map(|e| (e.score, e.member))
    }

    /// The entry at `rank`.
    pub fn get(&self, rank: usize) -> Option<(f64, &[u8])> {
        self.iter().nth(rank)
    }

    /// The rank and score of `member`.
    pub fn position(&self, member: &[u8]) -> Option<(usize, f64)> {
        self.iter().enumerate().find(|(_, (_, m))| *m == member).map(|(rank, (score, _))| (rank, score))
    }

    /// The number of leading entries for which `pred` holds (entries are ordered so that it
    /// holds for a prefix).
    pub fn partition_point(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        self.iter().take_while(|&(score, member)| pred(score, member)).count()
    }

    /// Byte offset of the entry at `rank` (the buffer's end past the last).
    fn offset_of(&self, rank: usize) -> usize {
        self.located().nth(rank).map_or(self.bytes.len(), |e| e.start)
    }

    /// Rebuilds the buffer with bytes `cut` (of the entries) replaced by `insert`, holding
    /// `count` entries.
    fn splice(&mut self, cut: std::ops::Range<usize>, insert: &[u8], count: usize) {
        let old = std::mem::take(&mut self.bytes);
        let start = header(&old).1;
        self.rebuild(count, &[&old[start..cut.start], insert, &old[cut.end..]]);
    }

    /// Inserts an entry at `rank` (the caller keeps the order).
    pub fn insert(&mut self, rank: usize, score: f64, member: &[u8]) {
        let at = self.offset_of(rank);
        let mut entry = Vec::with_capacity(member.len() + 11);
        put_entry(&mut entry, score, member);
        self.splice(at..at, &entry, self.len() + 1);
    }

    /// Removes the entries of ranks `start..end` (clamped); returns how many.
    pub fn remove_ranks(&mut self, start: usize, end: usize) -> usize {
        let end = end.min(self.len());
        let start = start.min(end);
        if start == end {
            return 0;
        }
        let (from, to) = (self.offset_of(start), self.offset_of(end));
        self.splice(from..to, &[], self.len() - (end - start));
        end - start
    }

    /// Heap bytes of the buffer.
    pub fn heap_size(&self) -> usize {
        self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(p: &Packed) -> Vec<(f64, Vec<u8>)> {
        p.iter().map(|(s, m)| (s, m.to_vec())).collect()
    }

    #[test]
    fn scores_of_every_kind_read_back() {
        let scores = [0.0, 1.0, -1.0, 63.0, -64.0, 1e15, -EXACT_INTEGER, EXACT_INTEGER, 2.5, -0.125, 1e300];
        let scores =
            scores.into_iter().chain([f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE, EXACT_INTEGER * 2.0]);
        let members: Vec<(f64, Vec<u8>)> = scores.enumerate().map(|(i, s)| (s, vec![b'm'; i * 20])).collect();
        let p = Packed::from_sorted(members.iter().map(|(s, m)| (*s, &m[..])));
        assert_eq!((entries(&p), p.len()), (members, 15));
    }

    #[test]
    fn small_entries_are_small() {
        let p = Packed::from_sorted((0..10).map(|i| (f64::from(i), &b"m:0"[..])));
        assert_eq!(p.heap_size(), 1 + 10 * 5);
    }

    #[test]
    fn inserts_and_removes_by_rank() {
        let mut p = Packed::from_sorted([(1.0, &b"a"[..]), (3.0, b"c")]);
        p.insert(1, 2.0, b"b");
        p.insert(3, 4.5, b"d");
        p.insert(0, -1.0, b"z");
        assert_eq!(p.iter().map(|(_, m)| m[0]).collect::<Vec<_>>(), b"zabcd");
        assert_eq!((p.position(b"c"), p.position(b"x")), (Some((3, 3.0)), None));
        assert_eq!(p.partition_point(|s, _| s < 2.5), 3);
        assert_eq!(p.remove_ranks(1, 3), 2);
        assert_eq!(p.remove_ranks(5, 9), 0);
        assert_eq!(entries(&p), [(-1.0, b"z".to_vec()), (3.0, b"c".to_vec()), (4.5, b"d".to_vec())]);
        assert_eq!(p.remove_ranks(0, 99), 3);
        assert!(p.is_empty() && p.heap_size() == 0);
    }
}
