//! A compact sequence of byte strings in one contiguous heap buffer, modelled on Redis's
//! listpack: the small encoding of lists (each quicklist node), hashes and sorted sets.
//!
//! Each entry is `header [data] backlen`:
//! - the header says how the entry is stored: an integer packed into the header itself or a few
//!   bytes after it, or a string length followed by the string's bytes;
//! - `backlen` is the length of `header + data`, in 1 byte below 128, 7 bits per byte beyond,
//!   readable from its last byte backwards, so the sequence can be walked in both directions.
//!
//! Strings that are canonical decimal integers (Redis's `string2ll` rules) are stored as
//! integers and read back as [`Entry::Int`]; their decimal form is the same bytes, so callers
//! compare and reply with [`Entry::as_bytes`] and never see the difference. A short string or
//! an integer in 0..=127 costs one header byte and one backlen byte, as in Redis.
//!
//! Unlike Redis's listpack there is no total-size header and no terminator: the buffer's length
//! is the total size and the entry count sits beside it. Positions ([`Pos`]) are byte offsets of
//! entries; a mutation invalidates every position except the one it returns. The buffer is only
//! ever written by this module, so it is always well formed.

use std::alloc::Layout;

use crate::alloc::size_class;
use crate::types::number::{format_i64, parse_i64};

/// Header of an unsigned integer in 0..=127 (the byte is the value).
const UINT7_MAX: u8 = 0x7f;
/// Header `10xxxxxx`: a string of up to 63 bytes follows.
const STR6: u8 = 0x80;
/// Header `110xxxxx xxxxxxxx`: a 13-bit signed integer.
const INT13: u8 = 0xc0;
/// Header `1110xxxx xxxxxxxx`: a string of up to 4095 bytes follows.
const STR12: u8 = 0xe0;
/// Header then a 4-byte little-endian length, then the string.
const STR32: u8 = 0xf0;
/// Header then a 2-byte little-endian integer.
const INT16: u8 = 0xf1;
/// Header then a 3-byte little-endian integer.
const INT24: u8 = 0xf2;
/// Header then a 4-byte little-endian integer.
const INT32: u8 = 0xf3;
/// Header then an 8-byte little-endian integer.
const INT64: u8 = 0xf4;
/// Header then an 8-byte little-endian length, then the string (beyond 4 GiB; not in Redis).
const STR64: u8 = 0xf5;

/// Longest string that may be a canonical `i64` ("-9223372036854775808").
const INT_MAX_DIGITS: usize = 20;

/// An entry as stored: an integer, or the bytes of a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry<'a> {
    /// A string that was a canonical decimal integer.
    Int(i64),
    /// Any other string.
    Bytes(&'a [u8]),
}

impl<'a> Entry<'a> {
    /// The entry's bytes, borrowed from the listpack unless it is an integer.
    pub fn into_cow(self) -> std::borrow::Cow<'a, [u8]> {
        match self {
            Entry::Bytes(b) => std::borrow::Cow::Borrowed(b),
            Entry::Int(_) => std::borrow::Cow::Owned(self.to_vec()),
        }
    }

    /// The entry's bytes; integers are formatted into `scratch`.
    pub fn as_bytes<'s>(&self, scratch: &'s mut [u8; 20]) -> &'s [u8]
    where
        'a: 's,
    {
        match *self {
            Entry::Int(n) => format_i64(n, scratch),
            Entry::Bytes(b) => b,
        }
    }

    /// The entry's bytes as an owned vector.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut scratch = [0u8; 20];
        self.as_bytes(&mut scratch).to_vec()
    }

    /// Whether the entry's bytes equal `other`.
    pub fn eq_bytes(&self, other: &[u8]) -> bool {
        Needle::new(other).matches(*self)
    }
}

/// A value prepared for repeated comparisons against entries (its integer form parsed once).
struct Needle<'a> {
    bytes: &'a [u8],
    int: Option<i64>,
}

