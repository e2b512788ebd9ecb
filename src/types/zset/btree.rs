//! An order-statistic B+ tree of sorted-set entries: (score, member) pairs kept inline in leaves
//! of up to 64, ordered by score then member bytes, with per-child counts in inner nodes so rank
//! lookups and range walks cost O(log n).
//!
//! Why not a skiplist like Redis: a skiplist node costs a pointer per level plus a span per level
//! plus an allocation per member; here a member costs its 32-byte slot in a leaf and a share of
//! one leaf allocation. Leaves split unevenly when an insert lands at either end of a full leaf,
//! so ascending or descending loads (the common way sorted sets are filled) leave full leaves
//! behind instead of half-full ones. Inner nodes keep copies of separator entries: entries of
//! child `i` are at least `keys[i-1]` and below `keys[i]`. Separators stay valid bounds after
//! removals, so deletes never rewrite them; underfull nodes merge with a neighbour when both fit.

use std::cmp::Ordering;

use super::score::compare;
use crate::types::small_bytes::SmallBytes;

/// Most entries in a leaf.
const LEAF_MAX: usize = 64;
/// Most children of an inner node.
const INNER_MAX: usize = 64;
/// A node this small after a removal merges with a neighbour when their union fits one node.
const MERGE_BELOW: usize = 16;

/// One entry: a member and its score.
#[derive(Debug, Clone)]
pub struct Item {
    /// The score (never NaN).
    pub score: f64,
    /// The member.
    pub member: SmallBytes,
}

impl Item {
    fn cmp_to(&self, score: f64, member: &[u8]) -> Ordering {
        compare(self.score, self.member.as_bytes(), score, member)
    }
}

enum Node {
    Leaf(Vec<Item>),
    Inner(Inner),
}

struct Inner {
    /// `children.len() - 1` separators.
    keys: Vec<Item>,
    children: Vec<Node>,
    /// Entries under each child.
    counts: Vec<usize>,
}

impl Node {
    fn len(&self) -> usize {
        match self {
            Node::Leaf(v) => v.len(),
            Node::Inner(inner) => inner.counts.iter().sum(),
        }
    }

    /// Slots used: entries of a leaf, children of an inner node.
    fn width(&self) -> usize {
        match self {
            Node::Leaf(v) => v.len(),
            Node::Inner(inner) => inner.children.len(),
        }
    }

    fn capacity(&self) -> usize {
        match self {
            Node::Leaf(_) => LEAF_MAX,
            Node::Inner(_) => INNER_MAX,
        }
    }

    /// Inserts `item`; returns the separator and new right sibling when the node split.
    fn insert(&mut self, item: Item) -> Option<(Item, Node)> {
        match self {
            Node::Leaf(v) => {
                let pos = v.partition_point(|e| e.cmp_to(item.score, item.member.as_bytes()) == Ordering::Less);
                if v.len() < LEAF_MAX {
                    v.insert(pos, item);
                    return None;
                }
                let right = if pos == v.len() {
                    vec![item]
                } else if pos == 0 {
                    std::mem::replace(v, vec![item])
                } else {
                    let mut right = v.split_off(LEAF_MAX / 2);
                    if pos <= LEAF_MAX / 2 {
                        v.insert(pos, item)
                    } else {
                        right.insert(pos - LEAF_MAX / 2, item)
                    }
                    right
                };
                let separator = right[0].clone();
                Some((separator, Node::Leaf(right)))
            }
            Node::Inner(inner) => inner.insert(item),
        }
    }

    /// Removes the entry equal to (`score`, `member`), if present.
    fn remove(&mut self, score: f64, member: &[u8]) -> Option<Item> {
        match self {
            Node::Leaf(v) => {
                let pos = v.partition_point(|e| e.cmp_to(score, member) == Ordering::Less);
                if v.get(pos)?.cmp_to(score, member) != Ordering::Equal {
                    return None;
                }
                Some(v.remove(pos))
            }
            Node::Inner(inner) => {
                let i = inner.child_for(score, member);
                let removed = inner.children[i].remove(score, member)?;
                inner.counts[i] -= 1;
                inner.rebalance(i);
                Some(removed)
            }
        }
    }

