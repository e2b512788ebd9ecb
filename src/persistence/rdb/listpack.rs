//! Redis's listpack as RDB stores it: a 6-byte header (total bytes, entry count), the entries,
//! and a 0xFF terminator. [`entries`] validates one as Redis's deep sanitization does (header,
//! terminator, every entry's encoding, extent and backlen, the count); [`framed`] wraps rkv's
//! own entry bytes, which are Redis's entry encoding byte for byte, in the header and end.

use super::error::Invalid;
use crate::types::listpack::{Entry, backlen_size};

/// Bytes of the header: total bytes (u32 LE) and entry count (u16 LE).
const HEADER: usize = 6;
/// The terminator.
const EOF: u8 = 0xff;
/// The header's count when there are 65535 entries or more.
const COUNT_UNKNOWN: u16 = u16::MAX;

/// `entries` (rkv's listpack encoding of `count` entries) framed as a Redis listpack.
pub fn framed(entries: &[u8], count: usize) -> Vec<u8> {
    let total = HEADER + entries.len() + 1;
    let mut out = Vec::with_capacity(total);
    // A listpack this large cannot exist in Redis; the caller never frames one (see `fits`).
    out.extend_from_slice(&u32::try_from(total).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(&u16::try_from(count).unwrap_or(COUNT_UNKNOWN).to_le_bytes());
    out.extend_from_slice(entries);
    out.push(EOF);
    out
}

/// Whether entries of `bytes` bytes fit a Redis listpack (its size is a 32-bit field).
pub fn fits(bytes: usize) -> bool {
    (HEADER + bytes + 1) as u64 <= u64::from(u32::MAX)
}

/// The entries of the listpack `lp`, validated (see the module docs).
pub fn entries(lp: &[u8]) -> Result<Vec<Entry<'_>>, Invalid> {
    if lp.len() < HEADER + 1 {
        return Err(Invalid::new(0, "a listpack header and terminator"));
    }
    let total = u32::from_le_bytes([lp[0], lp[1], lp[2], lp[3]]) as usize;
    if total != lp.len() {
        return Err(Invalid::new(0, "a listpack whose header states its size"));
    }
    let last = lp.len() - 1;
    if lp[last] != EOF {
        return Err(Invalid::new(last, "the listpack terminator 0xff"));
    }
    let stated = u16::from_le_bytes([lp[4], lp[5]]);
    let mut out = Vec::new();
    let mut at = HEADER;
    while lp[at] != EOF {
        let (entry, element) = decode(lp, at, last)?;
        let size = element + backlen_size(element);
        let next = at
            .checked_add(size)
            .filter(|&n| n <= last)
            .ok_or(Invalid::new(at, "a listpack entry inside the listpack"))?;
        if decode_backlen(lp, next) != Some(element) {
            return Err(Invalid::new(next - 1, "a listpack backlen matching its entry"));
        }
        out.push(entry);
        at = next;
    }
    if at != last {
        return Err(Invalid::new(at, "the listpack's end at its terminator"));
    }
    if stated != COUNT_UNKNOWN && usize::from(stated) != out.len() {
        return Err(Invalid::new(4, "a listpack entry count matching its entries"));
    }
    Ok(out)
}