impl<'a> Needle<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Needle { bytes, int: as_int(bytes) }
    }

    fn matches(&self, entry: Entry<'_>) -> bool {
        // Canonical decimals are always stored as integers, so the forms never cross.
        match entry {
            Entry::Int(n) => self.int == Some(n),
            Entry::Bytes(b) => b == self.bytes,
        }
    }
}

/// `bytes` as an integer when it is stored as one.
fn as_int(bytes: &[u8]) -> Option<i64> {
    if bytes.len() <= INT_MAX_DIGITS { parse_i64(bytes) } else { None }
}

/// The byte offset of an entry inside a [`Listpack`] (or of its end, [`Listpack::end`]). The
/// default is the first entry's position (the end when the listpack is empty).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos(usize);

/// A value encoded for writing: its header (holding the integer, if it is one) and its data.
pub(crate) struct Encoded<'a> {
    head: [u8; 9],
    head_len: usize,
    data: &'a [u8],
}

impl<'a> Encoded<'a> {
    /// The encoding of `value`: an integer header when it is a canonical decimal, else a string.
    pub(crate) fn new(value: &'a [u8]) -> Self {
        match as_int(value) {
            Some(n) => Self::int(n),
            None => Self::string(value),
        }
    }

    fn int(n: i64) -> Self {
        let mut head = [0u8; 9];
        let le = n.to_le_bytes();
        let head_len = if (0..=i64::from(UINT7_MAX)).contains(&n) {
            head[0] = le[0];
            1
        } else if (-4096..4096).contains(&n) {
            let u = (n as u16) & 0x1fff;
            head[0] = INT13 | (u >> 8) as u8;
            head[1] = u as u8;
            2
        } else {
            let (tag, width) = if i16::try_from(n).is_ok() {
                (INT16, 2)
            } else if (-(1 << 23)..(1 << 23)).contains(&n) {
                (INT24, 3)
            } else if i32::try_from(n).is_ok() {
                (INT32, 4)
            } else {
                (INT64, 8)
            };
            head[0] = tag;
            head[1..=width].copy_from_slice(&le[..width]);
            1 + width
        };
        Encoded { head, head_len, data: &[] }
    }

    fn string(data: &'a [u8]) -> Self {
        let mut head = [0u8; 9];
        let len = data.len();
        let head_len = if len < 64 {
            head[0] = STR6 | len as u8;
            1
        } else if len < 4096 {
            head[0] = STR12 | (len >> 8) as u8;
            head[1] = len as u8;
            2
        } else if let Ok(len) = u32::try_from(len) {
            head[0] = STR32;
            head[1..5].copy_from_slice(&len.to_le_bytes());
            5
        } else {
            head[0] = STR64;
            head[1..9].copy_from_slice(&(len as u64).to_le_bytes());
            9
        };
        Encoded { head, head_len, data }
    }

    /// Bytes of `header + data` (what backlen records).
    pub(crate) fn element_len(&self) -> usize {
        self.head_len + self.data.len()
    }

    /// Bytes the whole entry takes.
    fn size(&self) -> usize {
        let element = self.element_len();
        element + backlen_size(element)
    }

    /// Writes the entry into `out`, which is exactly [`Self::size`] bytes long.
    fn write(&self, out: &mut [u8]) {
        let (head, rest) = out.split_at_mut(self.head_len);
        head.copy_from_slice(&self.head[..self.head_len]);
        let (data, back) = rest.split_at_mut(self.data.len());
        data.copy_from_slice(self.data);
        write_backlen(self.element_len(), back);
    }

    /// Appends `header + data` to `out`, without a backlen (see [`super::forward_listpack`]).
    pub(crate) fn push_without_backlen(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.head[..self.head_len]);
        out.extend_from_slice(self.data);
    }
}

/// Bytes the backlen of an entry whose `header + data` is `element_len` bytes takes: 7 bits per
/// byte, with Redis's exact thresholds (`lpEncodeBacklen`: 16383 itself already takes 3 bytes),
/// so entries are byte-for-byte Redis's and an RDB listpack is these bytes framed.
pub fn backlen_size(element_len: usize) -> usize {
    match element_len {
        0..=127 => 1,
        128..16383 => 2,
        16383..2_097_151 => 3,
        2_097_151..268_435_455 => 4,
        _ => 5,
    }
}

