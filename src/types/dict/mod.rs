//! A chained hash table in the manner of Redis's `dict`: power-of-two bucket arrays, incremental
//! rehashing between two tables, and a reverse-binary SCAN cursor.
//!
//! Why not `std`'s or hashbrown's map: SCAN must return every entry present for the whole
//! iteration at least once even while the table grows or shrinks, which needs a cursor over
//! bucket indices that survives resizes (Redis's reverse-binary increment); resizing must happen a
//! few buckets at a time so a huge table never stalls the executor. Open-addressing maps expose
//! neither.
//!
//! Unlike Redis's, the entries are not one allocation each: they live densely in [`slots`], and
//! buckets and chain links are 32-bit indices into it. An entry is its key, its value, the link
//! and 32 bits its user may keep beside the value ([`Entry::meta`], where they would otherwise
//! be padding): 56 bytes for a keyspace entry, with 4 bytes of bucket per entry at full load,
//! against Redis's 24-byte `dictEntry` plus a key and an object allocated apart. Removing an entry
//! moves the last one into its place, so random sampling is one uniform draw.
//!
//! Keys are [`SmallBytes`]; hashing is foldhash with a per-table random seed, so colliding keys
//! cannot be precomputed.

mod slots;

use std::cell::Cell;
use std::hash::BuildHasher;

use super::small_bytes::SmallBytes;
use slots::Slots;

/// Smallest non-empty bucket array.
const INITIAL_SIZE: usize = 4;
/// Shrink when fewer than this percentage of buckets would be used.
const MIN_FILL_PERCENT: usize = 10;
/// Buckets visited per unit of rehash work before giving up on empty ones.
const EMPTY_VISITS_PER_STEP: usize = 10;
/// The index of no entry: an empty bucket, the end of a chain.
const NIL: u32 = u32::MAX;

/// A stored value, with 32 bits of metadata its table's user may keep (the keyspace keeps a key's
/// access clock there) and the link to the next entry of its bucket.
#[derive(Debug, Clone)]
pub struct Entry<V> {
    /// The value.
    pub value: V,
    /// A cell, so a read-only walk may update it (the keyspace's snapshot marks).
    meta: Cell<u32>,
    next: u32,
}

impl<V> Entry<V> {
    /// The user's 32 bits (0 for a new entry).
    pub fn meta(&self) -> u32 {
        self.meta.get()
    }

    /// Replaces the user's 32 bits.
    pub fn set_meta(&self, meta: u32) {
        self.meta.set(meta);
    }

    /// An entry outside any table (tests, payload round trips).
    pub fn detached(value: V, meta: u32) -> Self {
        Entry { value, meta: Cell::new(meta), next: NIL }
    }
}

/// One entry in [`Slots`]: the key beside the entry.
struct Slot<V> {
    key: SmallBytes,
    entry: Entry<V>,
}

/// A bucket array and how many entries hang from it.
struct Table {
    buckets: Vec<u32>,
    used: usize,
}

impl Table {
    fn with_size(size: usize) -> Self {
        Table { buckets: vec![NIL; size], used: 0 }
    }

    fn empty() -> Self {
        Table { buckets: Vec::new(), used: 0 }
    }

    fn mask(&self) -> u64 {
        (self.buckets.len() as u64).wrapping_sub(1)
    }

    /// The bucket `hash` falls in (the table must have buckets).
    fn bucket(&self, hash: u64) -> usize {
        (hash & self.mask()) as usize
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
    tables: [Table; 2],
    /// Next bucket of `tables[0]` to move, while rehashing.
    rehash_index: Option<usize>,
    slots: Slots<Slot<V>>,
    hasher: foldhash::fast::RandomState,
}

impl<V> Default for Dict<V> {
    fn default() -> Self {
        Dict {
            tables: [Table::empty(), Table::empty()],
            rehash_index: None,
            slots: Slots::default(),
            hasher: Default::default(),
        }
    }
}

impl<V> Dict<V> {
    /// An empty table (allocates nothing until the first insert).
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes one entry takes in the table's storage (its key inline, value, link, metadata);
    /// each entry also has [`Dict::BUCKET_SIZE`] bytes of bucket at full load.
    pub const ENTRY_SIZE: usize = std::mem::size_of::<Slot<V>>();

    /// Bytes of one bucket.
    pub const BUCKET_SIZE: usize = std::mem::size_of::<u32>();

    fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a resize is in progress.
    pub fn is_rehashing(&self) -> bool {
        self.rehash_index.is_some()
    }

    /// The main table's shape, then the rehash target's while a resize is in progress.
    pub fn stats(&self) -> Vec<TableStats> {
        let tables = if self.is_rehashing() { &self.tables[..] } else { &self.tables[..1] };
        tables.iter().map(|t| self.table_stats(t)).collect()
    }

    /// One table's shape (a walk of every bucket).
    fn table_stats(&self, table: &Table) -> TableStats {
        let mut stats = TableStats {
            size: table.buckets.len(),
            used: table.used,
            slots: 0,
            chained: 0,
            longest: 0,
            chains: [0; CHAIN_LENGTHS],
        };
        for &head in &table.buckets {
            let chain = self.chain(head).count();
            stats.chains[chain.min(CHAIN_LENGTHS - 1)] += 1;
            if chain > 0 {
                stats.slots += 1;
                stats.chained += chain;
                stats.longest = stats.longest.max(chain);
            }
        }
        stats
    }

    /// Total buckets allocated in both tables.
    pub fn bucket_count(&self) -> usize {
        self.tables[0].buckets.len() + self.tables[1].buckets.len()
    }

    /// Bytes the table allocated: entries (keys inline, not their heap bytes) and buckets.
    pub fn heap_size(&self) -> usize {
        self.slots.heap_size() + self.bucket_count() * Self::BUCKET_SIZE
    }

    /// The indices of the chain starting at `head`.
    fn chain(&self, head: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(head).filter(|&i| i != NIL), |&i| {
            Some(self.slots.get(i).entry.next).filter(|&n| n != NIL)
        })
    }

    /// The index of `key`'s entry.
    #[inline]
    fn find(&self, hash: u64, key: &[u8]) -> Option<u32> {
        for table in &self.tables {
            if table.buckets.is_empty() {
                continue;
            }
            let mut cur = table.buckets[table.bucket(hash)];
            while cur != NIL {
                let slot = self.slots.get(cur);
                if slot.key.as_bytes() == key {
                    return Some(cur);
                }
                cur = slot.entry.next;
            }
        }
        None
    }

    /// The index of `key`'s entry, hashing it (`None` at once when empty).
    fn index_of(&self, key: &[u8]) -> Option<u32> {
        if self.is_empty() {
            return None;
        }
        self.find(self.hash(key), key)
    }