/// The entry whose header is at `at` (before `end`): the entry and its `header + data` length.
fn decode(lp: &[u8], at: usize, end: usize) -> Result<(Entry<'_>, usize), Invalid> {
    let bad = || Invalid::new(at, "a listpack entry inside the listpack");
    let byte = |i: usize| lp.get(at + i).copied().filter(|_| at + i < end).ok_or_else(bad);
    let fixed = |n: usize| -> Result<[u8; 8], Invalid> {
        let bytes = lp.get(at + 1..at + 1 + n).filter(|_| at + n < end).ok_or_else(bad)?;
        let mut le = [0u8; 8];
        le[..n].copy_from_slice(bytes);
        Ok(le)
    };
    let string = |skip: usize, len: usize| -> Result<(Entry<'_>, usize), Invalid> {
        let start = at + skip;
        let data = start.checked_add(len).and_then(|stop| lp.get(start..stop)).ok_or_else(bad)?;
        Ok((Entry::Bytes(data), skip + len))
    };
    // Sign-extends the low `bits` bits of `raw`.
    let signed = |raw: u64, bits: u32| ((raw << (64 - bits)) as i64) >> (64 - bits);
    let head = byte(0)?;
    match head {
        0x00..=0x7f => Ok((Entry::Int(i64::from(head)), 1)),
        0x80..=0xbf => string(1, usize::from(head & 0x3f)),
        0xc0..=0xdf => Ok((Entry::Int(signed(u64::from(head & 0x1f) << 8 | u64::from(byte(1)?), 13)), 2)),
        0xe0..=0xef => string(2, usize::from(head & 0x0f) << 8 | usize::from(byte(1)?)),
        0xf0 => string(5, usize::try_from(u64::from_le_bytes(fixed(4)?)).map_err(|_| bad())?),
        0xf1 => Ok((Entry::Int(signed(u64::from_le_bytes(fixed(2)?), 16)), 3)),
        0xf2 => Ok((Entry::Int(signed(u64::from_le_bytes(fixed(3)?), 24)), 4)),
        0xf3 => Ok((Entry::Int(signed(u64::from_le_bytes(fixed(4)?), 32)), 5)),
        0xf4 => Ok((Entry::Int(i64::from_le_bytes(fixed(8)?)), 9)),
        _ => Err(Invalid::new(at, "a listpack entry encoding")),
    }
}

/// The backlen ending just before `next`, read backwards as Redis reads it (`lpDecodeBacklen`).
fn decode_backlen(lp: &[u8], next: usize) -> Option<usize> {
    let mut value = 0usize;
    for (i, at) in (0..next).rev().take(5).enumerate() {
        let byte = lp[at];
        value |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{assert_refused, patched};
    use super::*;
    use crate::types::listpack::Listpack;

    fn redis_listpack(values: &[&[u8]]) -> Vec<u8> {
        let lp: Listpack = values.iter().collect();
        framed(lp.encoded(), lp.len())
    }

    #[test]
    fn framing_matches_redis_bytes() {
        // What Redis 7.0 DUMPs for RPUSH l a 1 -1 (the node's listpack): header, "a", 1, -1, end.
        let lp = redis_listpack(&[b"a", b"1", b"-1"]);
        assert_eq!(lp, [15, 0, 0, 0, 3, 0, 0x81, b'a', 2, 1, 1, 0xdf, 0xff, 2, 0xff]);
        let back: Vec<Vec<u8>> = entries(&lp).unwrap().iter().map(Entry::to_vec).collect();
        assert_eq!(back, [b"a".to_vec(), b"1".to_vec(), b"-1".to_vec()]);
    }

    #[test]
    fn every_encoding_round_trips() {
        let values: Vec<Vec<u8>> = [0i64, 127, 128, -4096, 4095, -32768, 32767, 1 << 23, -(1 << 23), 1 << 31, i64::MIN]
            .iter()
            .map(|n| n.to_string().into_bytes())
            .chain([63usize, 64, 4095, 4096, 16378, 70_000].iter().map(|&n| vec![b'q'; n]))
            .collect();
        let refs: Vec<&[u8]> = values.iter().map(Vec::as_slice).collect();
        let lp = redis_listpack(&refs);
        let back: Vec<Vec<u8>> = entries(&lp).unwrap().iter().map(Entry::to_vec).collect();
        assert_eq!(back, values);
    }

    #[test]
    fn refuses_corruption() {
        let good = redis_listpack(&[b"abc", b"12"]);
        let last = good.len() - 1;
        assert_refused(
            |bytes| entries(bytes).err(),
            &[
                (good[..5].to_vec(), "header"),
                (patched(&good, 0, good[0] - 1), "states its size"),
                (patched(&good, last, 0), "terminator"),
                (patched(&good, 4, 3), "count"),
                (patched(&good, 10, 9), "backlen"),
                (patched(&good, 6, 0x80 | 40), "inside"),
                (patched(&good, 6, 0xf6), "encoding"),
            ],
        );
        // 65535 means "count unknown": any number of entries is fine.
        let unknown = patched(&patched(&good, 4, 0xff), 5, 0xff);
        assert_eq!(entries(&unknown).unwrap().len(), 2);
    }
}
