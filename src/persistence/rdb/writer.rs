//! A writer of RDB primitives into any [`Write`] sink, as Redis 7.0 encodes them: lengths in
//! 1, 2, 5 or 9 bytes, strings as small integers when they are decimal, LZF-compressed when
//! asked and worth it, raw otherwise. It keeps the running CRC64 and the count of bytes written.

use std::io::{self, Write};

use super::checksum::{self, Digest};
use super::format::{ENC_INT8, ENC_INT16, ENC_INT32, ENC_LZF, LEN_14BIT, LEN_32BIT, LEN_64BIT, LEN_ENCODED};
use crate::types::lzf;
use crate::types::number::{format_i64, parse_i64};

/// Longest string Redis tries to store as an integer (`rdbSaveRawString`'s 11 bytes).
const INT_STRING_MAX_LEN: usize = 11;
/// Shortest string Redis tries to compress (shorter ones never shrink).
const COMPRESS_MIN_LEN: usize = 21;
/// Compression must save at least this many bytes (`rdbSaveLzfStringObject`).
const COMPRESS_MIN_SAVING: usize = 4;

/// Writes RDB primitives to `W` (see the module docs).
pub struct Writer<W> {
    sink: W,
    digest: Option<Digest>,
    written: u64,
    compress: bool,
}

impl<W: Write> Writer<W> {
    /// A writer; `checksum` keeps the CRC64, `compress` LZF-compresses long strings
    /// (`rdbcompression`).
    pub fn new(sink: W, checksum: bool, compress: bool) -> Self {
        Writer { sink, digest: checksum.then(checksum::digest), written: 0, compress }
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The CRC64 of everything written so far (0 when not kept).
    pub fn checksum(&self) -> u64 {
        self.digest.clone().map_or(0, Digest::finalize)
    }

    /// The sink.
    pub fn sink_mut(&mut self) -> &mut W {
        &mut self.sink
    }

    /// Gives the sink back.
    pub fn into_sink(self) -> W {
        self.sink
    }

    /// Bytes as they are.
    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.sink.write_all(bytes)?;
        if let Some(d) = &mut self.digest {
            d.update(bytes);
        }
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// One byte (a type or an opcode).
    pub fn byte(&mut self, b: u8) -> io::Result<()> {
        self.raw(&[b])
    }

    /// A length or count (`rdbSaveLen`).
    pub fn len(&mut self, n: u64) -> io::Result<()> {
        if n < 1 << 6 {
            self.byte(n as u8)
        } else if n < 1 << 14 {
            self.raw(&[(LEN_14BIT << 6) | (n >> 8) as u8, n as u8])
        } else if let Ok(n) = u32::try_from(n) {
            self.byte(LEN_32BIT)?;
            self.raw(&n.to_be_bytes())
        } else {
            self.byte(LEN_64BIT)?;
            self.raw(&n.to_be_bytes())
        }
    }

    /// A `usize` length or count.
    pub fn count(&mut self, n: usize) -> io::Result<()> {
        self.len(n as u64)
    }

    /// An integer as a string: in 2, 3 or 5 bytes when it fits 32 bits, else as its decimal
    /// text (`rdbSaveLongLongAsStringObject`).
    pub fn int_string(&mut self, n: i64) -> io::Result<()> {
        match int_encoding(n) {
            Some((bytes, len)) => self.raw(&bytes[..len]),
            None => {
                let mut buf = [0u8; 20];
                let text = format_i64(n, &mut buf);
                self.count(text.len())?;
                self.raw(text)
            }
        }
    }

    /// A string (`rdbSaveRawString`): as an integer when it is a short decimal, LZF-compressed
    /// when compression is on and saves at least 4 bytes, else raw.
    pub fn string(&mut self, s: &[u8]) -> io::Result<()> {
        if s.len() <= INT_STRING_MAX_LEN {
            if let Some((bytes, len)) = parse_i64(s).and_then(int_encoding) {
                return self.raw(&bytes[..len]);
            }
        }
        if self.compress && s.len() >= COMPRESS_MIN_LEN {
            if let Some(packed) = lzf::compress(s).filter(|p| p.len() <= s.len() - COMPRESS_MIN_SAVING) {
                return self.lzf_blob(&packed, s.len());
            }
        }
        self.count(s.len())?;
        self.raw(s)
    }

    /// LZF-compressed bytes standing for `original_len` bytes.
    fn lzf_blob(&mut self, packed: &[u8], original_len: usize) -> io::Result<()> {
        self.byte((LEN_ENCODED << 6) | ENC_LZF)?;
        self.count(packed.len())?;
        self.count(original_len)?;
        self.raw(packed)
    }

    /// A double in binary (8 bytes, little-endian).
    pub fn binary_double(&mut self, d: f64) -> io::Result<()> {
        self.raw(&d.to_le_bytes())
    }

    /// A time in milliseconds (8 bytes, little-endian).
    pub fn millis(&mut self, ms: i64) -> io::Result<()> {
        self.raw(&ms.to_le_bytes())
    }
}

/// The special encoding of `n` and its length, when `n` fits 32 bits (`rdbEncodeInteger`).
fn int_encoding(n: i64) -> Option<([u8; 5], usize)> {
    let mut out = [0u8; 5];
    let le = n.to_le_bytes();
    let (enc, width) = if i8::try_from(n).is_ok() {
        (ENC_INT8, 1)
    } else if i16::try_from(n).is_ok() {
        (ENC_INT16, 2)
    } else if i32::try_from(n).is_ok() {
        (ENC_INT32, 4)
    } else {
        return None;
    };
    out[0] = (LEN_ENCODED << 6) | enc;
    out[1..=width].copy_from_slice(&le[..width]);
    Some((out, 1 + width))
}

#[cfg(test)]
mod tests {
    use super::super::reader::{Length, Reader, Stored};
    use super::*;

