//! The list value: a quicklist, a sequence of nodes, as Redis stores every list.
//!
//! Pushing and popping at either end touch only the end node (O(1)); indexing walks whole nodes
//! by their counts from the nearer end, then one node. Nodes live in a `VecDeque` rather than a
//! linked list: the same O(1) ends and no per-node allocation.
//!
//! A node is *packed*, a [`Listpack`] of entries, or *plain*, one element's bytes on their own
//! (Redis 7.0's `PLAIN` container): an element of [`packed_threshold`] bytes or more always
//! gets a plain node, which never takes a second element and never merges with a neighbour.
//!
//! A packed node's size is bounded by `list-max-listpack-size` (the `fill` of the [`Shape`] given
//! at creation, as Redis fixes it when it creates the list): a negative fill caps a node's bytes
//! (-1..-5 → 4..64 KiB), a positive one its entries (and then its bytes at 8 KiB). A single entry
//! larger than the cap gets a node of its own. Invariants: no node is empty, a plain node holds
//! exactly one element, `len` is the sum of the nodes' lengths.
//!
//! With a compress depth N > 0 (`list-compress-depth`, also fixed at creation) the N nodes at
//! each end stay raw and every node between them, plain or packed, is LZF-compressed when that
//! pays (Redis's thresholds: at least 48 bytes, at least 8 saved); a node that did not pay
//! remembers it until it changes. Reads decompress a middle node into a scratch copy and drop
//! it; writes decompress it in place and then settle the list: after a push or pop only the nodes
//! next to that end can cross the raw/compressed boundary, after a write in the middle every
//! node is checked (a flag test per node, the walk to the index already cost as much). At depth 0
//! nothing of this runs beyond one comparison per new or dropped end node.
//!
//! Reads hand entries to callbacks ([`Quicklist::get`], [`Quicklist::for_each`]) rather than
//! return iterators: an entry of a compressed node lives only as long as its scratch copy.

use super::listpack::{Entry, Iter, Listpack, Pos};
use super::lzf;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::ops::{ControlFlow, Range};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Byte caps for fills -1..-5.
const SIZE_LIMITS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// Byte cap of a node when the fill counts entries (Redis's `SIZE_SAFETY_LIMIT`).
const SAFETY_LIMIT: usize = 8192;
/// Bytes of a listpack's header and end byte: Redis counts them in a node's size, ours does not
/// store them.
const LISTPACK_FRAME: usize = 7;
/// What Redis adds to an element's length when estimating a node's growth
/// (`SIZE_ESTIMATE_OVERHEAD`).
const ENTRY_ESTIMATE: usize = 8;
/// What Redis takes off two nodes' sizes when estimating their merge (one header and trailer).
const MERGE_ESTIMATE: usize = 11;
/// Smallest node worth compressing (Redis's `MIN_COMPRESS_BYTES`).
const MIN_COMPRESS_BYTES: usize = 48;
/// Fewest bytes compression must save to be kept (Redis's `MIN_COMPRESS_IMPROVE`).
const MIN_COMPRESS_IMPROVE: usize = 8;

/// The plain-node threshold a server starts with, and what setting 0 restores: 1 GiB.
pub const DEFAULT_PACKED_THRESHOLD: usize = 1 << 30;
/// The largest threshold accepted: 1 MiB short of 4 GiB, Redis's margin below its 32-bit
/// listpack sizes.
pub const MAX_PACKED_THRESHOLD: u64 = (1 << 32) - (1 << 20);

/// Elements of at least this many bytes get a plain node. Process-wide, like Redis's
/// `packed_threshold`: `DEBUG QUICKLIST-PACKED-THRESHOLD` changes it for every list, existing
/// ones included, from their next write on. An atomic rather than server state because the
/// list code has no server at hand, and relaxed because the executor is its only writer.
static PACKED_THRESHOLD: AtomicUsize = AtomicUsize::new(DEFAULT_PACKED_THRESHOLD);

/// The size from which an element gets a plain node.
pub fn packed_threshold() -> usize {
    PACKED_THRESHOLD.load(Ordering::Relaxed)
}

/// Sets [`packed_threshold`] (0 restores [`DEFAULT_PACKED_THRESHOLD`]); false, changing nothing,
/// above [`MAX_PACKED_THRESHOLD`].
pub fn set_packed_threshold(bytes: u64) -> bool {
    if bytes > MAX_PACKED_THRESHOLD {
        return false;
    }
    let bytes = if bytes == 0 { DEFAULT_PACKED_THRESHOLD } else { bytes as usize };
    PACKED_THRESHOLD.store(bytes, Ordering::Relaxed);
    true
}

/// Whether `value` is stored in a plain node of its own.
fn is_large(value: &[u8]) -> bool {
    value.len() >= packed_threshold()
}

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
    /// `list-max-listpack-size`, clamped as Redis clamps it (-5..=32767): 16 bits, like the
    /// field count below, keep the list header in a 48-byte allocation.
    fill: i16,
    /// Raw nodes kept at each end (0: none compressed), at most 65535 as Redis's 16-bit field.
    depth: u16,
}

