//! A chained hash table in the manner of Redis's `dict`: power-of-two bucket arrays, incremental
//! rehashing between two tables, and a reverse-binary SCAN cursor.
//!
//! Why not `std`'s or hashbrown's map: SCAN must return every entry present for the whole
//! iteration at least once even while the table grows or shrinks, which needs a cursor over
//! bucket indices that survives resizes (Redis's reverse-binary increment); resizing must happen a
//! few buckets at a time so a huge table never stalls the executor; and eviction needs cheap
//! random sampling of buckets. Open-addressing maps expose none of that.
//!
//! Keys are [`SmallBytes`]; hashing is foldhash with a per-table random seed, so colliding keys
//! cannot be precomputed.

use std::hash::BuildHasher;

use super::small_bytes::SmallBytes;

/// Smallest non-empty bucket array.
const INITIAL_SIZE: usize = 4;
/// Shrink when fewer than this percentage of buckets would be used.
const MIN_FILL_PERCENT: usize = 10;
/// Buckets visited per unit of rehash work before giving up on empty ones.
const EMPTY_VISITS_PER_STEP: usize = 10;

struct Node<V> {
    next: Option<Box<Node<V>>>,
    key: SmallBytes,
    value: V,
}

struct Table<V> {
    buckets: Vec<Option<Box<Node<V>>>>,
    used: usize,
}

impl<V> Table<V> {
    fn with_size(size: usize) -> Self {
        let mut buckets = Vec::with_capacity(size);
        buckets.resize_with(size, || None);
        Table { buckets, used: 0 }
    }

    fn empty() -> Self {
        Table { buckets: Vec::new(), used: 0 }
    }

    fn mask(&self) -> u64 {
        (self.buckets.len() as u64).wrapping_sub(1)
    }

    fn find(&self, hash: u64, key: &[u8]) -> Option<&Node<V>> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut cur = self.buckets[(hash & self.mask()) as usize].as_deref();
        while let Some(node) = cur {
            if node.key.as_bytes() == key {
                return Some(node);
            }
            cur = node.next.as_deref();
        }
        None
    }

    fn find_mut(&mut self, hash: u64, key: &[u8]) -> Option<&mut Node<V>> {
        if self.buckets.is_empty() {
            return None;
        }
        let idx = (hash & self.mask()) as usize;
        let mut cur = self.buckets[idx].as_deref_mut();
        while let Some(node) = cur {
            if node.key.as_bytes() == key {
                return Some(node);
            }
            cur = node.next.as_deref_mut();
        }
        None
    }

    fn remove(&mut self, hash: u64, key: &[u8]) -> Option<Box<Node<V>>> {
        if self.buckets.is_empty() {
            return None;
        }
        let idx = (hash & self.mask()) as usize;
        let mut link = &mut self.buckets[idx];
        while link.as_ref().is_some_and(|n| n.key.as_bytes() != key) {
            link = match link {
                Some(node) => &mut node.next,
                None => return None,
            };
        }
        let mut node = link.take()?;
        *link = node.next.take();
        self.used -= 1;
        Some(node)
    }

    fn push(&mut self, hash: u64, mut node: Box<Node<V>>) {
        let idx = (hash & self.mask()) as usize;
        node.next = self.buckets[idx].take();
        self.buckets[idx] = Some(node);
        self.used += 1;
    }

    /// This table's shape (a walk of every bucket).
    fn stats(&self) -> TableStats {
        let mut stats = TableStats {
            size: self.buckets.len(),
            used: self.used,
            slots: 0,
            chained: 0,
            longest: 0,
            chains: [0; CHAIN_LENGTHS],
        };
        for bucket in &self.buckets {
            let chain = std::iter::successors(bucket.as_deref(), |n| n.next.as_deref()).count();
            stats.chains[chain.min(CHAIN_LENGTHS - 1)] += 1;
            if chain > 0 {
                stats.slots += 1;
                stats.chained += chain;
                stats.longest = stats.longest.max(chain);
            }
        }
        stats
    }
}

/// Chain lengths [`TableStats::chains`] counts one by one; longer chains share the last count
/// (Redis's `DICT_STATS_VECTLEN`).
pub const CHAIN_LENGTHS: usize = 50;

