//! Redis's ziplist (the small encoding of lists, hashes and sorted sets up to Redis 6.2), read
//! and validated as Redis's deep sanitization does: header size and tail offset, the
//! terminator, every entry's encodings and extent, each entry's record of the previous one's
//! size, the tail entry and the count.
//!
//! Layout: `zlbytes` (u32 LE), `zltail` (u32 LE, offset of the last entry), `zllen` (u16 LE,
//! 65535 when unknown), entries, 0xFF. An entry is `prevlen` (1 byte below 254, else 0xFE and a
//! u32 LE), an encoding, and data: strings of 6, 14 (big-endian) or 32-bit (big-endian) length,
//! or integers of 8, 16, 24, 32 or 64 bits (little-endian), or 0..=12 inside the encoding byte.

use super::error::Invalid;
use crate::types::listpack::Entry;

/// Bytes of the header.
const HEADER: usize = 10;
/// The terminator.
const END: u8 = 0xff;
/// A `prevlen` byte announcing a 4-byte length.
const BIG_PREVLEN: u8 = 0xfe;

/// The entries of the ziplist `zl`, validated (see the module docs).
pub fn entries(zl: &[u8]) -> Result<Vec<Entry<'_>>, Invalid> {
    if zl.len() < HEADER + 1 {
        return Err(Invalid::new(0, "a ziplist header and terminator"));
    }
    let word = |at: usize| u32::from_le_bytes([zl[at], zl[at + 1], zl[at + 2], zl[at + 3]]) as usize;
    if word(0) != zl.len() {
        return Err(Invalid::new(0, "a ziplist whose header states its size"));
    }
    let last = zl.len() - 1;
    if zl[last] != END {
        return Err(Invalid::new(last, "the ziplist terminator 0xff"));
    }
    let tail = word(4);
    if tail > last {
        return Err(Invalid::new(4, "a ziplist tail offset inside the ziplist"));
    }
    let stated = u16::from_le_bytes([zl[8], zl[9]]);
    let mut out = Vec::new();
    let mut at = HEADER;
    let mut prev: Option<(usize, usize)> = None;
    while zl[at] != END {
        let (entry, prevlen, size) = decode(zl, at, last)?;
        if prevlen != prev.map_or(0, |(_, size)| size) {
            return Err(Invalid::new(at, "a ziplist entry recording the previous entry's size"));
        }
        out.push(entry);
        prev = Some((at, size));
        at += size;
    }
    if at != last {
        return Err(Invalid::new(at, "the ziplist's end at its terminator"));
    }
    if prev.is_some_and(|(start, _)| start != tail) {
        return Err(Invalid::new(4, "a ziplist tail offset pointing at the last entry"));
    }
    if stated != u16::MAX && usize::from(stated) != out.len() {
        return Err(Invalid::new(8, "a ziplist entry count matching its entries"));
    }
    Ok(out)
}

/// The entry at `at` (before the terminator at `end`): the entry, its `prevlen` and its size.
fn decode(zl: &[u8], at: usize, end: usize) -> Result<(Entry<'_>, usize, usize), Invalid> {
    let bad = || Invalid::new(at, "a ziplist entry inside the ziplist");
    // Bytes `from..from + n` of the entry, all before the terminator.
    let take = |from: usize, n: usize| -> Result<&[u8], Invalid> {
        let start = at.checked_add(from).ok_or_else(bad)?;
        start.checked_add(n).filter(|&stop| stop <= end).map(|stop| &zl[start..stop]).ok_or_else(bad)
    };
    let (prevlen, prevlen_size) = match take(0, 1)?[0] {
        BIG_PREVLEN => {
            let b = take(1, 4)?;
            (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize, 5)
        }
        small => (usize::from(small), 1),
    };
    if prevlen > at - HEADER {
        return Err(Invalid::new(at, "a ziplist previous-entry size inside the ziplist"));
    }
    let encoding = take(prevlen_size, 1)?[0];
    let int = |width: usize| -> Result<(i64, usize), Invalid> {
        let b = take(prevlen_size + 1, width)?;
        let mut le = [0u8; 8];
        le[..width].copy_from_slice(b);
        let shift = 64 - 8 * width as u32;
        Ok(((i64::from_le_bytes(le) << shift) >> shift, 1 + width))
    };
    let (entry, body) = match encoding {
        0x00..=0x3f => string(take, prevlen_size, 1, usize::from(encoding & 0x3f))?,
        0x40..=0x7f => {
            let low = take(prevlen_size + 1, 1)?[0];
            string(take, prevlen_size, 2, usize::from(encoding & 0x3f) << 8 | usize::from(low))?
        }
        0x80..=0xbf if encoding == 0x80 => {
            let b = take(prevlen_size + 1, 4)?;
            string(take, prevlen_size, 5, u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)?
        }
        0xc0 => as_entry(int(2)?),
        0xd0 => as_entry(int(4)?),
        0xe0 => as_entry(int(8)?),
        0xf0 => as_entry(int(3)?),
        0xfe => as_entry(int(1)?),
        0xf1..=0xfd => (Entry::Int(i64::from(encoding & 0x0f) - 1), 1),
        _ => return Err(Invalid::new(at + prevlen_size, "a ziplist entry encoding")),
    };
    Ok((entry, prevlen, prevlen_size + body))
}