/// Writes `element_len` most significant group first; every byte but the first carries the
/// high bit, so a reader going backwards knows when to stop.
pub(crate) fn write_backlen(element_len: usize, out: &mut [u8]) {
    let n = out.len();
    for (i, byte) in out.iter_mut().enumerate() {
        let group = (element_len >> (7 * (n - 1 - i))) as u8 & 0x7f;
        *byte = if i == 0 { group } else { group | 0x80 };
    }
}

/// Reads a little-endian integer of `N` bytes at `at`.
fn read_le<const N: usize>(buf: &[u8], at: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&buf[at..at + N]);
    out
}

/// Decodes the entry whose header is at `at`: the entry and its `header + data` length.
pub(crate) fn decode(buf: &[u8], at: usize) -> (Entry<'_>, usize) {
    let head = buf[at];
    let string = |skip: usize, len: usize| (Entry::Bytes(&buf[at + skip..at + skip + len]), skip + len);
    match head {
        0..=UINT7_MAX => (Entry::Int(i64::from(head)), 1),
        0x80..=0xbf => string(1, usize::from(head & 0x3f)),
        0xc0..=0xdf => {
            let raw = (u16::from(head & 0x1f) << 8) | u16::from(buf[at + 1]);
            // Sign-extend the 13-bit value.
            (Entry::Int(i64::from(((raw << 3) as i16) >> 3)), 2)
        }
        0xe0..=0xef => string(2, (usize::from(head & 0x0f) << 8) | usize::from(buf[at + 1])),
        STR32 => string(5, u32::from_le_bytes(read_le(buf, at + 1)) as usize),
        INT16 => (Entry::Int(i64::from(i16::from_le_bytes(read_le(buf, at + 1)))), 3),
        INT24 => {
            let [a, b, c] = read_le::<3>(buf, at + 1);
            (Entry::Int(i64::from(i32::from_le_bytes([0, a, b, c]) >> 8)), 4)
        }
        INT32 => (Entry::Int(i64::from(i32::from_le_bytes(read_le(buf, at + 1)))), 5),
        INT64 => (Entry::Int(i64::from_le_bytes(read_le(buf, at + 1))), 9),
        STR64 => string(9, u64::from_le_bytes(read_le(buf, at + 1)) as usize),
        // Never written by this module.
        0xf6..=0xff => (Entry::Bytes(&[]), 1),
    }
}

/// Length of the `header + data` part of the entry at `at`, without building the entry.
fn element_len(buf: &[u8], at: usize) -> usize {
    decode(buf, at).1
}

/// Reads the backlen that ends just before `end`: the previous entry's `header + data` length
/// and the backlen's own size.
fn read_backlen(buf: &[u8], end: usize) -> (usize, usize) {
    let mut len = 0;
    let mut i = end;
    loop {
        i -= 1;
        let byte = buf[i];
        len |= usize::from(byte & 0x7f) << (7 * (end - 1 - i));
        if byte & 0x80 == 0 {
            return (len, end - i);
        }
    }
}

/// A compact sequence of byte strings (see the module docs for the layout).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listpack {
    buf: Vec<u8>,
    len: usize,
}

impl Listpack {
    /// An empty listpack (no allocation until the first push).
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes one entry holding `value` would take (header, data, backlen).
    #[cfg(test)]
    pub fn entry_size(value: &[u8]) -> usize {
        Encoded::new(value).size()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes the entries take (the encoded size, without spare capacity).
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    /// Bytes of the heap buffer (its capacity; jemalloc rounds it to a size class it matches).
    pub fn heap_size(&self) -> usize {
        self.buf.capacity()
    }

    /// The encoded entries (what a quicklist node compresses).
    pub fn encoded(&self) -> &[u8] {
        &self.buf
    }

    /// A listpack of `len` entries over `buf`, which must be bytes [`Self::encoded`] returned for
    /// such a listpack (a compressed quicklist node checks its round trip before relying on it).
    pub(crate) fn from_encoded(buf: Vec<u8>, len: usize) -> Self {
        Listpack { buf, len }
    }

    /// Gives up the encoded entries (for a value that stores them in a tighter container).
    pub fn into_encoded(self) -> Vec<u8> {
        self.buf
    }

    /// Removes every entry, keeping the buffer.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.len = 0;
    }

