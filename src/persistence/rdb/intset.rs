//! Redis's intset (the set encoding for small sets of integers): a record width (u32 LE: 2, 4
//! or 8 bytes), a count (u32 LE), then the integers in ascending order, little-endian. Reading
//! validates it as Redis's deep sanitization does; writing picks the narrowest width that holds
//! every member, as Redis's intset grows to.

use super::error::Invalid;

/// Bytes of the header.
const HEADER: usize = 8;

/// The members of the intset `blob`, validated: a known width, a size matching the count, at
/// least one member, strictly ascending.
pub fn members(blob: &[u8]) -> Result<Vec<i64>, Invalid> {
    let header = blob.get(..HEADER).ok_or(Invalid::new(0, "an intset header"))?;
    let width = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
    if !matches!(width, 2 | 4 | 8) {
        return Err(Invalid::new(0, "an intset record width of 2, 4 or 8 bytes"));
    }
    let count = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    let records = &blob[HEADER..];
    if count.checked_mul(width) != Some(records.len()) {
        return Err(Invalid::new(4, "an intset count matching its size"));
    }
    if count == 0 {
        return Err(Invalid::new(4, "an intset with members"));
    }
    let shift = 64 - 8 * width as u32;
    let mut out = Vec::with_capacity(count);
    for (i, record) in records.chunks_exact(width).enumerate() {
        let mut le = [0u8; 8];
        le[..width].copy_from_slice(record);
        let value = (i64::from_le_bytes(le) << shift) >> shift;
        if out.last().is_some_and(|&prev| prev >= value) {
            return Err(Invalid::new(HEADER + i * width, "intset members in strictly ascending order"));
        }
        out.push(value);
    }
    Ok(out)
}

/// The intset of `sorted` (ascending, distinct) members.
pub fn blob(sorted: &[i64]) -> Vec<u8> {
    let width = if sorted.iter().all(|&v| i16::try_from(v).is_ok()) {
        2
    } else if sorted.iter().all(|&v| i32::try_from(v).is_ok()) {
        4
    } else {
        8
    };
    let mut out = Vec::with_capacity(HEADER + sorted.len() * width);
    out.extend_from_slice(&(width as u32).to_le_bytes());
    out.extend_from_slice(&u32::try_from(sorted.len()).unwrap_or(u32::MAX).to_le_bytes());
    for v in sorted {
        out.extend_from_slice(&v.to_le_bytes()[..width]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{assert_refused, intset};
    use super::*;

    #[test]
    fn every_width_reads_back() {
        for (values, width) in
            [(vec![-5, 0, 7], 2), (vec![i64::from(i32::MIN), 1], 4), (vec![i64::MIN, -1, i64::MAX], 8)]
        {
            assert_eq!(members(&intset(&values, width)).unwrap(), values);
            assert_eq!(members(&blob(&values)).unwrap(), values);
        }
        // Values that fit a narrower width may still be stored wide (Redis never narrows).
        assert_eq!(members(&intset(&[1, 2], 8)).unwrap(), [1, 2]);
    }

    #[test]
    fn writes_the_narrowest_width() {
        assert_eq!(blob(&[1, 2]), [2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0]);
        assert_eq!(blob(&[70000])[0], 4);
        assert_eq!(blob(&[1 << 40])[0], 8);
    }

    #[test]
    fn refuses_corruption() {
        let mut long = intset(&[1, 2], 2);
        long.push(0);
        assert_refused(
            |bytes| members(bytes).err(),
            &[
                (vec![2, 0, 0], "header"),
                (intset(&[1], 3), "width"),
                (intset(&[], 2), "members"),
                (long, "count"),
                (intset(&[2, 1], 4), "ascending"),
                (intset(&[3, 3], 8), "ascending"),
            ],
        );
    }
}