/// A node: its contents, raw or compressed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Node {
    /// The contents; empty (of the node's kind) while `store` holds them compressed.
    body: Body,
    store: Store,
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Body {
    /// Entries in a listpack.
    Packed(Listpack),
    /// One element's bytes, as sent.
    Plain(Box<[u8]>),
}

impl Default for Body {
    fn default() -> Self {
        Body::Packed(Listpack::new())
    }
}

/// How a node holds its contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Store {
    /// In `body`, not tried for compression since it last changed.
    #[default]
    Raw,
    /// In `body`, which did not compress well enough; not tried again until it changes.
    Incompressible,
    /// Compressed (boxed: a node is a slot of the node array, which should stay small).
    Lzf(Box<Compressed>),
}

/// LZF of the raw contents (a listpack's encoding or a plain element) of `len` entries and
/// `bytes` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Compressed {
    lzf: Box<[u8]>,
    len: u32,
    bytes: u32,
}

/// A node's contents for reading: borrowed when raw, a decompressed scratch copy otherwise.
enum View<'a> {
    /// A packed node's entries.
    Packed(Cow<'a, Listpack>),
    /// A plain node's element.
    Plain(Cow<'a, [u8]>),
}

impl View<'_> {
    /// The entry at `offset`.
    fn get(&self, offset: usize) -> Option<Entry<'_>> {
        match self {
            View::Packed(lp) => lp.get(i64::try_from(offset).ok()?),
            View::Plain(bytes) => (offset == 0).then_some(Entry::Bytes(bytes)),
        }
    }

    /// The entries at offsets `from..to`.
    fn entries(&self, from: usize, to: usize) -> Entries<'_> {
        match self {
            View::Packed(lp) => match (seek(lp, from), seek(lp, to)) {
                (Some(from), Some(to)) => Entries::Packed(lp.range(from, to)),
                _ => Entries::Single(None),
            },
            View::Plain(bytes) => Entries::Single((from == 0 && to > 0).then_some(Entry::Bytes(bytes))),
        }
    }

    /// Offset of the first entry equal to `value`.
    fn find(&self, value: &[u8]) -> Option<usize> {
        match self {
            View::Packed(lp) => {
                let pos = lp.find(value)?;
                Some(lp.range(lp.first()?, pos).count())
            }
            View::Plain(bytes) => (**bytes == *value).then_some(0),
        }
    }
}

/// Entries of a [`View`], from either end.
enum Entries<'a> {
    /// A range of a listpack.
    Packed(Iter<'a>),
    /// At most one entry (a plain node's element, or nothing).
    Single(Option<Entry<'a>>),
}

impl<'a> Iterator for Entries<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        match self {
            Entries::Packed(iter) => iter.next(),
            Entries::Single(entry) => entry.take(),
        }
    }
}

impl DoubleEndedIterator for Entries<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Entries::Packed(iter) => iter.next_back(),
            Entries::Single(entry) => entry.take(),
        }
    }
}

impl Node {
    /// A raw packed node holding `lp`.
    fn packed(lp: Listpack) -> Self {
        Node { body: Body::Packed(lp), store: Store::Raw }
    }

    /// A raw plain node holding `value`.
    fn plain(value: &[u8]) -> Self {
        Node { body: Body::Plain(value.into()), store: Store::Raw }
    }

    /// A raw node holding just `value`: plain, or packed in a listpack of one.
    fn new(value: &[u8], plain: bool) -> Self {
        if plain { Node::plain(value) } else { Node::packed([value].into_iter().collect()) }
    }

    /// Whether the node holds one element on its own.
    fn is_plain(&self) -> bool {
        matches!(self.body, Body::Plain(_))
    }

    /// Number of entries.
    fn len(&self) -> usize {
        match (&self.store, &self.body) {
            (Store::Lzf(c), _) => c.len as usize,
            (_, Body::Packed(lp)) => lp.len(),
            (_, Body::Plain(_)) => 1,
        }
    }

    /// Size of the raw contents, compressed or not (a listpack's encoding, a plain element).
    fn bytes(&self) -> usize {
        match (&self.store, &self.body) {
            (Store::Lzf(c), _) => c.bytes as usize,
            (_, Body::Packed(lp)) => lp.bytes(),
            (_, Body::Plain(bytes)) => bytes.len(),
        }
    }

    /// Bytes of the node's heap buffer: the compressed one when compressed.
    fn heap_size(&self) -> usize {
        match (&self.store, &self.body) {
            (Store::Lzf(c), _) => std::mem::size_of::<Compressed>() + c.lzf.len(),
            (_, Body::Packed(lp)) => lp.heap_size(),
            (_, Body::Plain(bytes)) => bytes.len(),
        }
    }

    /// Whether the contents are compressed.
    #[cfg(test)]
    fn is_compressed(&self) -> bool {
        matches!(self.store, Store::Lzf(_))
    }