    fn written(f: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>) -> Vec<u8> {
        let mut w = Writer::new(Vec::new(), true, true);
        f(&mut w).unwrap();
        assert_eq!(w.written(), w.sink_mut().len() as u64);
        w.into_sink()
    }

    #[test]
    fn lengths_as_redis_writes_them() {
        assert_eq!(written(|w| w.len(63)), [0x3f]);
        assert_eq!(written(|w| w.len(64)), [0x40, 0x40]);
        assert_eq!(written(|w| w.len(16383)), [0x7f, 0xff]);
        assert_eq!(written(|w| w.len(16384)), [0x80, 0, 0, 0x40, 0]);
        assert_eq!(written(|w| w.len(1 << 32)), [0x81, 0, 0, 0, 1, 0, 0, 0, 0]);
        for n in [0, 1, 63, 64, 300, 16383, 16384, u64::from(u32::MAX), 1 << 32, u64::MAX] {
            let bytes = written(|w| w.len(n));
            assert_eq!(Reader::new(&bytes[..], false).length().unwrap(), Length::Plain(n));
        }
    }

    #[test]
    fn strings_take_the_smallest_form() {
        assert_eq!(written(|w| w.string(b"-2")), [0xc0, 0xfe]);
        assert_eq!(written(|w| w.string(b"1000")), [0xc1, 0xe8, 0x03]);
        assert_eq!(written(|w| w.string(b"2147483647")), [0xc2, 0xff, 0xff, 0xff, 0x7f]);
        // Too long for the integer forms, or not canonical: raw.
        assert_eq!(written(|w| w.string(b"2147483648")), b"\x0a2147483648");
        assert_eq!(written(|w| w.string(b"007")), b"\x03007");
        assert_eq!(written(|w| w.int_string(1 << 40)), b"\x0d1099511627776");
        let long = vec![b'a'; 100];
        let packed = written(|w| w.string(&long));
        assert_eq!(packed[0], 0xc3);
        assert!(packed.len() < 20);
        let mut plain = Writer::new(Vec::new(), false, false);
        plain.string(&long).unwrap();
        assert_eq!(plain.written(), 102);
        // Incompressible bytes stay raw even with compression on.
        let noise: Vec<u8> = (0..64u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert_eq!(written(|w| w.string(&noise))[0], 64);
    }

    #[test]
    fn strings_round_trip_through_the_reader() {
        let samples: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"0".to_vec(),
            b"-128".to_vec(),
            b"-129".to_vec(),
            b"32767".to_vec(),
            b"-2147483648".to_vec(),
            b"hello".to_vec(),
            vec![b'z'; 5000],
            (0..3000u32).map(|i| (i % 7) as u8).collect(),
        ];
        let bytes = written(|w| samples.iter().try_for_each(|s| w.string(s)));
        let mut r = Reader::new(&bytes[..], false);
        for s in &samples {
            assert_eq!(&r.string().unwrap(), s);
        }
        let ints = written(|w| [0, -1, 127, 128, i64::MIN, i64::MAX].iter().try_for_each(|&n| w.int_string(n)));
        let mut r = Reader::new(&ints[..], false);
        assert_eq!(r.stored().unwrap(), Stored::Int(0));
        assert_eq!(r.stored().unwrap(), Stored::Int(-1));
        assert_eq!(r.stored().unwrap(), Stored::Int(127));
        assert_eq!(r.stored().unwrap(), Stored::Int(128));
        assert_eq!(r.string().unwrap(), i64::MIN.to_string().as_bytes());
        assert_eq!(r.string().unwrap(), i64::MAX.to_string().as_bytes());
    }
}
