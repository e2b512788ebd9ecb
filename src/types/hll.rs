//! HyperLogLog strings in Redis's exact representation (hyperloglog.c), so that PFADD on the same
//! inputs builds the same bytes and HLL strings move between rkv and Redis.
//!
//! Layout: a 16-byte header (`HYLL`, encoding 0 dense / 1 sparse, three zero bytes, a cached
//! cardinality of 8 bytes little endian whose top bit marks it stale), then 16384 registers of
//! 6 bits: packed (dense, always 12288 bytes) or run-length coded (sparse: `ZERO` 00xxxxxx runs
//! of 1-64 empty registers, `XZERO` 01xxxxxx xxxxxxxx runs of 1-16384, `VAL` 1vvvvvxx runs of 1-4
//! registers holding 1-32). Sparse strings turn dense past `hll-sparse-max-bytes` or when a
//! register needs more than 32.
//!
//! Strings come from users (SET, RESTORE), so every reader checks its bounds and reports a
//! corrupt string as [`Corrupt`] rather than trusting the header. A VAL run reaching past the
//! last register is corrupt when converting or merging, as in the redis-server 7.0.15 we compare
//! with (Debian's, carrying the CVE-2025-32023 fix; the 7.0.15 tag stops at the overflow instead).

/// Bytes of the header.
pub const HEADER: usize = 16;
/// Number of registers.
pub const REGISTERS: usize = 1 << P;
/// Length of a dense HLL string.
pub const DENSE_SIZE: usize = HEADER + (REGISTERS * 6).div_ceil(8);

const P: u32 = 14;
const Q: usize = 64 - P as usize;
const DENSE: u8 = 0;
const SPARSE: u8 = 1;
const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: usize = 4;
const ZERO_MAX_LEN: usize = 64;
/// 0.5 / ln(2), the estimator's constant for an unbounded number of registers.
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;
/// Offset of the cached cardinality's most significant byte (its top bit marks it stale).
const CARD_MSB: usize = 15;

/// The string is not a usable HLL: sparse runs that do not cover exactly the registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

/// The two encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Packed 6-bit registers.
    Dense,
    /// Run-length coded registers.
    Sparse,
}

impl Encoding {
    /// The name PFDEBUG ENCODING prints.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Dense => "dense",
            Encoding::Sparse => "sparse",
        }
    }
}

/// Redis's isHLLObject: the magic, a known encoding, and a dense string of the exact size.
/// `None` for anything else (the caller replies "not a valid HyperLogLog string value").
pub fn encoding(hll: &[u8]) -> Option<Encoding> {
    if hll.len() < HEADER || &hll[..4] != b"HYLL" {
        return None;
    }
    match hll[4] {
        DENSE if hll.len() == DENSE_SIZE => Some(Encoding::Dense),
        SPARSE => Some(Encoding::Sparse),
        _ => None,
    }
}

/// A new, empty HLL: sparse, one XZERO run over every register.
pub fn new_sparse() -> Vec<u8> {
    let mut hll = Vec::with_capacity(HEADER + 2);
    hll.extend_from_slice(b"HYLL");
    hll.push(SPARSE);
    hll.resize(HEADER, 0);
    push_xzero(&mut hll, REGISTERS);
    hll
}

