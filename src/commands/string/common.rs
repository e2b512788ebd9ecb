//! Helpers shared by the string commands: typed lookups, replies, and the size limit.
//!
//! They take the database and the reply buffer separately (not the whole context) so a handler
//! can hold a value from the database while it writes the reply.

use crate::commands::errors::{Replied, WRONGTYPE};
use crate::config::Config;
use crate::keyspace::{Access, Db, StringValue};
use crate::protocol::Reply;

/// Error when a string would outgrow `proto-max-bulk-len`.
pub const TOO_BIG: &str = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

/// The string at `key`: `Ok(None)` when absent; replies WRONGTYPE and returns `Err` when the
/// key holds another type.
pub fn lookup_string<'a>(
    db: &'a mut Db,
    out: &mut Reply,
    key: &[u8],
    now: i64,
    access: Access,
) -> Result<Option<&'a mut StringValue>, Replied> {
    match db.lookup_for(key, now, access) {
        None => Ok(None),
        Some(entry) => match entry.value.as_string_mut() {
            Some(s) => Ok(Some(s)),
            None => {
                out.error(WRONGTYPE);
                Err(Replied)
            }
        },
    }
}

/// Replies the value as a bulk string.
pub fn reply_string(out: &mut Reply, value: &StringValue) {
    let mut scratch = [0u8; 20];
    out.bulk(value.as_bytes(&mut scratch));
}

/// Replies the value, or a null when absent.
pub fn reply_optional(out: &mut Reply, value: Option<&StringValue>) {
    match value {
        Some(v) => reply_string(out, v),
        None => out.null(),
    }
}

/// How a deletion is propagated: `UNLINK` when the lazyfree directive `directive` (e.g.
/// `lazyfree-lazy-user-del`) is on, `DEL` otherwise, as Redis rewrites GETDEL and GETEX.
pub fn deletion_command(config: &Config, directive: &str) -> &'static [u8] {
    if config.get_value(directive) == Some(b"yes") { b"UNLINK" } else { b"DEL" }
}

/// Whether a string of `len` bytes fits under `proto-max-bulk-len`; replies the error if not.
pub fn check_size(config: &Config, out: &mut Reply, len: u64) -> Result<(), Replied> {
    let limit = u64::try_from(config.proto_max_bulk_len).unwrap_or(u64::MAX);
    if len > limit {
        out.error(TOO_BIG);
        return Err(Replied);
    }
    Ok(())
}