    /// The contents: borrowed when raw, a decompressed scratch copy when compressed.
    fn view(&self) -> View<'_> {
        match (&self.store, &self.body) {
            (Store::Lzf(c), Body::Packed(_)) => View::Packed(Cow::Owned(decompress_listpack(c))),
            (Store::Lzf(c), Body::Plain(_)) => View::Plain(Cow::Owned(decompress_bytes(c))),
            (_, Body::Packed(lp)) => View::Packed(Cow::Borrowed(lp)),
            (_, Body::Plain(bytes)) => View::Plain(Cow::Borrowed(bytes)),
        }
    }

    /// A packed node's entries for writing: decompressed in place, and offered to compression
    /// again at the next settle since they are about to change. `None` for a plain node.
    fn listpack_mut(&mut self) -> Option<&mut Listpack> {
        self.decompress();
        self.store = Store::Raw;
        match &mut self.body {
            Body::Packed(lp) => Some(lp),
            Body::Plain(_) => None,
        }
    }

    /// The contents as a listpack, taken out of the node (a plain element as its one entry).
    fn into_listpack(mut self) -> Listpack {
        self.decompress();
        match self.body {
            Body::Packed(lp) => lp,
            Body::Plain(bytes) => [bytes].into_iter().collect(),
        }
    }

    /// Removes and returns the entry at `end`; a plain node gives its element and is left empty.
    fn pop(&mut self, end: End) -> Option<Vec<u8>> {
        self.decompress();
        self.store = Store::Raw;
        match &mut self.body {
            Body::Plain(bytes) => {
                let value = std::mem::take(bytes).into_vec();
                *self = Node::default();
                Some(value)
            }
            Body::Packed(lp) => {
                let pos = match end {
                    End::Front => lp.first(),
                    End::Back => lp.last(),
                }?;
                let value = lp.at(pos).to_vec();
                lp.remove(pos);
                Some(value)
            }
        }
    }

    /// Removes up to `limit` entries equal to `value`, scanning from `from`; returns how many (a
    /// plain node that matched is left empty). A compressed node is decompressed in place (and a
    /// raw one offered to compression again) only when something was removed.
    fn remove_matching(&mut self, value: &[u8], limit: usize, from: End) -> usize {
        if self.is_plain() {
            let hit = limit > 0 && matches!(self.view(), View::Plain(bytes) if *bytes == *value);
            if hit {
                *self = Node::default();
            }
            return usize::from(hit);
        }
        if let Store::Lzf(c) = &self.store {
            let mut scratch = decompress_listpack(c);
            let removed = remove_in_node(&mut scratch, value, limit, from);
            if removed > 0 {
                *self = Node::packed(scratch);
            }
            return removed;
        }
        let Body::Packed(lp) = &mut self.body else { return 0 };
        let removed = remove_in_node(lp, value, limit, from);
        if removed > 0 {
            self.store = Store::Raw;
        }
        removed
    }

    /// Compresses the contents if that was not already found not to pay.
    fn compress(&mut self) {
        if self.store != Store::Raw {
            return;
        }
        let (raw, len) = match &self.body {
            Body::Packed(lp) => (lp.encoded(), lp.len()),
            Body::Plain(bytes) => (&bytes[..], 1),
        };
        let compressed = lzf_pack(raw).and_then(|lzf| {
            let len = u32::try_from(len).ok()?;
            let bytes = u32::try_from(raw.len()).ok()?;
            Some(Box::new(Compressed { lzf, len, bytes }))
        });
        self.store = match compressed {
            Some(c) => {
                self.body = match self.body {
                    Body::Packed(_) => Body::Packed(Listpack::new()),
                    Body::Plain(_) => Body::Plain(Box::default()),
                };
                Store::Lzf(c)
            }
            None => Store::Incompressible,
        };
    }

    /// Decompresses the contents in place (a no-op on a raw node).
    fn decompress(&mut self) {
        let Store::Lzf(c) = &self.store else { return };
        self.body = match self.body {
            Body::Packed(_) => Body::Packed(decompress_listpack(c)),
            Body::Plain(_) => Body::Plain(decompress_bytes(c).into()),
        };
        self.store = Store::Raw;
    }

    /// One line of `DEBUG QUICKLIST` about this node, numbered `index`.
    fn describe(&self, index: usize) -> String {
        format!(
            "node {index}: {}, {} entries, {} bytes, {}",
            if self.is_plain() { "plain" } else { "packed" },
            self.len(),
            self.bytes(),
            match &self.store {
                Store::Lzf(c) => format!("compressed to {} bytes", c.lzf.len()),
                Store::Incompressible => "raw (did not compress)".to_owned(),
                Store::Raw => "raw".to_owned(),
            }
        )
    }
}

/// `raw` LZF-compressed if that pays by Redis's rules.
fn lzf_pack(raw: &[u8]) -> Option<Box<[u8]>> {
    if raw.len() < MIN_COMPRESS_BYTES {
        return None;
    }
    let packed = lzf::compress(raw)?;
    (packed.len() + MIN_COMPRESS_IMPROVE < raw.len()).then(|| packed.into_boxed_slice())
}

/// The raw contents [`lzf_pack`] turned into `c`. Unreachable failure: the node holds what
/// `lzf_pack` wrote. Should memory have been corrupted, keep the size (zeros) rather than crash.
fn decompress_bytes(c: &Compressed) -> Vec<u8> {
    lzf::decompress(&c.lzf, c.bytes as usize).unwrap_or_else(|e| {
        tracing::error!("a compressed list node failed to decompress ({e}); its {} entries are lost", c.len);
        vec![0; c.bytes as usize]
    })
}

