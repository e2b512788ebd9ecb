//! Bit operations over byte strings as Redis's bitops.c defines them: bit 0 is the most
//! significant bit of byte 0; counting, searching, BITOP's combinations, and BITFIELD's integers
//! of 1 to 64 bits at any bit offset with Redis's overflow rules.

/// Reads bit `offset` (0 past the end).
pub fn get_bit(bytes: &[u8], offset: u64) -> bool {
    let Ok(byte) = usize::try_from(offset >> 3) else { return false };
    bytes.get(byte).is_some_and(|b| b & (0x80 >> (offset & 7)) != 0)
}

/// Sets bit `offset` to `on` (the caller has grown `bytes` to hold it); returns the old bit.
pub fn set_bit(bytes: &mut [u8], offset: u64, on: bool) -> bool {
    let mask = 0x80u8 >> (offset & 7);
    let byte = &mut bytes[(offset >> 3) as usize];
    let old = *byte & mask != 0;
    if on {
        *byte |= mask;
    } else {
        *byte &= !mask;
    }
    old
}

/// Whether a BITCOUNT/BITPOS range counts bytes or bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Indexes are byte positions (the default).
    Byte,
    /// Indexes are bit positions (`BIT`).
    Bit,
}

/// Redis's range arithmetic for BITCOUNT and BITPOS: `start` and `end` (negative from the end,
/// clamped) in `unit` over a string of `len` bytes, as an inclusive range of bit positions, or
/// `None` when empty.
pub fn bit_range(start: i64, end: i64, unit: Unit, len: usize) -> Option<(u64, u64)> {
    let mut total = len as i64;
    if unit == Unit::Bit {
        total <<= 3;
    }
    let start = if start < 0 { total.saturating_add(start) } else { start }.max(0);
    let end = if end < 0 { total.saturating_add(end) } else { end }.max(0).min(total - 1);
    if start > end {
        return None;
    }
    match unit {
        Unit::Bit => Some((start as u64, end as u64)),
        Unit::Byte => Some(((start as u64) << 3, ((end as u64) << 3) | 7)),
    }
}

/// Set bits between bit positions `first` and `last` inclusive (both inside `bytes`).
pub fn count_bits(bytes: &[u8], first: u64, last: u64) -> u64 {
    let (a, b) = ((first >> 3) as usize, (last >> 3) as usize);
    let head = 0xffu8 >> (first & 7);
    let tail = 0xffu8 << (7 - (last & 7));
    if a == b {
        return u64::from((bytes[a] & head & tail).count_ones());
    }
    let middle = popcount(&bytes[a + 1..b]);
    middle + u64::from((bytes[a] & head).count_ones()) + u64::from((bytes[b] & tail).count_ones())
}

/// Set bits in `bytes`, eight bytes at a time.
pub fn popcount(bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    let mut n: u64 = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        n += u64::from(u64::from_ne_bytes(word).count_ones());
    }
    n + chunks.remainder().iter().map(|b| u64::from(b.count_ones())).sum::<u64>()
}

/// The first bit equal to `bit` between bit positions `first` and `last` inclusive (both
/// inside `bytes`).
pub fn find_bit(bytes: &[u8], bit: bool, first: u64, last: u64) -> Option<u64> {
    let (a, b) = ((first >> 3) as usize, (last >> 3) as usize);
    let skip = if bit { 0x00 } else { 0xff };
    for (i, &raw) in bytes[a..=b].iter().enumerate() {
        let index = a + i;
        if raw == skip && index != a && index != b {
            continue;
        }
        let mut byte = if bit { raw } else { !raw };
        if index == a {
            byte &= 0xff >> (first & 7);
        }
        if index == b {
            byte &= 0xff << (7 - (last & 7));
        }
        if byte != 0 {
            return Some(((index as u64) << 3) + u64::from(byte.leading_zeros()));
        }
    }
    None
}

/// A BITOP operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitOp {
    /// Bitwise AND.
    And,
    /// Bitwise OR.
    Or,
    /// Bitwise XOR.
    Xor,
    /// Bitwise NOT of a single source.
    Not,
}

/// Combines `sources` with `op` into a string as long as the longest, shorter sources padded with
/// zero bytes.
pub fn bitop(op: BitOp, sources: &[&[u8]]) -> Vec<u8> {
    let max = sources.iter().map(|s| s.len()).max().unwrap_or(0);
    let Some((first, rest)) = sources.split_first() else { return Vec::new() };
    let mut out = first.to_vec();
    out.resize(max, 0);
    match op {
        BitOp::Not => out.iter_mut().for_each(|b| *b = !*b),
        BitOp::And => {
            for src in rest {
                out.iter_mut().enumerate().for_each(|(i, b)| *b &= src.get(i).copied().unwrap_or(0));
            }
        }
        BitOp::Or => {
            for src in rest {
                out.iter_mut().zip(src.iter()).for_each(|(b, s)| *b |= s);
            }
        }
        BitOp::Xor => {
            for src in rest {
                out.iter_mut().zip(src.iter()).for_each(|(b, s)| *b ^= s);
            }
        }
    }
    out
}