/// The shape of one table of a [`Dict`], for DEBUG HTSTATS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableStats {
    /// Buckets.
    pub size: usize,
    /// Entries.
    pub used: usize,
    /// Buckets holding at least one entry.
    pub slots: usize,
    /// Entries found walking the chains (equal to `used` in a sound table).
    pub chained: usize,
    /// Entries in the longest chain.
    pub longest: usize,
    /// `chains[n]`: buckets whose chain holds `n` entries (the last: that many or more).
    pub chains: [usize; CHAIN_LENGTHS],
}

/// A hash table from binary keys to `V`.
pub struct Dict<V> {
    /// `tables[0]` is the main table; `tables[1]` is the rehash target while rehashing.
    tables: [Table<V>; 2],
    /// Next bucket of `tables[0]` to move, while rehashing.
    rehash_index: Option<usize>,
    hasher: foldhash::fast::RandomState,
}

impl<V> Default for Dict<V> {
    fn default() -> Self {
        Dict { tables: [Table::empty(), Table::empty()], rehash_index: None, hasher: Default::default() }
    }
}

impl<V> Dict<V> {
    /// An empty table (allocates nothing until the first insert).
    pub fn new() -> Self {
        Self::default()
    }

    fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.tables[0].used + self.tables[1].used
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a resize is in progress.
    pub fn is_rehashing(&self) -> bool {
        self.rehash_index.is_some()
    }

    /// Bytes of one entry's node (next pointer, key, value): each entry is one allocation of
    /// this size, plus a bucket slot (MEMORY USAGE).
    pub const NODE_SIZE: usize = std::mem::size_of::<Node<V>>();

    /// The main table's shape, then the rehash target's while a resize is in progress.
    pub fn stats(&self) -> Vec<TableStats> {
        let tables = if self.is_rehashing() { &self.tables[..] } else { &self.tables[..1] };
        tables.iter().map(Table::stats).collect()
    }

    /// Total buckets allocated in both tables.
    pub fn bucket_count(&self) -> usize {
        self.tables[0].buckets.len() + self.tables[1].buckets.len()
    }

