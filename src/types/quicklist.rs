//! The list value: a quicklist, a sequence of [`Listpack`] nodes, as Redis stores every list.
//!
//! Pushing and popping at either end touch only the end node (O(1)); indexing walks whole nodes
//! by their counts from the nearer end, then one node. Nodes live in a `VecDeque` rather than a
//! linked list: the same O(1) ends and no per-node allocation.
//!
//! A node's size is bounded by `list-max-listpack-size` (the `fill` of the [`Shape`] given at
//! creation, as Redis fixes it when it creates the list): a negative fill caps a node's bytes
//! (-1..-5 → 4..64 KiB), a positive one its entries (and then its bytes at 8 KiB). A single entry
//! larger than the cap gets a node of its own. Invariants: no node is empty, `len` is the sum of
//! the nodes' lengths.
//!
//! With a compress depth N > 0 (`list-compress-depth`, also fixed at creation) the N nodes at
//! each end stay raw and every node between them is LZF-compressed when that pays (Redis's
//! thresholds: at least 48 bytes, at least 8 saved); a node that did not pay remembers it until
//! it changes. Reads decompress a middle node into a scratch copy and drop it; writes decompress
//! it in place and then settle the list: after a push or pop only the nodes next to that end can
//! cross the raw/compressed boundary, after a write in the middle every node is checked (a flag
//! test per node, the walk to the index already cost as much). At depth 0 nothing of this runs
//! beyond one comparison per new or dropped end node.
//!
//! Reads hand entries to callbacks ([`Quicklist::get`], [`Quicklist::for_each`]) rather than
//! return iterators: an entry of a compressed node lives only as long as its scratch copy.

use super::listpack::{Entry, Listpack, Pos};
use super::lzf;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::{ControlFlow, Range};

/// Byte caps for fills -1..-5.
const SIZE_LIMITS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// Byte cap of a node when the fill counts entries (Redis's `SIZE_SAFETY_LIMIT`).
const SAFETY_LIMIT: usize = 8192;
/// Smallest node worth compressing (Redis's `MIN_COMPRESS_BYTES`).
const MIN_COMPRESS_BYTES: usize = 48;
/// Fewest bytes compression must save to be kept (Redis's `MIN_COMPRESS_IMPROVE`).
const MIN_COMPRESS_IMPROVE: usize = 8;
/// Deepest compress depth a list keeps (Redis's `COMPRESS_MAX`, a 16-bit field).
const MAX_DEPTH: u32 = 65535;

/// Which end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The head (index 0; LPUSH, LPOP).
    Front,
    /// The tail (index -1; RPUSH, RPOP).
    Back,
}

/// How a list lays out its nodes, fixed when the list is created (Redis reads both directives
/// then, so CONFIG SET affects only lists created afterwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// `list-max-listpack-size`: bytes (negative, -1..-5) or entries (positive) per node.
    pub fill: i32,
    /// `list-compress-depth`: raw nodes kept at each end; 0 compresses nothing.
    pub depth: u32,
}

impl Shape {
    /// Nodes of `fill`, no compression.
    pub fn plain(fill: i32) -> Self {
        Shape { fill, depth: 0 }
    }
}

/// A list of byte strings (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quicklist {
    nodes: VecDeque<Node>,
    len: usize,
    fill: i32,
    /// Raw nodes kept at each end (0: none compressed).
    depth: usize,
}

/// A node: its entries, raw or compressed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Node {
    /// The entries; empty while `store` holds them compressed.
    lp: Listpack,
    store: Store,
}

/// How a node holds its entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Store {
    /// In `lp`, not tried for compression since they last changed.
    #[default]
    Raw,
    /// In `lp`, which did not compress well enough; not tried again until it changes.
    Incompressible,
    /// Compressed (boxed: a node is a slot of the node array, which should stay small).
    Packed(Box<Packed>),
}

/// LZF of the encoded listpack of `len` entries and `bytes` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Packed {
    lzf: Box<[u8]>,
    len: u32,
    bytes: u32,
}

