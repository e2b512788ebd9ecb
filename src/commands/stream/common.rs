//! Helpers shared by the stream commands: typed lookups, ID arguments with Redis's error texts,
//! entry replies, and the effects of a write.

use crate::commands::errors::{Replied, WRONGTYPE};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, Db, Value, now_ms};
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::stream::node::Field;
use crate::types::stream::{ParsedId, Stream, StreamId};

/// Any malformed ID argument.
pub const INVALID_ID: &str = "ERR Invalid stream ID specified as stream command argument";
/// XRANGE's `(` start past the last ID.
pub const INVALID_START: &str = "ERR invalid start ID for the interval";
/// XRANGE's `(` end before 0-0.
pub const INVALID_END: &str = "ERR invalid end ID for the interval";
/// A key that must exist does not (Redis's `shared.nokeyerr`).
pub const NO_SUCH_KEY: &str = "ERR no such key";

/// The stream at `key`: `Ok(None)` when absent; replies WRONGTYPE when the key holds another type.
pub fn lookup_stream<'a>(
    db: &'a mut Db,
    out: &mut Reply,
    key: &[u8],
    access: Access,
) -> Result<Option<&'a mut Stream>, Replied> {
    match db.lookup_for(key, now_ms(), access) {
        None => Ok(None),
        Some(entry) => match entry.value.as_stream_mut() {
            Some(stream) => Ok(Some(stream)),
            None => {
                out.error(WRONGTYPE);
                Err(Replied)
            }
        },
    }
}

/// The stream at `key`, or `None` after replying: WRONGTYPE, or what `missing` writes when there
/// is no such key (XDEL's 0, XINFO's `no such key`).
pub fn existing_stream<'a>(
    db: &'a mut Db,
    out: &mut Reply,
    key: &[u8],
    access: Access,
    missing: impl FnOnce(&mut Reply),
) -> Option<&'a mut Stream> {
    match lookup_stream(db, out, key, access) {
        Ok(Some(stream)) => Some(stream),
        Ok(None) => {
            missing(out);
            None
        }
        Err(Replied) => None,
    }
}

/// The stream at `key` in the caller's database, created empty when absent.
pub fn stream_for_write<'a>(db: &'a mut Db, out: &mut Reply, key: &[u8]) -> Result<&'a mut Stream, Replied> {
    if lookup_stream(db, out, key, Access::Write)?.is_none() {
        db.insert(key, Value::Stream(Box::default()), false);
    }
    lookup_stream(db, out, key, Access::Write)?.ok_or(Replied)
}

/// Parses an ID argument (see [`StreamId::parse`]), replying Redis's error when malformed.
pub fn parse_id(out: &mut Reply, arg: &[u8], missing_seq: u64, strict: bool) -> Result<StreamId, Replied> {
    parse_id_star(out, arg, missing_seq, strict, false).map(|p| p.id)
}

/// [`parse_id`] that also accepts `<ms>-*` when `allow_star` (XADD).
pub fn parse_id_star(
    out: &mut Reply,
    arg: &[u8],
    missing_seq: u64,
    strict: bool,
    allow_star: bool,
) -> Result<ParsedId, Replied> {
    StreamId::parse(arg, missing_seq, strict, allow_star).ok_or_else(|| {
        out.error(INVALID_ID);
        Replied
    })
}

/// A range bound (XRANGE, XPENDING): `-`, `+`, an ID, or with a `(` prefix the ID excluded. An
/// incomplete ID gets `missing_seq`. Replies Redis's errors, the given `past_end` one when an
/// excluded bound has no neighbour (`up` says which way to step).
pub fn parse_bound(out: &mut Reply, arg: &[u8], missing_seq: u64, up: bool) -> Result<StreamId, Replied> {
    if arg.len() > 1 && arg[0] == b'(' {
        let id = parse_id(out, &arg[1..], missing_seq, true)?;
        let stepped = if up { id.next() } else { id.prev() };
        return stepped.ok_or_else(|| {
            out.error(if up { INVALID_START } else { INVALID_END });
            Replied
        });
    }
    parse_id(out, arg, missing_seq, false)
}

/// Replies an ID as a bulk string.
pub fn reply_id(out: &mut Reply, id: StreamId) {
    out.bulk(id.to_string().as_bytes());
}

/// Replies one entry: `[id, [field, value, ...]]`.
pub fn reply_entry(out: &mut Reply, id: StreamId, fields: &[Field<'_>]) {
    out.array(2);
    reply_id(out, id);
    out.array(fields.len() * 2);
    for (field, value) in fields {
        out.bulk(field);
        out.bulk(value);
    }
}

/// Replies up to `count` (0: all) entries from `start` to `end` as an array; returns how many.
pub fn reply_range(out: &mut Reply, stream: &Stream, start: StreamId, end: StreamId, rev: bool, count: usize) -> usize {
    let deferred = out.begin_deferred(crate::protocol::Aggregate::Array);
    let mut n = 0;
    stream.range(start, end, rev, |id, fields| {
        reply_entry(out, id, &fields);
        n += 1;
        count == 0 || n < count
    });
    out.end_deferred(deferred, n);
    n
}

/// A write changed the stream at `key`: WATCH and blocked clients learn it, the stream event
/// `event` fires, and one change is counted.
pub fn changed(ctx: &mut Ctx<'_>, key: &[u8], event: &str) {
    ctx.changed(key, NotifyFlags::STREAM, event);
}

/// Fires the stream event `event` for `key` with no other effect (XADD's `xtrim`).
pub fn notify(ctx: &mut Ctx<'_>, key: &[u8], event: &str) {
    ctx.notify(NotifyFlags::STREAM, event, key);
}