    /// The value at `key`.
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        if self.is_empty() {
            return None;
        }
        let hash = self.hash(key);
        self.tables[0].find(hash, key).or_else(|| self.tables[1].find(hash, key)).map(|n| &n.value)
    }

    /// The stored key and value at `key`.
    pub fn get_key_value(&self, key: &[u8]) -> Option<(&SmallBytes, &V)> {
        if self.is_empty() {
            return None;
        }
        let hash = self.hash(key);
        self.tables[0].find(hash, key).or_else(|| self.tables[1].find(hash, key)).map(|n| (&n.key, &n.value))
    }

    /// The value at `key`, mutably (does a step of rehashing first).
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        if self.is_empty() {
            return None;
        }
        self.rehash_step();
        let hash = self.hash(key);
        let [t0, t1] = &mut self.tables;
        match t0.find_mut(hash, key) {
            Some(node) => Some(&mut node.value),
            None => t1.find_mut(hash, key).map(|n| &mut n.value),
        }
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &[u8]) -> bool {
        self.get(key).is_some()
    }

    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: &[u8], value: V) -> Option<V> {
        self.rehash_step();
        if let Some(slot) = self.get_mut_no_step(key) {
            return Some(std::mem::replace(slot, value));
        }
        self.push_new(SmallBytes::new(key), value);
        None
    }

    /// Inserts a key known to be absent (the caller checked), taking ownership of it. Like every
    /// write it moves one bucket of a resize in progress: a resize that never finished would
    /// block the next one, and chains would grow without bound.
    pub fn insert_new(&mut self, key: SmallBytes, value: V) {
        self.rehash_step();
        self.push_new(key, value);
    }

    /// Adds an absent key, growing the table first when it is full.
    fn push_new(&mut self, key: SmallBytes, value: V) {
        self.expand_if_needed();
        let hash = self.hash(key.as_bytes());
        let node = Box::new(Node { next: None, key, value });
        let target = if self.is_rehashing() { 1 } else { 0 };
        self.tables[target].push(hash, node);
    }

    fn get_mut_no_step(&mut self, key: &[u8]) -> Option<&mut V> {
        if self.is_empty() {
            return None;
        }
        let hash = self.hash(key);
        let [t0, t1] = &mut self.tables;
        match t0.find_mut(hash, key) {
            Some(node) => Some(&mut node.value),
            None => t1.find_mut(hash, key).map(|n| &mut n.value),
        }
    }

    /// Removes `key`, returning its stored key and value.
    pub fn remove(&mut self, key: &[u8]) -> Option<(SmallBytes, V)> {
        if self.is_empty() {
            return None;
        }
        self.rehash_step();
        let hash = self.hash(key);
        let node = match self.tables[0].remove(hash, key) {
            Some(node) => node,
            None => self.tables[1].remove(hash, key)?,
        };
        let Node { key, value, .. } = *node;
        self.shrink_if_needed();
        Some((key, value))
    }

    /// Removes everything, handing back the old contents (so a caller can drop them elsewhere).
    pub fn take(&mut self) -> Dict<V> {
        std::mem::take(self)
    }

    fn expand_if_needed(&mut self) {
        if self.is_rehashing() {
            return;
        }
        let size = self.tables[0].buckets.len();
        if size == 0 {
            self.tables[0] = Table::with_size(INITIAL_SIZE);
        } else if self.tables[0].used >= size {
            self.start_resize(self.tables[0].used + 1);
        }
    }

    /// Starts shrinking when under 10% of buckets are used (also called periodically, like
    /// Redis's cron, because a shrink cannot start while a resize is in progress).
    pub fn shrink_if_needed(&mut self) {
        if self.is_rehashing() {
            return;
        }
        let size = self.tables[0].buckets.len();
        let used = self.tables[0].used;
        if size > INITIAL_SIZE && used * 100 / size < MIN_FILL_PERCENT {
            self.start_resize(used);
        }
    }

    fn start_resize(&mut self, at_least: usize) {
        let size = at_least.max(INITIAL_SIZE).next_power_of_two();
        if size == self.tables[0].buckets.len() {
            return;
        }
        self.tables[1] = Table::with_size(size);
        self.rehash_index = Some(0);
    }

    /// One unit of incremental rehashing (called on every write).
    fn rehash_step(&mut self) {
        if self.is_rehashing() {
            self.rehash(1);
        }
    }

    /// Moves up to `buckets` non-empty buckets to the new table; returns whether more remain.
    pub fn rehash(&mut self, buckets: usize) -> bool {
        let Some(mut index) = self.rehash_index else { return false };
        let mut empty_visits = buckets * EMPTY_VISITS_PER_STEP;
        let mut moved = 0;
        while moved < buckets && self.tables[0].used > 0 {
            let Some(bucket) = self.tables[0].buckets.get_mut(index) else { break };
            let Some(mut chain) = bucket.take() else {
                index += 1;
                empty_visits -= 1;
                if empty_visits == 0 {
                    break;
                }
                continue;
            };
            loop {
                let next = chain.next.take();
                let hash = self.hasher.hash_one(chain.key.as_bytes());
                self.tables[0].used -= 1;
                self.tables[1].push(hash, chain);
                match next {
                    Some(n) => chain = n,
                    None => break,
                }
            }
            index += 1;
            moved += 1;
        }
        if self.tables[0].used == 0 {
            self.tables[0] = std::mem::replace(&mut self.tables[1], Table::empty());
            self.rehash_index = None;
            return false;
        }
        self.rehash_index = Some(index);
        true
    }

    /// Visits every entry.
    pub fn iter(&self) -> impl Iterator<Item = (&SmallBytes, &V)> {
        self.tables.iter().flat_map(|t| t.buckets.iter()).flat_map(|bucket| {
            let mut cur = bucket.as_deref();
            std::iter::from_fn(move || {
                let node = cur?;
                cur = node.next.as_deref();
                Some((&node.key, &node.value))
            })
        })
    }

    /// One SCAN step from `cursor` (0 starts): calls `visit` for every entry of the buckets it
    /// covers and returns the next cursor (0 when the iteration is complete). Every entry present
    /// from the first to the last call is visited at least once, whatever resizes happen between
    /// calls.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&SmallBytes, &V)) -> u64 {
        if self.is_empty() {
            return 0;
        }
        let emit = |table: &Table<V>, index: u64, visit: &mut dyn FnMut(&SmallBytes, &V)| {
            let mut cur = table.buckets[(index & table.mask()) as usize].as_deref();
            while let Some(node) = cur {
                visit(&node.key, &node.value);
                cur = node.next.as_deref();
            }
        };
        let mut v = cursor;
        if !self.is_rehashing() {
            let t0 = &self.tables[0];
            let m0 = t0.mask();
            emit(t0, v, &mut visit);
            v |= !m0;
            v = v.reverse_bits().wrapping_add(1).reverse_bits();
            return v;
        }
        let (small, large) = if self.tables[0].buckets.len() <= self.tables[1].buckets.len() {
            (&self.tables[0], &self.tables[1])
        } else {
            (&self.tables[1], &self.tables[0])
        };
        let (m0, m1) = (small.mask(), large.mask());
        emit(small, v, &mut visit);
        loop {
            emit(large, v, &mut visit);
            v |= !m1;
            v = v.reverse_bits().wrapping_add(1).reverse_bits();
            if v & (m0 ^ m1) == 0 {
                break;
            }
        }
        v
    }

    /// A uniformly chosen bucket's random entry (Redis's `dictGetRandomKey`: fair enough for
    /// RANDOMKEY and sampling; exact uniformity is not promised).
    pub fn random_entry(&self, rng: &mut fastrand::Rng) -> Option<(&SmallBytes, &V)> {
        self.sample_chains(rng, 0)
    }

    /// An entry chosen uniformly among all entries, for SRANDMEMBER, SPOP and HRANDFIELD, whose
    /// users check the distribution (Redis's suite runs a chi-square test on it).
    ///
    /// [`Dict::random_entry`] favours entries in short chains. Here a random bucket and a random
    /// slot among [`FAIR_CHAIN_SLOTS`] are drawn until the slot holds an entry, which makes
    /// every entry of a chain no longer than that equally likely; longer chains (vanishingly rare
    /// with a seeded hash and a load factor at most 1) are sampled by their length instead.
    pub fn fair_random_entry(&self, rng: &mut fastrand::Rng) -> Option<(&SmallBytes, &V)> {
        self.sample_chains(rng, FAIR_CHAIN_SLOTS)
    }

    /// Draws a random bucket of either table and a random slot among `max(slots, chain length)`
    /// until the slot holds an entry (with `slots` 0: the first non-empty bucket drawn).
    fn sample_chains(&self, rng: &mut fastrand::Rng, slots: usize) -> Option<(&SmallBytes, &V)> {
        if self.is_empty() {
            return None;
        }
        let start = self.rehash_index.unwrap_or(0);
        let sizes = [self.tables[0].buckets.len(), self.tables[1].buckets.len()];
        let span = sizes[0] - start + sizes[1];
        loop {
            let pick = start + rng.usize(..span);
            let (table, index) = if pick < sizes[0] { (0, pick) } else { (1, pick - sizes[0]) };
            let chain = || std::iter::successors(self.tables[table].buckets[index].as_deref(), |n| n.next.as_deref());
            let len = chain().count();
            if len == 0 && slots == 0 {
                continue;
            }
            let slot = rng.usize(..slots.max(len).max(1));
            if let Some(node) = chain().nth(slot) {
                return Some((&node.key, &node.value));
            }
        }
    }
}

