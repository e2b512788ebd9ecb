//! DUMP and RESTORE payloads: a value's type byte and serialization, then the RDB version
//! (2 bytes, little-endian) and the CRC64 of everything before it (8 bytes, little-endian).

use super::build::EncodingLimits;
use super::checksum::crc64;
use super::decode::read_value;
use super::encode::{value_type, write_value};
use super::error::RdbError;
use super::format::SAVE_VERSION;
use super::reader::Reader;
use super::writer::Writer;
use crate::keyspace::Value;

/// Bytes of the footer: version and checksum.
const FOOTER: usize = 10;
/// The newest payload version RESTORE takes: Redis 7.0's own (7.0.15 refuses 7.2's version 11
/// payloads as "version or checksum are wrong", and so does rkv; 7.2 data loads from files).
const MAX_PAYLOAD_VERSION: u16 = SAVE_VERSION;

/// Why a RESTORE payload was refused.
#[derive(Debug)]
pub enum PayloadError {
    /// Too short for a footer, a newer version, or a checksum mismatch.
    VersionOrChecksum,
    /// The value inside does not decode (Redis's "Bad data format").
    BadData(RdbError),
}

/// DUMP's payload for `value`; `compress` is `rdbcompression`.
pub fn dump(value: &Value, compress: bool) -> Vec<u8> {
    let mut out = Writer::new(Vec::new(), false, compress);
    // Writing into a vector cannot fail.
    let _ = out.byte(value_type(value) as u8).and_then(|()| write_value(&mut out, value));
    let mut payload = out.into_sink();
    payload.extend_from_slice(&SAVE_VERSION.to_le_bytes());
    let crc = crc64(&payload);
    payload.extend_from_slice(&crc.to_le_bytes());
    payload
}

/// The value in a RESTORE payload, checked as Redis checks it: the footer's version, the
/// checksum unless `verify_checksum` is off (DEBUG SET-SKIP-CHECKSUM-VALIDATION), then the
/// value, decoded with full validation into the encodings `limits` give.
pub fn restore(payload: &[u8], verify_checksum: bool, limits: &EncodingLimits) -> Result<Value, PayloadError> {
    let Some(body_len) = payload.len().checked_sub(FOOTER) else { return Err(PayloadError::VersionOrChecksum) };
    let (body, footer) = payload.split_at(body_len);
    let version = u16::from_le_bytes([footer[0], footer[1]]);
    if version > MAX_PAYLOAD_VERSION {
        return Err(PayloadError::VersionOrChecksum);
    }
    let stored = u64::from_le_bytes(footer[2..].try_into().map_err(|_| PayloadError::VersionOrChecksum)?);
    if verify_checksum && crc64(&payload[..body_len + 2]) != stored {
        return Err(PayloadError::VersionOrChecksum);
    }
    let mut reader = Reader::new(body, false);
    let type_byte = reader.u8("a value type").map_err(PayloadError::BadData)?;
    read_value(&mut reader, type_byte, limits).map_err(PayloadError::BadData)
}
