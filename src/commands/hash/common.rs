//! Helpers shared by the hash commands: typed lookups, creation, deletion when empty, replies.

use crate::commands::errors::{Replied, WRONGTYPE};
use crate::config::{Config, NotifyFlags};
use crate::keyspace::{Access, Db, HashLimits, HashValue, Value};
use crate::protocol::Reply;
use crate::state::Ctx;

/// The hash at `key`: `Ok(None)` when absent; replies WRONGTYPE and returns `Err` when the key
/// holds another type.
pub fn lookup_hash<'a>(
    db: &'a mut Db,
    out: &mut Reply,
    key: &[u8],
    now: i64,
    access: Access,
) -> Result<Option<&'a mut HashValue>, Replied> {
    match db.lookup_for(key, now, access) {
        None => Ok(None),
        Some(entry) => match entry.value.as_hash_mut() {
            Some(h) => Ok(Some(h)),
            None => {
                out.error(WRONGTYPE);
                Err(Replied)
            }
        },
    }
}

/// The hash at `key`, created empty when absent (the caller fills it before replying); replies
/// WRONGTYPE when the key holds another type.
pub fn hash_for_write<'a>(db: &'a mut Db, out: &mut Reply, key: &[u8], now: i64) -> Result<&'a mut HashValue, Replied> {
    if lookup_hash(db, out, key, now, Access::Write)?.is_none() {
        db.insert(key, Value::Hash(HashValue::default()), false);
    }
    match db.lookup_for(key, now, Access::Write).and_then(|e| e.value.as_hash_mut()) {
        Some(h) => Ok(h),
        None => Err(Replied),
    }
}

/// Reports a change to the hash at `key`: WATCH is signalled, the `hash` keyspace event `event`
/// fires, and `changes` writes count towards the dirty counter, as Redis counts every pair HSET
/// sets and every field HDEL removes.
pub fn changed(ctx: &mut Ctx<'_>, key: &[u8], event: &str, changes: usize) {
    ctx.changed(key, NotifyFlags::HASH, event);
    ctx.add_dirty(u64::try_from(changes.saturating_sub(1)).unwrap_or(0));
}

/// The configured encoding limits.
pub fn limits(config: &Config) -> HashLimits {
    HashLimits { max_entries: config.hash_max_listpack_entries, max_value: config.hash_max_listpack_value }
}

/// The reply to a command called with a field without its value.
pub fn wrong_arity(out: &mut Reply, command: &str) {
    out.error(&format!("ERR wrong number of arguments for '{command}' command"));
}

/// Which parts of each pair a listing replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    /// Fields only (HKEYS).
    Fields,
    /// Values only (HVALS).
    Values,
    /// Both, as a map (HGETALL).
    Both,
}

/// Replies every field and/or value of `hash` (an empty reply for a missing key).
pub fn reply_listing(out: &mut Reply, hash: Option<&HashValue>, parts: Parts) {
    let len = hash.map_or(0, HashValue::len);
    match parts {
        Parts::Both => out.map(len),
        _ => out.array(len),
    }
    for (field, value) in hash.into_iter().flat_map(HashValue::iter) {
        if parts != Parts::Values {
            out.bulk(&field);
        }
        if parts != Parts::Fields {
            out.bulk(&value);
        }
    }
}