/// Chain slots [`Dict::fair_random_entry`] draws from.
const FAIR_CHAIN_SLOTS: usize = 8;

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    fn full_scan(d: &Dict<u32>) -> HashSet<Vec<u8>> {
        let mut seen = HashSet::new();
        let mut cursor = 0;
        loop {
            cursor = d.scan(cursor, |k, _| {
                seen.insert(k.as_bytes().to_vec());
            });
            if cursor == 0 {
                return seen;
            }
        }
    }

    #[test]
    fn behaves_like_a_map() {
        let mut d = Dict::new();
        let mut model = HashMap::new();
        let mut rng = fastrand::Rng::with_seed(7);
        for i in 0..20_000u32 {
            let key = format!("k{}", rng.u32(..5000)).into_bytes();
            if rng.bool() {
                assert_eq!(d.insert(&key, i), model.insert(key.clone(), i));
            } else {
                assert_eq!(d.remove(&key).map(|(_, v)| v), model.remove(&key));
            }
            assert_eq!(d.len(), model.len());
        }
        for (k, v) in &model {
            assert_eq!(d.get(k), Some(v));
        }
        assert_eq!(d.iter().count(), model.len());
    }

    #[test]
    fn grows_and_shrinks_incrementally() {
        let mut d = Dict::new();
        for i in 0..10_000u32 {
            d.insert(format!("{i}").as_bytes(), i);
        }
        while d.rehash(100) {}
        assert!(d.bucket_count() >= 10_000);
        for i in 0..9_990u32 {
            d.remove(format!("{i}").as_bytes());
        }
        while d.rehash(100) {}
        d.shrink_if_needed();
        while d.rehash(100) {}
        assert!(d.bucket_count() <= 128, "{}", d.bucket_count());
        assert_eq!(d.len(), 10);
        assert_eq!(d.get(b"9995"), Some(&9995));
    }

    #[test]
    fn scan_survives_resizes() {
        let mut d = Dict::new();
        for i in 0..1000u32 {
            d.insert(format!("stable{i}").as_bytes(), i);
        }
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut step = 0u32;
        loop {
            cursor = d.scan(cursor, |k, _| {
                seen.insert(k.as_bytes().to_vec());
            });
            // Grow and shrink the table between calls.
            for j in 0..50 {
                if step % 20 < 10 {
                    d.insert(format!("churn{step}-{j}").as_bytes(), 0);
                } else {
                    d.remove(format!("churn{}-{j}", step - 10).as_bytes());
                }
            }
            step += 1;
            if cursor == 0 {
                break;
            }
        }
        for i in 0..1000u32 {
            assert!(seen.contains(format!("stable{i}").as_bytes()), "missed stable{i}");
        }
        assert!(full_scan(&d).len() >= 1000);
    }

    #[test]
    fn random_entries_come_from_the_table() {
        let mut d = Dict::new();
        let mut rng = fastrand::Rng::with_seed(1);
        assert!(d.random_entry(&mut rng).is_none());
        for i in 0..100u32 {
            d.insert(format!("{i}").as_bytes(), i);
        }
        let mut seen = HashSet::new();
        for _ in 0..2000 {
            let (k, v) = d.random_entry(&mut rng).expect("non-empty");
            assert_eq!(k.as_bytes(), format!("{v}").as_bytes());
            seen.insert(*v);
        }
        assert!(seen.len() > 90);
    }

    #[test]
    fn fair_random_entries_pass_a_chi_square_test() {
        let mut rng = fastrand::Rng::with_seed(3);
        let mut d: Dict<u32> = Dict::new();
        for i in 0..100u32 {
            d.insert(format!("member:{i}").as_bytes(), i);
        }
        let mut counts = [0u32; 100];
        let draws = 100_000;
        for _ in 0..draws {
            let (_, &v) = d.fair_random_entry(&mut rng).expect("not empty");
            counts[v as usize] += 1;
        }
        let expected = f64::from(draws) / 100.0;
        let chi: f64 = counts.iter().map(|&c| (f64::from(c) - expected).powi(2) / expected).sum();
        // 99 degrees of freedom: the 99.9th percentile is about 149.
        assert!(chi < 149.0, "chi-square {chi}");
    }

    #[test]
    fn stats_describe_both_tables() {
        let mut d: Dict<()> = Dict::new();
        assert_eq!(d.stats()[0].size, 0);
        for i in 0..100u32 {
            d.insert(format!("k{i}").as_bytes(), ());
        }
        while d.rehash(100) {}
        let [main] = &d.stats()[..] else { panic!("not rehashing: one table") };
        assert_eq!((main.size, main.used, main.chained), (128, 100, 100));
        assert_eq!(main.chains[0], 128 - main.slots);
        let entries: usize = main.chains.iter().enumerate().map(|(len, n)| len * n).sum();
        assert_eq!(entries, 100);
        assert!(main.longest >= 1 && main.chains[main.longest] >= 1);
        // The 129th entry starts a resize: the target table shows up with what moved so far.
        for i in 100..129u32 {
            d.insert(format!("k{i}").as_bytes(), ());
        }
        let [main, target] = &d.stats()[..] else { panic!("rehashing: two tables") };
        assert_eq!((main.size, target.size), (128, 256));
        assert_eq!(main.used + target.used, 129);
        assert_eq!((main.chained, target.chained), (main.used, target.used));
    }

    #[test]
    fn insert_new_alone_keeps_resizes_moving() {
        let mut d: Dict<()> = Dict::new();
        for i in 0..100_000u32 {
            d.insert_new(SmallBytes::new(format!("m:{i}").as_bytes()), ());
        }
        // Chains stay short only if every resize finished and the next one could start.
        assert!(d.bucket_count() >= d.len() / 2, "{} buckets for {} entries", d.bucket_count(), d.len());
        assert!(d.contains_key(b"m:99999") && d.contains_key(b"m:0"));
    }
}
