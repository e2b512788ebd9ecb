//! The list value: a quicklist, a sequence of [`Listpack`] nodes, as Redis stores every list.
//!
//! Pushing and popping at either end touch only the end node (O(1)); indexing walks whole nodes
//! by their counts from the nearer end, then one node. Nodes live in a `VecDeque` rather than a
//! linked list: the same O(1) ends, no per-node allocation, and 32 bytes per node.
//!
//! A node's size is bounded by `list-max-listpack-size` (the `fill` given at creation, as Redis
//! fixes it when it creates the list): a negative fill caps a node's bytes (-1..-5 → 4..64 KiB),
//! a positive one its entries (and then its bytes at 8 KiB). A single entry larger than the cap
//! gets a node of its own. Invariants: no node is empty, `len` is the sum of the nodes' lengths.

use std::collections::VecDeque;

use super::listpack::{self, Entry, Listpack, Pos};

/// Byte caps for fills -1..-5.
const SIZE_LIMITS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// Byte cap of a node when the fill counts entries (Redis's `SIZE_SAFETY_LIMIT`).
const SAFETY_LIMIT: usize = 8192;

/// Which end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The head (index 0; LPUSH, LPOP).
    Front,
    /// The tail (index -1; RPUSH, RPOP).
    Back,
}

/// A list of byte strings (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quicklist {
    nodes: VecDeque<Listpack>,
    len: usize,
    fill: i32,
}

/// Where an entry lives: its node and its position in the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    node: usize,
    pos: Pos,
}

impl Quicklist {
    /// An empty list whose nodes follow `fill` (`list-max-listpack-size`).
    pub fn new(fill: i32) -> Self {
        Quicklist { nodes: VecDeque::new(), len: 0, fill }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Bytes of the node array's allocation (0 when it has none).
    pub fn node_array_size(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Listpack>()
    }

    /// Bytes of each node's buffer.
    pub fn node_sizes(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes.iter().map(Listpack::heap_size)
    }

    /// Whether `node` may take one more entry of `size` bytes.
    fn fits(&self, node: &Listpack, size: usize) -> bool {
        let bytes = node.bytes() + size;
        match usize::try_from(self.fill) {
            Ok(count) => bytes <= SAFETY_LIMIT && node.len() < count,
            Err(_) => {
                let level = usize::try_from(self.fill.unsigned_abs()).unwrap_or(usize::MAX).min(SIZE_LIMITS.len());
                bytes <= SIZE_LIMITS[level - 1]
            }
        }
    }

    /// Whether two nodes may become one.
    fn fits_merged(&self, a: &Listpack, b: &Listpack) -> bool {
        match usize::try_from(self.fill) {
            Ok(count) => a.bytes() + b.bytes() <= SAFETY_LIMIT && a.len() + b.len() <= count,
            Err(_) => {
                let level = usize::try_from(self.fill.unsigned_abs()).unwrap_or(usize::MAX).min(SIZE_LIMITS.len());
                a.bytes() + b.bytes() <= SIZE_LIMITS[level - 1]
            }
        }
    }

    /// Adds `value` at `end`.
    pub fn push(&mut self, end: End, value: &[u8]) {
        let size = Listpack::entry_size(value);
        let node = match end {
            End::Front => self.nodes.front(),
            End::Back => self.nodes.back(),
        };
        if !node.is_some_and(|n| self.fits(n, size)) {
            match end {
                End::Front => self.nodes.push_front(Listpack::new()),
                End::Back => self.nodes.push_back(Listpack::new()),
            }
        }
        let node = match end {
            End::Front => self.nodes.front_mut(),
            End::Back => self.nodes.back_mut(),
        };
        if let Some(node) = node {
            match end {
                End::Front => node.push_front(value),
                End::Back => node.push_back(value),
            }
            self.len += 1;
        }
    }

    /// Removes and returns the entry at `end`.
    pub fn pop(&mut self, end: End) -> Option<Vec<u8>> {
        let node = match end {
            End::Front => 0,
            End::Back => self.nodes.len().checked_sub(1)?,
        };
        let lp = self.nodes.get(node)?;
        let pos = match end {
            End::Front => lp.first(),
            End::Back => lp.last(),
        }?;
        let value = lp.at(pos).to_vec();
        self.remove_at(Cursor { node, pos });
        Some(value)
    }

    /// The entry at `index` (negative counts from the tail).
    pub fn get(&self, index: i64) -> Option<Entry<'_>> {
        let at = self.locate(index)?;
        self.nodes.get(at.node).map(|n| n.at(at.pos))
    }