/// The listpack a packed node compressed into `c`.
fn decompress_listpack(c: &Compressed) -> Listpack {
    let len = c.len as usize;
    match lzf::decompress(&c.lzf, c.bytes as usize) {
        Ok(buf) => Listpack::from_encoded(buf, len),
        // Keep the count (so every index stays valid) rather than crash; see decompress_bytes.
        Err(e) => {
            tracing::error!("a compressed list node failed to decompress ({e}); its {len} entries are lost");
            std::iter::repeat_n(&b""[..], len).collect()
        }
    }
}

impl Quicklist {
    /// An empty list laid out by `shape`.
    pub fn new(shape: Shape) -> Self {
        let depth = u16::try_from(shape.depth).unwrap_or(u16::MAX);
        let fill = i16::try_from(shape.fill.max(-(SIZE_LIMITS.len() as i32))).unwrap_or(i16::MAX);
        Quicklist { nodes: VecDeque::new(), len: 0, fill, depth }
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

    /// `list-max-listpack-size` as the list was created with.
    pub fn fill(&self) -> i32 {
        self.fill.into()
    }

    /// Raw nodes kept at each end (0: none compressed).
    fn depth(&self) -> usize {
        self.depth.into()
    }

    /// Whether middle nodes get compressed (`list-compress-depth` above 0 at creation).
    pub fn compresses(&self) -> bool {
        self.depth() > 0
    }

    /// Bytes of every node's contents uncompressed, as Redis counts them (a packed node's
    /// listpack includes Redis's 6-byte header and end byte, which ours does not store).
    pub fn uncompressed_bytes(&self) -> usize {
        self.nodes.iter().map(|node| node.bytes() + if node.is_plain() { 0 } else { LISTPACK_FRAME }).sum()
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
                let level = usize::from(self.fill.unsigned_abs()).min(SIZE_LIMITS.len());
                bytes <= SIZE_LIMITS[level - 1]
            }
        }
    }

    /// Whether `node` may take one more element of `value_len` bytes (a plain node never does).
    /// The growth is Redis's estimate (`_quicklistNodeAllowInsert`: the element's length plus 8,
    /// not its encoded size), so nodes split where Redis splits them and DUMP bytes match.
    fn fits(&self, node: &Node, value_len: usize) -> bool {
        let estimate = node.bytes() + LISTPACK_FRAME + value_len + ENTRY_ESTIMATE;
        !node.is_plain() && self.within_fill(node.len() + 1, estimate)
    }

    /// Whether two nodes may become one (never a plain one), by Redis's estimate.
    fn fits_merged(&self, a: &Node, b: &Node) -> bool {
        let estimate = (a.bytes() + b.bytes() + 2 * LISTPACK_FRAME).saturating_sub(MERGE_ESTIMATE);
        !a.is_plain() && !b.is_plain() && self.within_fill(a.len() + b.len(), estimate)
    }

    /// Whether node `index` belongs compressed: outside the raw ends.
    fn wants_compressed(&self, index: usize) -> bool {
        self.depth() > 0 && index >= self.depth() && index + self.depth() < self.nodes.len()
    }

    /// Brings node `index` to the state its place wants.
    fn settle_node(&mut self, index: usize) {
        let compressed = self.wants_compressed(index);
        if let Some(node) = self.nodes.get_mut(index) {
            if compressed { node.compress() } else { node.decompress() }
        }
    }

    /// Settles after `end` gained or lost a node: only the nodes whose distance from that end
    /// is now `depth - 1` or `depth` can have crossed the boundary (the other end's distances
    /// did not change).
    fn settle_end(&mut self, end: End) {
        let Some(inner) = self.depth().checked_sub(1) else { return };
        for from_end in [inner, self.depth()] {
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
        if self.depth() > 0 {
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

    /// Inserts `node` so that it becomes node `index` (the caller counts its entries), growing
    /// the node array by a quarter rather than doubling it: Redis links its nodes, so a doubled
    /// array would be pure overhead next to it. A list starts with room for one node, the most
    /// lists ever have (every list of up to 128 short elements).
    fn insert_node(&mut self, index: usize, node: Node) {
        if self.nodes.len() == self.nodes.capacity() {
            self.nodes.reserve_exact(self.nodes.len() / 4 + 1);
        }
        self.nodes.insert(index, node);
    }

    /// Adds `value` at `end`.
    pub fn push(&mut self, end: End, value: &[u8]) {
        self.push_as(end, value, is_large(value));
    }

    /// Adds `value` at `end`, in a plain node of its own when `plain`.
    fn push_as(&mut self, end: End, value: &[u8], plain: bool) {
        self.len += 1;
        let end_index = match end {
            End::Front => 0,
            End::Back => self.nodes.len(),
        };
        let size = value.len();
        let end_node = match end {
            End::Front => self.nodes.front(),
            End::Back => self.nodes.back(),
        };
        if !plain && end_node.is_some_and(|n| self.fits(n, size)) {
            if let Some(lp) = self.end_node(end).and_then(Node::listpack_mut) {
                match end {
                    End::Front => lp.push_front(value),
                    End::Back => lp.push_back(value),
                }
            }
            return;
        }
        self.insert_node(end_index, Node::new(value, plain));
        self.settle_end(end);
    }

    /// Removes and returns the entry at `end`.
    pub fn pop(&mut self, end: End) -> Option<Vec<u8>> {
        let node = self.end_node(end)?;
        let value = node.pop(end)?;
        if node.len() == 0 {
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
        let view = self.nodes.get(node)?.view();
        view.get(offset).map(f)
    }

    /// Replaces the entry at `index`; false when the index is out of range.
    pub fn set(&mut self, index: i64, value: &[u8]) -> bool {
        self.set_as(index, value, is_large(value))
    }

    /// Replaces the entry at `index` with `value`, in a plain node of its own when `plain`.
    fn set_as(&mut self, index: i64, value: &[u8], plain: bool) -> bool {
        let Some((node, offset)) = self.locate(index) else { return false };
        let Some(current) = self.nodes.get_mut(node) else { return false };
        match (current.is_plain(), plain) {
            (true, true) => *current = Node::plain(value),
            (true, false) => self.replace_plain(node, value),
            (false, true) => {
                self.split_at(node, offset, true, Node::plain(value));
            }
            (false, false) => {
                let Some(lp) = current.listpack_mut() else { return false };
                let Some(pos) = seek(lp, offset) else { return false };
                // Redis 7.0 replaces in place whatever the new size (no node split).
                lp.replace(pos, value);
            }
        }
        self.settle_all();
        true
    }

    /// Replaces plain node `index` with the small `value`: at the head of the next node when it
    /// has room, else in a packed node of its own (where Redis puts it).
    fn replace_plain(&mut self, index: usize, value: &[u8]) {
        let size = value.len();
        let next_fits = self.nodes.get(index + 1).is_some_and(|next| self.fits(next, size));
        let next = if next_fits { self.nodes.get_mut(index + 1).and_then(Node::listpack_mut) } else { None };
        match next {
            Some(lp) => {
                lp.push_front(value);
                self.nodes.remove(index);
            }
            None => self.nodes[index] = Node::new(value, false),
        }
    }

    /// Puts `node` (one entry) before entry `offset` of packed node `index`, or in its place when
    /// `replace`, splitting the packed node there: the entries before and after keep nodes of
    /// their own, as in Redis. Returns the new node's index.
    fn split_at(&mut self, index: usize, offset: usize, replace: bool, node: Node) -> usize {
        let Some(lp) = self.nodes.get_mut(index).and_then(Node::listpack_mut) else { return index };
        let Some(pos) = seek(lp, offset) else { return index };
        let mut tail = lp.split_off(pos);
        if replace {
            self.len -= tail.remove_range(Pos::default(), 1);
        }
        let at = if lp.is_empty() {
            self.nodes.remove(index);
            index
        } else {
            index + 1
        };
        if !tail.is_empty() {
            self.insert_node(at, Node::packed(tail));
        }
        self.insert_node(at, node);
        self.len += 1;
        at
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
            let view = current.view();
            let (lo, hi) = (start.max(first), end.min(last));
            let entries = view.entries(lo - first, hi - first);
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
            if let Some(offset) = node.view().find(value) {
                return Some(before + offset);
            }
            before += node.len();
        }
        None
    }

    /// Inserts `value` so that it ends up at `index` (0..=len); false when out of range.
    pub fn insert(&mut self, index: usize, value: &[u8]) -> bool {
        self.insert_as(index, value, is_large(value))
    }

    /// Inserts `value` at `index`, in a plain node of its own when `plain`.
    fn insert_as(&mut self, index: usize, value: &[u8], plain: bool) -> bool {
        if index > self.len {
            return false;
        }
        if index == self.len {
            self.push_as(End::Back, value, plain);
            return true;
        }
        let Some((node, offset)) = i64::try_from(index).ok().and_then(|i| self.locate(i)) else { return false };
        if plain && offset == 0 {
            self.insert_node(node, Node::plain(value));
            self.len += 1;
        } else if plain {
            self.split_at(node, offset, false, Node::plain(value));
        } else {
            self.insert_at(node, offset, value);
        }
        self.settle_all();
        true
    }

    /// Inserts the small `value` before entry `offset` of node `index`, splitting the node if it
    /// is full.
    fn insert_at(&mut self, index: usize, offset: usize, value: &[u8]) {
        let size = value.len();
        let fits = self.fits(&self.nodes[index], size);
        // At the head of a full node, the previous node's tail is the same place.
        let target = if fits {
            Some(index)
        } else if offset == 0 && index > 0 && self.fits(&self.nodes[index - 1], size) {
            Some(index - 1)
        } else {
            None
        };
        if let Some(target) = target {
            let Some(lp) = self.nodes[target].listpack_mut() else { return };
            let pos = if target == index { seek(lp, offset) } else { Some(lp.end()) };
            if let Some(pos) = pos {
                lp.insert(pos, value);
                self.len += 1;
            }
            return;
        }
        let single = Node::new(value, false);
        let at = if self.nodes[index].is_plain() {
            self.insert_node(index, single);
            self.len += 1;
            index
        } else {
            self.split_at(index, offset, false, single)
        };
        self.merge_around(at);
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

    /// Appends packed node `index` to packed node `index - 1` and drops it.
    fn merge_into_previous(&mut self, index: usize) {
        let mut pair = self.nodes.range_mut(index.saturating_sub(1)..=index);
        let (Some(previous), Some(node)) = (pair.next(), pair.next()) else { return };
        let Some(lp) = previous.listpack_mut() else { return };
        lp.append(&mut std::mem::take(node).into_listpack());
        self.nodes.remove(index);
    }

    /// Removes `count` entries from index `start` on (clamped to the list).
    pub fn remove_range(&mut self, start: usize, count: usize) {
        let mut count = count.min(self.len.saturating_sub(start));
        let Some((mut index, mut offset)) = i64::try_from(start).ok().and_then(|i| self.locate(i)) else { return };
        while count > 0 {
            let Some(node) = self.nodes.get_mut(index) else { break };
            if offset == 0 && node.len() <= count {
                // A whole node goes without being decompressed (a plain node always does).
                count -= node.len();
                self.len -= node.len();
                self.nodes.remove(index);
            } else {
                let Some(lp) = node.listpack_mut() else { break };
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
            removed += node.remove_matching(value, limit - removed, from);
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

    /// A readable dump for `DEBUG QUICKLIST`: the totals and settings, a line per node, and with
    /// `full` each node's entries (long ones cut short).
    pub fn describe(&self, full: bool) -> String {
        const SHOWN: usize = 64;
        let mut out = format!(
            "{} entries in {} nodes, fill {}, compress depth {}, plain from {} bytes\n",
            self.len,
            self.nodes.len(),
            self.fill,
            self.depth(),
            packed_threshold()
        );
        for (index, node) in self.nodes.iter().enumerate() {
            out.push_str(&node.describe(index));
            out.push('\n');
            if full {
                for entry in node.view().entries(0, node.len()) {
                    let bytes = entry.to_vec();
                    let cut = if bytes.len() > SHOWN { format!("... ({} bytes)", bytes.len()) } else { String::new() };
                    let _ = writeln!(out, "  \"{}\"{cut}", bytes[..bytes.len().min(SHOWN)].escape_ascii());
                }
            }
        }
        out
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

/// A node's contents, as RDB saving writes them.
pub enum NodeData<'a> {
    /// A packed node's entries.
    Packed(&'a Listpack),
    /// A plain node's one element.
    Plain(&'a [u8]),
}

impl Quicklist {
    /// Calls `f` with each node's contents, front to back, until it fails; compressed nodes are
    /// decompressed into a scratch copy (RDB saving writes one container per node).
    pub fn try_for_each_node<E>(&self, mut f: impl FnMut(NodeData<'_>) -> Result<(), E>) -> Result<(), E> {
        self.nodes.iter().try_for_each(|node| match node.view() {
            View::Packed(lp) => f(NodeData::Packed(&lp)),
            View::Plain(bytes) => f(NodeData::Plain(&bytes)),
        })
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

    #[test]
    fn small_lists_cost_one_header_and_one_node_slot() {
        assert!(std::mem::size_of::<Quicklist>() <= 48);
        let mut list = list(-2, 0);
        for i in 0..10 {
            list.push(End::Back, format!("e:{i}").as_bytes());
        }
        assert_eq!(list.node_array_size(), std::mem::size_of::<Node>());
    }

    #[test]
    fn fill_and_depth_are_clamped_as_redis_clamps_them() {
        assert_eq!(list(100_000, 0).fill(), 32767);
        assert_eq!(list(-9, 0).fill(), -5);
        assert_eq!(list(-2, 1 << 20).depth(), 65535);
    }

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
        assert!(list.nodes.iter().all(|n| !n.is_plain() || n.len() == 1), "plain nodes hold one element");
        assert_eq!(list.nodes.iter().map(Node::len).sum::<usize>(), list.len());
        for (i, node) in list.nodes.iter().enumerate() {
            if list.wants_compressed(i) {
                assert_ne!(node.store, Store::Raw, "node {i} of {} left raw", list.nodes.len());
            } else {
                assert!(!node.is_compressed(), "node {i} of {} compressed", list.nodes.len());
            }
            let view = node.view();
            let (len, bytes) = match &view {
                View::Packed(lp) => (lp.len(), lp.bytes()),
                View::Plain(bytes) => (1, bytes.len()),
            };
            assert_eq!((len, bytes), (node.len(), node.bytes()));
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

    /// A plain threshold no test value reaches.
    const NO_PLAIN: usize = usize::MAX;

    #[test]
    fn random_operations_match_a_deque() {
        // (seed, fill, depth, plain threshold): the last four mix plain and packed nodes.
        let cases = [
            (1, 4, 0, NO_PLAIN),
            (2, 1, 0, NO_PLAIN),
            (3, -1, 0, NO_PLAIN),
            (4, 3, 0, NO_PLAIN),
            (5, 0, 0, NO_PLAIN),
            (6, 4, 1, NO_PLAIN),
            (7, 3, 2, NO_PLAIN),
            (8, -1, 1, NO_PLAIN),
            (9, 1, 1, NO_PLAIN),
            (10, 4, 0, 60),
            (11, -1, 1, 60),
            (12, 2, 2, 1),
            (13, -2, 1, 150),
        ];
        for (seed, fill, depth, threshold) in cases {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut list = list(fill, depth);
            let mut model: VecDeque<Vec<u8>> = VecDeque::new();
            let (mut mixed, mut plain_compressed) = (false, false);
            for step in 0..3000 {
                let value = value(&mut rng);
                let plain = value.len() >= threshold;
                let len = model.len();
                match rng.u8(..10) {
                    0 => {
                        list.push_as(End::Front, &value, plain);
                        model.push_front(value);
                    }
                    1 => {
                        list.push_as(End::Back, &value, plain);
                        model.push_back(value);
                    }
                    2 => assert_eq!(list.pop(End::Front), model.pop_front()),
                    3 => assert_eq!(list.pop(End::Back), model.pop_back()),
                    4 => {
                        let index = rng.usize(..=len);
                        assert!(list.insert_as(index, &value, plain));
                        model.insert(index, value);
                    }
                    5 if len > 0 => {
                        let index = rng.usize(..len);
                        assert!(list.set_as(index as i64, &value, plain));
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
                let plain = list.nodes.iter().filter(|n| n.is_plain());
                mixed |= plain.clone().count() > 0 && plain.clone().count() < list.node_count();
                plain_compressed |= plain.clone().any(Node::is_compressed);
            }
            check(&list, &model);
            if threshold != NO_PLAIN {
                assert!(mixed, "case {seed} never mixed plain and packed nodes");
                assert_eq!(plain_compressed, depth > 0, "case {seed}: plain nodes compressed at depth {depth}");
            }
        }
    }

    /// Each node as (plain, entries).
    fn layout(list: &Quicklist) -> Vec<(bool, usize)> {
        list.nodes.iter().map(|n| (n.is_plain(), n.len())).collect()
    }

    fn strings(list: &Quicklist) -> Vec<String> {
        contents(list).into_iter().map(|v| String::from_utf8(v).unwrap()).collect()
    }

    #[test]
    fn plain_nodes_stand_alone_and_move_as_in_redis() {
        let (large_x, large_y) = ("x".repeat(10), "y".repeat(10));
        let mut list = list(-2, 0);
        for v in ["aa", "bb", "cc", "dd", "ee"] {
            list.push_as(End::Back, v.as_bytes(), false);
        }
        assert_eq!(layout(&list), [(false, 5)]);
        // A large element replacing a packed one splits its node around it.
        assert!(list.set_as(2, large_x.as_bytes(), true));
        assert_eq!(layout(&list), [(false, 2), (true, 1), (false, 2)]);
        assert_eq!(strings(&list), ["aa", "bb", &large_x, "dd", "ee"]);
        // Small again: it joins the head of the next packed node.
        assert!(list.set_as(2, b"cc", false));
        assert_eq!(layout(&list), [(false, 2), (false, 3)]);
        // A large push never shares a node, and nothing is pushed into a plain node.
        list.push_as(End::Back, large_x.as_bytes(), true);
        list.push_as(End::Back, b"ff", false);
        list.push_as(End::Front, large_y.as_bytes(), true);
        assert_eq!(layout(&list), [(true, 1), (false, 2), (false, 3), (true, 1), (false, 1)]);
        // Inserting a large element inside a packed node splits it; at a node's head it goes
        // before the node.
        assert!(list.insert_as(2, large_y.as_bytes(), true));
        assert!(list.insert_as(4, large_y.as_bytes(), true));
        assert_eq!(
            layout(&list),
            [(true, 1), (false, 1), (true, 1), (false, 1), (true, 1), (false, 3), (true, 1), (false, 1)]
        );
        assert_eq!(strings(&list), [&large_y, "aa", &large_y, "bb", &large_y, "cc", "dd", "ee", &large_x, "ff"]);
        // A small element before a plain node whose neighbour has room goes to the neighbour.
        assert!(list.insert_as(8, b"e2", false));
        assert_eq!(layout(&list)[5..], [(false, 4), (true, 1), (false, 1)]);
        assert_eq!(list.position(large_x.as_bytes()), Some(9));
        assert_eq!(get(&list, -2).unwrap(), large_x.as_bytes());
        // LREM takes whole plain nodes; LTRIM drops them.
        assert_eq!(list.remove_matching(large_y.as_bytes(), 2, End::Back), 2);
        assert_eq!(strings(&list), [&large_y, "aa", "bb", "cc", "dd", "ee", "e2", &large_x, "ff"]);
        list.remove_range(0, 1);
        assert_eq!(list.pop(End::Back).unwrap(), b"ff");
        assert_eq!(list.pop(End::Back).unwrap(), large_x.as_bytes());
        assert_eq!(strings(&list), ["aa", "bb", "cc", "dd", "ee", "e2"]);
        assert!(list.nodes.iter().all(|n| !n.is_plain()));
    }

    #[test]
    fn plain_nodes_compress_between_the_raw_ends() {
        let mut list = list(1, 1);
        for c in [b'a', b'b', b'c', b'd'] {
            list.push_as(End::Back, &[c; 500], true);
        }
        let compressed: Vec<bool> = list.nodes.iter().map(Node::is_compressed).collect();
        assert_eq!(compressed, [false, true, true, false]);
        assert!(list.node_sizes().sum::<usize>() < 1200, "two of four 500-byte elements compressed");
        assert_eq!(get(&list, 1).unwrap(), [b'b'; 500]);
        assert_eq!(list.position(&[b'c'; 500]), Some(2));
        // Replacing a compressed plain element, then popping the end brings it into the raw end.
        assert!(list.set_as(2, &[b'e'; 500], true));
        assert!(list.nodes[2].is_compressed());
        assert_eq!(list.pop(End::Back).unwrap(), [b'd'; 500]);
        assert!(!list.nodes[2].is_compressed());
        assert_eq!(list.pop(End::Back).unwrap(), [b'e'; 500]);
        // Random bytes do not pay and stay raw.
        let mut rng = fastrand::Rng::with_seed(5);
        let mut noisy = Quicklist::new(Shape { fill: 1, depth: 1 });
        for _ in 0..3 {
            noisy.push_as(End::Back, &noise(&mut rng, 500), true);
        }
        assert_eq!(noisy.nodes[1].store, Store::Incompressible);
    }

    #[test]
    fn the_threshold_setting_follows_redis() {
        // Only the limits: changing the value would race with tests running alongside.
        assert!(!set_packed_threshold(MAX_PACKED_THRESHOLD + 1));
        assert!(!set_packed_threshold(u64::MAX));
        assert_eq!(packed_threshold(), DEFAULT_PACKED_THRESHOLD);
    }

    #[test]
    fn middle_nodes_compress_when_it_pays() {
        let mut list = list(-2, 1);
        for i in 0..20_000 {
            list.push(End::Back, format!("e:{i:014}").as_bytes());
        }
        let raw = list.nodes.iter().map(Node::bytes).sum::<usize>();
        let stored = list.node_sizes().sum::<usize>();
        assert!(list.nodes.iter().skip(1).take(list.node_count() - 2).all(Node::is_compressed));
        assert!(!list.nodes[0].is_compressed() && !list.nodes[list.node_count() - 1].is_compressed());
        assert!(stored * 2 < raw, "{stored} of {raw}");
        // Popping the head node's entries brings the next node into the raw end.
        let head = list.nodes[0].len();
        for _ in 0..head {
            list.pop(End::Front);
        }
        assert!(!list.nodes[0].is_compressed() && list.nodes[1].is_compressed());
        assert_eq!(get(&list, 0).unwrap(), format!("e:{head:014}").as_bytes());

        let mut rng = fastrand::Rng::with_seed(7);
        let mut random = Quicklist::new(Shape { fill: 4, depth: 1 });
        for _ in 0..40 {
            random.push(End::Back, &noise(&mut rng, 30));
        }
        assert!(random.nodes.iter().all(|n| !n.is_compressed()), "random bytes do not pay");
        assert!(random.nodes.iter().skip(1).take(8).all(|n| n.store == Store::Incompressible));
        let mut tiny = Quicklist::new(Shape { fill: 2, depth: 1 });
        for _ in 0..10 {
            tiny.push(End::Back, b"aaaaaaaaaaaaaaaaaaaa");
        }
        assert!(tiny.nodes.iter().all(|n| !n.is_compressed()), "nodes under 48 bytes stay raw");
    }

    #[test]
    fn depth_is_clamped_and_short_lists_stay_raw() {
        let mut deep = Quicklist::new(Shape { fill: 1, depth: u32::MAX });
        assert_eq!(deep.depth, 65535);
        for _ in 0..100 {
            deep.push(End::Back, &[b'q'; 100]);
        }
        assert!(deep.nodes.iter().all(|n| !n.is_compressed()));
        let mut two = Quicklist::new(Shape { fill: 1, depth: 2 });
        for _ in 0..5 {
            two.push(End::Front, &[b'q'; 100]);
        }
        let packed: Vec<bool> = two.nodes.iter().map(Node::is_compressed).collect();
        assert_eq!(packed, [false, false, true, false, false]);
        two.pop(End::Back);
        assert!(two.nodes.iter().all(|n| !n.is_compressed()));
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
            if let Some(packed) = lzf_pack(&data) {
                assert!(packed.len() + MIN_COMPRESS_IMPROVE < data.len());
                assert_eq!(lzf::decompress(&packed, data.len()).unwrap(), data);
            }
        }
        assert!(lzf_pack(&[b'a'; 47]).is_none());
        assert!(lzf_pack(&[b'a'; 48]).is_some());
        let lp: Listpack = [&b"abc"[..]; 30].into_iter().collect();
        let corrupt = Compressed { lzf: Box::new(*b"\xff\xff"), len: 30, bytes: lp.bytes() as u32 };
        assert_eq!(decompress_listpack(&corrupt).len(), 30, "corrupt data keeps the count");
    }
}