/// A BITFIELD integer type: `i1`..`i64` or `u1`..`u63`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldType {
    /// Two's complement signed.
    pub signed: bool,
    /// Width in bits.
    pub bits: u32,
}

impl FieldType {
    /// Parses `i<bits>` or `u<bits>` as Redis does; `None` for anything else.
    pub fn parse(raw: &[u8]) -> Option<FieldType> {
        let (&sign, digits) = raw.split_first()?;
        let signed = match sign {
            b'i' => true,
            b'u' => false,
            _ => return None,
        };
        let bits = crate::types::number::parse_i64(digits)?;
        let max = if signed { 64 } else { 63 };
        (1..=max).contains(&bits).then_some(FieldType { signed, bits: bits as u32 })
    }
}

/// Reads the `bits`-wide unsigned integer at bit `offset` (zero past the end).
pub fn get_field(bytes: &[u8], offset: u64, bits: u32) -> u64 {
    let mut value = 0u64;
    for i in 0..u64::from(bits) {
        value = (value << 1) | u64::from(get_bit(bytes, offset + i));
    }
    value
}

/// Reads a field of type `ty` at bit `offset`, sign-extended when signed.
pub fn get_typed(bytes: &[u8], offset: u64, ty: FieldType) -> i64 {
    let raw = get_field(bytes, offset, ty.bits);
    if ty.signed && ty.bits < 64 && raw & (1 << (ty.bits - 1)) != 0 {
        (raw | (u64::MAX << ty.bits)) as i64
    } else {
        raw as i64
    }
}

/// Writes the low `bits` bits of `value` at bit `offset` (the caller has grown `bytes`).
pub fn set_field(bytes: &mut [u8], offset: u64, bits: u32, value: u64) {
    for i in 0..u64::from(bits) {
        let on = value >> (u64::from(bits) - 1 - i) & 1 == 1;
        set_bit(bytes, offset + i, on);
    }
}

/// BITFIELD's OVERFLOW behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Wrap around (the default).
    Wrap,
    /// Saturate at the type's minimum or maximum.
    Sat,
    /// Refuse the operation (it replies a null).
    Fail,
}

/// `value + incr` in type `ty` under `mode`: `Some(result)`, or `None` when it overflows and
/// `mode` is FAIL. SET checks its value the same way with `incr` 0. Follows Redis's
/// checkSignedBitfieldOverflow and checkUnsignedBitfieldOverflow, quirks included (a SET of a
/// negative number to an unsigned field is an overflow).
pub fn add_checked(value: i64, incr: i64, ty: FieldType, mode: Overflow) -> Option<i64> {
    let (overflow, saturated) =
        if ty.signed { signed_overflow(value, incr, ty.bits) } else { unsigned_overflow(value as u64, incr, ty.bits) };
    if !overflow {
        return Some(value.wrapping_add(incr));
    }
    match mode {
        Overflow::Fail => None,
        Overflow::Sat => Some(saturated),
        Overflow::Wrap => Some(wrap(value.wrapping_add(incr) as u64, ty)),
    }
}

/// The low `ty.bits` bits of `sum`, sign-extended for a signed type.
fn wrap(sum: u64, ty: FieldType) -> i64 {
    if ty.bits == 64 {
        return sum as i64;
    }
    let mask = u64::MAX << ty.bits;
    if ty.signed && sum & (1 << (ty.bits - 1)) != 0 { (sum | mask) as i64 } else { (sum & !mask) as i64 }
}

/// Whether `value + incr` leaves a signed field of `bits`, and the value it saturates to.
fn signed_overflow(value: i64, incr: i64, bits: u32) -> (bool, i64) {
    let max: i64 = if bits == 64 { i64::MAX } else { (1i64 << (bits - 1)) - 1 };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    if value > max || (bits != 64 && incr > max_incr) || (value >= 0 && incr > 0 && incr > max_incr) {
        (true, max)
    } else if value < min || (bits != 64 && incr < min_incr) || (value < 0 && incr < 0 && incr < min_incr) {
        (true, min)
    } else {
        (false, 0)
    }
}

