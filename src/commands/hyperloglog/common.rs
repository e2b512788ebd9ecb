//! Helpers shared by the HyperLogLog commands: finding a key's HLL string with Redis's checks
//! and error texts.

use crate::commands::errors::{Replied, WRONGTYPE};
use crate::keyspace::{Access, Db, StringValue, now_ms};
use crate::protocol::Reply;
use crate::types::hll::{self, Encoding};

/// A string that is not an HLL (no `HYLL` header, unknown encoding, dense of the wrong size).
pub const NOT_HLL: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";
/// An HLL whose sparse runs do not cover exactly the registers.
pub const CORRUPT: &str = "INVALIDOBJ Corrupted HLL object detected";

/// The HLL string at `key`: `Ok(None)` when absent; replies WRONGTYPE (another type) or
/// [`NOT_HLL`] and returns `Err` otherwise. An integer-encoded string is never an HLL.
pub fn lookup_hll<'a>(
    db: &'a mut Db,
    out: &mut Reply,
    key: &[u8],
    access: Access,
) -> Result<Option<(&'a mut StringValue, Encoding)>, Replied> {
    let Some(entry) = db.lookup_for(key, now_ms(), access) else { return Ok(None) };
    let Some(value) = entry.value.as_string_mut() else {
        out.error(WRONGTYPE);
        return Err(Replied);
    };
    let mut scratch = [0u8; 20];
    let encoding = match &*value {
        StringValue::Int(_) => None,
        other => hll::encoding(other.as_bytes(&mut scratch)),
    };
    match encoding {
        Some(encoding) => Ok(Some((value, encoding))),
        None => {
            out.error(NOT_HLL);
            Err(Replied)
        }
    }
}
