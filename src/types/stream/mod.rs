//! The stream type: entries in nodes of Redis's own listpack layout ([`node`]), kept in master
//! ID order ([`store`]; Redis keeps them in a radix tree keyed by the same 128-bit big-endian ID),
//! plus the stream's counters and its consumer groups ([`group`]).
//!
//! Invariants, as in Redis: entries are in ID order across nodes; a node is removed when its
//! last live entry is deleted; `length` counts live entries; `last_id` never goes back (XSETID
//! may move it forward); `entries_added` counts every entry ever added.

pub mod group;
pub mod id;
pub mod node;
pub mod store;

use std::collections::BTreeMap;

pub use group::{Consumer, Group, Nack};
pub use id::{ParsedId, StreamId};
use node::{Field, NodeView};
use store::Nodes;

use crate::types::listpack::{Listpack, ListpackRef};

/// Largest node Redis builds, and the largest entry it accepts (`STREAM_LISTPACK_MAX_SIZE`).
pub const LISTPACK_MAX_SIZE: usize = 1 << 30;
/// Bytes of Redis's listpack header and terminator, which our node buffers leave out.
const LISTPACK_FRAME: usize = 7;

/// When a node is full (`stream-node-max-bytes`, `stream-node-max-entries`).
#[derive(Debug, Clone, Copy)]
pub struct NodeLimits {
    /// Bytes a node may reach; 0 means Redis's cap.
    pub max_bytes: usize,
    /// Entries (live and deleted) a node may hold; 0 means no limit.
    pub max_entries: i64,
}

/// Why XADD could not add an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddError {
    /// The ID is not greater than the last one.
    NotGreater,
    /// The fields and values together exceed [`LISTPACK_MAX_SIZE`].
    TooLarge,
}

/// How XADD and XTRIM trim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trim {
    /// Keep at most this many entries.
    MaxLen(u64),
    /// Remove entries below this ID.
    MinId(StreamId),
}

/// A stream value.
#[derive(Debug, Clone, Default)]
pub struct Stream {
    nodes: Nodes,
    length: u64,
    /// The greatest ID ever added (or set by XSETID).
    pub last_id: StreamId,
    /// The first live entry's ID (0-0 when empty).
    pub first_id: StreamId,
    /// The greatest ID deleted by XDEL (trimming does not count).
    pub max_deleted_id: StreamId,
    /// Entries ever added.
    pub entries_added: u64,
    /// Consumer groups by name.
    pub groups: BTreeMap<Vec<u8>, Group>,
}

impl Stream {
    /// An empty stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Live entries (XLEN).
    pub fn len(&self) -> u64 {
        self.length
    }

