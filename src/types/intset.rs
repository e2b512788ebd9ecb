//! Redis's intset, in Redis's own bytes: a record width (u32 LE: 2, 4 or 8), a count (u32 LE),
//! then the members ascending, little-endian, each `width` bytes.
//!
//! Keeping Redis's exact layout makes a small set of integers cost what it costs in Redis
//! (8 bytes plus 2 per small member, where a `Vec<i64>` paid 8 per member plus its spare
//! capacity), and lets RDB and DUMP write and read the blob as it is. As in Redis the width
//! grows when a wider member arrives and never narrows, so DUMP bytes match Redis's after
//! removals too.

/// Bytes of the header (width and count).
const HEADER: usize = 8;

/// A sorted set of distinct integers stored as a Redis intset blob.
#[derive(Clone, PartialEq, Eq)]
pub struct IntSet {
    /// The whole blob, sized exactly: Redis reallocates on every insert and removal too, and
    /// intsets stay small (`set-max-intset-entries`).
    blob: Box<[u8]>,
}

impl Default for IntSet {
    fn default() -> Self {
        IntSet::new()
    }
}

impl std::fmt::Debug for IntSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Why a blob is not a valid intset, and at which byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed {
    /// Offset of the offending byte within the blob.
    pub offset: usize,
    /// What was expected there.
    pub expected: &'static str,
}

/// The narrowest record width that holds `value`.
fn width_for(value: i64) -> usize {
    if i16::try_from(value).is_ok() {
        2
    } else if i32::try_from(value).is_ok() {
        4
    } else {
        8
    }
}

/// Reads a `width`-byte little-endian signed record.
fn read_record(record: &[u8]) -> i64 {
    let width = record.len();
    let mut le = [0u8; 8];
    le[..width].copy_from_slice(record);
    let shift = 64 - 8 * width as u32;
    (i64::from_le_bytes(le) << shift) >> shift
}

impl IntSet {
    /// An empty intset of 2-byte records (Redis's `intsetNew`).
    pub fn new() -> Self {
        IntSet::with_records(2, &[])
    }

    /// The intset of `sorted` (ascending, distinct) members, at the narrowest width.
    pub fn from_sorted(sorted: &[i64]) -> Self {
        let width = sorted.iter().map(|&v| width_for(v)).max().unwrap_or(2);
        IntSet::with_records(width, sorted)
    }

    fn with_records(width: usize, sorted: &[i64]) -> Self {
        let mut blob = Vec::with_capacity(HEADER + sorted.len() * width);
        blob.extend_from_slice(&(width as u32).to_le_bytes());
        blob.extend_from_slice(&u32::try_from(sorted.len()).unwrap_or(u32::MAX).to_le_bytes());
        for v in sorted {
            blob.extend_from_slice(&v.to_le_bytes()[..width]);
        }
        IntSet { blob: blob.into_boxed_slice() }
    }

    /// Takes a blob from outside (RDB, DUMP), validated as Redis's deep sanitization does: a
    /// known width, a size matching the count, at least one member, strictly ascending.
    pub fn from_redis_bytes(blob: &[u8]) -> Result<Self, Malformed> {
        let bad = |offset, expected| Malformed { offset, expected };
        let header = blob.get(..HEADER).ok_or(bad(0, "an intset header"))?;
        let width = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
        if !matches!(width, 2 | 4 | 8) {
            return Err(bad(0, "an intset record width of 2, 4 or 8 bytes"));
        }
        let count = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        if count.checked_mul(width) != Some(blob.len() - HEADER) {
            return Err(bad(4, "an intset count matching its size"));
        }
        if count == 0 {
            return Err(bad(4, "an intset with members"));
        }
        let set = IntSet { blob: blob.into() };
        let mut previous = None;
        for (i, value) in set.iter().enumerate() {
            if previous.is_some_and(|p| p >= value) {
                return Err(bad(HEADER + i * width, "intset members in strictly ascending order"));
            }
            previous = Some(value);
        }
        Ok(set)
    }

    /// The blob in Redis's layout (what RDB and DUMP write).
    pub fn as_redis_bytes(&self) -> &[u8] {
        &self.blob
    }

    /// Bytes per record.
    fn width(&self) -> usize {
        u32::from_le_bytes([self.blob[0], self.blob[1], self.blob[2], self.blob[3]]) as usize
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        (self.blob.len() - HEADER) / self.width()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.blob.len() == HEADER
    }

    /// The member at `index` (ascending order); None past the end.
    pub fn get(&self, index: usize) -> Option<i64> {
        let width = self.width();
        let start = HEADER.checked_add(index.checked_mul(width)?)?;
        self.blob.get(start..start + width).map(read_record)
    }