/// An integer entry and the bytes of its encoding and data.
fn as_entry((n, size): (i64, usize)) -> (Entry<'static>, usize) {
    (Entry::Int(n), size)
}

/// A string entry of `len` bytes after an encoding of `header` bytes: the entry and the bytes
/// of its encoding and data.
fn string<'a>(
    take: impl Fn(usize, usize) -> Result<&'a [u8], Invalid>,
    prevlen_size: usize,
    header: usize,
    len: usize,
) -> Result<(Entry<'a>, usize), Invalid> {
    let data = take(prevlen_size + header, len)?;
    Ok((Entry::Bytes(data), header + len))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{assert_refused, patched, ziplist};
    use super::*;

    fn values(zl: &[u8]) -> Vec<Vec<u8>> {
        entries(zl).unwrap().iter().map(Entry::to_vec).collect()
    }

    #[test]
    fn every_encoding_decodes() {
        let ints: Vec<String> =
            [0i64, 12, 13, -1, 127, -128, 128, 32767, -32768, 32768, 1 << 23, -(1 << 23), 1 << 31, i64::MIN, i64::MAX]
                .iter()
                .map(i64::to_string)
                .collect();
        let mut all: Vec<Vec<u8>> = ints.iter().map(|s| s.as_bytes().to_vec()).collect();
        all.extend([vec![], b"abc".to_vec(), vec![b'x'; 63], vec![b'y'; 64], vec![b'z'; 16383], vec![b'w'; 16384]]);
        // An entry after a long one records its size in 5 bytes.
        all.push(b"after".to_vec());
        let refs: Vec<&[u8]> = all.iter().map(Vec::as_slice).collect();
        assert_eq!(values(&ziplist(&refs)), all);
        assert_eq!(values(&ziplist(&[])), Vec::<Vec<u8>>::new());
    }

    #[test]
    fn hand_written_bytes() {
        // "a", 5 (immediate), -2 (int8), as Redis 6 writes them.
        let zl = [19, 0, 0, 0, 15, 0, 0, 0, 3, 0, 0x00, 0x01, b'a', 0x03, 0xf6, 0x02, 0xfe, 0xfe, 0xff];
        assert_eq!(values(&zl), [b"a".to_vec(), b"5".to_vec(), b"-2".to_vec()]);
    }

    #[test]
    fn refuses_corruption() {
        // Entries: [0, 3, "abc"] at 10, [5, 0xf8] (7) at 15, [2, 5, "hello"] at 17; the end at 24.
        let good = ziplist(&[b"abc", b"7", b"hello"]);
        assert_refused(
            |bytes| entries(bytes).err(),
            &[
                (good[..8].to_vec(), "header"),
                (patched(&good, 0, good[0] + 1), "states its size"),
                (patched(&good, 24, 1), "terminator"),
                (patched(&good, 4, 10), "last entry"),
                (patched(&good, 4, 200), "tail offset inside"),
                (patched(&good, 8, 2), "count"),
                (patched(&good, 15, 4), "previous entry's size"),
                (patched(&good, 16, 0xc5), "encoding"),
                (patched(&good, 11, 60), "inside"),
            ],
        );
    }
}
