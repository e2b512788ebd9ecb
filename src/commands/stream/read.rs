//! XREAD and XREADGROUP (Redis's `xreadCommand`): option parsing, serving each stream that has
//! something to deliver, blocking otherwise, and a group read's effects (PEL, group counters,
//! consumers) with their propagation as XCLAIM and XGROUP SETID / CREATECONSUMER.

use super::common::{lookup_stream, reply_entry, reply_id};
use crate::commands::blocking::serving_blocked;
use crate::commands::errors::{NOT_INTEGER, Replied, SYNTAX, c_str, format_error};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, now_ms};
use crate::protocol::Reply;
use crate::state::{BlockTimeout, Ctx, OnTimeout};
use crate::types::number::parse_i64;
use crate::types::stream::group::ENTRIES_READ_INVALID;
use crate::types::stream::{Group, Stream, StreamId};

/// How many entries a blocked read without COUNT gets when served (`XREAD_BLOCKED_DEFAULT_COUNT`).
const BLOCKED_DEFAULT_COUNT: usize = 1000;

/// Parsed options.
struct ReadArgs<'a> {
    block: Option<BlockTimeout>,
    count: usize,
    noack: bool,
    group: Option<(&'a [u8], &'a [u8])>,
    /// Index of the first key.
    streams: usize,
    keys: usize,
}

fn fail(out: &mut Reply, msg: &str) -> Replied {
    out.error(msg);
    Replied
}