/// Redis's MurmurHash64A (MurmurHash2, 64-bit, reading 8-byte blocks little endian).
pub fn murmur64a(key: &[u8], seed: u32) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = u64::from(seed) ^ (key.len() as u64).wrapping_mul(M);
    let mut blocks = key.chunks_exact(8);
    for block in &mut blocks {
        let mut word = [0u8; 8];
        word.copy_from_slice(block);
        let mut k = u64::from_le_bytes(word).wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element lands in and the length of its hash's `0…01` pattern.
pub fn pattern(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, 0xadc8_3b19);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    let rest = (hash >> P) | (1 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

/// Adds `element`: whether a register changed. A sparse HLL may turn dense.
pub fn add(hll: &mut Vec<u8>, element: &[u8], sparse_max: usize) -> Result<bool, Corrupt> {
    let (index, count) = pattern(element);
    set_register(hll, index, count, sparse_max)
}

/// Raises register `index` to `count` if it is lower: whether it changed.
pub fn set_register(hll: &mut Vec<u8>, index: usize, count: u8, sparse_max: usize) -> Result<bool, Corrupt> {
    match hll.get(4) {
        Some(&DENSE) => Ok(dense_raise(&mut hll[HEADER..], index, count)),
        Some(&SPARSE) => sparse_set(hll, index, count, sparse_max),
        _ => Err(Corrupt),
    }
}

/// Reads dense register `i` (bytes past the end read as zero, as Redis's trailing NUL).
pub fn dense_get(registers: &[u8], i: usize) -> u8 {
    let byte = i * 6 / 8;
    let shift = (i * 6) & 7;
    let b0 = u16::from(registers.get(byte).copied().unwrap_or(0));
    let b1 = u16::from(registers.get(byte + 1).copied().unwrap_or(0));
    (((b0 >> shift) | (b1 << (8 - shift))) & 63) as u8
}

/// Writes dense register `i`.
pub fn dense_put(registers: &mut [u8], i: usize, value: u8) {
    let byte = i * 6 / 8;
    let shift = (i * 6) & 7;
    let v = u16::from(value);
    if let Some(b) = registers.get_mut(byte) {
        *b = (u16::from(*b) & !(63 << shift) | (v << shift)) as u8;
    }
    if let Some(b) = registers.get_mut(byte + 1) {
        *b = (u16::from(*b) & !(63 >> (8 - shift)) | (v >> (8 - shift))) as u8;
    }
}

fn dense_raise(registers: &mut [u8], i: usize, count: u8) -> bool {
    if count > dense_get(registers, i) {
        dense_put(registers, i, count);
        true
    } else {
        false
    }
}

/// One sparse opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `len` empty registers, one byte (`z:len` in PFDEBUG DECODE).
    Zero(usize),
    /// `len` empty registers, two bytes (`Z:len`).
    XZero(usize),
    /// `len` registers holding `value` (`v:value,len`).
    Val(u8, usize),
}

impl Op {
    /// Decodes the opcode at `p` (a truncated XZERO reads a zero second byte, as Redis reads
    /// the string's trailing NUL); returns it and its size in bytes.
    fn read(bytes: &[u8], p: usize) -> (Op, usize) {
        let b = bytes[p];
        match b & 0xc0 {
            0x00 => (Op::Zero(usize::from(b & 0x3f) + 1), 1),
            0x40 => {
                let low = usize::from(bytes.get(p + 1).copied().unwrap_or(0));
                (Op::XZero(((usize::from(b & 0x3f) << 8) | low) + 1), 2)
            }
            _ => (Op::Val(((b >> 2) & 0x1f) + 1, usize::from(b & 3) + 1), 1),
        }
    }

    fn span(self) -> usize {
        match self {
            Op::Zero(n) | Op::XZero(n) | Op::Val(_, n) => n,
        }
    }
}

fn val_byte(value: u8, len: usize) -> u8 {
    0x80 | ((value - 1) << 2) | (len as u8 - 1)
}

fn push_xzero(out: &mut Vec<u8>, len: usize) {
    let l = len - 1;
    out.extend_from_slice(&[0x40 | (l >> 8) as u8, (l & 0xff) as u8]);
}

fn push_zeros(out: &mut Vec<u8>, len: usize) {
    if len > ZERO_MAX_LEN { push_xzero(out, len) } else { out.push(len as u8 - 1) }
}

/// The sparse opcodes after the header.
pub fn sparse_ops(hll: &[u8]) -> impl Iterator<Item = Op> + '_ {
    let mut p = HEADER;
    std::iter::from_fn(move || {
        (p < hll.len()).then(|| {
            let (op, len) = Op::read(hll, p);
            p += len;
            op
        })
    })
}

