//! Redis 2.4's zipmap (the small hash encoding before ziplists), read and validated as Redis
//! does: a count byte (254 when unknown), then per pair a field length, the field, a value
//! length, a byte of free space, the value and that many unused bytes; lengths take 1 byte
//! below 254, else 254 and a u32 LE; 0xFF ends it. It must hold at least one pair.

use super::error::Invalid;

/// The terminator.
const END: u8 = 0xff;
/// A count byte (or length byte) meaning "see elsewhere" (count) or "4 bytes follow" (length).
const BIG: u8 = 254;

/// A field and its value, borrowed from the zipmap.
pub type Pair<'a> = (&'a [u8], &'a [u8]);

/// The field/value pairs of the zipmap `zm`, validated (see the module docs).
pub fn pairs(zm: &[u8]) -> Result<Vec<Pair<'_>>, Invalid> {
    if zm.len() < 2 {
        return Err(Invalid::new(0, "a zipmap count and terminator"));
    }
    let last = zm.len() - 1;
    if zm[last] != END {
        return Err(Invalid::new(last, "the zipmap terminator 0xff"));
    }
    let mut out = Vec::new();
    let mut at = 1;
    while zm[at] != END {
        let field = string(zm, &mut at, last, 0)?;
        let value = string(zm, &mut at, last, 1)?;
        out.push((field, value));
    }
    if out.is_empty() {
        return Err(Invalid::new(1, "a zipmap with pairs"));
    }
    if zm[0] != BIG && usize::from(zm[0]) != out.len() {
        return Err(Invalid::new(0, "a zipmap count matching its pairs"));
    }
    Ok(out)
}

/// The string whose length is at `*at`, followed by `free_byte` (0 or 1) bytes saying how many
/// unused bytes trail it; moves `*at` past them. Everything must end before `last`.
fn string<'a>(zm: &'a [u8], at: &mut usize, last: usize, free_byte: usize) -> Result<&'a [u8], Invalid> {
    let start = *at;
    let bad = Invalid::new(start, "a zipmap entry inside the zipmap");
    let len_size = if zm[start] < BIG { 1 } else { 5 };
    let header_end = start + len_size;
    if header_end + free_byte > last {
        return Err(bad);
    }
    let len = if len_size == 1 {
        usize::from(zm[start])
    } else {
        u32::from_le_bytes([zm[start + 1], zm[start + 2], zm[start + 3], zm[start + 4]]) as usize
    };
    let free = if free_byte == 1 { usize::from(zm[header_end]) } else { 0 };
    let data = header_end + free_byte;
    let end = data.checked_add(len).and_then(|e| e.checked_add(free)).filter(|&e| e <= last).ok_or(bad)?;
    *at = end;
    Ok(&zm[data..data + len])
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{assert_refused, zipmap};
    use super::*;

    #[test]
    fn reads_pairs_with_free_space_and_long_lengths() {
        let long = vec![b'v'; 300];
        let zm = zipmap(&[(b"a", b"1"), (b"field", &long), (b"", b"")], 2);
        let got = pairs(&zm).unwrap();
        assert_eq!(got, [(&b"a"[..], &b"1"[..]), (b"field", &long[..]), (b"", b"")]);
        // Hand-written: {"k": "v"} with no free bytes.
        assert_eq!(pairs(&[1, 1, b'k', 1, 0, b'v', 0xff]).unwrap(), [(&b"k"[..], &b"v"[..])]);
    }

    #[test]
    fn refuses_corruption() {
        assert_refused(
            |bytes| pairs(bytes).err(),
            &[
                (vec![0], "count"),
                (vec![1, 1, b'k', 1, 0, b'v', 0], "terminator"),
                (vec![0, 0xff], "pairs"),
                (vec![2, 1, b'k', 1, 0, b'v', 0xff], "count matching"),
                (vec![1, 1, b'k', 9, 0, b'v', 0xff], "inside"),
                (vec![1, 1, b'k', 1, 5, b'v', 0xff], "inside"),
                (vec![1, 254, 1, 0, 0xff], "inside"),
            ],
        );
    }
}