    /// Replaces the entry at `index`; false when the index is out of range.
    pub fn set(&mut self, index: i64, value: &[u8]) -> bool {
        let Some(at) = self.locate(index) else { return false };
        let Some(node) = self.nodes.get_mut(at.node) else { return false };
        // Redis 7.0 replaces in place whatever the new size (no node split).
        node.replace(at.pos, value);
        true
    }

    /// Entries front to back (reversible with `.rev()`).
    pub fn iter(&self) -> Iter<'_> {
        let back = self.nodes.len();
        Iter {
            nodes: &self.nodes,
            front_node: 0,
            front: self.nodes.front().map(Listpack::iter),
            back_node: back.saturating_sub(1),
            back: self.nodes.back().map(Listpack::iter),
            remaining: self.len,
        }
    }

    /// Entries from `start` (a non-negative index) to the tail.
    pub fn iter_from(&self, start: usize) -> Iter<'_> {
        let mut iter = self.iter();
        let Some(at) = i64::try_from(start).ok().and_then(|i| self.locate(i)) else {
            iter.remaining = 0;
            return iter;
        };
        iter.front_node = at.node;
        iter.front = self.nodes.get(at.node).map(|n| n.iter_from(at.pos));
        iter.remaining = self.len - start;
        iter
    }

    /// Index of the first entry equal to `value`.
    pub fn position(&self, value: &[u8]) -> Option<usize> {
        let mut before = 0;
        for node in &self.nodes {
            if let Some(pos) = node.find(value) {
                return Some(before + node.range(node.first()?, pos).count());
            }
            before += node.len();
        }
        None
    }

    /// Inserts `value` so that it ends up at `index` (0..=len); false when out of range.
    pub fn insert(&mut self, index: usize, value: &[u8]) -> bool {
        if index > self.len {
            return false;
        }
        if index == self.len {
            self.push(End::Back, value);
            return true;
        }
        let Some(at) = i64::try_from(index).ok().and_then(|i| self.locate(i)) else { return false };
        self.insert_at(at, value);
        true
    }

    /// Inserts `value` before the entry at `at`, splitting the node if it is full.
    fn insert_at(&mut self, at: Cursor, value: &[u8]) {
        let size = Listpack::entry_size(value);
        self.len += 1;
        let node = &self.nodes[at.node];
        if self.fits(node, size) {
            self.nodes[at.node].insert(at.pos, value);
            return;
        }
        // At the head of a full node, the previous node's tail is the same place.
        if at.pos == Pos::default() && at.node > 0 && self.fits(&self.nodes[at.node - 1], size) {
            self.nodes[at.node - 1].push_back(value);
            return;
        }
        let tail = self.nodes[at.node].split_off(at.pos);
        let mut single = Listpack::new();
        single.push_back(value);
        let mut insert_at = at.node + 1;
        if self.nodes[at.node].is_empty() {
            self.nodes.remove(at.node);
            insert_at -= 1;
        }
        self.nodes.insert(insert_at, single);
        self.nodes.insert(insert_at + 1, tail);
        self.merge_around(insert_at);
    }

    /// Merges the node at `index` with its neighbours where the result fits.
    fn merge_around(&mut self, index: usize) {
        let mut index = index;
        if index > 0 && self.fits_merged(&self.nodes[index - 1], &self.nodes[index]) {
            self.merge_into_previous(index);
            index -= 1;
        }
        if index + 1 < self.nodes.len() && self.fits_merged(&self.nodes[index], &self.nodes[index + 1]) {
            self.merge_into_previous(index + 1);
        }
    }

    /// Appends node `index` to node `index - 1` and drops it.
    fn merge_into_previous(&mut self, index: usize) {
        if let Some(mut node) = self.nodes.remove(index) {
            self.nodes[index - 1].append(&mut node);
        }
    }

    /// Removes the entry at `at`, dropping its node when it empties; returns where the next
    /// entry now is.
    fn remove_at(&mut self, at: Cursor) -> Option<Cursor> {
        let node = &mut self.nodes[at.node];
        let next = node.remove(at.pos);
        self.len -= 1;
        if node.is_empty() {
            self.nodes.remove(at.node);
            return self.nodes.get(at.node).map(|_| Cursor { node: at.node, pos: Pos::default() });
        }
        match next {
            Some(pos) => Some(Cursor { node: at.node, pos }),
            None => self.nodes.get(at.node + 1).map(|_| Cursor { node: at.node + 1, pos: Pos::default() }),
        }
    }

    /// Removes `count` entries from index `start` on (clamped to the list).
    pub fn remove_range(&mut self, start: usize, count: usize) {
        let mut count = count.min(self.len.saturating_sub(start));
        let Some(mut at) = i64::try_from(start).ok().and_then(|i| self.locate(i)) else { return };
        while count > 0 {
            let node = &mut self.nodes[at.node];
            if at.pos == Pos::default() && node.len() <= count {
                count -= node.len();
                self.len -= node.len();
                self.nodes.remove(at.node);
            } else {
                let removed = node.remove_range(at.pos, count);
                count -= removed;
                self.len -= removed;
                if node.is_empty() {
                    self.nodes.remove(at.node);
                } else {
                    at.node += 1;
                }
            }
            at.pos = Pos::default();
        }
    }

    /// Removes entries equal to `value`, at most `limit` (0 = all), scanning from `from`;
    /// returns how many were removed (LREM).
    pub fn remove_matching(&mut self, value: &[u8], limit: usize, from: End) -> usize {
        let limit = if limit == 0 { usize::MAX } else { limit };
        let mut removed = 0;
        let mut node = match from {
            End::Front => 0,
            End::Back => self.nodes.len(),
        };
        while removed < limit {
            if from == End::Back {
                let Some(prev) = node.checked_sub(1) else { break };
                node = prev;
            }
            let Some(lp) = self.nodes.get_mut(node) else { break };
            removed += remove_in_node(lp, value, limit - removed, from);
            if lp.is_empty() {
                self.nodes.remove(node);
            } else if from == End::Front {
                node += 1;
            }
        }
        self.len -= removed;
        removed
    }

    /// Where the entry at `index` is (negative from the tail), walking from the nearer end.
    fn locate(&self, index: i64) -> Option<Cursor> {
        let len = i64::try_from(self.len).ok()?;
        let index = if index < 0 { index + len } else { index };
        if !(0..len).contains(&index) {
            return None;
        }
        let index = usize::try_from(index).ok()?;
        if index < self.len / 2 {
            let mut skipped = 0;
            for (i, node) in self.nodes.iter().enumerate() {
                if index < skipped + node.len() {
                    let pos = node.seek(i64::try_from(index - skipped).ok()?)?;
                    return Some(Cursor { node: i, pos });
                }
                skipped += node.len();
            }
        } else {
            let mut after = self.len;
            for (i, node) in self.nodes.iter().enumerate().rev() {
                let start = after - node.len();
                if index >= start {
                    let pos = node.seek(i64::try_from(index - start).ok()?)?;
                    return Some(Cursor { node: i, pos });
                }
                after = start;
            }
        }
        None
    }
}