    fn partition_point(&self, pred: &impl Fn(f64, &[u8]) -> bool) -> usize {
        let mut node = self;
        let mut before = 0;
        loop {
            match node {
                Node::Leaf(v) => return before + v.partition_point(|e| pred(e.score, e.member.as_bytes())),
                Node::Inner(inner) => {
                    let j = inner.keys.partition_point(|k| pred(k.score, k.member.as_bytes()));
                    before += inner.counts[..j].iter().sum::<usize>();
                    node = &inner.children[j];
                }
            }
        }
    }

    fn get(&self, mut rank: usize) -> Option<&Item> {
        let mut node = self;
        loop {
            match node {
                Node::Leaf(v) => return v.get(rank),
                Node::Inner(inner) => {
                    let mut i = 0;
                    while rank >= *inner.counts.get(i)? {
                        rank -= inner.counts[i];
                        i += 1;
                    }
                    node = &inner.children[i];
                }
            }
        }
    }

    /// Calls `f` on the entries of ranks `start..end` (within this node), descending if `rev`.
    fn visit(&self, start: usize, end: usize, rev: bool, f: &mut impl FnMut(&Item)) {
        match self {
            Node::Leaf(v) => {
                let slice = &v[start..end];
                if rev { slice.iter().rev().for_each(f) } else { slice.iter().for_each(f) }
            }
            Node::Inner(inner) => {
                let mut parts = Vec::new();
                let mut offset = 0;
                for (child, &count) in inner.children.iter().zip(&inner.counts) {
                    let (lo, hi) = (start.max(offset), end.min(offset + count));
                    if lo < hi {
                        parts.push((child, lo - offset, hi - offset));
                    }
                    offset += count;
                    if offset >= end {
                        break;
                    }
                }
                if rev {
                    parts.reverse();
                }
                for (child, lo, hi) in parts {
                    child.visit(lo, hi, rev, f);
                }
            }
        }
    }

    /// Heap bytes of this node's vectors and of everything below (entries' long members included).
    fn heap_size(&self) -> usize {
        let item = std::mem::size_of::<Item>();
        match self {
            Node::Leaf(v) => v.capacity() * item + v.iter().map(|e| e.member.heap_size()).sum::<usize>(),
            Node::Inner(inner) => {
                inner.keys.capacity() * item
                    + inner.keys.iter().map(|k| k.member.heap_size()).sum::<usize>()
                    + inner.children.capacity() * std::mem::size_of::<Node>()
                    + inner.counts.capacity() * std::mem::size_of::<usize>()
                    + inner.children.iter().map(Node::heap_size).sum::<usize>()
            }
        }
    }
}

impl Inner {
    fn child_for(&self, score: f64, member: &[u8]) -> usize {
        self.keys.partition_point(|k| k.cmp_to(score, member) != Ordering::Greater)
    }

    fn insert(&mut self, item: Item) -> Option<(Item, Node)> {
        let i = self.child_for(item.score, item.member.as_bytes());
        self.counts[i] += 1;
        let (separator, right) = self.children[i].insert(item)?;
        let right_len = right.len();
        self.counts[i] -= right_len;
        self.keys.insert(i, separator);
        self.children.insert(i + 1, right);
        self.counts.insert(i + 1, right_len);
        let n = self.children.len();
        if n <= INNER_MAX {
            return None;
        }
        // Split where the growth happened when it happened at an end (sequential loads).
        let at = if i + 2 == n {
            n - 1
        } else if i == 0 {
            1
        } else {
            n / 2
        };
        let children = self.children.split_off(at);
        let counts = self.counts.split_off(at);
        let keys = self.keys.split_off(at);
        let promoted = self.keys.pop()?;
        Some((promoted, Node::Inner(Inner { keys, children, counts })))
    }

