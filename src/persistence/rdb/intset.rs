//! Redis's intset blob as an RDB value: validated by [`IntSet::from_redis_bytes`] (as Redis's
//! deep sanitization does) and kept as it is, width included.

use super::error::Invalid;
use crate::types::intset::IntSet;

/// The intset `blob`, validated.
pub fn parse(blob: &[u8]) -> Result<IntSet, Invalid> {
    IntSet::from_redis_bytes(blob).map_err(|e| Invalid::new(e.offset, e.expected))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{assert_refused, intset};
    use super::*;

    #[test]
    fn keeps_the_width_it_was_given() {
        // Values that fit a narrower width may be stored wide (Redis never narrows); the blob is
        // kept byte for byte so that DUMP writes it back unchanged.
        let wide = intset(&[1, 2], 8);
        let set = parse(&wide).unwrap();
        assert_eq!((set.iter().collect::<Vec<_>>(), set.as_redis_bytes()), (vec![1, 2], &wide[..]));
    }

    #[test]
    fn refuses_corruption() {
        let mut long = intset(&[1, 2], 2);
        long.push(0);
        assert_refused(
            |bytes| parse(bytes).err(),
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
