//! Where a stream's nodes live. The last node, the one XADD appends to, is a [`Listpack`] of its
//! own; every node before it is sealed: its bytes packed right after the previous sealed node's
//! in a shared chunk of up to [`CHUNK`] bytes, and found through an index sorted by master ID.
//!
//! Redis gives every node its own allocation, which the allocator rounds up to a size class:
//! about a tenth more than the node's bytes at the default node limits. A full chunk wastes at
//! most the end that the next node did not fit in; only the chunk still filling up is rounded to
//! its size class (at most a page past 16 KiB). An index slot (32 bytes) costs less than Redis's
//! radix tree does per node. A small stream is one open node.
//!
//! Sealed nodes are rarely written. Deleting entries rewrites integers, in place when they keep
//! their size; a node that changes size or goes away moves the rest of its chunk, except the
//! first node of a chunk, which leaves a gap (trimming takes nodes from the front) that is
//! closed once it is an eighth of the chunk. A chunk's bytes are that gap, then its nodes back
//! to back, so a node ends where the next one in its chunk starts.

use std::alloc::Layout;
use std::collections::VecDeque;
use std::ops::Range;

use super::id::StreamId;
use super::node::{self, Edit};
use crate::alloc::size_class;
use crate::types::listpack::{Listpack, ListpackRef};

/// Bytes a chunk may reach by taking more nodes (a chunk with one bigger node is that big).
const CHUNK: usize = 64 * 1024;

/// A sealed node in the index.
#[derive(Debug, Clone, Copy)]
struct Sealed {
    master: StreamId,
    /// Where its bytes start in its chunk.
    offset: usize,
    /// Its chunk's number: the chunk at `chunk - first_chunk` (wrapping) in `chunks`.
    chunk: u32,
}

/// A stream's nodes in master ID order.
#[derive(Debug, Clone, Default)]
pub struct Nodes {
    sealed: VecDeque<Sealed>,
    /// The chunks in node order; an emptied chunk between others stays as an empty vector.
    chunks: VecDeque<Vec<u8>>,
    /// Number of the front chunk.
    first_chunk: u32,
    /// The last node; `None` only when there are no nodes.
    open: Option<(StreamId, Listpack)>,
}

/// The jemalloc size class of `bytes` bytes.
fn class(bytes: usize) -> usize {
    Layout::from_size_align(bytes, 1).map_or(bytes, size_class)
}

/// Gives back the capacity of `buf` beyond its size class.
fn fit(buf: &mut Vec<u8>) {
    if class(buf.capacity()) > class(buf.len()) {
        buf.shrink_to_fit();
    }
}

/// Gives back most of the capacity of `deque` once it is less than half used (all once empty).
fn shrink<T>(deque: &mut VecDeque<T>) {
    let len = deque.len();
    if (len == 0 || deque.capacity() > 16) && len < deque.capacity() / 2 {
        deque.shrink_to(len + len / 8);
    }
}

impl Nodes {
    /// Nodes from `(master, listpack)` pairs in ascending master order (a loaded stream).
    pub fn from_sorted(nodes: impl IntoIterator<Item = (StreamId, Listpack)>) -> Self {
        let mut out = Nodes::default();
        for (master, lp) in nodes {
            out.push(master, lp);
        }
        out
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.sealed.len() + usize::from(self.open.is_some())
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.open.is_none()
    }

    fn chunk_at(&self, chunk: u32) -> usize {
        chunk.wrapping_sub(self.first_chunk) as usize
    }

    /// Where sealed node `k` is: its chunk's index and its byte range there.
    fn locate(&self, k: usize) -> (usize, Range<usize>) {
        let s = self.sealed[k];
        let at = self.chunk_at(s.chunk);
        let end = match self.sealed.get(k + 1) {
            Some(next) if next.chunk == s.chunk => next.offset,
            _ => self.chunks[at].len(),
        };
        (at, s.offset..end)
    }

    /// Node `k` (0 is the first): its master ID and listpack.
    pub fn get(&self, k: usize) -> Option<(StreamId, ListpackRef<'_>)> {
        if k < self.sealed.len() {
            let (at, range) = self.locate(k);
            return Some((self.sealed[k].master, ListpackRef::over(&self.chunks[at][range])));
        }
        self.open.as_ref().filter(|_| k == self.sealed.len()).map(|(master, lp)| (*master, lp.view()))
    }