    /// The members in ascending order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = i64> + '_ {
        self.blob[HEADER..].chunks_exact(self.width()).map(read_record)
    }

    /// Where `value` is (Ok) or would go (Err), by binary search.
    fn search(&self, value: i64) -> Result<usize, usize> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.get(mid).map(|m| m.cmp(&value)) {
                Some(std::cmp::Ordering::Less) => low = mid + 1,
                Some(std::cmp::Ordering::Greater) => high = mid,
                _ => return Ok(mid),
            }
        }
        Err(low)
    }

    /// Whether `value` is a member.
    pub fn contains(&self, value: i64) -> bool {
        width_for(value) <= self.width() && self.search(value).is_ok()
    }

    /// Adds `value`; returns whether it was new. A value wider than the records widens them all.
    pub fn insert(&mut self, value: i64) -> bool {
        let width = self.width();
        if width_for(value) > width {
            let mut members: Vec<i64> = self.iter().collect();
            // Wider than every member: it is below them all or above them all.
            let at = if value < 0 { 0 } else { members.len() };
            members.insert(at, value);
            *self = IntSet::with_records(width_for(value), &members);
            return true;
        }
        let Err(at) = self.search(value) else { return false };
        let offset = HEADER + at * width;
        let mut blob = Vec::with_capacity(self.blob.len() + width);
        blob.extend_from_slice(&self.blob[..offset]);
        blob.extend_from_slice(&value.to_le_bytes()[..width]);
        blob.extend_from_slice(&self.blob[offset..]);
        self.blob = blob.into_boxed_slice();
        self.set_count(self.len());
        true
    }

    /// Removes `value`; returns whether it was a member. The width stays as it is.
    pub fn remove(&mut self, value: i64) -> bool {
        let width = self.width();
        if width_for(value) > width {
            return false;
        }
        let Ok(at) = self.search(value) else { return false };
        let offset = HEADER + at * width;
        let mut blob = Vec::with_capacity(self.blob.len() - width);
        blob.extend_from_slice(&self.blob[..offset]);
        blob.extend_from_slice(&self.blob[offset + width..]);
        self.blob = blob.into_boxed_slice();
        self.set_count(self.len());
        true
    }

    fn set_count(&mut self, count: usize) {
        let count = u32::try_from(count).unwrap_or(u32::MAX).to_le_bytes();
        self.blob[4..HEADER].copy_from_slice(&count);
    }

    /// Heap bytes the blob occupies.
    pub fn heap_size(&self) -> usize {
        self.blob.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_members_sorted_and_distinct() {
        let mut s = IntSet::new();
        for v in [5, -3, 9, 5, 0] {
            s.insert(v);
        }
        assert_eq!(s.iter().collect::<Vec<_>>(), [-3, 0, 5, 9]);
        assert!(s.contains(9) && !s.contains(4) && !s.contains(1 << 40));
        assert!(s.remove(0) && !s.remove(0));
        assert_eq!((s.len(), s.get(1), s.get(3)), (3, Some(5), None));
    }

    #[test]
    fn widens_on_demand_and_never_narrows() {
        let mut s = IntSet::from_sorted(&[1, 2]);
        assert_eq!(s.as_redis_bytes(), [2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0]);
        assert!(s.insert(70000));
        assert_eq!((s.width(), s.iter().collect::<Vec<_>>()), (4, vec![1, 2, 70000]));
        assert!(s.insert(i64::MIN));
        assert_eq!((s.width(), s.get(0)), (8, Some(i64::MIN)));
        assert!(s.remove(i64::MIN) && s.remove(70000));
        assert_eq!((s.width(), s.len(), s.heap_size()), (8, 2, 8 + 16));
        assert_eq!(IntSet::from_sorted(&[1 << 40]).width(), 8);
    }

    #[test]
    fn reads_every_width_and_refuses_corruption() {
        for values in [vec![-5, 0, 7], vec![i64::from(i32::MIN), 1], vec![i64::MIN, -1, i64::MAX]] {
            let set = IntSet::from_sorted(&values);
            let back = IntSet::from_redis_bytes(set.as_redis_bytes()).unwrap();
            assert_eq!(back.iter().collect::<Vec<_>>(), values);
        }
        let blob =
            |width: u32, count: u32, records: &[u8]| [&width.to_le_bytes()[..], &count.to_le_bytes(), records].concat();
        for (bytes, expected) in [
            (vec![2, 0, 0], "an intset header"),
            (blob(3, 1, &[1, 0, 0]), "an intset record width of 2, 4 or 8 bytes"),
            (blob(2, 0, &[]), "an intset with members"),
            (blob(2, 2, &[1, 0, 2, 0, 0]), "an intset count matching its size"),
            (blob(2, 2, &[2, 0, 1, 0]), "intset members in strictly ascending order"),
            (blob(2, 2, &[3, 0, 3, 0]), "intset members in strictly ascending order"),
        ] {
            assert_eq!(IntSet::from_redis_bytes(&bytes).map(|_| ()).unwrap_err().expected, expected);
        }
    }
}
