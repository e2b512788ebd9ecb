//! LZF, the codec of Redis's compressed list nodes and RDB strings (liblzf's stream format).
//!
//! A stream is a sequence of tokens, each opening with a control byte:
//! - `000LLLLL`: a literal run of `L + 1` bytes (1..=32), copied from the stream;
//! - `LLLOOOOO OOOOOOOO`: a back-reference copying `L + 2` bytes (3..=8) from `O + 1` bytes
//!   back in the output (`O` is 13 bits: up to 8192 back);
//! - `111OOOOO EEEEEEEE OOOOOOOO`: the same with `7 + E + 2` bytes (9..=264).
//!
//! The stream carries no length: the caller stores the decompressed size beside it (as Redis
//! does), and [`decompress`] insists on exactly that many bytes. The decoder takes its input as
//! untrusted (RDB files, DUMP payloads): every token is checked against both buffers, nothing
//! panics, and it allocates no more than the stated size, and only when the input is long enough
//! to possibly produce it.
//!
//! The compressor is the usual greedy LZ77 over a hash table of 3-byte prefixes. The table
//! lives per thread and is never cleared between calls: each call numbers its positions above
//! the previous call's, so older entries read as empty without a 64 KiB memset per call.

use std::cell::RefCell;
use std::fmt;

/// Longest literal run one token carries.
const MAX_LITERAL: usize = 32;
/// Farthest a back-reference reaches.
const MAX_DISTANCE: usize = 1 << 13;
/// Shortest match worth a back-reference (a 2-byte token for 3 bytes).
const MIN_MATCH: usize = 3;
/// Longest match one back-reference copies (2 + 7 + 255).
const MAX_MATCH: usize = 264;
/// Match lengths (minus 2) below this fit in the control byte; longer ones take a byte more.
const EXTENDED: usize = 7;
/// Most output bytes one input byte can stand for: a 3-byte token copying [`MAX_MATCH`].
const MAX_EXPANSION: usize = MAX_MATCH / 3;
/// log2 of the number of hash table slots.
const HASH_BITS: u32 = 14;
/// Hash table slots.
const SLOTS: usize = 1 << HASH_BITS;

/// Why a stream failed to decompress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LzfError {
    /// The stream ends inside a token.
    Truncated,
    /// A back-reference reaches before the start of the output.
    BadReference,
    /// The stream decodes to more bytes than the stated size.
    Overrun,
    /// The stream decodes to fewer bytes than the stated size.
    ShortOutput,
}

impl fmt::Display for LzfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LzfError::Truncated => "LZF stream truncated",
            LzfError::BadReference => "LZF back-reference before the start of the output",
            LzfError::Overrun => "LZF stream longer than its stated size",
            LzfError::ShortOutput => "LZF stream shorter than its stated size",
        })
    }
}

impl std::error::Error for LzfError {}

/// Decompresses `input`, which must decode to exactly `out_len` bytes.
pub fn decompress(input: &[u8], out_len: usize) -> Result<Vec<u8>, LzfError> {
    // Refuse sizes the input cannot reach before allocating for them.
    if out_len > input.len().saturating_mul(MAX_EXPANSION) {
        return Err(LzfError::ShortOutput);
    }
    let mut out = Vec::with_capacity(out_len);
    let mut rest = input;
    while let Some((&ctrl, tail)) = rest.split_first() {
        rest = tail;
        let ctrl = usize::from(ctrl);
        if ctrl < MAX_LITERAL {
            let run = ctrl + 1;
            let (literal, tail) = rest.split_at_checked(run).ok_or(LzfError::Truncated)?;
            if run > out_len - out.len() {
                return Err(LzfError::Overrun);
            }
            out.extend_from_slice(literal);
            rest = tail;
        } else {
            let mut len = ctrl >> 5;
            if len == EXTENDED {
                let (&extra, tail) = rest.split_first().ok_or(LzfError::Truncated)?;
                len += usize::from(extra);
                rest = tail;
            }
            let (&low, tail) = rest.split_first().ok_or(LzfError::Truncated)?;
            rest = tail;
            let distance = ((ctrl & 0x1f) << 8 | usize::from(low)) + 1;
            copy_back(&mut out, distance, len + 2, out_len)?;
        }
    }
    if out.len() == out_len { Ok(out) } else { Err(LzfError::ShortOutput) }
}