    /// A read-only view of the entries.
    pub fn view(&self) -> ListpackRef<'_> {
        ListpackRef { buf: &self.buf }
    }

    /// Position of the first entry.
    pub fn first(&self) -> Option<Pos> {
        self.view().first()
    }

    /// Position of the last entry.
    pub fn last(&self) -> Option<Pos> {
        self.prev(self.end())
    }

    /// The position just past the last entry (where [`Self::insert`] appends).
    pub fn end(&self) -> Pos {
        self.view().end()
    }

    /// The boundary after the entry at `pos`: the next entry's position, or [`Self::end`].
    pub fn skip(&self, pos: Pos) -> Pos {
        self.view().skip(pos)
    }

    /// Position of the entry after `pos`.
    pub fn next(&self, pos: Pos) -> Option<Pos> {
        self.view().next(pos)
    }

    /// Position of the entry before `pos` (`pos` may be [`Self::end`]).
    pub fn prev(&self, pos: Pos) -> Option<Pos> {
        if pos.0 == 0 {
            return None;
        }
        let (element, backlen) = read_backlen(&self.buf, pos.0);
        Some(Pos(pos.0 - backlen - element))
    }

    /// The entry at `pos`.
    pub fn at(&self, pos: Pos) -> Entry<'_> {
        self.view().at(pos)
    }

    /// Position of the entry at `index`; negative indexes count from the end (-1 is the last).
    /// Walks from the nearer end.
    pub fn seek(&self, index: i64) -> Option<Pos> {
        let len = self.len as i64;
        let index = if index < 0 { index + len } else { index };
        if !(0..len).contains(&index) {
            return None;
        }
        if index < len / 2 {
            (0..index).try_fold(Pos(0), |p, _| self.next(p))
        } else {
            (index..len).try_fold(self.end(), |p, _| self.prev(p))
        }
    }

    /// The entry at `index` (negative from the end).
    pub fn get(&self, index: i64) -> Option<Entry<'_>> {
        self.seek(index).map(|p| self.at(p))
    }

    /// Position of the first entry equal to `value`.
    pub fn find(&self, value: &[u8]) -> Option<Pos> {
        self.first().and_then(|p| self.find_from(p, value, 0))
    }

    /// Position of the first entry from `start` on equal to `value`, comparing one entry then
    /// passing over `skip` entries (1 searches the fields of field/value pairs).
    pub fn find_from(&self, start: Pos, value: &[u8], skip: usize) -> Option<Pos> {
        let needle = Needle::new(value);
        let mut pos = start;
        while pos < self.end() {
            let (entry, element) = decode(&self.buf, pos.0);
            if needle.matches(entry) {
                return Some(pos);
            }
            pos = Pos(pos.0 + element + backlen_size(element));
            for _ in 0..skip {
                if pos >= self.end() {
                    return None;
                }
                pos = self.skip(pos);
            }
        }
        None
    }

    /// Entries front to back (reversible with `.rev()`).
    pub fn iter(&self) -> Iter<'_> {
        self.range(Pos(0), self.end())
    }

    /// Entries from `start` to the end.
    pub fn iter_from(&self, start: Pos) -> Iter<'_> {
        self.range(start, self.end())
    }

    /// Entries from `start` up to (not including) `end`; both are entry boundaries.
    pub fn range(&self, start: Pos, end: Pos) -> Iter<'_> {
        Iter { buf: &self.buf, front: start.0, back: end.0.max(start.0) }
    }

    /// Appends `value`.
    pub fn push_back(&mut self, value: &[u8]) {
        self.insert(self.end(), value);
    }

    /// Prepends `value`.
    pub fn push_front(&mut self, value: &[u8]) {
        self.insert(Pos(0), value);
    }

    /// Inserts `value` before the entry at `pos` (at the end when `pos` is [`Self::end`]);
    /// returns the new entry's position (`pos`).
    pub fn insert(&mut self, pos: Pos, value: &[u8]) -> Pos {
        let encoded = Encoded::new(value);
        let size = encoded.size();
        self.resize_span(pos.0, 0, size);
        encoded.write(&mut self.buf[pos.0..pos.0 + size]);
        self.len += 1;
        pos
    }

    /// Inserts `value` after the entry at `pos`; returns the new entry's position.
    pub fn insert_after(&mut self, pos: Pos, value: &[u8]) -> Pos {
        self.insert(self.skip(pos), value)
    }

    /// Replaces the entry at `pos` with `value`; its position stays `pos`.
    pub fn replace(&mut self, pos: Pos, value: &[u8]) {
        let encoded = Encoded::new(value);
        let size = encoded.size();
        self.resize_span(pos.0, self.entry_size_at(pos), size);
        encoded.write(&mut self.buf[pos.0..pos.0 + size]);
    }

    /// Removes the entry at `pos`; returns the position of the entry that followed it.
    pub fn remove(&mut self, pos: Pos) -> Option<Pos> {
        self.remove_range(pos, 1);
        Some(pos).filter(|&p| p < self.end())
    }

    /// Removes up to `count` entries starting at `pos`; returns how many were removed.
    pub fn remove_range(&mut self, pos: Pos, count: usize) -> usize {
        let mut end = pos;
        let mut removed = 0;
        while removed < count && end < self.end() {
            end = self.skip(end);
            removed += 1;
        }
        self.resize_span(pos.0, end.0 - pos.0, 0);
        self.len -= removed;
        self.shrink();
        removed
    }

    /// Moves the entries from `pos` on into a new listpack, leaving the ones before.
    pub fn split_off(&mut self, pos: Pos) -> Listpack {
        let tail = Listpack { len: self.iter_from(pos).count(), buf: self.buf[pos.0..].to_vec() };
        self.buf.truncate(pos.0);
        self.len -= tail.len;
        self.shrink();
        tail
    }

    /// Moves every entry of `other` to the end of this one.
    pub fn append(&mut self, other: &mut Listpack) {
        self.grow(other.buf.len());
        self.buf.append(&mut other.buf);
        self.len += other.len;
        other.clear();
    }

    /// Bytes of the whole entry at `pos`.
    fn entry_size_at(&self, pos: Pos) -> usize {
        self.skip(pos).0 - pos.0
    }

    /// Makes the `old` bytes at `at` take `new` bytes, moving what follows; the new bytes'
    /// contents are left for the caller to write.
    fn resize_span(&mut self, at: usize, old: usize, new: usize) {
        let tail = at + old;
        if new > old {
            let extra = new - old;
            self.grow(extra);
            let len = self.buf.len();
            self.buf.resize(len + extra, 0);
            self.buf.copy_within(tail..len, tail + extra);
        } else if new < old {
            let len = self.buf.len();
            self.buf.copy_within(tail..len, at + new);
            self.buf.truncate(len - (old - new));
        }
    }

    /// Reserves room for `extra` more bytes, growing to the next jemalloc size class rather
    /// than doubling: the allocation then holds little slack (at most a quarter) while growth
    /// stays geometric.
    fn grow(&mut self, extra: usize) {
        let needed = self.buf.len() + extra;
        if needed > self.buf.capacity() {
            let target = class_of(needed).max(needed);
            self.buf.reserve_exact(target - self.buf.len());
        }
    }

    /// Gives memory back once the entries use less than half of the buffer.
    fn shrink(&mut self) {
        let capacity = self.buf.capacity();
        if capacity > 64 && self.buf.len() < capacity / 2 {
            self.buf.shrink_to(class_of(self.buf.len()));
        }
    }
}