/// Removes up to `limit` entries equal to `value` from one node, scanning from `from`.
fn remove_in_node(lp: &mut Listpack, value: &[u8], limit: usize, from: End) -> usize {
    let mut removed = 0;
    match from {
        End::Front => {
            let mut pos = lp.first();
            while let Some(p) = pos {
                if removed == limit {
                    break;
                }
                pos = match lp.find_from(p, value, 0) {
                    Some(hit) => {
                        removed += 1;
                        lp.remove(hit)
                    }
                    None => None,
                };
            }
        }
        End::Back => {
            let mut pos = lp.last();
            while let Some(p) = pos {
                if removed == limit {
                    break;
                }
                let prev = lp.prev(p);
                if lp.at(p).eq_bytes(value) {
                    lp.remove(p);
                    removed += 1;
                }
                // Removing `p` leaves the entries before it where they were.
                pos = prev;
            }
        }
    }
    removed
}

/// Iterator over a [`Quicklist`]'s entries from either end.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    nodes: &'a VecDeque<Listpack>,
    front_node: usize,
    front: Option<listpack::Iter<'a>>,
    back_node: usize,
    back: Option<listpack::Iter<'a>>,
    /// Entries not yet returned from either end; the two ends stop when it reaches zero, so
    /// they never cross even while walking the same node.
    remaining: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        if self.remaining == 0 {
            return None;
        }
        loop {
            if let Some(entry) = self.front.as_mut()?.next() {
                self.remaining -= 1;
                return Some(entry);
            }
            self.front_node += 1;
            self.front = Some(self.nodes.get(self.front_node)?.iter());
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        loop {
            if let Some(entry) = self.back.as_mut()?.next_back() {
                self.remaining -= 1;
                return Some(entry);
            }
            self.back_node = self.back_node.checked_sub(1)?;
            self.back = Some(self.nodes.get(self.back_node)?.iter());
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(list: &Quicklist) -> Vec<Vec<u8>> {
        list.iter().map(|e| e.to_vec()).collect()
    }

    fn check(list: &Quicklist, model: &VecDeque<Vec<u8>>) {
        let model: Vec<Vec<u8>> = model.iter().cloned().collect();
        assert_eq!(list.len(), model.len());
        assert_eq!(contents(list), model);
        let mut back: Vec<Vec<u8>> = list.iter().rev().map(|e| e.to_vec()).collect();
        back.reverse();
        assert_eq!(back, model);
        assert!(list.nodes.iter().all(|n| !n.is_empty()), "no empty nodes");
        assert_eq!(list.nodes.iter().map(Listpack::len).sum::<usize>(), list.len());
    }

    #[test]
    fn pushes_and_pops_at_both_ends_across_nodes() {
        let mut list = Quicklist::new(4);
        for i in 0..10 {
            list.push(End::Back, i.to_string().as_bytes());
            list.push(End::Front, format!("f{i}").as_bytes());
        }
        assert_eq!(list.len(), 20);
        assert_eq!(list.node_count(), 5);
        assert_eq!(list.get(0).unwrap().to_vec(), b"f9");
        assert_eq!(list.get(-1), Some(Entry::Int(9)));
        assert_eq!(list.get(10), Some(Entry::Int(0)));
        assert_eq!(list.get(20), None);
        assert_eq!(list.get(-21), None);
        assert_eq!(list.pop(End::Front).unwrap(), b"f9");
        assert_eq!(list.pop(End::Back).unwrap(), b"9");
        while list.pop(End::Back).is_some() {}
        assert!(list.is_empty() && list.node_count() == 0);
    }

    #[test]
    fn byte_limits_bound_nodes() {
        let mut list = Quicklist::new(-1);
        for _ in 0..1000 {
            list.push(End::Back, &[b'x'; 16]);
        }
        assert!(list.nodes.iter().all(|n| n.bytes() <= 4096));
        assert_eq!(list.node_count(), 1000usize.div_ceil(4096 / 18));
        let mut big = Quicklist::new(-2);
        big.push(End::Back, &[b'y'; 10000]);
        big.push(End::Back, b"a");
        assert_eq!(big.node_count(), 2);
        big.set(1, &[b'z'; 9000]);
        big.push(End::Back, b"b");
        assert_eq!(contents(&big).iter().map(Vec::len).collect::<Vec<_>>(), [10000, 9000, 1]);
    }

    #[test]
    fn random_operations_match_a_deque() {
        for (seed, fill) in [(1, 4), (2, 1), (3, -1), (4, 3), (5, 0)] {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut list = Quicklist::new(fill);
            let mut model: VecDeque<Vec<u8>> = VecDeque::new();
            for step in 0..3000 {
                let value = match rng.u8(..4) {
                    0 => rng.i64(..).to_string().into_bytes(),
                    1 => vec![b'v'; rng.usize(0..300)],
                    _ => rng.u8(..6).to_string().into_bytes(),
                };
                let len = model.len();
                match rng.u8(..9) {
                    0 => {
                        list.push(End::Front, &value);
                        model.push_front(value);
                    }
                    1 => {
                        list.push(End::Back, &value);
                        model.push_back(value);
                    }
                    2 => assert_eq!(list.pop(End::Front), model.pop_front()),
                    3 => assert_eq!(list.pop(End::Back), model.pop_back()),
                    4 => {
                        let index = rng.usize(..=len);
                        assert!(list.insert(index, &value));
                        model.insert(index, value);
                    }
                    5 if len > 0 => {
                        let index = rng.usize(..len);
                        assert!(list.set(index as i64, &value));
                        model[index] = value;
                    }
                    6 => {
                        let start = rng.usize(..=len);
                        let count = rng.usize(..6);
                        list.remove_range(start, count);
                        model.drain(start..(start + count).min(len));
                    }
                    7 => {
                        let needle = rng.u8(..6).to_string().into_bytes();
                        let limit = rng.usize(..3);
                        let from = if rng.bool() { End::Front } else { End::Back };
                        let mut expect = 0;
                        let limit_or_all = if limit == 0 { usize::MAX } else { limit };
                        let indexes: Vec<usize> = match from {
                            End::Front => (0..len).collect(),
                            End::Back => (0..len).rev().collect(),
                        };
                        let mut doomed = Vec::new();
                        for i in indexes {
                            if expect < limit_or_all && model[i] == needle {
                                doomed.push(i);
                                expect += 1;
                            }
                        }
                        doomed.sort_unstable();
                        for i in doomed.into_iter().rev() {
                            model.remove(i);
                        }
                        assert_eq!(list.remove_matching(&needle, limit, from), expect);
                    }
                    _ => {
                        let needle = rng.u8(..6).to_string().into_bytes();
                        assert_eq!(list.position(&needle), model.iter().position(|v| *v == needle));
                        if len > 0 {
                            let i = rng.usize(..len);
                            assert_eq!(list.get(i as i64).unwrap().to_vec(), model[i]);
                            let from: Vec<Vec<u8>> = list.iter_from(i).map(|e| e.to_vec()).collect();
                            assert_eq!(from, model.iter().skip(i).cloned().collect::<Vec<_>>());
                        }
                    }
                }
                if step % 100 == 0 {
                    check(&list, &model);
                }
            }
            check(&list, &model);
        }
    }

    #[test]
    fn iterators_meet_in_the_middle() {
        let mut list = Quicklist::new(3);
        for i in 0..10 {
            list.push(End::Back, i.to_string().as_bytes());
        }
        let mut iter = list.iter();
        let mut seen = Vec::new();
        while let Some(e) = iter.next() {
            seen.push(e.to_vec());
            if let Some(e) = iter.next_back() {
                seen.push(e.to_vec());
            }
        }
        assert_eq!(seen.len(), 10);
        assert_eq!(list.iter_from(10).count(), 0);
        assert_eq!(list.iter_from(9).len(), 1);
    }
}