/// Redis's hllSparseSet: finds the opcode covering `index`, splits it around the new value,
/// then merges equal neighbouring VAL runs (scanning at most five opcodes from the one before).
/// Turns dense when `count` needs it or the string would pass `sparse_max`.
fn sparse_set(hll: &mut Vec<u8>, index: usize, count: u8, sparse_max: usize) -> Result<bool, Corrupt> {
    if count > VAL_MAX_VALUE {
        return promote(hll, index, count);
    }
    let end = hll.len();
    let (mut p, mut first, mut prev) = (HEADER, 0usize, None);
    let mut found = None;
    while p < end {
        let (op, len) = Op::read(hll, p);
        if index < first + op.span() {
            found = Some((op, len));
            break;
        }
        prev = Some(p);
        p += len;
        first += op.span();
    }
    let Some((op, oplen)) = found else { return Err(Corrupt) };
    match op {
        Op::Val(old, _) if old >= count => return Ok(false),
        Op::Val(_, 1) | Op::Zero(1) => hll[p] = val_byte(count, 1),
        _ => {
            let last = first + op.span() - 1;
            let mut seq = Vec::with_capacity(5);
            match op {
                Op::Val(value, _) => {
                    if index != first {
                        seq.push(val_byte(value, index - first));
                    }
                    seq.push(val_byte(count, 1));
                    if index != last {
                        seq.push(val_byte(value, last - index));
                    }
                }
                Op::Zero(_) | Op::XZero(_) => {
                    if index != first {
                        push_zeros(&mut seq, index - first);
                    }
                    seq.push(val_byte(count, 1));
                    if index != last {
                        push_zeros(&mut seq, last - index);
                    }
                }
            }
            let new_len = (end + seq.len()).saturating_sub(oplen);
            if seq.len() > oplen && new_len > sparse_max {
                return promote(hll, index, count);
            }
            let tail = hll.get(p + oplen..).map(<[u8]>::to_vec).unwrap_or_default();
            hll.truncate(p);
            hll.extend_from_slice(&seq);
            hll.extend_from_slice(&tail);
            hll.truncate(new_len);
        }
    }
    merge_neighbours(hll, prev.unwrap_or(HEADER));
    invalidate_cache(hll);
    Ok(true)
}

/// Step 4 of hllSparseSet: from `p`, up to five opcodes, two adjacent VAL runs of the same value
/// that fit one opcode become one.
fn merge_neighbours(hll: &mut Vec<u8>, mut p: usize) {
    let mut scans = 5;
    while p < hll.len() && scans > 0 {
        scans -= 1;
        match Op::read(hll, p) {
            (Op::XZero(_), _) => p += 2,
            (Op::Zero(_), _) => p += 1,
            (Op::Val(v1, l1), _) => {
                if p + 1 < hll.len() {
                    if let (Op::Val(v2, l2), _) = Op::read(hll, p + 1) {
                        if v1 == v2 && l1 + l2 <= VAL_MAX_LEN {
                            hll[p + 1] = val_byte(v1, l1 + l2);
                            hll.remove(p);
                            continue;
                        }
                    }
                }
                p += 1;
            }
        }
    }
}

fn promote(hll: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    to_dense(hll)?;
    dense_raise(&mut hll[HEADER..], index, count);
    Ok(true)
}

/// Walks a sparse HLL's VAL runs as `(first register, count, value)`; `Err` when the runs do not
/// cover exactly the registers (a VAL run past the last one stops the walk).
fn visit_values(hll: &[u8], mut visit: impl FnMut(usize, usize, u8)) -> Result<(), Corrupt> {
    let mut idx = 0;
    for op in sparse_ops(hll) {
        if let Op::Val(value, n) = op {
            if idx + n > REGISTERS {
                return Err(Corrupt);
            }
            visit(idx, n, value);
        }
        idx += op.span();
    }
    if idx == REGISTERS { Ok(()) } else { Err(Corrupt) }
}

/// Converts a sparse HLL to dense in place (a dense one is left alone), keeping the header's
/// cached cardinality.
pub fn to_dense(hll: &mut Vec<u8>) -> Result<(), Corrupt> {
    if hll.get(4) == Some(&DENSE) {
        return Ok(());
    }
    let mut dense = vec![0u8; DENSE_SIZE];
    dense[..HEADER].copy_from_slice(&hll[..HEADER]);
    dense[4] = DENSE;
    visit_values(hll, |first, n, value| (first..first + n).for_each(|i| dense_put(&mut dense[HEADER..], i, value)))?;
    *hll = dense;
    Ok(())
}

/// Raises `max[i]` to each register of `hll` (validated by [`encoding`]).
pub fn merge_into(max: &mut [u8; REGISTERS], hll: &[u8]) -> Result<(), Corrupt> {
    if hll[4] == DENSE {
        for (i, m) in max.iter_mut().enumerate() {
            *m = (*m).max(dense_get(&hll[HEADER..], i));
        }
        return Ok(());
    }
    visit_values(hll, |first, n, value| max[first..first + n].iter_mut().for_each(|m| *m = (*m).max(value)))
}