    /// The value at `key`.
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        self.get_entry(key).map(|(_, e)| &e.value)
    }

    /// The stored key and value at `key`.
    pub fn get_key_value(&self, key: &[u8]) -> Option<(&SmallBytes, &V)> {
        self.get_entry(key).map(|(k, e)| (k, &e.value))
    }

    /// The stored key and entry at `key`.
    pub fn get_entry(&self, key: &[u8]) -> Option<(&SmallBytes, &Entry<V>)> {
        let slot = self.slots.get(self.index_of(key)?);
        Some((&slot.key, &slot.entry))
    }

    /// The value at `key`, mutably (does a step of rehashing first).
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        self.get_entry_mut(key).map(|e| &mut e.value)
    }

    /// The entry at `key`, mutably (does a step of rehashing first).
    pub fn get_entry_mut(&mut self, key: &[u8]) -> Option<&mut Entry<V>> {
        if self.is_empty() {
            return None;
        }
        self.rehash_step();
        let index = self.find(self.hash(key), key)?;
        Some(&mut self.slots.get_mut(index).entry)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &[u8]) -> bool {
        self.index_of(key).is_some()
    }

    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: &[u8], value: V) -> Option<V> {
        self.rehash_step();
        if let Some(index) = self.index_of(key) {
            return Some(std::mem::replace(&mut self.slots.get_mut(index).entry.value, value));
        }
        self.push_new(SmallBytes::new(key), value);
        None
    }

    /// Inserts a key known to be absent (the caller checked), taking ownership of it; returns
    /// its entry. Like every write it moves one bucket of a resize in progress: a resize that
    /// never finished would block the next one, and chains would grow without bound.
    pub fn insert_new(&mut self, key: SmallBytes, value: V) -> &mut Entry<V> {
        self.rehash_step();
        self.push_new(key, value)
    }

    /// Adds an absent key, growing the table first when it is full.
    fn push_new(&mut self, key: SmallBytes, value: V) -> &mut Entry<V> {
        self.expand_if_needed();
        let hash = self.hash(key.as_bytes());
        let table = &mut self.tables[usize::from(self.rehash_index.is_some())];
        let bucket = table.bucket(hash);
        let entry = Entry { value, meta: Cell::new(0), next: table.buckets[bucket] };
        let index = self.slots.push(Slot { key, entry });
        table.buckets[bucket] = index;
        table.used += 1;
        &mut self.slots.get_mut(index).entry
    }

    /// Removes `key`, returning its stored key and value.
    pub fn remove(&mut self, key: &[u8]) -> Option<(SmallBytes, V)> {
        if self.is_empty() {
            return None;
        }
        self.rehash_step();
        let hash = self.hash(key);
        let index = self.unlink(hash, key)?;
        let Slot { key, entry } = self.slots.swap_remove(index);
        // The last entry moved into the hole: repoint the link that named it.
        if (index as usize) < self.slots.len() {
            let moved_from = self.slots.len() as u32;
            let moved_hash = self.hash(self.slots.get(index).key.as_bytes());
            self.repoint(moved_hash, moved_from, index);
        }
        self.shrink_if_needed();
        Some((key, entry.value))
    }

    /// Takes `key`'s entry out of its chain; returns its index.
    fn unlink(&mut self, hash: u64, key: &[u8]) -> Option<u32> {
        for t in 0..2 {
            let table = &self.tables[t];
            if table.buckets.is_empty() {
                continue;
            }
            let bucket = table.bucket(hash);
            let (mut prev, mut cur) = (NIL, table.buckets[bucket]);
            while cur != NIL {
                let slot = self.slots.get(cur);
                let next = slot.entry.next;
                if slot.key.as_bytes() == key {
                    match prev {
                        NIL => self.tables[t].buckets[bucket] = next,
                        _ => self.slots.get_mut(prev).entry.next = next,
                    }
                    self.tables[t].used -= 1;
                    return Some(cur);
                }
                (prev, cur) = (cur, next);
            }
        }
        None
    }

    /// Rewrites the one link (bucket head or chain link) naming index `from` to name `to`.
    fn repoint(&mut self, hash: u64, from: u32, to: u32) {
        for t in 0..2 {
            let table = &mut self.tables[t];
            if table.buckets.is_empty() {
                continue;
            }
            let bucket = table.bucket(hash);
            if table.buckets[bucket] == from {
                table.buckets[bucket] = to;
                return;
            }
            let mut cur = table.buckets[bucket];
            while cur != NIL {
                let entry = &mut self.slots.get_mut(cur).entry;
                if entry.next == from {
                    entry.next = to;
                    return;
                }
                cur = entry.next;
            }
        }
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

    /// Makes room for `n` entries up front (Redis's `dictExpand`, which loading an RDB file
    /// calls with the key count the file announces): an empty table gets its size at once, a
    /// smaller one starts growing to it. Nothing when a resize is in progress.
    pub fn reserve(&mut self, n: usize) {
        if self.is_rehashing() || n <= self.tables[0].buckets.len() {
            return;
        }
        if self.tables[0].used == 0 {
            self.tables[0] = Table::with_size(n.max(INITIAL_SIZE).next_power_of_two());
        } else {
            self.start_resize(n);
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
        let [from, to] = &mut self.tables;
        while moved < buckets && from.used > 0 {
            let Some(bucket) = from.buckets.get_mut(index) else { break };
            let mut cur = std::mem::replace(bucket, NIL);
            index += 1;
            if cur == NIL {
                empty_visits -= 1;
                if empty_visits == 0 {
                    break;
                }
                continue;
            }
            while cur != NIL {
                let slot = self.slots.get_mut(cur);
                let target = to.bucket(self.hasher.hash_one(slot.key.as_bytes()));
                let next = std::mem::replace(&mut slot.entry.next, to.buckets[target]);
                to.buckets[target] = cur;
                from.used -= 1;
                to.used += 1;
                cur = next;
            }
            moved += 1;
        }
        if from.used == 0 {
            *from = std::mem::replace(to, Table::empty());
            self.rehash_index = None;
            return false;
        }
        self.rehash_index = Some(index);
        true
    }

    /// Visits every value.
    pub fn iter(&self) -> impl Iterator<Item = (&SmallBytes, &V)> {
        self.slots.iter().map(|s| (&s.key, &s.entry.value))
    }

    /// Visits every entry.
    pub fn entries(&self) -> impl Iterator<Item = (&SmallBytes, &Entry<V>)> {
        self.slots.iter().map(|s| (&s.key, &s.entry))
    }

    /// One SCAN step from `cursor` (0 starts): calls `visit` for every entry of the buckets it
    /// covers and returns the next cursor (0 when the iteration is complete). Every entry present
    /// from the first to the last call is visited at least once, whatever resizes happen between
    /// calls.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&SmallBytes, &Entry<V>)) -> u64 {
        if self.is_empty() {
            return 0;
        }
        let mut emit = |table: &Table, index: u64| {
            for i in self.chain(table.buckets[(index & table.mask()) as usize]) {
                let slot = self.slots.get(i);
                visit(&slot.key, &slot.entry);
            }
        };
        let mut v = cursor;
        if !self.is_rehashing() {
            let t0 = &self.tables[0];
            let m0 = t0.mask();
            emit(t0, v);
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
        emit(small, v);
        loop {
            emit(large, v);
            v |= !m1;
            v = v.reverse_bits().wrapping_add(1).reverse_bits();
            if v & (m0 ^ m1) == 0 {
                break;
            }
        }
        v
    }

    /// An entry chosen uniformly among all entries (RANDOMKEY, eviction sampling, SRANDMEMBER,
    /// SPOP and HRANDFIELD, whose users check the distribution: Redis's suite runs a chi-square
    /// test on it). The storage is dense, so this is one draw.
    pub fn random_entry(&self, rng: &mut fastrand::Rng) -> Option<(&SmallBytes, &Entry<V>)> {
        if self.is_empty() {
            return None;
        }
        let slot = self.slots.get(rng.u32(..self.len() as u32));
        Some((&slot.key, &slot.entry))
    }
}

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
    fn removals_during_a_resize_keep_the_rest_reachable() {
        let mut d = Dict::new();
        for i in 0..1025u32 {
            d.insert(format!("k{i}").as_bytes(), i);
        }
        assert!(d.is_rehashing());
        // Each removal moves the last entry into the hole, from either table.
        for i in (0..1025u32).step_by(2) {
            assert_eq!(d.remove(format!("k{i}").as_bytes()).map(|(_, v)| v), Some(i));
        }
        for i in 0..1025u32 {
            assert_eq!(d.get(format!("k{i}").as_bytes()), (i % 2 == 1).then_some(&i));
        }
        let chained: usize = d.stats().iter().map(|t| t.chained).sum();
        assert_eq!((chained, d.len(), d.iter().count()), (512, 512, 512));
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
            let (k, e) = d.random_entry(&mut rng).expect("non-empty");
            assert_eq!(k.as_bytes(), format!("{}", e.value).as_bytes());
            seen.insert(e.value);
        }
        assert!(seen.len() > 90);
    }

    #[test]
    fn random_entries_pass_a_chi_square_test() {
        let mut rng = fastrand::Rng::with_seed(3);
        let mut d: Dict<u32> = Dict::new();
        for i in 0..100u32 {
            d.insert(format!("member:{i}").as_bytes(), i);
        }
        let mut counts = [0u32; 100];
        let draws = 100_000;
        for _ in 0..draws {
            let (_, e) = d.random_entry(&mut rng).expect("not empty");
            counts[e.value as usize] += 1;
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
    fn reserve_sizes_an_empty_table_at_once_and_grows_a_full_one() {
        let sizes = |d: &Dict<u32>| d.stats().iter().map(|t| t.size).collect::<Vec<_>>();
        let mut d: Dict<u32> = Dict::default();
        d.reserve(1000);
        assert_eq!(sizes(&d), [1024]);
        for i in 0..1000u32 {
            d.insert(format!("k{i}").as_bytes(), i);
        }
        // Presized: no resize ran while the announced keys went in.
        assert_eq!(sizes(&d), [1024]);
        d.reserve(5000);
        assert_eq!(sizes(&d), [1024, 8192]);
        while d.rehash(100) {}
        assert_eq!(sizes(&d), [8192]);
        assert!((0..1000u32).all(|i| d.get(format!("k{i}").as_bytes()) == Some(&i)));
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