    /// How many nodes have a master ID at most `id`.
    pub fn count_to(&self, id: StreamId) -> usize {
        let k = self.sealed.partition_point(|s| s.master <= id);
        let open = k == self.sealed.len() && self.open.as_ref().is_some_and(|(master, _)| *master <= id);
        k + usize::from(open)
    }

    /// The nodes that may hold IDs from `start` to `end`: from the last whose master is at most
    /// `start` (or the first) to the last whose master is at most `end`.
    pub fn span(
        &self,
        start: StreamId,
        end: StreamId,
    ) -> impl DoubleEndedIterator<Item = (StreamId, ListpackRef<'_>)> + '_ {
        let from = self.count_to(start).saturating_sub(1);
        (from..self.count_to(end)).filter_map(|k| self.get(k))
    }

    /// Every node in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (StreamId, ListpackRef<'_>)> + '_ {
        (0..self.len()).filter_map(|k| self.get(k))
    }

    /// The last node, for XADD to append to.
    pub fn last_mut(&mut self) -> Option<(StreamId, &mut Listpack)> {
        self.open.as_mut().map(|(master, lp)| (*master, lp))
    }

    /// Adds a node after the last one (`master` is above every master ID), sealing that one.
    pub fn push(&mut self, master: StreamId, lp: Listpack) {
        if let Some((last, prev)) = self.open.replace((master, lp)) {
            self.seal(last, prev);
        }
    }

    /// Packs `lp` after the last sealed node: at the end of the last chunk if it stays within
    /// [`CHUNK`], else as a new chunk (its own buffer, not copied).
    fn seal(&mut self, master: StreamId, lp: Listpack) {
        let back = self.first_chunk.wrapping_add(self.chunks.len() as u32).wrapping_sub(1);
        let sealed = match self.chunks.back_mut() {
            Some(chunk) if chunk.len() + lp.bytes() <= CHUNK => {
                let needed = chunk.len() + lp.bytes();
                if needed > chunk.capacity() {
                    // To the size class only: past 16 KiB the classes are a page apart.
                    chunk.reserve_exact(class(needed) - chunk.len());
                }
                let offset = chunk.len();
                chunk.extend_from_slice(lp.encoded());
                Sealed { master, offset, chunk: back }
            }
            full => {
                if let Some(chunk) = full {
                    fit(chunk);
                }
                self.chunks.push_back(lp.into_encoded());
                Sealed { master, offset: 0, chunk: back.wrapping_add(1) }
            }
        };
        let len = self.sealed.len();
        if len == self.sealed.capacity() {
            // An eighth more, not double: the index of a long stream is a few hundred KiB.
            let size = std::mem::size_of::<Sealed>();
            self.sealed.reserve_exact(class((len + (len / 8).max(4)) * size) / size - len);
        }
        self.sealed.push_back(sealed);
    }

    /// Rewrites integer elements of node `k` (see [`node::apply_in_place`]).
    pub fn rewrite(&mut self, k: usize, edits: &[Edit]) {
        if k >= self.sealed.len() {
            if let Some((_, lp)) = &mut self.open {
                node::apply(lp, edits);
            }
            return;
        }
        let (at, range) = self.locate(k);
        let chunk = &mut self.chunks[at];
        let left = node::apply_in_place(&mut chunk[range.clone()], edits);
        if left == 0 {
            return;
        }
        let bytes = &chunk[range.clone()];
        let mut lp = Listpack::from_encoded(bytes.to_vec(), ListpackRef::over(bytes).count());
        node::apply(&mut lp, &edits[..left]);
        let (old, new) = (range.len(), lp.bytes());
        chunk.reserve_exact(new.saturating_sub(old));
        chunk.splice(range, lp.encoded().iter().copied());
        fit(chunk);
        self.shift(k + 1, self.sealed[k].chunk, |offset| offset + new - old);
    }

    /// Moves the offsets of the nodes from `k` on that are in chunk `number`.
    fn shift(&mut self, k: usize, number: u32, moved: impl Fn(usize) -> usize) {
        for s in self.sealed.range_mut(k..).take_while(|s| s.chunk == number) {
            s.offset = moved(s.offset);
        }
    }