/// Parses XREAD's or XREADGROUP's (`group_read`) options; a script (`from_script`) may not
/// use BLOCK, as in Redis.
fn parse<'a>(out: &mut Reply, argv: &[&'a [u8]], group_read: bool, from_script: bool) -> Result<ReadArgs<'a>, Replied> {
    let mut args = ReadArgs { block: None, count: 0, noack: false, group: None, streams: 0, keys: 0 };
    let mut i = 1;
    while i < argv.len() {
        let more = argv.len() - i - 1;
        let opt = argv[i];
        if opt.eq_ignore_ascii_case(b"block") && more > 0 {
            if from_script {
                let name = String::from_utf8_lossy(argv[0]);
                return Err(fail(out, &format!("ERR {name} command is not allowed with BLOCK option from scripts")));
            }
            i += 1;
            let ms = parse_i64(argv[i]).ok_or_else(|| fail(out, "ERR timeout is not an integer or out of range"))?;
            let ms = u64::try_from(ms).map_err(|_| fail(out, "ERR timeout is negative"))?;
            args.block = Some(BlockTimeout::from_millis(ms));
        } else if opt.eq_ignore_ascii_case(b"count") && more > 0 {
            i += 1;
            let n = parse_i64(argv[i]).ok_or_else(|| fail(out, NOT_INTEGER))?;
            args.count = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
        } else if opt.eq_ignore_ascii_case(b"streams") && more > 0 {
            args.streams = i + 1;
            let n = argv.len() - args.streams;
            if n % 2 != 0 {
                return Err(fail(
                    out,
                    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
                ));
            }
            args.keys = n / 2;
            break;
        } else if opt.eq_ignore_ascii_case(b"group") && more >= 2 {
            if !group_read {
                return Err(fail(
                    out,
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            args.group = Some((argv[i + 1], argv[i + 2]));
            i += 2;
        } else if opt.eq_ignore_ascii_case(b"noack") {
            if !group_read {
                return Err(fail(
                    out,
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            args.noack = true;
        } else {
            return Err(fail(out, SYNTAX));
        }
        i += 1;
    }
    if args.streams == 0 {
        return Err(fail(out, SYNTAX));
    }
    if group_read && args.group.is_none() {
        return Err(fail(out, "ERR Missing GROUP option for XREADGROUP"));
    }
    Ok(args)
}

/// What to read from one stream: after `after` (`None` for XREADGROUP's `>`).
#[derive(Clone, Copy)]
struct Cursor {
    after: Option<StreamId>,
}

/// Runs XREAD (`group_read` false) or XREADGROUP.
pub fn read(ctx: &mut Ctx<'_>, argv: &[&[u8]], group_read: bool) {
    // Whatever happens, the read itself is not propagated: its effects are.
    ctx.prevent_propagation();
    let from_script = ctx.client.transport == crate::state::Transport::Script;
    let Ok(args) = parse(ctx.out, argv, group_read, from_script) else { return };
    let keys = &argv[args.streams..args.streams + args.keys];
    let ids = &argv[args.streams + args.keys..];
    let Ok(cursors) = resolve(ctx, &args, keys, ids) else { return };
    let count = match args.count {
        0 if serving_blocked(ctx) => BLOCKED_DEFAULT_COUNT,
        n => n,
    };
    // Which streams have something to serve now, and from where.
    let mut starts = Vec::with_capacity(keys.len());
    for (&key, cursor) in keys.iter().zip(&cursors) {
        let db = &mut ctx.server.dbs[ctx.client.db];
        let stream = lookup_stream(db, ctx.out, key, Access::Read).ok().flatten();
        starts.push(stream.and_then(|s| serve_from(s, args.group.map(|g| g.0), *cursor)));
    }
    let served = starts.iter().filter(|s| s.is_some()).count();
    if served == 0 {
        return match args.block {
            Some(timeout) => block(ctx, argv, &args, keys, &cursors, timeout),
            None => ctx.out.null_array(),
        };
    }
    // RESP3 maps each key to its entries; RESP2 lists `[key, entries]` pairs.
    let resp3 = ctx.out.is_resp3();
    if resp3 {
        ctx.out.map(served);
    } else {
        ctx.out.array(served);
    }
    for ((&key, cursor), start) in keys.iter().zip(&cursors).zip(starts) {
        let Some(start) = start else { continue };
        if !resp3 {
            ctx.out.array(2);
        }
        ctx.out.bulk(key);
        match args.group {
            None => {
                let db = &mut ctx.server.dbs[ctx.client.db];
                if let Ok(Some(stream)) = lookup_stream(db, ctx.out, key, Access::Read) {
                    super::common::reply_range(ctx.out, stream, start, StreamId::MAX, false, count);
                }
            }
            Some((group, consumer)) => {
                let history = cursor.after.is_some();
                group_read_one(ctx, key, (group, consumer), start, count, history, args.noack);
                ctx.add_dirty(1);
            }
        }
    }
}

/// The IDs each stream is read after, checking types and groups as Redis does, key by key.
fn resolve(ctx: &mut Ctx<'_>, args: &ReadArgs<'_>, keys: &[&[u8]], ids: &[&[u8]]) -> Result<Vec<Cursor>, Replied> {
    let mut cursors = Vec::with_capacity(keys.len());
    for (&key, &id) in keys.iter().zip(ids) {
        let db = &mut ctx.server.dbs[ctx.client.db];
        let stream = lookup_stream(db, ctx.out, key, Access::Read)?.map(|s| &*s);
        if let Some((group, _)) = args.group {
            if !stream.is_some_and(|s| s.groups.contains_key(group)) {
                let msg = if serving_blocked(ctx) {
                    b"NOGROUP the consumer group this client was blocked on no longer exists".to_vec()
                } else {
                    format_error(&[
                        b"NOGROUP No such key '",
                        c_str(key),
                        b"' or consumer group '",
                        c_str(group),
                        b"' in XREADGROUP with GROUP option",
                    ])
                };
                ctx.out.error_bytes(&msg);
                return Err(Replied);
            }
        }
        let after = match id {
            b"$" if args.group.is_some() => {
                return Err(fail(
                    ctx.out,
                    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
                ));
            }
            b"$" => Some(stream.map_or(StreamId::MIN, |s| s.last_id)),
            b">" if args.group.is_none() => {
                return Err(fail(
                    ctx.out,
                    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
                ));
            }
            b">" => None,
            _ => Some(super::common::parse_id(ctx.out, id, 0, true)?),
        };
        cursors.push(Cursor { after });
    }
    Ok(cursors)
}

/// The first ID to serve from `stream`, or `None` when there is nothing to serve now.
fn serve_from(stream: &Stream, group: Option<&[u8]>, cursor: Cursor) -> Option<StreamId> {
    match (group, cursor.after) {
        // A consumer's history is always served, even when empty.
        // Redis's increment wraps past the largest ID to 0-0.
        (Some(_), Some(after)) => Some(after.next().unwrap_or(StreamId::MIN)),
        (Some(group), None) => {
            let last = stream.groups.get(group)?.last_id;
            let top = stream.edge_id(true)?;
            (top > last).then(|| last.next().unwrap_or(StreamId::MAX))
        }
        (None, after) => {
            let after = after.unwrap_or(StreamId::MAX);
            let top = stream.edge_id(true)?;
            (top > after).then(|| after.next().unwrap_or(StreamId::MAX))
        }
    }
}

/// Serves one stream to a consumer of a group: its history (pending entries after `start`) or
/// new entries from `start`, updating the group and propagating the effects.
fn group_read_one(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    (group_name, consumer): (&[u8], &[u8]),
    start: StreamId,
    count: usize,
    history: bool,
    noack: bool,
) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(Some(stream)) = lookup_stream(db, ctx.out, key, Access::Write) else { return };
    let entries_added = stream.entries_added;
    let Some(mut group) = stream.groups.remove(group_name) else { return };
    let created = match group.consumers.get_mut(consumer) {
        Some(c) => {
            c.seen_time = now;
            false
        }
        None => group.create_consumer(consumer, now),
    };
    let mut claims = Vec::new();
    let mut set_id = false;
    if history {
        reply_history(ctx.out, stream, &mut group, consumer, start, count, now);
    } else {
        let deferred = ctx.out.begin_deferred(crate::protocol::Aggregate::Array);
        let mut n = 0;
        let mut delivered = Vec::new();
        stream.range(start, StreamId::MAX, false, |id, fields| {
            reply_entry(ctx.out, id, &fields);
            delivered.push(id);
            n += 1;
            count == 0 || n < count
        });
        ctx.out.end_deferred(deferred, n);
        for id in delivered {
            if id > group.last_id {
                advance(stream, &mut group, id, entries_added);
                set_id |= noack;
            }
            if !noack {
                group.assign(id, consumer, now, Some(1));
                // Redis propagates each delivery with the group's last ID as it stands then.
                claims.push((id, group.last_id));
            }
        }
    }
    let last_id = group.last_id;
    let entries_read = group.entries_read;
    let nacks: Vec<(StreamId, i64, u64, StreamId)> = claims
        .iter()
        .filter_map(|&(id, last)| group.pel.get(&id).map(|n| (id, n.delivery_time, n.delivery_count, last)))
        .collect();
    stream.groups.insert(group_name.to_vec(), group);
    if created {
        ctx.add_dirty(1);
        ctx.notify(NotifyFlags::STREAM, "xgroup-createconsumer", key);
        if noack {
            ctx.also_propagate(&[b"XGROUP", b"CREATECONSUMER", key, group_name, consumer]);
        }
    }
    for (id, time, deliveries, last) in nacks {
        propagate_claim(ctx, key, group_name, consumer, id, (time, deliveries), last);
    }
    if set_id {
        propagate_set_id(ctx, key, group_name, last_id, entries_read);
    }
}

/// Moves the group's last ID to `id`, keeping its read counter exact when it can (Redis 7.0).
fn advance(stream: &Stream, group: &mut Group, id: StreamId, entries_added: u64) {
    if group.entries_read != ENTRIES_READ_INVALID && !stream.range_has_tombstones(id, None) {
        group.entries_read += 1;
    } else if entries_added > 0 {
        group.entries_read = stream.estimate_distance(id);
    }
    group.last_id = id;
}

/// Replies the consumer's pending entries from `start` (a deleted one as `[id, nil]`); each one
/// still in the stream counts one more delivery.
fn reply_history(
    out: &mut Reply,
    stream: &Stream,
    group: &mut Group,
    consumer: &[u8],
    start: StreamId,
    count: usize,
    now: i64,
) {
    let ids: Vec<StreamId> = group
        .consumers
        .get(consumer)
        .map(|c| c.pel.range(start..).take(if count == 0 { usize::MAX } else { count }).copied().collect())
        .unwrap_or_default();
    out.array(ids.len());
    for id in ids {
        match stream.get(id) {
            Some(fields) => {
                let fields: Vec<_> = fields.iter().map(|(f, v)| (f[..].into(), v[..].into())).collect();
                reply_entry(out, id, &fields);
                if let Some(nack) = group.pel.get_mut(&id) {
                    nack.delivery_time = now;
                    nack.delivery_count += 1;
                }
            }
            None => {
                out.array(2);
                reply_id(out, id);
                out.null_array();
            }
        }
    }
}

/// Propagates a delivery as Redis does: `XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n
/// FORCE JUSTID LASTID last-id`.
pub fn propagate_claim(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    group: &[u8],
    consumer: &[u8],
    id: StreamId,
    (time, deliveries): (i64, u64),
    last_id: StreamId,
) {
    let (id, time, deliveries, last) = (id.to_bytes(), time.to_string(), deliveries.to_string(), last_id.to_bytes());
    ctx.also_propagate(&[
        b"XCLAIM",
        key,
        group,
        consumer,
        b"0",
        &id,
        b"TIME",
        time.as_bytes(),
        b"RETRYCOUNT",
        deliveries.as_bytes(),
        b"FORCE",
        b"JUSTID",
        b"LASTID",
        &last,
    ]);
}

/// Propagates a group's position: `XGROUP SETID key group last-id ENTRIESREAD n`.
pub fn propagate_set_id(ctx: &mut Ctx<'_>, key: &[u8], group: &[u8], last_id: StreamId, entries_read: i64) {
    let (id, read) = (last_id.to_bytes(), entries_read.to_string());
    ctx.also_propagate(&[b"XGROUP", b"SETID", key, group, &id, b"ENTRIESREAD", read.as_bytes()]);
}

/// Parks the client until one of its streams gets entries; `$` is fixed to the ID it stood for.
fn block(
    ctx: &mut Ctx<'_>,
    argv: &[&[u8]],
    args: &ReadArgs<'_>,
    keys: &[&[u8]],
    cursors: &[Cursor],
    timeout: BlockTimeout,
) {
    let mut owned: Vec<Vec<u8>> = argv.iter().map(|a| a.to_vec()).collect();
    for (i, cursor) in cursors.iter().enumerate() {
        if let Some(after) = cursor.after {
            owned[args.streams + args.keys + i] = after.to_bytes();
        }
    }
    let fixed: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
    ctx.block(&fixed, keys, "stream", timeout, OnTimeout::NullArray);
    if args.group.is_some() {
        ctx.block_ends_with_key();
    }
}