    /// Restores fill after child `i` lost an entry: drops it when empty, merges it with a
    /// neighbour when small and their union fits.
    fn rebalance(&mut self, i: usize) {
        let width = self.children[i].width();
        if width == 0 {
            self.children.remove(i);
            self.counts.remove(i);
            if !self.keys.is_empty() {
                self.keys.remove(i.saturating_sub(1));
            }
            return;
        }
        if width >= MERGE_BELOW {
            return;
        }
        let fits =
            |a: usize, b: usize| self.children[a].width() + self.children[b].width() <= self.children[a].capacity();
        let with_next = i + 1 < self.children.len() && fits(i, i + 1);
        let with_previous = i > 0 && fits(i - 1, i);
        if with_next {
            self.merge(i);
        } else if with_previous {
            self.merge(i - 1);
        }
    }

    /// Merges child `j + 1` into child `j`.
    fn merge(&mut self, j: usize) {
        let right = self.children.remove(j + 1);
        let separator = self.keys.remove(j);
        self.counts[j] += self.counts.remove(j + 1);
        match (&mut self.children[j], right) {
            (Node::Leaf(left), Node::Leaf(right)) => left.extend(right),
            (Node::Inner(left), Node::Inner(right)) => {
                left.keys.push(separator);
                left.keys.extend(right.keys);
                left.children.extend(right.children);
                left.counts.extend(right.counts);
            }
            // Siblings are always at the same depth, so the kinds always match.
            (_, right) => {
                self.children.insert(j + 1, right);
            }
        }
    }
}

/// The tree.
pub struct BTree {
    root: Node,
    len: usize,
}

impl Default for BTree {
    fn default() -> Self {
        BTree { root: Node::Leaf(Vec::new()), len: 0 }
    }
}

impl BTree {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the tree is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Inserts an entry (the caller guarantees its member is not in the tree).
    pub fn insert(&mut self, item: Item) {
        self.len += 1;
        if let Some((separator, right)) = self.root.insert(item) {
            let left = std::mem::replace(&mut self.root, Node::Leaf(Vec::new()));
            let counts = vec![left.len(), right.len()];
            self.root = Node::Inner(Inner { keys: vec![separator], children: vec![left, right], counts });
        }
    }

    /// Removes the entry (`score`, `member`); returns it if it was there.
    pub fn remove(&mut self, score: f64, member: &[u8]) -> Option<Item> {
        let removed = self.root.remove(score, member)?;
        self.len -= 1;
        // A root with one child hands over to it.
        while let Node::Inner(inner) = &mut self.root {
            match inner.children.len() {
                0 => self.root = Node::Leaf(Vec::new()),
                1 => {
                    let child = inner.children.pop();
                    self.root = child.unwrap_or(Node::Leaf(Vec::new()));
                }
                _ => break,
            }
        }
        Some(removed)
    }

    /// How many entries satisfy `pred`, which must hold for a prefix of the order (0-based rank
    /// of the first entry that does not).
    pub fn partition_point(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        self.root.partition_point(&pred)
    }

    /// The 0-based rank of (`score`, `member`) among the entries, whether present or not.
    pub fn rank(&self, score: f64, member: &[u8]) -> usize {
        self.partition_point(|s, m| compare(s, m, score, member) == Ordering::Less)
    }

    /// The entry at 0-based `rank`.
    pub fn get(&self, rank: usize) -> Option<&Item> {
        self.root.get(rank)
    }

    /// Calls `f` on the entries of ranks `start..end` (clamped to the tree), descending if `rev`.
    pub fn visit(&self, start: usize, end: usize, rev: bool, mut f: impl FnMut(&Item)) {
        let end = end.min(self.len);
        if start < end {
            self.root.visit(start, end, rev, &mut f);
        }
    }

    /// Heap bytes the tree owns.
    pub fn heap_size(&self) -> usize {
        self.root.heap_size()
    }