/// A read-only listpack over borrowed encoded entries: a [`Listpack`]'s, or ones kept packed
/// inside a larger buffer (a sealed stream node).
#[derive(Debug, Clone, Copy)]
pub struct ListpackRef<'a> {
    buf: &'a [u8],
}

impl<'a> ListpackRef<'a> {
    /// The entries of `encoded`, which must be bytes [`Listpack::encoded`] returned.
    pub fn over(encoded: &'a [u8]) -> Self {
        ListpackRef { buf: encoded }
    }

    /// The encoded entries.
    pub fn encoded(&self) -> &'a [u8] {
        self.buf
    }

    /// Number of entries (walks them all).
    pub fn count(&self) -> usize {
        self.iter().count()
    }

    /// Position of the first entry.
    pub fn first(&self) -> Option<Pos> {
        (!self.buf.is_empty()).then_some(Pos(0))
    }

    /// The position just past the last entry.
    pub fn end(&self) -> Pos {
        Pos(self.buf.len())
    }

    /// The boundary after the entry at `pos`: the next entry's position, or [`Self::end`].
    pub fn skip(&self, pos: Pos) -> Pos {
        let element = element_len(self.buf, pos.0);
        Pos(pos.0 + element + backlen_size(element))
    }

    /// Position of the entry after `pos`.
    pub fn next(&self, pos: Pos) -> Option<Pos> {
        Some(self.skip(pos)).filter(|&p| p < self.end())
    }

    /// The entry at `pos`.
    pub fn at(&self, pos: Pos) -> Entry<'a> {
        decode(self.buf, pos.0).0
    }

    /// Entries front to back (reversible with `.rev()`).
    pub fn iter(&self) -> Iter<'a> {
        Iter { buf: self.buf, front: 0, back: self.buf.len() }
    }
}