impl Node {
    /// A raw node holding `lp`.
    fn raw(lp: Listpack) -> Self {
        Node { lp, store: Store::Raw }
    }

    /// Number of entries.
    fn len(&self) -> usize {
        match &self.store {
            Store::Packed(p) => p.len as usize,
            _ => self.lp.len(),
        }
    }

    /// Encoded size of the entries (the raw size, compressed or not).
    fn bytes(&self) -> usize {
        match &self.store {
            Store::Packed(p) => p.bytes as usize,
            _ => self.lp.bytes(),
        }
    }

    /// Bytes of the node's heap buffer: the compressed one when compressed.
    fn heap_size(&self) -> usize {
        match &self.store {
            Store::Packed(p) => std::mem::size_of::<Packed>() + p.lzf.len(),
            _ => self.lp.heap_size(),
        }
    }

    /// Whether the entries are compressed.
    #[cfg(test)]
    fn is_packed(&self) -> bool {
        matches!(self.store, Store::Packed(_))
    }

    /// The entries: borrowed when raw, a decompressed scratch copy when compressed.
    fn listpack(&self) -> Cow<'_, Listpack> {
        match &self.store {
            Store::Packed(p) => Cow::Owned(decompress(&p.lzf, p.len as usize, p.bytes as usize)),
            _ => Cow::Borrowed(&self.lp),
        }
    }

    /// The entries for writing: decompressed in place, and offered to compression again at the
    /// next settle since they are about to change.
    fn listpack_mut(&mut self) -> &mut Listpack {
        match self.store {
            Store::Raw => {}
            Store::Incompressible => self.store = Store::Raw,
            Store::Packed(_) => self.unpack(),
        }
        &mut self.lp
    }

    /// The entries, taken out of the node.
    fn into_listpack(self) -> Listpack {
        match self.listpack() {
            Cow::Owned(lp) => lp,
            Cow::Borrowed(_) => self.lp,
        }
    }

    /// Runs `edit`, which says whether it changed the entries; a compressed node is decompressed
    /// in place (and a raw one offered to compression again) only when it did.
    fn edit(&mut self, edit: impl FnOnce(&mut Listpack) -> bool) -> bool {
        if let Cow::Owned(mut scratch) = self.listpack() {
            let changed = edit(&mut scratch);
            if changed {
                *self = Node::raw(scratch);
            }
            return changed;
        }
        let changed = edit(&mut self.lp);
        if changed {
            self.store = Store::Raw;
        }
        changed
    }

    /// Compresses the entries if that was not already found not to pay.
    fn pack(&mut self) {
        if self.store != Store::Raw {
            return;
        }
        let packed = compress(self.lp.encoded()).and_then(|lzf| {
            let len = u32::try_from(self.lp.len()).ok()?;
            let bytes = u32::try_from(self.lp.bytes()).ok()?;
            Some(Store::Packed(Box::new(Packed { lzf, len, bytes })))
        });
        match packed {
            Some(store) => *self = Node { lp: Listpack::new(), store },
            None => self.store = Store::Incompressible,
        }
    }

    /// Decompresses the entries in place (a no-op on a raw node).
    fn unpack(&mut self) {
        if let Cow::Owned(lp) = self.listpack() {
            *self = Node::raw(lp);
        }
    }
}

/// `raw` LZF-compressed if that pays by Redis's rules.
fn compress(raw: &[u8]) -> Option<Box<[u8]>> {
    if raw.len() < MIN_COMPRESS_BYTES {
        return None;
    }
    let packed = lzf::compress(raw)?;
    (packed.len() + MIN_COMPRESS_IMPROVE < raw.len()).then(|| packed.into_boxed_slice())
}