/// Appends `len` bytes starting `distance` back from the end of `out`, which may overlap the
/// bytes being appended (a run repeats its period), keeping `out` within `limit`.
fn copy_back(out: &mut Vec<u8>, distance: usize, len: usize, limit: usize) -> Result<(), LzfError> {
    let start = out.len().checked_sub(distance).ok_or(LzfError::BadReference)?;
    if len > limit - out.len() {
        return Err(LzfError::Overrun);
    }
    // Each pass copies whole bytes already written; an overlapping copy doubles its source.
    let mut left = len;
    while left > 0 {
        let chunk = left.min(out.len() - start);
        out.extend_from_within(start..start + chunk);
        left -= chunk;
    }
    Ok(())
}

/// `input` LZF-compressed, or `None` when that would not be smaller (always so for inputs under
/// 4 bytes, and for inputs of 4 GiB or more, whose positions the hash table cannot hold).
pub fn compress(input: &[u8]) -> Option<Vec<u8>> {
    let positions = u32::try_from(input.len()).ok().filter(|&n| n < u32::MAX)?;
    let out = TABLE.with_borrow_mut(|table| {
        let base = table.reserve(positions);
        compress_with(input, &mut table.slots, base)
    });
    (out.len() < input.len()).then_some(out)
}

thread_local! {
    /// This thread's compressor hash table.
    static TABLE: RefCell<HashTable> = RefCell::new(HashTable::new());
}

/// The compressor's table: for each hash of 3 bytes, the last position seen with it, numbered
/// from the call's `base` (entries below it belong to earlier calls and read as empty).
struct HashTable {
    /// Positions plus the base of the call that stored them; 0 is never a valid one.
    slots: Box<[u32; SLOTS]>,
    /// Where the next call's numbering starts.
    next_base: u32,
}

impl HashTable {
    /// An empty table.
    fn new() -> Self {
        HashTable { slots: Box::new([0; SLOTS]), next_base: 1 }
    }

    /// The base for a call on `len` bytes (`len < u32::MAX`): the table is cleared only when
    /// the numbering would wrap.
    fn reserve(&mut self, len: u32) -> u32 {
        let base = match self.next_base.checked_add(len) {
            Some(_) => self.next_base,
            None => {
                self.slots.fill(0);
                1
            }
        };
        self.next_base = base + len;
        base
    }
}

/// Greedy LZF compression of `input` with `slots` (positions stored as `base + index`).
fn compress_with(input: &[u8], slots: &mut [u32; SLOTS], base: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut literal_start = 0;
    let mut pos = 0;
    // Stop as soon as the output, counting the pending literals and their headers, cannot be
    // smaller: the caller then declines it.
    while pos + MIN_MATCH <= input.len() && out.len() + (pos - literal_start) * 33 / 32 < input.len() {
        let found = remember(slots, input, pos, base).and_then(|earlier| match_at(input, earlier, pos));
        let Some((distance, len)) = found else {
            pos += 1;
            continue;
        };
        push_literals(&mut out, &input[literal_start..pos]);
        push_reference(&mut out, distance, len);
        pos += len;
        literal_start = pos;
        // Index the match's last two positions (as liblzf does): repeats often start there.
        for at in pos.saturating_sub(2)..pos {
            remember(slots, input, at, base);
        }
    }
    push_literals(&mut out, &input[literal_start..]);
    out
}

