//! Listpack entries without their backlens, for values that only ever walk forwards.
//!
//! A [`super::listpack`] entry ends with a backlen (1 byte for entries under 128 bytes) so that
//! a list can be walked from its tail. A small hash is only ever searched and iterated from the
//! front, so it keeps its entries as `header [data]` alone: a 10-field hash with short fields
//! and values saves 20 bytes, which moves its buffer down one allocator size class. The headers
//! are the listpack's, so integers stay packed and RDB saving puts the backlens back with
//! [`with_backlens`] rather than re-encoding each entry.

use std::ops::Range;

use super::listpack::{Encoded, Entry, backlen_size, decode, write_backlen};

/// Bytes the entry holding `value` takes (its header and data).
pub fn entry_size(value: &[u8]) -> usize {
    Encoded::new(value).element_len()
}

/// Appends the entry holding `value` to `out`.
pub fn push(out: &mut Vec<u8>, value: &[u8]) {
    Encoded::new(value).push_without_backlen(out);
}

/// The entries of `bytes` (written by [`push`]) in order, each with the byte range it occupies.
pub fn entries(bytes: &[u8]) -> impl Iterator<Item = (Entry<'_>, Range<usize>)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let (entry, len) = decode(bytes, at);
        let range = at..at + len;
        at = range.end;
        Some((entry, range))
    })
}

/// The same entries as listpack entries (each followed by its backlen), for RDB and DUMP.
pub fn with_backlens(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4 + 8);
    for (_, range) in entries(bytes) {
        let len = range.len();
        out.extend_from_slice(&bytes[range]);
        let end = out.len();
        out.resize(end + backlen_size(len), 0);
        write_backlen(len, &mut out[end..]);
    }
    out
}

/// The entries of the listpack encoding `encoded` (as [`super::listpack::Listpack::encoded`]
/// returns it) without their backlens.
pub fn from_listpack(encoded: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(encoded.len());
    let mut at = 0;
    while at < encoded.len() {
        let len = decode(encoded, at).1;
        out.extend_from_slice(&encoded[at..at + len]);
        at += len + backlen_size(len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::listpack::Listpack;

    /// Values around every header boundary, integers and strings.
    fn samples() -> Vec<Vec<u8>> {
        let mut values: Vec<Vec<u8>> = ["0", "127", "128", "-1", "4095", "-4096", "4096", "32767", "-32769", "8388608"]
            .iter()
            .chain(&["2147483648", "-9223372036854775808", "007", "", "x", "1.5"])
            .map(|s| s.as_bytes().to_vec())
            .collect();
        values.extend([63, 64, 127, 128, 4095, 4096, 16383, 70000].map(|n| vec![b'y'; n]));
        values
    }

    #[test]
    fn entries_read_back_what_was_pushed() {
        let mut bytes = Vec::new();
        for value in samples() {
            push(&mut bytes, &value);
        }
        let read: Vec<Vec<u8>> = entries(&bytes).map(|(entry, _)| entry.to_vec()).collect();
        assert_eq!(read, samples());
        let sizes: usize = samples().iter().map(|v| entry_size(v)).sum();
        assert_eq!(sizes, bytes.len());
    }

    #[test]
    fn backlens_round_trip_with_the_listpack_encoding() {
        let list: Listpack = samples().iter().collect();
        let mut bytes = Vec::new();
        samples().iter().for_each(|v| push(&mut bytes, v));
        assert_eq!(with_backlens(&bytes), list.encoded());
        assert_eq!(from_listpack(list.encoded()), bytes);
    }

    #[test]
    fn short_entries_save_their_backlen_byte() {
        assert_eq!(entry_size(b"v:000001"), 1 + 8);
        assert_eq!(entry_size(b"7"), 1);
        assert_eq!(Listpack::entry_size(b"v:000001"), entry_size(b"v:000001") + 1);
    }
}