/// Replaces the entry at `pos` of the encoded entries `buf` with `value` if its encoding takes
/// exactly the bytes the old entry took (nothing moves); returns whether it did.
pub fn replace_in_place(buf: &mut [u8], pos: Pos, value: &[u8]) -> bool {
    let encoded = Encoded::new(value);
    let size = encoded.size();
    if ListpackRef::over(buf).skip(pos).0 - pos.0 != size {
        return false;
    }
    encoded.write(&mut buf[pos.0..pos.0 + size]);
    true
}

/// The jemalloc size class of a `bytes`-byte allocation.
fn class_of(bytes: usize) -> usize {
    Layout::from_size_align(bytes, 1).map_or(bytes, size_class)
}

impl<T: AsRef<[u8]>> Extend<T> for Listpack {
    fn extend<I: IntoIterator<Item = T>>(&mut self, values: I) {
        for value in values {
            self.push_back(value.as_ref());
        }
    }
}

impl<T: AsRef<[u8]>> FromIterator<T> for Listpack {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        let mut listpack = Listpack::new();
        listpack.extend(values);
        listpack
    }
}

/// Iterator over a range of a [`Listpack`]'s entries, from either end.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    buf: &'a [u8],
    /// Position of the next entry from the front.
    front: usize,
    /// Boundary just after the next entry from the back.
    back: usize,
}

impl<'a> Iter<'a> {
    /// Position of the entry the next call to `next` returns.
    pub fn front_pos(&self) -> Pos {
        Pos(self.front)
    }
}