    /// Removes node `k`.
    pub fn remove(&mut self, k: usize) {
        if k == 0 {
            return self.remove_front(1);
        }
        if k >= self.sealed.len() {
            self.open = None;
            self.reopen_last();
            return;
        }
        let (at, range) = self.locate(k);
        let number = self.sealed[k].chunk;
        let in_chunk = |s: Option<&Sealed>| s.is_some_and(|s| s.chunk == number);
        let alone = !in_chunk(self.sealed.get(k - 1)) && !in_chunk(self.sealed.get(k + 1));
        let chunk = &mut self.chunks[at];
        let dropped = if alone { 0..chunk.len() } else { range };
        chunk.drain(dropped.clone());
        fit(chunk);
        self.sealed.remove(k);
        self.shift(k, number, |offset| offset - dropped.len());
        self.drop_empty_chunks();
        shrink(&mut self.sealed);
        shrink(&mut self.chunks);
    }

    /// Removes the first `n` nodes (trimming): the chunks they fill go whole, and the bytes they
    /// leave at the front of the next chunk stay as its gap until that is an eighth of it.
    pub fn remove_front(&mut self, n: usize) {
        if n >= self.len() {
            *self = Nodes::default();
            return;
        }
        self.sealed.drain(..n);
        match self.sealed.front().copied() {
            None => self.chunks.clear(),
            Some(first) => {
                while self.first_chunk != first.chunk {
                    self.chunks.pop_front();
                    self.first_chunk = self.first_chunk.wrapping_add(1);
                }
                if let Some(chunk) = self.chunks.front_mut().filter(|c| first.offset * 8 >= c.len()) {
                    chunk.drain(..first.offset);
                    fit(chunk);
                    self.shift(0, first.chunk, |offset| offset - first.offset);
                }
            }
        }
        shrink(&mut self.sealed);
        shrink(&mut self.chunks);
    }

    /// Makes the last sealed node the open one.
    fn reopen_last(&mut self) {
        let Some(s) = self.sealed.pop_back() else { return };
        let alone = self.sealed.back().is_none_or(|p| p.chunk != s.chunk);
        let Some(chunk) = self.chunks.back_mut() else { return };
        let mut buf = if alone {
            let mut buf = std::mem::take(chunk);
            buf.drain(..s.offset);
            buf
        } else {
            let buf = chunk[s.offset..].to_vec();
            chunk.truncate(s.offset);
            fit(chunk);
            buf
        };
        fit(&mut buf);
        let count = ListpackRef::over(&buf).count();
        self.open = Some((s.master, Listpack::from_encoded(buf, count)));
        self.drop_empty_chunks();
    }

    /// Drops emptied chunks at either end.
    fn drop_empty_chunks(&mut self) {
        while self.chunks.front().is_some_and(Vec::is_empty) {
            self.chunks.pop_front();
            self.first_chunk = self.first_chunk.wrapping_add(1);
        }
        while self.chunks.back().is_some_and(Vec::is_empty) {
            self.chunks.pop_back();
        }
    }