    /// Checks the tree's invariants (tests only): counts, order, separators, leaf depth.
    #[cfg(test)]
    fn check(&self) {
        fn walk(node: &Node, lo: Option<&Item>, hi: Option<&Item>, depth: usize, leaf_depth: &mut Option<usize>) {
            match node {
                Node::Leaf(v) => {
                    assert!(v.len() <= LEAF_MAX);
                    assert_eq!(*leaf_depth.get_or_insert(depth), depth);
                    for w in v.windows(2) {
                        assert_eq!(w[0].cmp_to(w[1].score, w[1].member.as_bytes()), Ordering::Less);
                    }
                    for e in v {
                        assert!(lo.is_none_or(|l| l.cmp_to(e.score, e.member.as_bytes()) != Ordering::Greater));
                        assert!(hi.is_none_or(|h| h.cmp_to(e.score, e.member.as_bytes()) == Ordering::Greater));
                    }
                }
                Node::Inner(inner) => {
                    assert_eq!(inner.keys.len() + 1, inner.children.len());
                    assert!(inner.children.len() <= INNER_MAX);
                    for (i, child) in inner.children.iter().enumerate() {
                        assert_eq!(child.len(), inner.counts[i]);
                        let l = if i == 0 { lo } else { inner.keys.get(i - 1) };
                        let h = inner.keys.get(i).or(hi);
                        walk(child, l, h, depth + 1, leaf_depth);
                    }
                }
            }
        }
        assert_eq!(self.root.len(), self.len);
        walk(&self.root, None, None, 0, &mut None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(score: f64, member: &str) -> Item {
        Item { score, member: SmallBytes::new(member.as_bytes()) }
    }

    fn entries(t: &BTree) -> Vec<(f64, Vec<u8>)> {
        let mut out = Vec::new();
        t.visit(0, t.len(), false, |e| out.push((e.score, e.member.as_bytes().to_vec())));
        out
    }

    #[test]
    fn matches_a_sorted_vec_under_random_operations() {
        for seed in 1..=3 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut t = BTree::default();
            let mut model: Vec<(f64, Vec<u8>)> = Vec::new();
            for step in 0..20_000 {
                let member = format!("m{}", rng.u32(..3000));
                let present = model.iter().position(|(_, m)| m == member.as_bytes());
                if rng.u8(..3) > 0 && present.is_none() {
                    let score = f64::from(rng.i32(-50..50));
                    t.insert(item(score, &member));
                    let at = model.partition_point(|(s, m)| compare(*s, m, score, member.as_bytes()) == Ordering::Less);
                    model.insert(at, (score, member.into_bytes()));
                } else if let Some(at) = present {
                    let (score, m) = model.remove(at);
                    assert!(t.remove(score, &m).is_some());
                }
                if step % 997 == 0 {
                    t.check();
                    assert_eq!(entries(&t), model);
                }
                if let Some(probe) = model.get(rng.usize(..model.len().max(1))) {
                    let r = t.rank(probe.0, &probe.1);
                    assert_eq!(t.get(r).map(|e| e.member.as_bytes()), Some(probe.1.as_slice()));
                    assert_eq!(model[r].1, probe.1);
                }
            }
            t.check();
            let cut = t.partition_point(|s, _| s < 0.0);
            assert_eq!(cut, model.iter().filter(|(s, _)| *s < 0.0).count());
            let mut rev = Vec::new();
            t.visit(3, 40, true, |e| rev.push(e.member.as_bytes().to_vec()));
            let expect: Vec<_> = model[3..40.min(model.len())].iter().rev().map(|(_, m)| m.clone()).collect();
            assert_eq!(rev, expect);
            while let Some((s, m)) = model.pop() {
                assert!(t.remove(s, &m).is_some());
            }
            t.check();
            assert!(t.is_empty());
        }
    }

    #[test]
    fn sequential_loads_fill_leaves() {
        for descending in [false, true] {
            let mut t = BTree::default();
            for i in 0..100_000 {
                let i = if descending { 100_000 - i } else { i };
                t.insert(item(f64::from(i), &format!("m:{i:012}")));
            }
            t.check();
            let per_entry = t.heap_size() as f64 / t.len() as f64;
            assert!(per_entry < 36.0, "{per_entry} bytes per entry");
            assert!(t.remove(5.0, b"m:000000000005").is_some());
        }
    }
}
