//! A bounds-checked reader of RDB primitives over any byte source: lengths, strings (plain,
//! integer-encoded, LZF), doubles, times. It counts its position for error offsets and keeps the
//! running CRC64 when asked to.
//!
//! Lengths in the input are untrusted: nothing is allocated for bytes that have not arrived
//! (a string buffer grows as its bytes are read), so a forged length costs at most what the
//! input really holds.

use std::io::Read;

use super::checksum::{self, Digest};
use super::error::{ErrorKind, RdbError};
use super::format::{
    DOUBLE_NAN, DOUBLE_NEG_INF, DOUBLE_POS_INF, ENC_INT8, ENC_INT16, ENC_INT32, ENC_LZF, LEN_6BIT, LEN_14BIT,
    LEN_32BIT, LEN_64BIT, LEN_ENCODED,
};
use crate::types::lzf;
use crate::types::number::format_i64;
use crate::types::zset::score::{c_str, strtod};

/// Most bytes reserved ahead of a string's bytes arriving.
const PREALLOC_LIMIT: usize = 64 * 1024;

/// What a length field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// A length or count.
    Plain(u64),
    /// A special string encoding (`ENC_*`).
    Encoded(u8),
}

/// A string as stored: an integer or bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// An integer-encoded string.
    Int(i64),
    /// Plain or decompressed bytes.
    Bytes(Vec<u8>),
}

impl Stored {
    /// The string's bytes (integers in decimal).
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Stored::Int(n) => format_i64(n, &mut [0; 20]).to_vec(),
            Stored::Bytes(b) => b,
        }
    }
}

/// Reads RDB primitives from `R` (see the module docs).
pub struct Reader<R> {
    inner: R,
    pos: u64,
    digest: Option<Digest>,
}

/// Shorthand for results of this module.
pub type Result<T> = std::result::Result<T, RdbError>;

impl<R: Read> Reader<R> {
    /// A reader at offset 0; `checksum` keeps a running CRC64 of every byte read.
    pub fn new(inner: R, checksum: bool) -> Self {
        Reader { inner, pos: 0, digest: checksum.then(checksum::digest) }
    }

    /// Offset of the next byte.
    pub fn pos(&self) -> u64 {
        self.pos
    }

    /// The CRC64 of the bytes read so far (0 when not kept).
    pub fn checksum(&self) -> u64 {
        self.digest.clone().map_or(0, Digest::finalize)
    }

    /// Corrupt data at `offset`.
    pub fn corrupt(&self, offset: u64, what: &'static str) -> RdbError {
        RdbError::corrupt(offset, what)
    }

    fn consumed(&mut self, bytes: &[u8]) {
        self.pos += bytes.len() as u64;
        if let Some(d) = &mut self.digest {
            d.update(bytes);
        }
    }