/// The listpack of `len` entries and `bytes` bytes that [`compress`] turned into `packed`.
fn decompress(packed: &[u8], len: usize, bytes: usize) -> Listpack {
    match lzf::decompress(packed, bytes) {
        Ok(buf) => Listpack::from_encoded(buf, len),
        // Unreachable: the node holds what `compress` wrote. Should memory have been corrupted,
        // keep the count (so every index stays valid) rather than crash.
        Err(e) => {
            tracing::error!("a compressed list node failed to decompress ({e}); its {len} entries are lost");
            std::iter::repeat_n(&b""[..], len).collect()
        }
    }
}

impl Quicklist {
    /// An empty list laid out by `shape`.
    pub fn new(shape: Shape) -> Self {
        let depth = shape.depth.min(MAX_DEPTH) as usize;
        Quicklist { nodes: VecDeque::new(), len: 0, fill: shape.fill, depth }
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
        self.nodes.capacity() * std::mem::size_of::<Node>()
    }

    /// Bytes of each node's buffer (compressed nodes count their compressed bytes).
    pub fn node_sizes(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes.iter().map(Node::heap_size)
    }

    /// Whether a node of `count` entries and `bytes` bytes respects the fill.
    fn within_fill(&self, count: usize, bytes: usize) -> bool {
        match usize::try_from(self.fill) {
            Ok(limit) => bytes <= SAFETY_LIMIT && count <= limit,
            Err(_) => {
                let level = usize::try_from(self.fill.unsigned_abs()).unwrap_or(usize::MAX).min(SIZE_LIMITS.len());
                bytes <= SIZE_LIMITS[level - 1]
            }
        }
    }

    /// Whether `node` may take one more entry of `size` bytes.
    fn fits(&self, node: &Node, size: usize) -> bool {
        self.within_fill(node.len() + 1, node.bytes() + size)
    }

    /// Whether two nodes may become one.
    fn fits_merged(&self, a: &Node, b: &Node) -> bool {
        self.within_fill(a.len() + b.len(), a.bytes() + b.bytes())
    }

    /// Whether node `index` belongs compressed: outside the raw ends.
    fn wants_packed(&self, index: usize) -> bool {
        self.depth > 0 && index >= self.depth && index + self.depth < self.nodes.len()
    }

    /// Brings node `index` to the state its place wants.
    fn settle_node(&mut self, index: usize) {
        let packed = self.wants_packed(index);
        if let Some(node) = self.nodes.get_mut(index) {
            if packed { node.pack() } else { node.unpack() }
        }
    }

    /// Settles after `end` gained or lost a node: only the nodes whose distance from that end
    /// is now `depth - 1` or `depth` can have crossed the boundary (the other end's distances
    /// did not change).
    fn settle_end(&mut self, end: End) {
        let Some(inner) = self.depth.checked_sub(1) else { return };
        for from_end in [inner, self.depth] {
            let index = match end {
                End::Front => Some(from_end),
                End::Back => self.nodes.len().checked_sub(from_end + 1),
            };
            if let Some(index) = index {
                self.settle_node(index);
            }
        }
    }

    /// Settles every node (after a write in the middle).
    fn settle_all(&mut self) {
        if self.depth > 0 {
            (0..self.nodes.len()).for_each(|index| self.settle_node(index));
        }
    }

    /// The node at `end`.
    fn end_node(&mut self, end: End) -> Option<&mut Node> {
        match end {
            End::Front => self.nodes.front_mut(),
            End::Back => self.nodes.back_mut(),
        }
    }

    /// Makes room for one more node, growing the node array by a quarter rather than doubling
    /// it: Redis links its nodes, so a doubled array would be pure overhead next to it.
    fn reserve_node(&mut self) {
        if self.nodes.len() == self.nodes.capacity() {
            self.nodes.reserve_exact(self.nodes.len() / 4 + 4);
        }
    }