impl<'a> Iterator for Iter<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        if self.front >= self.back {
            return None;
        }
        let (entry, element) = decode(self.buf, self.front);
        self.front += element + backlen_size(element);
        Some(entry)
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        let (element, backlen) = read_backlen(self.buf, self.back);
        self.back -= element + backlen;
        Some(decode(self.buf, self.back).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lp: &Listpack) -> Vec<Vec<u8>> {
        lp.iter().map(|e| e.to_vec()).collect()
    }

    fn reversed(lp: &Listpack) -> Vec<Vec<u8>> {
        let mut v: Vec<_> = lp.iter().rev().map(|e| e.to_vec()).collect();
        v.reverse();
        v
    }

    /// Values around every encoding boundary.
    fn samples() -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = Vec::new();
        for n in [
            0i64,
            1,
            127,
            128,
            -1,
            -4096,
            -4097,
            4095,
            4096,
            i16::MIN as i64,
            i16::MAX as i64,
            32768,
            (1 << 23) - 1,
            1 << 23,
            -(1 << 23),
            -(1 << 23) - 1,
            i32::MIN as i64,
            i32::MAX as i64,
            i32::MAX as i64 + 1,
            i64::MIN,
            i64::MAX,
        ] {
            out.push(n.to_string().into_bytes());
        }
        for s in [&b""[..], b"a", b"-0", b"007", b"+1", b"1.5", b"9223372036854775808", b" 1"] {
            out.push(s.to_vec());
        }
        for len in [63, 64, 127, 128, 4095, 4096, 16383, 16384, 70000] {
            out.push((0..len).map(|i| (i % 251) as u8).collect());
        }
        out
    }

    #[test]
    fn round_trips_every_encoding_both_ways() {
        let values = samples();
        let lp: Listpack = values.iter().collect();
        assert_eq!(lp.len(), values.len());
        assert_eq!(strings(&lp), values);
        assert_eq!(reversed(&lp), values);
        for (i, v) in values.iter().enumerate() {
            assert_eq!(lp.get(i as i64).unwrap().to_vec(), *v);
            assert_eq!(lp.get(i as i64 - values.len() as i64).unwrap().to_vec(), *v);
            assert!(lp.get(i as i64).unwrap().eq_bytes(v));
        }
        assert_eq!(lp.get(values.len() as i64), None);
        assert_eq!(lp.get(-(values.len() as i64) - 1), None);
    }

    #[test]
    fn integers_are_stored_as_integers() {
        let lp: Listpack = [&b"5"[..], b"-5", b"05"].into_iter().collect();
        assert_eq!(lp.get(0), Some(Entry::Int(5)));
        assert_eq!(lp.get(1), Some(Entry::Int(-5)));
        assert_eq!(lp.get(2), Some(Entry::Bytes(b"05")));
    }

    #[test]
    fn backlen_sizes_match_redis_at_every_threshold() {
        for (len, size) in
            [(127, 1), (128, 2), (16382, 2), (16383, 3), (2_097_150, 3), (2_097_151, 4), (268_435_455, 5)]
        {
            assert_eq!(backlen_size(len), size, "{len}");
        }
        // A string whose header and data are exactly 16383 bytes: 5-byte header, 16378 bytes.
        let value = vec![b'x'; 16378];
        let lp: Listpack = [&value[..], b"after"].into_iter().collect();
        assert_eq!(Listpack::entry_size(&value), 16383 + 3);
        assert_eq!(&lp.encoded()[16383..16386], &[0x00, 0xff, 0xff]);
        assert_eq!(reversed(&lp), [value.clone(), b"after".to_vec()]);
    }

    #[test]
    fn overhead_matches_redis() {
        assert_eq!(Listpack::entry_size(b"7"), 1 + 1);
        assert_eq!(Listpack::entry_size(b"1000"), 2 + 1);
        assert_eq!(Listpack::entry_size(&[b'x'; 16]), 1 + 16 + 1);
        assert_eq!(Listpack::entry_size(&[b'x'; 63]), 1 + 63 + 1);
        assert_eq!(Listpack::entry_size(&[b'x'; 100]), 2 + 100 + 1);
        assert_eq!(Listpack::entry_size(&[b'x'; 200]), 2 + 200 + 2);
        let mut lp = Listpack::new();
        lp.push_back(&[b'x'; 16]);
        assert_eq!(lp.bytes(), 18);
    }

    #[test]
    fn inserts_replaces_and_removes_keep_order() {
        let mut lp: Listpack = ["b", "d"].into_iter().collect();
        lp.push_front(b"a");
        lp.push_back(b"e");
        let d = lp.find(b"d").unwrap();
        lp.insert(d, b"c");
        assert_eq!(strings(&lp), [b"a", b"b", b"c", b"d", b"e"]);
        let e = lp.find(b"e").unwrap();
        let f = lp.insert_after(e, b"12345");
        assert_eq!(lp.at(f), Entry::Int(12345));
        let b = lp.find(b"b").unwrap();
        lp.replace(b, &[b'B'; 300]);
        lp.replace(b, b"-3");
        assert_eq!(lp.at(b), Entry::Int(-3));
        assert_eq!(strings(&lp), reversed(&lp));
        let next = lp.remove(b).unwrap();
        assert_eq!(lp.at(next).to_vec(), b"c");
        assert_eq!(lp.remove_range(next, 2), 2);
        assert_eq!(strings(&lp), [&b"a"[..], b"e", b"12345"]);
        assert_eq!(lp.remove(lp.last().unwrap()), None);
        assert_eq!(lp.remove_range(Pos(0), 10), 2);
        assert!(lp.is_empty() && lp.bytes() == 0 && lp.first().is_none() && lp.last().is_none());
    }

    #[test]
    fn find_from_skips_values() {
        let lp: Listpack = ["f1", "v1", "v1", "f2", "f2", "v2"].into_iter().collect();
        let first = lp.first().unwrap();
        let hit = lp.find_from(first, b"v1", 1).unwrap();
        assert_eq!(hit, lp.seek(2).unwrap());
        assert_eq!(lp.find_from(first, b"v2", 1), None);
        assert_eq!(lp.find(b"v2"), lp.seek(5));
        assert_eq!(lp.find(b"zz"), None);
        let nums: Listpack = ["1", "10", "100"].into_iter().collect();
        assert_eq!(nums.find(b"10"), nums.seek(1));
        assert_eq!(nums.find(b"010"), None);
    }

    #[test]
    fn positions_step_both_ways() {
        let values = samples();
        let lp: Listpack = values.iter().collect();
        let mut pos = lp.first();
        let mut forward = Vec::new();
        while let Some(p) = pos {
            forward.push(p);
            pos = lp.next(p);
        }
        let mut back = Vec::new();
        let mut pos = lp.last();
        while let Some(p) = pos {
            back.push(p);
            pos = lp.prev(p);
        }
        back.reverse();
        assert_eq!(forward, back);
        assert_eq!(forward.len(), values.len());
        let mid = forward[5];
        assert_eq!(lp.iter_from(mid).count(), values.len() - 5);
        assert_eq!(
            lp.range(forward[2], mid).rev().map(|e| e.to_vec()).collect::<Vec<_>>(),
            [values[4].clone(), values[3].clone(), values[2].clone()]
        );
    }

    #[test]
    fn split_and_append() {
        let values = samples();
        let mut lp: Listpack = values.iter().collect();
        let mut tail = lp.split_off(lp.seek(10).unwrap());
        assert_eq!((lp.len(), tail.len()), (10, values.len() - 10));
        assert_eq!(strings(&lp), values[..10]);
        assert_eq!(reversed(&tail), values[10..]);
        lp.append(&mut tail);
        assert!(tail.is_empty());
        assert_eq!(strings(&lp), values);
    }

    #[test]
    fn random_operations_match_a_vec() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut lp = Listpack::new();
        let mut model: Vec<Vec<u8>> = Vec::new();
        let pool = samples();
        for _ in 0..3000 {
            let value = pool[rng.usize(..pool.len())].clone();
            let index = rng.usize(..=model.len());
            match rng.u8(..4) {
                0 | 1 => {
                    let pos = lp.seek(index as i64).unwrap_or(lp.end());
                    lp.insert(pos, &value);
                    model.insert(index, value);
                }
                2 if index < model.len() => {
                    lp.replace(lp.seek(index as i64).unwrap(), &value);
                    model[index] = value;
                }
                _ if index < model.len() => {
                    let count = rng.usize(1..4);
                    let removed = lp.remove_range(lp.seek(index as i64).unwrap(), count);
                    let end = (index + count).min(model.len());
                    assert_eq!(removed, end - index);
                    model.drain(index..end);
                }
                _ => {}
            }
            assert_eq!(lp.len(), model.len());
        }
        assert_eq!(strings(&lp), model);
        assert_eq!(reversed(&lp), model);
        assert!(lp.heap_size() < 2 * lp.bytes() + 64);
    }
}
