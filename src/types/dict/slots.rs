//! The dense storage behind a [`super::Dict`]: its entries sit at indices `0..len` with no holes,
//! so a 32-bit index names one (half a pointer in every bucket and chain link, and no
//! allocation per entry), a uniformly random entry is one draw, and a removal moves the last
//! entry into the hole (its owner then repoints the one link that named it).
//!
//! The indices map onto segments that never move once allocated, so growing never copies an
//! entry: four segments of [`FIRST_SEGMENT`] entries, then four per doubling of the total, each a
//! quarter of what came before (at most a quarter of the capacity is ever unused), up to
//! segments of [`MAX_SEGMENT`] entries. A segment's size in bytes is then one of jemalloc's
//! size classes for the entry sizes the tables use (32, 40 and 56 bytes), so nothing is
//! rounded up either.

/// Entries in each of the first four segments.
const FIRST_SEGMENT: usize = 4;
/// Log2 of the largest segment (4096 entries: 224 KiB of 56-byte entries).
const MAX_SEGMENT_BITS: u32 = 12;
/// Largest segment, in entries.
const MAX_SEGMENT: usize = 1 << MAX_SEGMENT_BITS;
/// Indices below this fall in the first four segments.
const SMALL_END: usize = 4 * FIRST_SEGMENT;
/// Indices from this on fall in segments of [`MAX_SEGMENT`] entries (the doubling whose quarter
/// reaches that size starts here).
const LARGE_START: usize = 4 * MAX_SEGMENT;
/// Segments before [`LARGE_START`]: four small ones, then four per doubling up to it.
const SEGMENTS_BEFORE_LARGE: usize =
    4 * (LARGE_START.trailing_zeros() as usize - SMALL_END.trailing_zeros() as usize + 1);

/// The segment holding index `i` and the offset in it.
#[inline]
fn locate(i: usize) -> (usize, usize) {
    if i < SMALL_END {
        return (i / FIRST_SEGMENT, i % FIRST_SEGMENT);
    }
    if i >= LARGE_START {
        return (SEGMENTS_BEFORE_LARGE + (i - LARGE_START) / MAX_SEGMENT, i % MAX_SEGMENT);
    }
    // In [2^k, 2^(k+1)): four segments of 2^(k-2).
    let k = (usize::BITS - 1 - i.leading_zeros()) as usize;
    let quarter = k - 2;
    let doublings = k - SMALL_END.trailing_zeros() as usize;
    (4 + 4 * doublings + ((i >> quarter) & 3), i & ((1 << quarter) - 1))
}

/// Entries segment `segment` holds.
fn segment_capacity(segment: usize) -> usize {
    if segment < 4 {
        return FIRST_SEGMENT;
    }
    let doubling = (segment / 4 - 1).min(MAX_SEGMENT_BITS as usize);
    (FIRST_SEGMENT << doubling).min(MAX_SEGMENT)
}

/// Entries at indices `0..len` in segments (see the module docs).
pub(super) struct Slots<T> {
    /// Every segment but the last two is full; the last may be an empty spare, so that an
    /// insert and a delete alternating at a segment boundary do not allocate and free it each time.
    segments: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Slots { segments: Vec::new(), len: 0 }
    }
}

impl<T> Slots<T> {
    /// Number of entries.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The entry at `i` (which must be below `len`).
    #[inline]
    pub(super) fn get(&self, i: u32) -> &T {
        let (segment, offset) = locate(i as usize);
        &self.segments[segment][offset]
    }

    /// The entry at `i`, mutably.
    #[inline]
    pub(super) fn get_mut(&mut self, i: u32) -> &mut T {
        let (segment, offset) = locate(i as usize);
        &mut self.segments[segment][offset]
    }

    /// Appends `item`; returns its index.
    ///
    /// # Panics
    /// When 2^32 - 1 entries are stored (an index is 32 bits and one value means "none").
    pub(super) fn push(&mut self, item: T) -> u32 {
        let index =
            u32::try_from(self.len).ok().filter(|&i| i != u32::MAX).expect("a table holds fewer than 2^32-1 entries");
        let (segment, _) = locate(self.len);
        if segment == self.segments.len() {
            self.segments.push(Vec::with_capacity(segment_capacity(segment)));
        }
        self.segments[segment].push(item);
        self.len += 1;
        index
    }

    /// Removes the entry at `i` and moves the last one into its place (when `i` was not the
    /// last); returns the removed entry.
    pub(super) fn swap_remove(&mut self, i: u32) -> T {
        let (segment, _) = locate(self.len - 1);
        let last = self.segments[segment].pop().expect("len counts the entries of the segments");
        self.len -= 1;
        let removed = if i as usize == self.len { last } else { std::mem::replace(self.get_mut(i), last) };
        self.trim();
        removed
    }

    /// Frees empty segments past the spare one, and everything once empty.
    fn trim(&mut self) {
        if self.len == 0 {
            self.segments = Vec::new();
            return;
        }
        while self.segments.len() >= 2 && self.segments.iter().rev().take(2).all(Vec::is_empty) {
            self.segments.pop();
        }
        if self.segments.capacity() > 2 * self.segments.len() {
            self.segments.shrink_to_fit();
        }
    }

    /// Every entry, by index.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.segments.iter().flatten()
    }

    /// Bytes allocated: the segments and the list of them.
    pub(super) fn heap_size(&self) -> usize {
        let segments: usize = self.segments.iter().map(|s| s.capacity() * std::mem::size_of::<T>()).sum();
        segments + self.segments.capacity() * std::mem::size_of::<Vec<T>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_tile_the_indices_in_order() {
        let (mut segment, mut offset) = (0, 0);
        for i in 0..LARGE_START + 3 * MAX_SEGMENT {
            assert_eq!(locate(i), (segment, offset), "index {i}");
            offset += 1;
            if offset == segment_capacity(segment) {
                (segment, offset) = (segment + 1, 0);
            }
        }
        // A quarter of the total at most is a segment, up to the largest.
        assert_eq!(segment_capacity(locate(1000).0), 128);
        assert_eq!(segment_capacity(locate(1 << 20).0), MAX_SEGMENT);
    }

    #[test]
    fn swap_remove_keeps_entries_dense() {
        let mut slots = Slots::default();
        for i in 0..100u32 {
            assert_eq!(slots.push(i), i);
        }
        assert_eq!(slots.swap_remove(10), 10);
        assert_eq!((*slots.get(10), slots.len()), (99, 99));
        assert_eq!(slots.swap_remove(98), 98);
        let mut all: Vec<u32> = slots.iter().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..98).filter(|&i| i != 10).chain([99]).collect::<Vec<_>>());
    }

    #[test]
    fn memory_follows_the_entries() {
        let mut slots = Slots::default();
        for i in 0..10_000u64 {
            slots.push(i);
        }
        let full = slots.heap_size();
        assert!(full <= 10_000 * 8 * 5 / 4 + 4096, "{full}");
        while slots.len() > 10 {
            slots.swap_remove(0);
        }
        assert!(slots.heap_size() < 1024, "{}", slots.heap_size());
        slots.swap_remove(0);
        while slots.len() > 0 {
            slots.swap_remove(0);
        }
        assert_eq!(slots.heap_size(), 0);
    }
}