    /// Adds `value` at `end`.
    pub fn push(&mut self, end: End, value: &[u8]) {
        let size = Listpack::entry_size(value);
        let end_node = match end {
            End::Front => self.nodes.front(),
            End::Back => self.nodes.back(),
        };
        let new_node = !end_node.is_some_and(|n| self.fits(n, size));
        if new_node {
            self.reserve_node();
            match end {
                End::Front => self.nodes.push_front(Node::default()),
                End::Back => self.nodes.push_back(Node::default()),
            }
        }
        let Some(node) = self.end_node(end) else { return };
        let lp = node.listpack_mut();
        match end {
            End::Front => lp.push_front(value),
            End::Back => lp.push_back(value),
        }
        self.len += 1;
        if new_node {
            self.settle_end(end);
        }
    }

    /// Removes and returns the entry at `end`.
    pub fn pop(&mut self, end: End) -> Option<Vec<u8>> {
        let lp = self.end_node(end)?.listpack_mut();
        let pos = match end {
            End::Front => lp.first(),
            End::Back => lp.last(),
        }?;
        let value = lp.at(pos).to_vec();
        lp.remove(pos);
        if lp.is_empty() {
            match end {
                End::Front => self.nodes.pop_front(),
                End::Back => self.nodes.pop_back(),
            };
            self.settle_end(end);
        }
        self.len -= 1;
        Some(value)
    }