    /// Heap bytes, with `allocated` giving the size class of an allocation.
    pub fn heap_size(&self, allocated: impl Fn(usize) -> usize) -> usize {
        let index = allocated(self.sealed.capacity() * std::mem::size_of::<Sealed>());
        let chunks = allocated(self.chunks.capacity() * std::mem::size_of::<Vec<u8>>())
            + self.chunks.iter().map(|c| allocated(c.capacity())).sum::<usize>();
        index + chunks + self.open.as_ref().map_or(0, |(_, lp)| allocated(lp.heap_size()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::listpack::Pos;
    use crate::types::stream::node::NodeView;

    /// A node of `entries` entries whose values are `size` bytes, mastered at `master`.
    fn node(master: StreamId, entries: u64, size: usize) -> Listpack {
        let value = vec![b'v'; size];
        let mut lp = node::new_node(master, &[b"f", &value]);
        for i in 1..entries {
            node::append(&mut lp, master, StreamId::new(master.ms, i), &[b"f", &value]);
        }
        lp
    }

    /// Checks `nodes` against `model` and the layout invariants.
    fn check(nodes: &Nodes, model: &[(StreamId, Listpack)]) {
        let got: Vec<(StreamId, Vec<u8>)> = nodes.iter().map(|(m, lp)| (m, lp.encoded().to_vec())).collect();
        let want: Vec<(StreamId, Vec<u8>)> = model.iter().map(|(m, lp)| (*m, lp.encoded().to_vec())).collect();
        assert_eq!(got, want);
        assert_eq!(nodes.len(), model.len());
        assert_eq!(nodes.is_empty(), model.is_empty());
        assert!(nodes.chunks.front().is_none_or(|c| !c.is_empty()));
        assert!(nodes.chunks.back().is_none_or(|c| !c.is_empty()));
        for (k, s) in nodes.sealed.iter().enumerate() {
            let (at, range) = nodes.locate(k);
            assert!(range.start < range.end && at < nodes.chunks.len(), "node {k} at {s:?}");
        }
        for (i, (master, _)) in model.iter().enumerate() {
            assert_eq!(nodes.count_to(*master), i + 1);
        }
    }

    #[test]
    fn packs_sealed_nodes_back_to_back() {
        let mut nodes = Nodes::default();
        let mut bytes = 0;
        for ms in 1..=200 {
            let lp = node(StreamId::new(ms, 0), 100, 10);
            bytes += lp.bytes();
            nodes.push(StreamId::new(ms, 0), lp);
        }
        assert_eq!(nodes.len(), 200);
        assert_eq!(nodes.chunks.len(), bytes.div_ceil(CHUNK));
        let heap = nodes.heap_size(class);
        assert!(heap < bytes + bytes / 20, "{heap} bytes for {bytes}");
        let span: Vec<u64> = nodes.span(StreamId::new(5, 3), StreamId::new(7, 0)).map(|(m, _)| m.ms).collect();
        assert_eq!(span, [5, 6, 7]);
        let span: Vec<u64> = nodes.span(StreamId::MIN, StreamId::new(1, 9)).rev().map(|(m, _)| m.ms).collect();
        assert_eq!(span, [1]);
        assert_eq!(nodes.span(StreamId::MIN, StreamId::new(0, 9)).count(), 0);
    }

    #[test]
    fn trimming_from_the_front_gives_memory_back() {
        let mut nodes = Nodes::default();
        let mut live = std::collections::VecDeque::new();
        for ms in 1..=1000 {
            let lp = node(StreamId::new(ms, 0), 100, 10);
            live.push_back(lp.bytes());
            nodes.push(StreamId::new(ms, 0), lp);
            if live.len() > 20 {
                live.pop_front();
                nodes.remove(0);
            }
            let bytes: usize = live.iter().sum();
            let heap = nodes.heap_size(class);
            assert!(heap < bytes + bytes / 4 + 1024, "{heap} bytes for {bytes} after {ms} nodes");
        }
    }

    #[test]
    fn removing_and_rewriting_keeps_every_node() {
        let mut rng = fastrand::Rng::with_seed(11);
        let mut nodes = Nodes::default();
        let mut model: Vec<(StreamId, Listpack)> = Vec::new();
        let mut ms = 0;
        let mut most_chunks = 0;
        for _ in 0..3000 {
            match rng.u8(0..10) {
                0..=4 => {
                    ms += 1;
                    // Now and then a node bigger than a chunk.
                    let (entries, size) =
                        if rng.u8(0..50) == 0 { (2, 40_000) } else { (rng.u64(1..40), rng.usize(1..300)) };
                    let lp = node(StreamId::new(ms, 0), entries, size);
                    model.push((StreamId::new(ms, 0), lp.clone()));
                    nodes.push(StreamId::new(ms, 0), lp);
                }
                5 if !model.is_empty() => {
                    let k = rng.usize(0..model.len());
                    model.remove(k);
                    nodes.remove(k);
                }
                6 => {
                    let n = rng.usize(0..=model.len().min(60));
                    model.drain(..n);
                    nodes.remove_front(n);
                }
                7..=9 if !model.is_empty() => {
                    let k = rng.usize(0..model.len());
                    let (master, lp) = &mut model[k];
                    let view = NodeView::new(lp.view(), *master);
                    let slots: Vec<_> = view.slots().into_iter().filter(|_| rng.u8(0..4) == 0).collect();
                    let mut edits = view.deletion(&slots);
                    if rng.u8(0..4) == 0 {
                        // A live count whose encoding changes size.
                        edits[0] = (Pos::default(), rng.i64(100..5000));
                    }
                    node::apply(lp, &edits);
                    nodes.rewrite(k, &edits);
                }
                _ => {}
            }
            check(&nodes, &model);
            most_chunks = most_chunks.max(nodes.chunks.len());
        }
        assert!(most_chunks >= 3, "the nodes spanned {most_chunks} chunks at most");
        while !model.is_empty() {
            model.remove(0);
            nodes.remove(0);
            check(&nodes, &model);
        }
        assert_eq!(nodes.heap_size(|n| if n == 0 { 0 } else { class(n) }), 0);
    }
}