/// Whether `value + incr` leaves an unsigned field of `bits`, and the value it saturates to.
fn unsigned_overflow(value: u64, incr: i64, bits: u32) -> (bool, i64) {
    let max: u64 = (1u64 << bits) - 1;
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = value.wrapping_neg() as i64;
    if value > max || (incr > 0 && incr > max_incr) {
        (true, max as i64)
    } else if incr < 0 && incr < min_incr {
        (true, 0)
    } else {
        (false, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const I8: FieldType = FieldType { signed: true, bits: 8 };
    const U8: FieldType = FieldType { signed: false, bits: 8 };

    #[test]
    fn single_bits() {
        let mut b = vec![0u8; 2];
        assert!(!set_bit(&mut b, 9, true));
        assert_eq!(b, [0, 0x40]);
        assert!(get_bit(&b, 9));
        assert!(!get_bit(&b, 1000));
    }

    #[test]
    fn ranges_as_redis_clamps_them() {
        assert_eq!(bit_range(0, -1, Unit::Byte, 3), Some((0, 23)));
        assert_eq!(bit_range(1, 1, Unit::Byte, 3), Some((8, 15)));
        assert_eq!(bit_range(5, 30, Unit::Bit, 3), Some((5, 23)));
        assert_eq!(bit_range(-1, -2, Unit::Byte, 3), None);
        assert_eq!(bit_range(i64::MIN, i64::MAX, Unit::Bit, 3), Some((0, 23)));
        assert_eq!(bit_range(0, -1, Unit::Byte, 0), None);
    }

    #[test]
    fn counts_and_searches_agree_with_a_naive_walk() {
        let bytes = [0b1010_0000u8, 0xff, 0x00, 0x0f, 0x80];
        for first in 0..40 {
            for last in first..40 {
                let naive = (first..=last).filter(|&i| get_bit(&bytes, i)).count() as u64;
                assert_eq!(count_bits(&bytes, first, last), naive);
                for bit in [false, true] {
                    let naive = (first..=last).find(|&i| get_bit(&bytes, i) == bit);
                    assert_eq!(find_bit(&bytes, bit, first, last), naive, "{first} {last} {bit}");
                }
            }
        }
        assert_eq!(popcount(&[0xff; 19]), 152);
    }

    #[test]
    fn bitop_pads_shorter_sources() {
        assert_eq!(bitop(BitOp::And, &[b"\xff\xff", b"\x0f"]), b"\x0f\x00");
        assert_eq!(bitop(BitOp::Or, &[b"\x01", b"\x10\x02"]), b"\x11\x02");
        assert_eq!(bitop(BitOp::Xor, &[b"\xff", b"\x0f\x01"]), b"\xf0\x01");
        assert_eq!(bitop(BitOp::Not, &[b"\x0f"]), b"\xf0");
    }

    #[test]
    fn fields_cross_byte_boundaries() {
        let mut b = vec![0u8; 3];
        set_field(&mut b, 5, 12, 0xabc);
        assert_eq!(get_field(&b, 5, 12), 0xabc);
        assert_eq!(get_typed(&b, 5, FieldType { signed: true, bits: 12 }), 0xabc - 0x1000);
        assert_eq!(get_typed(&[0xff; 8], 0, FieldType { signed: true, bits: 64 }), -1);
    }

    #[test]
    fn types_parse_as_redis() {
        assert_eq!(FieldType::parse(b"i64"), Some(FieldType { signed: true, bits: 64 }));
        assert_eq!(FieldType::parse(b"u63"), Some(FieldType { signed: false, bits: 63 }));
        for bad in [&b"u64"[..], b"i0", b"x8", b"", b"i", b"i-1"] {
            assert_eq!(FieldType::parse(bad), None);
        }
    }

    #[test]
    fn overflow_modes() {
        assert_eq!(add_checked(100, 100, I8, Overflow::Wrap), Some(-56));
        assert_eq!(add_checked(100, 100, I8, Overflow::Sat), Some(127));
        assert_eq!(add_checked(-100, -100, I8, Overflow::Sat), Some(-128));
        assert_eq!(add_checked(100, 100, I8, Overflow::Fail), None);
        assert_eq!(add_checked(250, 10, U8, Overflow::Wrap), Some(4));
        assert_eq!(add_checked(5, -10, U8, Overflow::Sat), Some(0));
        assert_eq!(add_checked(-1, 0, U8, Overflow::Sat), Some(255));
        assert_eq!(add_checked(i64::MAX, 1, FieldType { signed: true, bits: 64 }, Overflow::Wrap), Some(i64::MIN));
        assert_eq!(add_checked(1, 2, U8, Overflow::Fail), Some(3));
    }
}