/// Records `pos` (if 3 bytes follow it) in its slot, returning the slot's previous position
/// when it belongs to this call.
fn remember(slots: &mut [u32; SLOTS], input: &[u8], pos: usize, base: u32) -> Option<usize> {
    let Some(&[a, b, c]) = input.get(pos..pos + MIN_MATCH) else { return None };
    let key = u32::from_le_bytes([a, b, c, 0]);
    // Fibonacci hashing: the top bits of the product mix all three bytes.
    let slot = (key.wrapping_mul(0x9e37_79b1) >> (32 - HASH_BITS)) as usize;
    let previous = slots[slot];
    // `pos < len < u32::MAX - base` (see `HashTable::reserve`): no overflow.
    slots[slot] = base + pos as u32;
    previous.checked_sub(base).map(|p| p as usize)
}

/// The distance and length of the match between `earlier` and `pos`, if one is usable.
fn match_at(input: &[u8], earlier: usize, pos: usize) -> Option<(usize, usize)> {
    let distance = pos.checked_sub(earlier).filter(|&d| d > 0 && d <= MAX_DISTANCE)?;
    // Most candidates are hash collisions: reject them before setting up the long comparison.
    if input.get(earlier..earlier + MIN_MATCH) != input.get(pos..pos + MIN_MATCH) {
        return None;
    }
    let end = input.len().min(pos + MAX_MATCH);
    let len = input[earlier..].iter().zip(&input[pos..end]).take_while(|(a, b)| a == b).count();
    (len >= MIN_MATCH).then_some((distance, len))
}

/// Appends `bytes` as literal runs.
fn push_literals(out: &mut Vec<u8>, bytes: &[u8]) {
    for run in bytes.chunks(MAX_LITERAL) {
        out.push((run.len() - 1) as u8);
        out.extend_from_slice(run);
    }
}