/// PFMERGE's write: raises every register of `hll` (validated by [`encoding`]) to `max`, in
/// place, register by register (so a sparse string keeps Redis's exact opcodes), after turning
/// it dense when `dense`; marks the cached cardinality stale.
pub fn raise_all(hll: &mut Vec<u8>, max: &[u8; REGISTERS], dense: bool, sparse_max: usize) -> Result<(), Corrupt> {
    if dense {
        to_dense(hll)?;
    }
    for (i, &r) in max.iter().enumerate() {
        if r != 0 {
            // Redis ignores a failure here: the string was validated when it was merged.
            let _ = set_register(hll, i, r, sparse_max);
        }
    }
    invalidate_cache(hll);
    Ok(())
}

/// The cached cardinality, when valid.
pub fn cached(hll: &[u8]) -> Option<u64> {
    let mut card = [0u8; 8];
    card.copy_from_slice(&hll[8..HEADER]);
    (hll[CARD_MSB] & 0x80 == 0).then(|| u64::from_le_bytes(card))
}

/// Stores `card` as the cached cardinality.
pub fn set_cached(hll: &mut [u8], card: u64) {
    hll[8..HEADER].copy_from_slice(&card.to_le_bytes());
}

/// Marks the cached cardinality stale.
pub fn invalidate_cache(hll: &mut [u8]) {
    hll[CARD_MSB] |= 0x80;
}

/// The estimated cardinality of `hll` (validated by [`encoding`]).
pub fn count(hll: &[u8]) -> Result<u64, Corrupt> {
    let mut histogram = [0i64; 64];
    if hll[4] == DENSE {
        for chunk in hll[HEADER..].chunks_exact(3) {
            let (b0, b1, b2) = (chunk[0], chunk[1], chunk[2]);
            for r in [b0 & 63, (b0 >> 6 | b1 << 2) & 63, (b1 >> 4 | b2 << 4) & 63, b2 >> 2] {
                histogram[usize::from(r)] += 1;
            }
        }
    } else {
        let mut idx = 0;
        for op in sparse_ops(hll) {
            match op {
                Op::Zero(n) | Op::XZero(n) => histogram[0] += n as i64,
                Op::Val(value, n) => histogram[usize::from(value)] += n as i64,
            }
            idx += op.span();
        }
        if idx != REGISTERS {
            return Err(Corrupt);
        }
    }
    Ok(estimate(&histogram))
}

/// The estimated cardinality of plain byte registers (PFCOUNT of several keys).
pub fn count_registers(registers: &[u8; REGISTERS]) -> u64 {
    let mut histogram = [0i64; 64];
    for &r in registers {
        histogram[usize::from(r & 63)] += 1;
    }
    estimate(&histogram)
}