    /// Calls `f` with the entry at `index` (negative counts from the tail); `None` when the index
    /// is out of range.
    pub fn get<R>(&self, index: i64, f: impl FnOnce(Entry<'_>) -> R) -> Option<R> {
        let (node, offset) = self.locate(index)?;
        let lp = self.nodes.get(node)?.listpack();
        lp.get(i64::try_from(offset).ok()?).map(f)
    }

    /// Replaces the entry at `index`; false when the index is out of range.
    pub fn set(&mut self, index: i64, value: &[u8]) -> bool {
        let Some((node, offset)) = self.locate(index) else { return false };
        let Some(lp) = self.nodes.get_mut(node).map(Node::listpack_mut) else { return false };
        let Some(pos) = seek(lp, offset) else { return false };
        // Redis 7.0 replaces in place whatever the new size (no node split).
        lp.replace(pos, value);
        self.settle_node(node);
        true
    }

    /// Calls `f` on each entry in `range` (clamped to the list), front to back, or back to
    /// front when `rev`.
    pub fn for_each(&self, range: Range<usize>, rev: bool, mut f: impl FnMut(Entry<'_>)) {
        let _ = self.try_for_each(range, rev, |_, entry| {
            f(entry);
            ControlFlow::Continue(())
        });
    }

    /// Calls `f` with the index and entry of each entry in `range` (clamped to the list), front
    /// to back, or back to front when `rev`, until it breaks.
    pub fn try_for_each(
        &self,
        range: Range<usize>,
        rev: bool,
        mut f: impl FnMut(usize, Entry<'_>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let (start, end) = (range.start, range.end.min(self.len));
        if start >= end {
            return ControlFlow::Continue(());
        }
        let anchor = if rev { end - 1 } else { start };
        let Some((mut node, offset)) = i64::try_from(anchor).ok().and_then(|i| self.locate(i)) else {
            return ControlFlow::Continue(());
        };
        // Index of the current node's first entry.
        let mut first = anchor - offset;
        while let Some(current) = self.nodes.get(node) {
            let last = first + current.len();
            let lp = current.listpack();
            let (lo, hi) = (start.max(first), end.min(last));
            let (Some(from), Some(to)) = (seek(&lp, lo - first), seek(&lp, hi - first)) else { break };
            let entries = lp.range(from, to);
            if rev {
                for (i, entry) in (lo..hi).rev().zip(entries.rev()) {
                    f(i, entry)?;
                }
                if first <= start {
                    break;
                }
                let Some(prev) = node.checked_sub(1) else { break };
                node = prev;
                first -= self.nodes.get(node).map_or(0, Node::len);
            } else {
                for (i, entry) in (lo..hi).zip(entries) {
                    f(i, entry)?;
                }
                if last >= end {
                    break;
                }
                node += 1;
                first = last;
            }
        }
        ControlFlow::Continue(())
    }

    /// Index of the first entry equal to `value`.
    pub fn position(&self, value: &[u8]) -> Option<usize> {
        let mut before = 0;
        for node in &self.nodes {
            let lp = node.listpack();
            if let Some(pos) = lp.find(value) {
                return Some(before + lp.range(lp.first()?, pos).count());
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
        let Some((node, offset)) = i64::try_from(index).ok().and_then(|i| self.locate(i)) else { return false };
        self.insert_at(node, offset, value);
        self.settle_all();
        true
    }

    /// Inserts `value` before entry `offset` of node `index`, splitting the node if it is full.
    fn insert_at(&mut self, index: usize, offset: usize, value: &[u8]) {
        let size = Listpack::entry_size(value);
        if self.fits(&self.nodes[index], size) {
            let lp = self.nodes[index].listpack_mut();
            if let Some(pos) = seek(lp, offset) {
                lp.insert(pos, value);
                self.len += 1;
            }
            return;
        }
        // At the head of a full node, the previous node's tail is the same place.
        if offset == 0 && index > 0 && self.fits(&self.nodes[index - 1], size) {
            self.nodes[index - 1].listpack_mut().push_back(value);
            self.len += 1;
            return;
        }
        let lp = self.nodes[index].listpack_mut();
        let Some(pos) = seek(lp, offset) else { return };
        let tail = lp.split_off(pos);
        let mut insert_at = index + 1;
        if lp.is_empty() {
            self.nodes.remove(index);
            insert_at -= 1;
        }
        let single: Listpack = [value].into_iter().collect();
        self.reserve_node();
        self.reserve_node();
        self.nodes.insert(insert_at, Node::raw(single));
        self.nodes.insert(insert_at + 1, Node::raw(tail));
        self.len += 1;
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
        if let Some(node) = self.nodes.remove(index) {
            self.nodes[index - 1].listpack_mut().append(&mut node.into_listpack());
        }
    }

    /// Removes `count` entries from index `start` on (clamped to the list).
    pub fn remove_range(&mut self, start: usize, count: usize) {
        let mut count = count.min(self.len.saturating_sub(start));
        let Some((mut index, mut offset)) = i64::try_from(start).ok().and_then(|i| self.locate(i)) else { return };
        while count > 0 {
            let Some(node) = self.nodes.get_mut(index) else { break };
            if offset == 0 && node.len() <= count {
                // A whole node goes without being decompressed.
                count -= node.len();
                self.len -= node.len();
                self.nodes.remove(index);
            } else {
                let lp = node.listpack_mut();
                let Some(pos) = seek(lp, offset) else { break };
                let removed = lp.remove_range(pos, count);
                count -= removed;
                self.len -= removed;
                if lp.is_empty() {
                    self.nodes.remove(index);
                } else {
                    index += 1;
                }
            }
            offset = 0;
        }
        self.settle_all();
    }

    /// Removes entries equal to `value`, at most `limit` (0 = all), scanning from `from`;
    /// returns how many were removed (LREM).
    pub fn remove_matching(&mut self, value: &[u8], limit: usize, from: End) -> usize {
        let limit = if limit == 0 { usize::MAX } else { limit };
        let mut removed = 0;
        let mut index = match from {
            End::Front => 0,
            End::Back => self.nodes.len(),
        };
        while removed < limit {
            if from == End::Back {
                let Some(prev) = index.checked_sub(1) else { break };
                index = prev;
            }
            let Some(node) = self.nodes.get_mut(index) else { break };
            node.edit(|lp| {
                let here = remove_in_node(lp, value, limit - removed, from);
                removed += here;
                here > 0
            });
            if node.len() == 0 {
                self.nodes.remove(index);
            } else if from == End::Front {
                index += 1;
            }
        }
        self.len -= removed;
        self.settle_all();
        removed
    }

    /// The node holding the entry at `index` (negative from the tail) and the entry's offset in
    /// it, walking node counts from the nearer end.
    fn locate(&self, index: i64) -> Option<(usize, usize)> {
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
                    return Some((i, index - skipped));
                }
                skipped += node.len();
            }
        } else {
            let mut after = self.len;
            for (i, node) in self.nodes.iter().enumerate().rev() {
                let start = after - node.len();
                if index >= start {
                    return Some((i, index - start));
                }
                after = start;
            }
        }
        None
    }
}

/// The boundary before entry `offset` of `lp` (its end when `offset` is its length).
fn seek(lp: &Listpack, offset: usize) -> Option<Pos> {
    if offset == lp.len() { Some(lp.end()) } else { lp.seek(i64::try_from(offset).ok()?) }
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

impl Quicklist {
    /// Calls `f` with each node's entries, front to back, until it fails; compressed nodes are
    /// decompressed into a scratch copy (RDB saving writes one listpack per node).
    pub fn try_for_each_node<E>(&self, mut f: impl FnMut(&Listpack) -> Result<(), E>) -> Result<(), E> {
        self.nodes.iter().try_for_each(|node| f(&node.listpack()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn node_slots_stay_small() {
        // One slot per node in the node array: Redis's quicklist node is 32 bytes.
        assert!(std::mem::size_of::<super::Node>() <= 48);
    }

    use super::*;

    fn list(fill: i32, depth: u32) -> Quicklist {
        Quicklist::new(Shape { fill, depth })
    }

    fn contents(list: &Quicklist) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        list.for_each(0..list.len(), false, |e| out.push(e.to_vec()));
        out
    }

    fn get(list: &Quicklist, index: i64) -> Option<Vec<u8>> {
        list.get(index, |e| e.to_vec())
    }

    /// Contents both ways, counts, and the compression invariant: nodes inside the raw ends are
    /// raw, nodes between them compressed unless they did not pay.
    fn check(list: &Quicklist, model: &VecDeque<Vec<u8>>) {
        let model: Vec<Vec<u8>> = model.iter().cloned().collect();
        assert_eq!(list.len(), model.len());
        assert_eq!(contents(list), model);
        let mut back = Vec::new();
        list.for_each(0..usize::MAX, true, |e| back.push(e.to_vec()));
        back.reverse();
        assert_eq!(back, model);
        assert!(list.nodes.iter().all(|n| n.len() > 0), "no empty nodes");
        assert_eq!(list.nodes.iter().map(Node::len).sum::<usize>(), list.len());
        for (i, node) in list.nodes.iter().enumerate() {
            if list.wants_packed(i) {
                assert_ne!(node.store, Store::Raw, "node {i} of {} left raw", list.nodes.len());
            } else {
                assert!(!node.is_packed(), "node {i} of {} compressed", list.nodes.len());
            }
            let lp = node.listpack();
            assert_eq!((lp.len(), lp.bytes()), (node.len(), node.bytes()));
        }
    }

    #[test]
    fn pushes_and_pops_at_both_ends_across_nodes() {
        let mut list = list(4, 0);
        for i in 0..10 {
            list.push(End::Back, i.to_string().as_bytes());
            list.push(End::Front, format!("f{i}").as_bytes());
        }
        assert_eq!(list.len(), 20);
        assert_eq!(list.node_count(), 5);
        assert_eq!(get(&list, 0).unwrap(), b"f9");
        assert_eq!(list.get(-1, |e| e == Entry::Int(9)), Some(true));
        assert_eq!(get(&list, 10).unwrap(), b"0");
        assert_eq!(get(&list, 20), None);
        assert_eq!(get(&list, -21), None);
        assert_eq!(list.pop(End::Front).unwrap(), b"f9");
        assert_eq!(list.pop(End::Back).unwrap(), b"9");
        while list.pop(End::Back).is_some() {}
        assert!(list.is_empty() && list.node_count() == 0);
    }

    #[test]
    fn byte_limits_bound_nodes() {
        let mut list = list(-1, 0);
        for _ in 0..1000 {
            list.push(End::Back, &[b'x'; 16]);
        }
        assert!(list.nodes.iter().all(|n| n.bytes() <= 4096));
        assert_eq!(list.node_count(), 1000usize.div_ceil(4096 / 18));
        let mut big = Quicklist::new(Shape::plain(-2));
        big.push(End::Back, &[b'y'; 10000]);
        big.push(End::Back, b"a");
        assert_eq!(big.node_count(), 2);
        big.set(1, &[b'z'; 9000]);
        big.push(End::Back, b"b");
        assert_eq!(contents(&big).iter().map(Vec::len).collect::<Vec<_>>(), [10000, 9000, 1]);
    }

    /// A value for the random tests: small integers and short strings (which LREM and LPOS
    /// look for), long repetitive strings (which compress), random bytes (which do not).
    fn value(rng: &mut fastrand::Rng) -> Vec<u8> {
        match rng.u8(..5) {
            0 => rng.i64(..).to_string().into_bytes(),
            1 => vec![b'v'; rng.usize(0..300)],
            2 => {
                let len = rng.usize(0..80);
                noise(rng, len)
            }
            _ => rng.u8(..6).to_string().into_bytes(),
        }
    }

    /// `len` random bytes.
    fn noise(rng: &mut fastrand::Rng, len: usize) -> Vec<u8> {
        std::iter::repeat_with(|| rng.u8(..)).take(len).collect()
    }

    #[test]
    fn random_operations_match_a_deque() {
        let cases =
            [(1, 4, 0), (2, 1, 0), (3, -1, 0), (4, 3, 0), (5, 0, 0), (6, 4, 1), (7, 3, 2), (8, -1, 1), (9, 1, 1)];
        for (seed, fill, depth) in cases {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut list = list(fill, depth);
            let mut model: VecDeque<Vec<u8>> = VecDeque::new();
            for step in 0..3000 {
                let value = value(&mut rng);
                let len = model.len();
                match rng.u8(..10) {
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
                        let limit_or_all = if limit == 0 { usize::MAX } else { limit };
                        let mut doomed: Vec<usize> = match from {
                            End::Front => (0..len).filter(|&i| model[i] == needle).take(limit_or_all).collect(),
                            End::Back => (0..len).rev().filter(|&i| model[i] == needle).take(limit_or_all).collect(),
                        };
                        doomed.sort_unstable();
                        for &i in doomed.iter().rev() {
                            model.remove(i);
                        }
                        assert_eq!(list.remove_matching(&needle, limit, from), doomed.len());
                    }
                    8 => {
                        let start = rng.usize(..=len);
                        let end = rng.usize(start..=len + 2);
                        let rev = rng.bool();
                        let mut seen = Vec::new();
                        let flow = list.try_for_each(start..end, rev, |i, e| {
                            seen.push((i, e.to_vec()));
                            if seen.len() == 7 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
                        });
                        let mut expect: Vec<(usize, Vec<u8>)> =
                            (start..end.min(len)).map(|i| (i, model[i].clone())).collect();
                        if rev {
                            expect.reverse();
                        }
                        expect.truncate(7);
                        assert_eq!(flow.is_break(), seen.len() == 7);
                        assert_eq!(seen, expect);
                    }
                    _ => {
                        let needle = rng.u8(..6).to_string().into_bytes();
                        assert_eq!(list.position(&needle), model.iter().position(|v| *v == needle));
                        if len > 0 {
                            let i = rng.usize(..len);
                            assert_eq!(get(&list, i as i64).unwrap(), model[i]);
                            assert_eq!(get(&list, i as i64 - len as i64).unwrap(), model[i]);
                        }
                    }
                }
                if step % 50 == 0 {
                    check(&list, &model);
                }
            }
            check(&list, &model);
        }
    }

    #[test]
    fn middle_nodes_compress_when_it_pays() {
        let mut list = list(-2, 1);
        for i in 0..20_000 {
            list.push(End::Back, format!("e:{i:014}").as_bytes());
        }
        let raw = list.nodes.iter().map(Node::bytes).sum::<usize>();
        let stored = list.node_sizes().sum::<usize>();
        assert!(list.nodes.iter().skip(1).take(list.node_count() - 2).all(Node::is_packed));
        assert!(!list.nodes[0].is_packed() && !list.nodes[list.node_count() - 1].is_packed());
        assert!(stored * 2 < raw, "{stored} of {raw}");
        // Popping the head node's entries brings the next node into the raw end.
        let head = list.nodes[0].len();
        for _ in 0..head {
            list.pop(End::Front);
        }
        assert!(!list.nodes[0].is_packed() && list.nodes[1].is_packed());
        assert_eq!(get(&list, 0).unwrap(), format!("e:{head:014}").as_bytes());

        let mut rng = fastrand::Rng::with_seed(7);
        let mut random = Quicklist::new(Shape { fill: 4, depth: 1 });
        for _ in 0..40 {
            random.push(End::Back, &noise(&mut rng, 30));
        }
        assert!(random.nodes.iter().all(|n| !n.is_packed()), "random bytes do not pay");
        assert!(random.nodes.iter().skip(1).take(8).all(|n| n.store == Store::Incompressible));
        let mut tiny = Quicklist::new(Shape { fill: 2, depth: 1 });
        for _ in 0..10 {
            tiny.push(End::Back, b"aaaaaaaaaaaaaaaaaaaa");
        }
        assert!(tiny.nodes.iter().all(|n| !n.is_packed()), "nodes under 48 bytes stay raw");
    }

    #[test]
    fn depth_is_clamped_and_short_lists_stay_raw() {
        let mut deep = Quicklist::new(Shape { fill: 1, depth: u32::MAX });
        assert_eq!(deep.depth, 65535);
        for _ in 0..100 {
            deep.push(End::Back, &[b'q'; 100]);
        }
        assert!(deep.nodes.iter().all(|n| !n.is_packed()));
        let mut two = Quicklist::new(Shape { fill: 1, depth: 2 });
        for _ in 0..5 {
            two.push(End::Front, &[b'q'; 100]);
        }
        let packed: Vec<bool> = two.nodes.iter().map(Node::is_packed).collect();
        assert_eq!(packed, [false, false, true, false, false]);
        two.pop(End::Back);
        assert!(two.nodes.iter().all(|n| !n.is_packed()));
    }

    #[test]
    fn compression_round_trips_or_declines() {
        let mut rng = fastrand::Rng::with_seed(11);
        for round in 0..3000 {
            let len = rng.usize(0..9000);
            let alphabet = [2u8, 4, 16, 255][round % 4];
            let data: Vec<u8> = match round % 3 {
                0 => std::iter::repeat_with(|| rng.u8(..alphabet)).take(len).collect(),
                1 => {
                    let step = rng.usize(1..50);
                    (0..len).map(|i| (i / step) as u8).collect()
                }
                _ => {
                    let mut v = Vec::with_capacity(len);
                    while v.len() < len {
                        let run = rng.usize(1..40);
                        let b = rng.u8(..);
                        v.extend(std::iter::repeat_n(b, run));
                        let len = rng.usize(0..10);
                        v.extend(noise(&mut rng, len));
                    }
                    v
                }
            };
            if let Some(packed) = compress(&data) {
                assert!(packed.len() + MIN_COMPRESS_IMPROVE < data.len());
                assert_eq!(lzf::decompress(&packed, data.len()).unwrap(), data);
            }
        }
        assert!(compress(&[b'a'; 47]).is_none());
        assert!(compress(&[b'a'; 48]).is_some());
        let lp: Listpack = [&b"abc"[..]; 30].into_iter().collect();
        assert_eq!(decompress(b"\xff\xff", 30, lp.bytes()).len(), 30, "corrupt data keeps the count");
    }
}
