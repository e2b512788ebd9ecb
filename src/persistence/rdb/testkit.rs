//! Test-only builders of the encodings rkv reads but never writes (ziplists, zipmaps, intsets of
//! a chosen width), written from the formats' descriptions so the readers are tested against
//! independent bytes.

use super::error::Invalid;
use crate::types::number::parse_i64;

/// `good` with byte `at` set to `value`.
pub fn patched(good: &[u8], at: usize, value: u8) -> Vec<u8> {
    let mut bytes = good.to_vec();
    bytes[at] = value;
    bytes
}

/// Asserts that each of `cases` is refused (`error` gives the parser's error, if any), the error
/// naming what was expected (the case's second string).
pub fn assert_refused(error: impl Fn(&[u8]) -> Option<Invalid>, cases: &[(Vec<u8>, &str)]) {
    for (bytes, what) in cases {
        let err = error(bytes).unwrap_or_else(|| panic!("{bytes:?} was accepted, expected {what}"));
        assert!(err.what.contains(what), "{} does not mention {what}", err.what);
    }
}

/// A ziplist of `values`, encoded as Redis's `ziplistPush` would: decimal strings under 32 bytes
/// as the smallest integer form, other strings by length.
pub fn ziplist(values: &[&[u8]]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut prev_size = 0usize;
    let mut tail = 10;
    for value in values {
        tail = 10 + body.len();
        let start = body.len();
        if prev_size < 254 {
            body.push(prev_size as u8);
        } else {
            body.push(0xfe);
            body.extend_from_slice(&(prev_size as u32).to_le_bytes());
        }
        match parse_i64(value).filter(|_| !value.is_empty() && value.len() < 32) {
            Some(n @ 0..=12) => body.push(0xf1 + n as u8),
            Some(n) => {
                let (enc, width) = if i8::try_from(n).is_ok() {
                    (0xfe, 1)
                } else if i16::try_from(n).is_ok() {
                    (0xc0, 2)
                } else if (-(1 << 23)..1 << 23).contains(&n) {
                    (0xf0, 3)
                } else if i32::try_from(n).is_ok() {
                    (0xd0, 4)
                } else {
                    (0xe0, 8)
                };
                body.push(enc);
                body.extend_from_slice(&n.to_le_bytes()[..width]);
            }
            None => {
                let len = value.len();
                if len < 64 {
                    body.push(len as u8);
                } else if len < 16384 {
                    body.extend_from_slice(&[0x40 | (len >> 8) as u8, len as u8]);
                } else {
                    body.push(0x80);
                    body.extend_from_slice(&(len as u32).to_be_bytes());
                }
                body.extend_from_slice(value);
            }
        }
        prev_size = body.len() - start;
    }
    let total = 10 + body.len() + 1;
    let mut zl = Vec::with_capacity(total);
    zl.extend_from_slice(&(total as u32).to_le_bytes());
    zl.extend_from_slice(&(tail as u32).to_le_bytes());
    zl.extend_from_slice(&(values.len().min(65535) as u16).to_le_bytes());
    zl.extend_from_slice(&body);
    zl.push(0xff);
    zl
}

/// A zipmap of `pairs` (Redis 2.4's small hash), each value followed by `free` unused bytes.
pub fn zipmap(pairs: &[(&[u8], &[u8])], free: u8) -> Vec<u8> {
    let mut zm = vec![pairs.len().min(254) as u8];
    let len = |zm: &mut Vec<u8>, n: usize| {
        if n < 254 {
            zm.push(n as u8);
        } else {
            zm.push(254);
            zm.extend_from_slice(&(n as u32).to_le_bytes());
        }
    };
    for (field, value) in pairs {
        len(&mut zm, field.len());
        zm.extend_from_slice(field);
        len(&mut zm, value.len());
        zm.push(free);
        zm.extend_from_slice(value);
        zm.extend(std::iter::repeat_n(0u8, usize::from(free)));
    }
    zm.push(0xff);
    zm
}

/// An intset of `values` (in the given order) with records of `width` bytes (2, 4 or 8).
pub fn intset(values: &[i64], width: usize) -> Vec<u8> {
    let mut out = (width as u32).to_le_bytes().to_vec();
    out.extend_from_slice(&(values.len() as u32).to_le_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes()[..width]);
    }
    out
}