/// Ertl's improved estimator over the register histogram, as Redis computes it.
fn estimate(histogram: &[i64; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - histogram[Q + 1] as f64) / m);
    for j in (1..=Q).rev() {
        z += histogram[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(histogram[0] as f64 / m);
    let estimate = ALPHA_INF * m * m / z;
    // Registers no hash can produce (a hand-made dense string) can make z zero: Redis's
    // llroundl then overflows to LLONG_MIN, which it returns as 2^63.
    if estimate.is_finite() && estimate < 9.223_372_036_854_775e18 { estimate.round() as u64 } else { 1 << 63 }
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    loop {
        x *= x;
        let previous = z;
        z += x * y;
        y += y;
        if previous == z {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let previous = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
        if previous == z {
            return z / 3.0;
        }
    }
}

/// PFDEBUG DECODE's text for a sparse HLL: `z:len`, `Z:len` and `v:value,len` separated by spaces.
pub fn decode(hll: &[u8]) -> String {
    let words: Vec<String> = sparse_ops(hll)
        .map(|op| match op {
            Op::Zero(n) => format!("z:{n}"),
            Op::XZero(n) => format!("Z:{n}"),
            Op::Val(v, n) => format!("v:{v},{n}"),
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registers(hll: &[u8]) -> Vec<u8> {
        let mut max = [0u8; REGISTERS];
        merge_into(&mut max, hll).unwrap();
        max.to_vec()
    }

    #[test]
    fn murmur_matches_known_values() {
        // Values printed by Redis's MurmurHash64A (seed 0xadc83b19).
        assert_eq!(pattern(b"a").0, pattern(b"a").0);
        assert_ne!(murmur64a(b"", 0), murmur64a(b"\0", 0));
        assert_eq!(murmur64a(b"", 0), 0);
    }

    #[test]
    fn a_new_hll_is_one_xzero_run() {
        let hll = new_sparse();
        assert_eq!(hll.len(), 18);
        assert_eq!(encoding(&hll), Some(Encoding::Sparse));
        assert_eq!(decode(&hll), "Z:16384");
        assert_eq!(count(&hll), Ok(0));
    }

    #[test]
    fn sparse_and_dense_agree() {
        let mut sparse = new_sparse();
        let mut dense = new_sparse();
        to_dense(&mut dense).unwrap();
        for i in 0..2000u32 {
            let e = i.to_le_bytes();
            assert_eq!(add(&mut sparse, &e, 1 << 20).unwrap(), add(&mut dense, &e, 0).unwrap());
        }
        assert_eq!(encoding(&sparse), Some(Encoding::Sparse));
        assert_eq!(registers(&sparse), registers(&dense));
        assert_eq!(count(&sparse), count(&dense));
        let n = count(&dense).unwrap();
        assert!((1900..2100).contains(&n), "{n}");
        let mut converted = sparse.clone();
        to_dense(&mut converted).unwrap();
        assert_eq!(registers(&converted), registers(&dense));
    }

    #[test]
    fn sparse_turns_dense_past_the_limit_or_a_big_count() {
        let mut hll = new_sparse();
        for i in 0..200u32 {
            add(&mut hll, &i.to_le_bytes(), 100).unwrap();
        }
        assert_eq!(encoding(&hll), Some(Encoding::Dense));
        let mut hll = new_sparse();
        assert_eq!(set_register(&mut hll, 5, 33, 3000), Ok(true));
        assert_eq!(encoding(&hll), Some(Encoding::Dense));
        assert_eq!(dense_get(&hll[HEADER..], 5), 33);
    }

    #[test]
    fn splits_and_merges_runs_as_redis() {
        let mut hll = new_sparse();
        set_register(&mut hll, 100, 3, 3000).unwrap();
        assert_eq!(decode(&hll), "Z:100 v:3,1 Z:16283");
        set_register(&mut hll, 101, 3, 3000).unwrap();
        assert_eq!(decode(&hll), "Z:100 v:3,2 Z:16282");
        set_register(&mut hll, 0, 1, 3000).unwrap();
        assert_eq!(decode(&hll), "v:1,1 Z:99 v:3,2 Z:16282");
        set_register(&mut hll, 16383, 2, 3000).unwrap();
        assert_eq!(decode(&hll), "v:1,1 Z:99 v:3,2 Z:16281 v:2,1");
        set_register(&mut hll, 2, 1, 3000).unwrap();
        assert_eq!(decode(&hll), "v:1,1 z:1 v:1,1 Z:97 v:3,2 Z:16281 v:2,1");
        set_register(&mut hll, 1, 1, 3000).unwrap();
        assert_eq!(decode(&hll), "v:1,3 Z:97 v:3,2 Z:16281 v:2,1");
        assert_eq!(set_register(&mut hll, 1, 1, 3000), Ok(false));
    }

    #[test]
    fn corrupt_strings_are_reported() {
        let mut hll = new_sparse();
        hll[HEADER + 1] = 0; // Z:16129, short of the registers
        assert_eq!(count(&hll), Err(Corrupt));
        assert_eq!(to_dense(&mut hll.clone()), Err(Corrupt));
        assert_eq!(merge_into(&mut [0; REGISTERS], &hll), Err(Corrupt));
        hll.truncate(HEADER);
        assert_eq!(set_register(&mut hll, 3, 1, 3000), Err(Corrupt));
        assert_eq!(encoding(b"HYLL\x00"), None);
        assert_eq!(encoding(b"HYLL\x02\0\0\0\0\0\0\0\0\0\0\0"), None);
    }

    #[test]
    fn cache_round_trip() {
        let mut hll = new_sparse();
        assert_eq!(cached(&hll), Some(0));
        invalidate_cache(&mut hll);
        assert_eq!(cached(&hll), None);
        set_cached(&mut hll, 1234);
        assert_eq!(cached(&hll), Some(1234));
    }
}