    fn io_error(&self, e: std::io::Error, expected: &'static str) -> RdbError {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            RdbError::new(self.pos, ErrorKind::Truncated { expected })
        } else {
            RdbError::new(self.pos, ErrorKind::Io(e))
        }
    }

    /// Exactly `N` bytes.
    pub fn array<const N: usize>(&mut self, expected: &'static str) -> Result<[u8; N]> {
        let mut buf = [0u8; N];
        self.inner.read_exact(&mut buf).map_err(|e| self.io_error(e, expected))?;
        self.consumed(&buf);
        Ok(buf)
    }

    /// One byte.
    pub fn u8(&mut self, expected: &'static str) -> Result<u8> {
        Ok(self.array::<1>(expected)?[0])
    }

    /// Exactly `len` bytes, allocated as they arrive.
    pub fn bytes(&mut self, len: u64, expected: &'static str) -> Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(usize::MAX).min(PREALLOC_LIMIT));
        let read = (&mut self.inner).take(len).read_to_end(&mut buf);
        read.map_err(|e| self.io_error(e, expected))?;
        self.consumed(&buf);
        if (buf.len() as u64) < len {
            return Err(RdbError::new(self.pos, ErrorKind::Truncated { expected }));
        }
        Ok(buf)
    }

    /// A length field (or a string's special encoding).
    pub fn length(&mut self) -> Result<Length> {
        let at = self.pos;
        let first = self.u8("a length")?;
        Ok(match first >> 6 {
            LEN_ENCODED => Length::Encoded(first & 0x3f),
            LEN_6BIT => Length::Plain(u64::from(first & 0x3f)),
            LEN_14BIT => Length::Plain(u64::from(first & 0x3f) << 8 | u64::from(self.u8("a 14-bit length")?)),
            _ if first == LEN_32BIT => Length::Plain(u64::from(u32::from_be_bytes(self.array("a 32-bit length")?))),
            _ if first == LEN_64BIT => Length::Plain(u64::from_be_bytes(self.array("a 64-bit length")?)),
            _ => return Err(RdbError::corrupt(at, format!("unknown length encoding 0x{first:02x}"))),
        })
    }

    /// A length or count (a special encoding there is corrupt).
    pub fn len(&mut self) -> Result<u64> {
        let at = self.pos;
        match self.length()? {
            Length::Plain(n) => Ok(n),
            Length::Encoded(_) => Err(self.corrupt(at, "a length, found a string encoding")),
        }
    }

    /// A string as stored (an integer encoding is kept as the integer).
    pub fn stored(&mut self) -> Result<Stored> {
        let at = self.pos;
        match self.length()? {
            Length::Plain(len) => Ok(Stored::Bytes(self.bytes(len, "string bytes")?)),
            Length::Encoded(ENC_INT8) => Ok(Stored::Int(i64::from(i8::from_le_bytes(self.array("an 8-bit integer")?)))),
            Length::Encoded(ENC_INT16) => {
                Ok(Stored::Int(i64::from(i16::from_le_bytes(self.array("a 16-bit integer")?))))
            }
            Length::Encoded(ENC_INT32) => {
                Ok(Stored::Int(i64::from(i32::from_le_bytes(self.array("a 32-bit integer")?))))
            }
            Length::Encoded(ENC_LZF) => self.lzf(at).map(Stored::Bytes),
            Length::Encoded(other) => Err(RdbError::corrupt(at, format!("unknown string encoding {other}"))),
        }
    }

    /// An LZF-compressed string whose encoding byte was at `at`.
    fn lzf(&mut self, at: u64) -> Result<Vec<u8>> {
        let compressed_len = self.len()?;
        let len_at = self.pos;
        let len = self.len()?;
        let len = usize::try_from(len).map_err(|_| self.corrupt(len_at, "a string length this machine can hold"))?;
        let data = self.bytes(compressed_len, "LZF-compressed bytes")?;
        lzf::decompress(&data, len)
            .map_err(|e| RdbError::corrupt(at, format!("invalid LZF-compressed string of {len} bytes: {e}")))
    }

    /// A string's bytes.
    pub fn string(&mut self) -> Result<Vec<u8>> {
        self.stored().map(Stored::into_bytes)
    }

    /// A double in binary (8 bytes, little-endian IEEE 754).
    pub fn binary_double(&mut self) -> Result<f64> {
        Ok(f64::from_le_bytes(self.array("a binary double")?))
    }

    /// A double as text (old sorted sets): a length byte, with 253/254/255 meaning NaN, +inf and
    /// -inf, then that many bytes read as C's `%lg` reads them.
    pub fn text_double(&mut self) -> Result<f64> {
        let at = self.pos;
        match self.u8("a double's length")? {
            DOUBLE_NAN => Ok(f64::NAN),
            DOUBLE_POS_INF => Ok(f64::INFINITY),
            DOUBLE_NEG_INF => Ok(f64::NEG_INFINITY),
            len => {
                let text = self.bytes(u64::from(len), "a double's text")?;
                let (value, consumed, _) = strtod(c_str(&text));
                if consumed == 0 {
                    return Err(self.corrupt(at, "a double as text"));
                }
                Ok(value)
            }
        }
    }

    /// A time in milliseconds (8 bytes, little-endian).
    pub fn millis(&mut self) -> Result<i64> {
        Ok(i64::from_le_bytes(self.array("an expiry time in milliseconds")?))
    }

    /// A time in seconds (4 bytes, little-endian), as milliseconds.
    pub fn seconds_as_millis(&mut self) -> Result<i64> {
        Ok(i64::from(i32::from_le_bytes(self.array("an expiry time in seconds")?)) * 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(bytes: &[u8]) -> Reader<&[u8]> {
        Reader::new(bytes, true)
    }

    #[test]
    fn lengths_of_every_width() {
        let mut r = reader(&[0x3f, 0x7f, 0xff, 0x80, 0, 1, 0, 0, 0x81, 0, 0, 0, 1, 0, 0, 0, 0, 0xc3]);
        assert_eq!(r.length().unwrap(), Length::Plain(63));
        assert_eq!(r.length().unwrap(), Length::Plain(0x3fff));
        assert_eq!(r.length().unwrap(), Length::Plain(65536));
        assert_eq!(r.length().unwrap(), Length::Plain(1 << 32));
        assert_eq!(r.length().unwrap(), Length::Encoded(ENC_LZF));
        assert_eq!(r.pos(), 18);
        let err = reader(&[0x82]).length().unwrap_err();
        assert!(err.to_string().contains("unknown length encoding 0x82"), "{err}");
    }

    #[test]
    fn integer_encoded_strings() {
        let mut r = reader(&[0xc0, 0xfe, 0xc1, 0x00, 0x80, 0xc2, 0xff, 0xff, 0xff, 0x7f, 0x03, b'a', b'b', b'c']);
        assert_eq!(r.stored().unwrap(), Stored::Int(-2));
        assert_eq!(r.stored().unwrap(), Stored::Int(-32768));
        assert_eq!(r.string().unwrap(), b"2147483647");
        assert_eq!(r.string().unwrap(), b"abc");
        let err = reader(&[0xc4]).string().unwrap_err();
        assert!(err.to_string().contains("unknown string encoding 4"), "{err}");
    }

    #[test]
    fn lzf_strings_and_forged_sizes() {
        let text = b"abcabcabcabcabcabcabcabcabcabcabcabc".to_vec();
        let packed = lzf::compress(&text).unwrap();
        let mut bytes = vec![0xc3, packed.len() as u8, text.len() as u8];
        bytes.extend_from_slice(&packed);
        assert_eq!(reader(&bytes).string().unwrap(), text);
        // A stated size the data cannot reach is refused before any allocation for it.
        let forged = [0xc3, 0x01, 0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
        let err = reader(&forged).string().unwrap_err();
        assert_eq!(err.offset, 0);
        assert!(matches!(err.kind, ErrorKind::Corrupt(_)), "{err}");
    }

    #[test]
    fn truncation_names_offset_and_expectation() {
        let err = reader(&[0x05, b'a', b'b']).string().unwrap_err();
        assert_eq!(err.offset, 3);
        assert!(matches!(err.kind, ErrorKind::Truncated { expected: "string bytes" }));
        // A huge stated length over a short input fails at the input's end, allocating little.
        let err = reader(&[0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, b'x']).string().unwrap_err();
        assert_eq!(err.offset, 10);
    }

    #[test]
    fn doubles_binary_and_text() {
        let mut bytes = 1.5f64.to_le_bytes().to_vec();
        bytes.extend_from_slice(&[
            253, 254, 255, 4, b'-', b'2', b'.', b'5', 5, b' ', b'1', b'e', b'3', b'x', 2, b'x', b'y',
        ]);
        let mut r = reader(&bytes);
        assert_eq!(r.binary_double().unwrap(), 1.5);
        assert!(r.text_double().unwrap().is_nan());
        assert_eq!(r.text_double().unwrap(), f64::INFINITY);
        assert_eq!(r.text_double().unwrap(), f64::NEG_INFINITY);
        assert_eq!(r.text_double().unwrap(), -2.5);
        // `%lg` skips leading space and stops at the first byte that is not part of a number.
        assert_eq!(r.text_double().unwrap(), 1000.0);
        assert!(r.text_double().is_err());
    }

    #[test]
    fn checksum_covers_what_was_read() {
        let mut r = reader(b"123456789");
        r.bytes(9, "x").unwrap();
        assert_eq!(r.checksum(), checksum::crc64(b"123456789"));
        assert_eq!(Reader::new(&b"12"[..], false).checksum(), 0);
    }
}