    /// Whether there are no live entries.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The nodes: master ID and listpack, in order (RDB, DUMP, MEMORY USAGE).
    pub fn nodes(&self) -> impl Iterator<Item = (StreamId, ListpackRef<'_>)> {
        self.nodes.iter()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// A stream made of loaded nodes whose counters the caller has checked against them.
    pub fn from_nodes(nodes: BTreeMap<StreamId, Listpack>, length: u64) -> Self {
        Stream { nodes: Nodes::from_sorted(nodes), length, ..Stream::default() }
    }

    /// The ID XADD gives an entry: `given` (`<ms>-<seq>` or `<ms>-*`) or, for `*`, the clock's
    /// `now_ms` unless the last ID is ahead (then its successor).
    pub fn next_id(&self, given: Option<ParsedId>, now_ms: u64) -> Result<StreamId, AddError> {
        let id = match given {
            Some(ParsedId { id, seq_given: true }) => id,
            Some(ParsedId { id, seq_given: false }) if id.ms == self.last_id.ms => {
                self.last_id.next().filter(|n| n.ms == id.ms).ok_or(AddError::NotGreater)?
            }
            Some(ParsedId { id, .. }) => id,
            None if now_ms > self.last_id.ms => StreamId::new(now_ms, 0),
            None => self.last_id.next().ok_or(AddError::NotGreater)?,
        };
        if id <= self.last_id {
            return Err(AddError::NotGreater);
        }
        Ok(id)
    }

    /// Appends entry `id` (from [`Self::next_id`]) with `fields` (flat field/value pairs).
    pub fn append(&mut self, id: StreamId, fields: &[&[u8]], limits: NodeLimits) -> Result<(), AddError> {
        if id <= self.last_id {
            return Err(AddError::NotGreater);
        }
        let total: usize = fields.iter().map(|f| f.len()).sum();
        if total > LISTPACK_MAX_SIZE {
            return Err(AddError::TooLarge);
        }
        let max_bytes = match limits.max_bytes {
            0 => LISTPACK_MAX_SIZE,
            n => n.min(LISTPACK_MAX_SIZE),
        };
        let tail = self.nodes.last_mut().filter(|(_, lp)| {
            let view = NodeView::new(lp.view(), StreamId::MIN);
            let full_bytes = lp.bytes() + LISTPACK_FRAME + total >= max_bytes;
            let full_entries = limits.max_entries != 0 && view.count + view.deleted >= limits.max_entries;
            !full_bytes && !full_entries
        });
        match tail {
            Some((master, lp)) => node::append(lp, master, id, fields),
            None => self.nodes.push(id, node::new_node(id, fields)),
        }
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
        Ok(())
    }

    /// Calls `f` with each live entry from `start` to `end` (inclusive), backwards when `rev`,
    /// until `f` returns false.
    pub fn range(
        &self,
        start: StreamId,
        end: StreamId,
        rev: bool,
        mut f: impl FnMut(StreamId, Vec<Field<'_>>) -> bool,
    ) {
        if start > end {
            return;
        }
        if rev {
            for (master, lp) in self.nodes.span(start, end).rev() {
                let view = NodeView::new(lp, master);
                for slot in view.slots().iter().rev().filter(|s| !s.deleted() && s.id >= start && s.id <= end) {
                    if !f(slot.id, view.fields(slot)) {
                        return;
                    }
                }
            }
        } else {
            for (master, lp) in self.nodes.span(start, end) {
                let view = NodeView::new(lp, master);
                for slot in view.slots().iter().filter(|s| !s.deleted() && s.id >= start && s.id <= end) {
                    if !f(slot.id, view.fields(slot)) {
                        return;
                    }
                }
            }
        }
    }

    /// The live entry `id` as owned field/value pairs.
    pub fn get(&self, id: StreamId) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut found = None;
        self.range(id, id, false, |_, fields| {
            found = Some(fields.into_iter().map(|(f, v)| (f.into_owned(), v.into_owned())).collect());
            false
        });
        found
    }

    /// Whether `id` is a live entry.
    pub fn contains(&self, id: StreamId) -> bool {
        let mut found = false;
        self.range(id, id, false, |_, _| {
            found = true;
            false
        });
        found
    }

    /// The first (or with `last`, the last) live entry's ID.
    pub fn edge_id(&self, last: bool) -> Option<StreamId> {
        let mut found = None;
        self.range(StreamId::MIN, StreamId::MAX, last, |id, _| {
            found = Some(id);
            false
        });
        found
    }

    /// Deletes the live entry `id` (XDEL's tombstone); returns whether it existed. Does not touch
    /// `first_id` or `max_deleted_id`, which XDEL updates once for all its IDs.
    pub fn delete(&mut self, id: StreamId) -> bool {
        let Some(k) = self.nodes.count_to(id).checked_sub(1) else { return false };
        let Some((master, lp)) = self.nodes.get(k) else { return false };
        let view = NodeView::new(lp, master);
        let Some(slot) = view.slots().into_iter().find(|s| s.id == id && !s.deleted()) else { return false };
        if view.count <= 1 {
            self.nodes.remove(k);
        } else {
            let edits = view.deletion(&[slot]);
            self.nodes.rewrite(k, &edits);
        }
        self.length -= 1;
        true
    }

    /// Resets `first_id` after deletions (0-0 when empty).
    pub fn refresh_first_id(&mut self) {
        self.first_id = self.edge_id(false).unwrap_or(StreamId::MIN);
    }

    /// Trims as Redis's `streamTrim`: whole nodes from the head while they can go, then (unless
    /// `approx`) entries inside the next node; `limit` (0 for none) caps the entries removed,
    /// counted a node at a time. Returns how many entries were removed.
    pub fn trim(&mut self, trim: Trim, approx: bool, limit: u64) -> u64 {
        let mut removed = 0u64;
        // Whole nodes to drop, removed together at the end.
        let mut whole_nodes = 0;
        while let Some((master, lp)) = self.nodes.get(whole_nodes) {
            if matches!(trim, Trim::MaxLen(max) if self.length <= max) {
                break;
            }
            let view = NodeView::new(lp, master);
            let entries = u64::try_from(view.count).unwrap_or(0);
            if limit != 0 && removed + entries > limit {
                break;
            }
            // Decoding the node's entries is the costly part: MAXLEN decides without it, and an
            // approximate trim stops at the first node it cannot drop whole.
            let whole = match trim {
                Trim::MaxLen(max) => self.length - entries >= max,
                Trim::MinId(min) => view.slots().last().is_some_and(|s| s.id < min),
            };
            if whole {
                whole_nodes += 1;
                self.length -= entries;
                removed += entries;
                continue;
            }
            if approx {
                break;
            }
            let mut marked = Vec::new();
            for slot in view.slots() {
                let stop = match trim {
                    Trim::MaxLen(max) => self.length <= max,
                    Trim::MinId(min) => slot.id >= min,
                };
                if stop {
                    break;
                }
                if !slot.deleted() {
                    marked.push(slot);
                    self.length -= 1;
                }
            }
            let edits = view.deletion(&marked);
            self.nodes.rewrite(whole_nodes, &edits);
            removed += marked.len() as u64;
            break;
        }
        self.nodes.remove_front(whole_nodes);
        if self.length == 0 {
            self.first_id = StreamId::MIN;
        } else if removed > 0 {
            self.refresh_first_id();
        }
        removed
    }

    /// Whether `start..=end` (from 0-0, to the end when `None`) may hold a deleted entry
    /// (Redis's `streamRangeHasTombstones`).
    pub fn range_has_tombstones(&self, start: StreamId, end: Option<StreamId>) -> bool {
        if self.length == 0 || self.max_deleted_id.is_zero() || self.first_id > self.max_deleted_id {
            return false;
        }
        start <= self.max_deleted_id && self.max_deleted_id <= end.unwrap_or(StreamId::MAX)
    }

    /// How many entries were added up to `id` (Redis's `streamEstimateDistanceFromFirstEverEntry`),
    /// or [`group::ENTRIES_READ_INVALID`] when deletions make it unknowable.
    pub fn estimate_distance(&self, id: StreamId) -> i64 {
        let added = i64::try_from(self.entries_added).unwrap_or(i64::MAX);
        if added == 0 {
            return 0;
        }
        if self.length == 0 && id <= self.last_id {
            return added;
        }
        match id.cmp(&self.last_id) {
            std::cmp::Ordering::Equal => return added,
            std::cmp::Ordering::Greater => return group::ENTRIES_READ_INVALID,
            std::cmp::Ordering::Less => {}
        }
        if self.max_deleted_id.is_zero() || self.max_deleted_id < self.first_id {
            let before = added - i64::try_from(self.length).unwrap_or(i64::MAX);
            match id.cmp(&self.first_id) {
                std::cmp::Ordering::Less => return before,
                std::cmp::Ordering::Equal => return before + 1,
                std::cmp::Ordering::Greater => {}
            }
        }
        group::ENTRIES_READ_INVALID
    }

    /// The lag of `group` (entries added it has not read), or `None` when deletions make it
    /// unknowable (Redis's `streamReplyWithCGLag`).
    pub fn lag(&self, group: &Group) -> Option<i64> {
        let added = i64::try_from(self.entries_added).unwrap_or(i64::MAX);
        if added == 0 {
            return Some(0);
        }
        if group.entries_read != group::ENTRIES_READ_INVALID && !self.range_has_tombstones(group.last_id, None) {
            return Some(added - group.entries_read);
        }
        let read = self.estimate_distance(group.last_id);
        (read != group::ENTRIES_READ_INVALID).then(|| added - read)
    }

    /// How many nodes Redis's radix tree would have for this stream's node keys (XINFO's
    /// `radix-tree-nodes`): the compressed trie of the 16-byte master IDs, with a node per
    /// shared run of bytes, per branch, and per key.
    pub fn radix_tree_nodes(&self) -> usize {
        let keys: Vec<[u8; 16]> = self.nodes.iter().map(|(id, _)| id.to_be_bytes()).collect();
        if keys.is_empty() {
            return 1;
        }
        trie_nodes(&keys, 0)
    }

    /// Heap bytes of the nodes and groups (MEMORY USAGE).
    pub fn heap_size(&self, allocated: impl Fn(usize) -> usize) -> usize {
        self.nodes.heap_size(&allocated)
            + self.groups.iter().map(|(name, g)| allocated(name.len()) + g.heap_size(&allocated)).sum::<usize>()
    }
}

/// Nodes of the compressed trie over sorted, distinct, equal-length `keys` from byte `depth`.
fn trie_nodes(keys: &[[u8; 16]], depth: usize) -> usize {
    if depth == 16 {
        return 1;
    }
    let (first, last) = (&keys[0], &keys[keys.len() - 1]);
    let common = (depth..16).take_while(|&i| first[i] == last[i]).count();
    if common > 0 {
        return 1 + trie_nodes(keys, depth + common);
    }
    let mut total = 1;
    let mut start = 0;
    while start < keys.len() {
        let byte = keys[start][depth];
        let end = start + keys[start..].iter().take_while(|k| k[depth] == byte).count();
        total += trie_nodes(&keys[start..end], depth + 1);
        start = end;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: NodeLimits = NodeLimits { max_bytes: 4096, max_entries: 3 };

    fn stream(n: u64) -> Stream {
        let mut s = Stream::new();
        for i in 1..=n {
            let v = i.to_string();
            s.append(StreamId::new(i, 0), &[b"f", v.as_bytes()], LIMITS).unwrap();
        }
        s
    }

    fn ids(s: &Stream, rev: bool) -> Vec<u64> {
        let mut out = Vec::new();
        s.range(StreamId::MIN, StreamId::MAX, rev, |id, _| {
            out.push(id.ms);
            true
        });
        out
    }

    #[test]
    fn splits_nodes_and_ranges_both_ways() {
        let s = stream(7);
        assert_eq!(s.node_count(), 3);
        assert_eq!(ids(&s, false), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(ids(&s, true), [7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(s.get(StreamId::new(5, 0)), Some(vec![(b"f".to_vec(), b"5".to_vec())]));
        assert_eq!(s.get(StreamId::new(5, 1)), None);
    }

    #[test]
    fn deletes_and_drops_empty_nodes() {
        let mut s = stream(4);
        assert!(s.delete(StreamId::new(2, 0)));
        assert!(!s.delete(StreamId::new(2, 0)));
        assert!(s.delete(StreamId::new(4, 0)));
        assert_eq!(s.node_count(), 1);
        assert_eq!(ids(&s, false), [1, 3]);
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn trims_like_redis() {
        let mut s = stream(7);
        assert_eq!(s.trim(Trim::MaxLen(5), true, 0), 0);
        assert_eq!(s.trim(Trim::MaxLen(4), true, 0), 3);
        assert_eq!(s.trim(Trim::MaxLen(2), false, 0), 2);
        assert_eq!(ids(&s, false), [6, 7]);
        assert_eq!(s.first_id, StreamId::new(6, 0));
        let mut s = stream(7);
        assert_eq!(s.trim(Trim::MinId(StreamId::new(5, 0)), false, 0), 4);
        assert_eq!(ids(&s, false), [5, 6, 7]);
        let mut s = stream(7);
        assert_eq!(s.trim(Trim::MaxLen(0), true, 4), 3);
    }

    #[test]
    fn matches_a_model_through_adds_deletes_and_trims() {
        let mut rng = fastrand::Rng::with_seed(5);
        let limits = NodeLimits { max_bytes: 600, max_entries: 20 };
        let mut s = Stream::new();
        let mut model: BTreeMap<StreamId, Vec<Vec<u8>>> = BTreeMap::new();
        for i in 1..=20_000u64 {
            let id = StreamId::new(i / 3, i % 3);
            let value = vec![b'x'; rng.usize(0..40)];
            let fields: Vec<&[u8]> =
                if rng.u8(0..8) == 0 { vec![b"g", &value] } else { vec![b"f", &value, b"n", b"1"] };
            s.append(id, &fields, limits).unwrap();
            model.insert(id, fields.iter().map(|f| f.to_vec()).collect());
            match rng.u8(0..20) {
                0..=3 => {
                    let victim = StreamId::new(rng.u64(0..=i / 3), rng.u64(0..3));
                    assert_eq!(s.delete(victim), model.remove(&victim).is_some());
                    s.refresh_first_id();
                }
                4 => {
                    let max = rng.u64(0..=model.len() as u64);
                    let drop = model.len() - max as usize;
                    assert_eq!(s.trim(Trim::MaxLen(max), false, 0), drop as u64);
                    model = model.split_off(&model.keys().nth(drop).copied().unwrap_or(StreamId::MAX));
                }
                5 => {
                    let min = StreamId::new(rng.u64(0..=i / 3), 0);
                    let drop = model.range(..min).count() as u64;
                    assert_eq!(s.trim(Trim::MinId(min), false, 0), drop);
                    model = model.split_off(&min);
                }
                6 => {
                    let removed = s.trim(Trim::MaxLen(rng.u64(0..=model.len() as u64)), true, 0) as usize;
                    let keep = model.keys().nth(removed).copied().unwrap_or(StreamId::MAX);
                    model = model.split_off(&keep);
                }
                _ => {}
            }
            assert_eq!(s.len(), model.len() as u64);
            if i % 97 == 0 {
                let (a, b) = (StreamId::new(rng.u64(0..=i / 3), 1), StreamId::new(rng.u64(0..=i / 3 + 1), 0));
                for rev in [false, true] {
                    let mut got = Vec::new();
                    s.range(a, b, rev, |id, fields| {
                        got.push((
                            id,
                            fields.into_iter().flat_map(|(f, v)| [f.into_owned(), v.into_owned()]).collect(),
                        ));
                        true
                    });
                    let mut want: Vec<(StreamId, Vec<Vec<u8>>)> =
                        model.range(a..=b.max(a)).filter(|(id, _)| **id <= b).map(|(k, v)| (*k, v.clone())).collect();
                    if rev {
                        want.reverse();
                    }
                    assert_eq!(got, want, "{a}..{b} rev {rev}");
                }
                assert_eq!(s.first_id, model.keys().next().copied().unwrap_or(StreamId::MIN));
            }
        }
    }

    #[test]
    fn generates_ids_like_redis() {
        let mut s = stream(1);
        assert_eq!(s.next_id(None, 0), Ok(StreamId::new(1, 1)));
        assert_eq!(s.next_id(None, 9), Ok(StreamId::new(9, 0)));
        let star = |ms| Some(ParsedId { id: StreamId::new(ms, 0), seq_given: false });
        assert_eq!(s.next_id(star(1), 0), Ok(StreamId::new(1, 1)));
        assert_eq!(s.next_id(star(0), 0), Err(AddError::NotGreater));
        s.last_id = StreamId::new(1, u64::MAX);
        assert_eq!(s.next_id(star(1), 0), Err(AddError::NotGreater));
        s.last_id = StreamId::MAX;
        assert_eq!(s.next_id(None, 0), Err(AddError::NotGreater));
    }
}