/// Appends a back-reference of `len` bytes (3..=264) from `distance` (1..=8192) back.
fn push_reference(out: &mut Vec<u8>, distance: usize, len: usize) {
    let offset = distance - 1;
    let high = (offset >> 8) as u8;
    let code = len - 2;
    if code < EXTENDED {
        out.push((code as u8) << 5 | high);
    } else {
        out.extend_from_slice(&[(EXTENDED as u8) << 5 | high, (code - EXTENDED) as u8]);
    }
    out.push(offset as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Streams real redis-server 7.0.15 wrote (the LZF part of `DUMP k` after `SET k <value>`).
    const REDIS_A200: &[u8] = b"\x01\x61\x61\xe0\xbb\x00\x01\x61\x61";
    const REDIS_HELLO: &[u8] = b"\x06\x68\x65\x6c\x6c\x6f\x20\x68\xe0\xde\x05\x01\x6f\x20";
    const REDIS_JSON: &[u8] = b"\x18\x7b\x22\x75\x73\x65\x72\x73\x22\x3a\x5b\x7b\x22\x69\x64\x22\x3a\x30\x2c\x22\x6e\
        \x61\x6d\x65\x22\x3a\x60\x17\x08\x30\x22\x2c\x22\x61\x63\x74\x69\x76\x20\x10\x05\x74\x72\x75\x65\x7d\x2c\x80\
        \x25\x00\x31\xe0\x04\x25\x00\x31\xe0\x0e\x25\x00\x32\xe0\x04\x25\x00\x32\xe0\x0e\x25\x00\x33\xe0\x04\x25\x00\
        \x33\xe0\x0e\x25\x00\x34\xe0\x04\x25\x00\x34\xe0\x0e\x25\x00\x35\xe0\x04\x25\x00\x35\xe0\x0e\x25\x00\x36\xe0\
        \x04\x25\x00\x36\xe0\x0e\x25\x00\x37\xe0\x04\x25\x00\x37\xe0\x0e\x25\x00\x38\xe0\x04\x25\x00\x38\xe0\x0e\x25\
        \x00\x39\xe0\x04\x25\x00\x39\xe0\x0e\x25\x00\x31\xe1\x05\x7c\x00\x31\xe1\x10\x7d\xe1\x06\x7e\xe1\x08\x7f\x01\
        \x5d\x7d";
    const REDIS_MIXED: &[u8] = b"\x0d\x61\x68\x62\x69\x63\x6a\x64\x6b\x65\x6c\x66\x6d\x67\x61\xe0\xff\x0c\xe1\x0d\
        \x10\x00\x78\xe0\xff\x00\xe0\xff\x00\xe0\xa0\x00\x01\x78\x78";

    /// The values behind the Redis streams, paired with them.
    fn redis_vectors() -> Vec<(&'static [u8], Vec<u8>)> {
        let users: Vec<String> =
            (0..12).map(|i| format!("{{\"id\":{i},\"name\":\"user{i}\",\"active\":true}}")).collect();
        let json = format!("{{\"users\":[{}]}}", users.join(","));
        let mut mixed: Vec<u8> = (0..300u32).map(|i| (i * 7 % 13) as u8 + b'a').collect();
        mixed.extend_from_slice(&[b'x'; 700]);
        vec![
            (REDIS_A200, vec![b'a'; 200]),
            (REDIS_HELLO, b"hello ".repeat(40)),
            (REDIS_JSON, json.into_bytes()),
            (REDIS_MIXED, mixed),
        ]
    }

    /// Seeded bytes mixing runs, repeats of earlier text and noise.
    fn mixed(rng: &mut fastrand::Rng, len: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(len);
        while v.len() < len {
            match rng.u8(..3) {
                0 => v.extend(std::iter::repeat_n(rng.u8(..), rng.usize(1..40))),
                1 if !v.is_empty() => {
                    let from = rng.usize(..v.len());
                    let to = (from + rng.usize(1..300)).min(v.len());
                    v.extend_from_within(from..to);
                }
                _ => {
                    let len = rng.usize(1..20);
                    v.extend(noise(rng, len));
                }
            }
        }
        v.truncate(len);
        v
    }

    /// `len` seeded random bytes.
    fn noise(rng: &mut fastrand::Rng, len: usize) -> Vec<u8> {
        std::iter::repeat_with(|| rng.u8(..)).take(len).collect()
    }

    /// Compresses `data` and, when that paid, checks it decodes back.
    fn round_trip(data: &[u8]) -> Option<usize> {
        let packed = compress(data)?;
        assert!(packed.len() < data.len());
        assert_eq!(decompress(&packed, data.len()).as_deref(), Ok(data), "{} bytes", data.len());
        Some(packed.len())
    }

    #[test]
    fn decodes_what_redis_wrote() {
        for (stream, plain) in redis_vectors() {
            assert_eq!(decompress(stream, plain.len()).unwrap(), plain);
        }
    }

    #[test]
    fn compresses_like_redis() {
        for (stream, plain) in redis_vectors() {
            let ours = round_trip(&plain).unwrap();
            assert!(ours <= stream.len() + 4, "{ours} bytes against Redis's {}", stream.len());
        }
    }

    #[test]
    fn round_trips_small_and_edge_inputs() {
        assert_eq!(compress(b""), None);
        assert_eq!(compress(b"a"), None);
        assert_eq!(compress(b"abc"), None);
        assert_eq!(decompress(b"", 0), Ok(Vec::new()));
        assert_eq!(decompress(b"\x00a", 1), Ok(b"a".to_vec()));
        assert!(round_trip(b"abcabcabcabcabcabc").is_some());
        assert!(round_trip(&[b'z'; 100_000]).is_some_and(|n| n < 1300));
        let mut rng = fastrand::Rng::with_seed(1);
        let data = mixed(&mut rng, 300);
        for len in 0..=300 {
            round_trip(&data[..len]);
        }
        assert_eq!(compress(&noise(&mut rng, 10_000)), None, "random bytes do not shrink");
    }

    #[test]
    fn longest_matches_and_farthest_references_round_trip() {
        // A block repeated exactly MAX_DISTANCE later, and runs around MAX_MATCH.
        let mut rng = fastrand::Rng::with_seed(2);
        let block = noise(&mut rng, MAX_DISTANCE);
        let twice = [block.clone(), block].concat();
        assert!(round_trip(&twice).is_some_and(|n| n < MAX_DISTANCE + MAX_DISTANCE / 8));
        for run in [MAX_MATCH - 1, MAX_MATCH, MAX_MATCH + 1, MAX_MATCH + 3, 2 * MAX_MATCH + 2] {
            round_trip(&[b"xy".as_slice(), &vec![b'q'; run], b"xy"].concat());
        }
    }

    #[test]
    fn seeded_random_round_trips() {
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..2000 {
            let len = rng.usize(0..10_000);
            let data = mixed(&mut rng, len);
            round_trip(&data);
        }
    }

    #[test]
    fn output_does_not_depend_on_earlier_calls() {
        let mut rng = fastrand::Rng::with_seed(4);
        let data = mixed(&mut rng, 5000);
        let first = compress(&data);
        compress(&mixed(&mut rng, 7000));
        assert_eq!(compress(&data), first);
    }

    #[test]
    fn table_numbering_wraps_cleanly() {
        let mut table = HashTable::new();
        table.next_base = u32::MAX - 10;
        assert_eq!(table.reserve(5), u32::MAX - 10);
        assert_eq!(table.reserve(20), 1, "wraps to a cleared table");
        assert_eq!(table.next_base, 21);
    }

    #[test]
    fn malformed_streams_are_errors() {
        let cases: &[(&[u8], usize, LzfError)] = &[
            (b"\x05abc", 6, LzfError::Truncated),          // literal run past the end
            (b"\x00a\x20", 5, LzfError::Truncated),        // reference missing its offset byte
            (b"\x00a\xe0", 20, LzfError::Truncated),       // extended reference missing both bytes
            (b"\x00a\xe0\x01", 20, LzfError::Truncated),   // extended reference missing its offset
            (b"\x20\x00", 3, LzfError::BadReference),      // reference into an empty output
            (b"\x00a\x20\x01", 4, LzfError::BadReference), // two back from one byte
            (b"\x01ab\x3f\xff", 6, LzfError::BadReference),
            (b"\x00a\x20\x00", 3, LzfError::Overrun), // copies 3 into room for 2
            (b"\x02abc", 2, LzfError::Overrun),       // literal run past the stated size
            (b"\x02abc", 4, LzfError::ShortOutput),
            (b"\x00a\xe0\xff\x00", 1 << 20, LzfError::ShortOutput), // more than the input can make
            (b"", 1, LzfError::ShortOutput),
        ];
        for &(stream, len, error) in cases {
            assert_eq!(decompress(stream, len), Err(error), "{stream:?} to {len}");
        }
        // Every truncation of a valid stream fails.
        let (stream, plain) = &redis_vectors()[2];
        for cut in 0..stream.len() {
            assert!(decompress(&stream[..cut], plain.len()).is_err(), "cut at {cut}");
        }
        assert!(decompress(stream, plain.len() - 1).is_err());
        assert!(decompress(stream, plain.len() + 1).is_err());
    }

    #[test]
    fn expansion_bound_is_tight() {
        // One literal byte then back-references copying MAX_MATCH each: the densest stream.
        let mut stream = b"\x00a".to_vec();
        for _ in 0..10 {
            stream.extend_from_slice(b"\xe0\xff\x00");
        }
        let len = 1 + 10 * MAX_MATCH;
        assert!(len <= stream.len() * MAX_EXPANSION);
        assert_eq!(decompress(&stream, len), Ok(vec![b'a'; len]));
    }

    #[test]
    fn random_garbage_never_panics() {
        let mut rng = fastrand::Rng::with_seed(5);
        let mut decoded = 0;
        for _ in 0..100_000 {
            let len = rng.usize(0..64);
            let stream = noise(&mut rng, len);
            let len = rng.usize(0..1000);
            if let Ok(out) = decompress(&stream, len) {
                assert_eq!(out.len(), len);
                decoded += 1;
            }
        }
        assert!(decoded > 0, "some garbage is valid LZF");
    }
}
