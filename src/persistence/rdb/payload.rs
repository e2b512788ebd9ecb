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
/// Why a FUNCTION RESTORE payload was refused; [`FunctionsPayloadError::text`] is Redis's reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionsPayloadError {
    /// Too short for a footer, a newer version, or a checksum mismatch.
    VersionOrChecksum,
    /// A record's type byte could not be read.
    Unreadable,
    /// A record is not a function library.
    NotAFunction,
    /// A library's code could not be read.
    Failed,
}

impl FunctionsPayloadError {
    /// The error reply Redis gives.
    pub fn text(self) -> &'static str {
        match self {
            FunctionsPayloadError::VersionOrChecksum => "ERR DUMP payload version or checksum are wrong",
            FunctionsPayloadError::Unreadable => "ERR can not read data type",
            FunctionsPayloadError::NotAFunction => "ERR given type is not a function",
            FunctionsPayloadError::Failed => "ERR failed loading the given functions payload",
        }
    }
}

/// FUNCTION DUMP's payload: each library's code as a FUNCTION2 record, then the footer.
pub fn dump_functions(codes: &[&[u8]], compress: bool) -> Vec<u8> {
    let mut out = Writer::new(Vec::new(), false, compress);
    for code in codes {
        // Writing into a vector cannot fail.
        let _ = out.byte(super::format::OP_FUNCTION2).and_then(|()| out.string(code));
    }
    let mut payload = out.into_sink();
    payload.extend_from_slice(&SAVE_VERSION.to_le_bytes());
    let crc = crc64(&payload);
    payload.extend_from_slice(&crc.to_le_bytes());
    payload
}

/// The library codes in a FUNCTION RESTORE payload, checked as Redis checks it.
pub fn restore_functions(payload: &[u8], verify_checksum: bool) -> Result<Vec<Vec<u8>>, FunctionsPayloadError> {
    let Some(body_len) = payload.len().checked_sub(FOOTER) else {
        return Err(FunctionsPayloadError::VersionOrChecksum);
    };
    let footer = &payload[body_len..];
    let version = u16::from_le_bytes([footer[0], footer[1]]);
    let stored = u64::from_le_bytes(footer[2..].try_into().map_err(|_| FunctionsPayloadError::VersionOrChecksum)?);
    if version > MAX_PAYLOAD_VERSION || (verify_checksum && crc64(&payload[..body_len + 2]) != stored) {
        return Err(FunctionsPayloadError::VersionOrChecksum);
    }
    let mut reader = Reader::new(&payload[..body_len], false);
    let mut codes = Vec::new();
    while (reader.pos() as usize) < body_len {
        let kind = reader.u8("a record type").map_err(|_| FunctionsPayloadError::Unreadable)?;
        if kind != super::format::OP_FUNCTION2 {
            return Err(FunctionsPayloadError::NotAFunction);
        }
        codes.push(reader.string().map_err(|_| FunctionsPayloadError::Failed)?);
    }
    Ok(codes)
}
