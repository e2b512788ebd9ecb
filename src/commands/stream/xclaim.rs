//! XCLAIM: Changes (or acquires) ownership of a message in a consumer group, as if the message
//! was delivered to the specified consumer.

use super::claim::Claimer;
use super::common::{lookup_stream, parse_id};
use super::read::propagate_set_id;
use crate::commands::errors::{Replied, c_str, format_error};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::stream::StreamId;

/// XCLAIM.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xclaim",
    arity: -6,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.",
    complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
    tips: &["nondeterministic_output"],
    args: &[
        Arg::key(0),
        Arg { name: "group", ..Arg::DEFAULT },
        Arg { name: "consumer", ..Arg::DEFAULT },
        Arg { name: "min-idle-time", ..Arg::DEFAULT },
        Arg { name: "id", multiple: true, ..Arg::DEFAULT },
        Arg { name: "ms", kind: ArgKind::Integer, token: Some("IDLE"), optional: true, ..Arg::DEFAULT },
        Arg {
            name: "unix-time-milliseconds",
            kind: ArgKind::UnixTime,
            token: Some("TIME"),
            optional: true,
            ..Arg::DEFAULT
        },
        Arg { name: "count", kind: ArgKind::Integer, token: Some("RETRYCOUNT"), optional: true, ..Arg::DEFAULT },
        Arg { name: "force", kind: ArgKind::PureToken, token: Some("FORCE"), optional: true, ..Arg::DEFAULT },
        Arg { name: "justid", kind: ArgKind::PureToken, token: Some("JUSTID"), optional: true, ..Arg::DEFAULT },
        Arg { name: "id", token: Some("LASTID"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// `-NOGROUP No such key '<key>' or consumer group '<group>'` (XCLAIM, XAUTOCLAIM).
pub fn no_group(out: &mut Reply, key: &[u8], group: &[u8]) {
    out.error_bytes(&format_error(&[
        b"NOGROUP No such key '",
        c_str(key),
        b"' or consumer group '",
        c_str(group),
        b"'",
    ]));
}

/// Checks the stream and group exist, replying WRONGTYPE or NOGROUP.
pub fn check_group(ctx: &mut Ctx<'_>, key: &[u8], group: &[u8]) -> Result<(), Replied> {
    let db = &mut ctx.server.dbs[ctx.client.db];
    if lookup_stream(db, ctx.out, key, Access::Read)?.is_some_and(|s| s.groups.contains_key(group)) {
        return Ok(());
    }
    no_group(ctx.out, key, group);
    Err(Replied)
}

fn int(out: &mut Reply, arg: &[u8], what: &str) -> Result<i64, Replied> {
    parse_i64(arg).ok_or_else(|| {
        out.error(&format!("ERR Invalid {what} argument for XCLAIM"));
        Replied
    })
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.prevent_propagation();
    let (key, group) = (argv[1], argv[2]);
    if check_group(ctx, key, group).is_err() {
        return;
    }
    let Ok(min_idle) = int(ctx.out, argv[4], "min-idle-time") else { return };
    let min_idle = min_idle.max(0);
    let ids: Vec<StreamId> = argv[5..].iter().map_while(|a| StreamId::parse(a, 0, true, false).map(|p| p.id)).collect();
    let now = now_ms();
    let (mut retry, mut time, mut force, mut justid, mut last_id) = (None, None, false, false, StreamId::MIN);
    let mut j = 5 + ids.len();
    while j < argv.len() {
        let (opt, value) = (argv[j], argv.get(j + 1).copied());
        match value {
            _ if opt.eq_ignore_ascii_case(b"force") => force = true,
            _ if opt.eq_ignore_ascii_case(b"justid") => justid = true,
            Some(v) if opt.eq_ignore_ascii_case(b"idle") => {
                let Ok(idle) = int(ctx.out, v, "IDLE option") else { return };
                time = Some(now.wrapping_sub(idle));
                j += 1;
            }
            Some(v) if opt.eq_ignore_ascii_case(b"time") => {
                let Ok(t) = int(ctx.out, v, "TIME option") else { return };
                time = Some(t);
                j += 1;
            }
            Some(v) if opt.eq_ignore_ascii_case(b"retrycount") => {
                let Ok(n) = int(ctx.out, v, "RETRYCOUNT option") else { return };
                retry = u64::try_from(n).ok();
                j += 1;
            }
            Some(v) if opt.eq_ignore_ascii_case(b"lastid") => {
                let Ok(id) = parse_id(ctx.out, v, 0, true) else { return };
                last_id = id;
                j += 1;
            }
            _ => {
                let msg = format_error(&[b"ERR Unrecognized XCLAIM option '", c_str(opt), b"'"]);
                return ctx.out.error_bytes(&msg);
            }
        }
        j += 1;
    }
    let mut claimer = Claimer::new(key, group, argv[3], justid);
    let mut propagate_last_id =
        claimer.with_group(ctx, |g| (last_id > g.last_id).then(|| g.last_id = last_id).is_some()) == Some(true);
    let time = time.filter(|&t| (0..=now).contains(&t)).unwrap_or(now);
    let deferred = ctx.out.begin_deferred(crate::protocol::Aggregate::Array);
    let mut claimed = 0;
    for id in ids {
        if !claimer.entry_exists(ctx, id) {
            propagate_last_id &= !claimer.drop_deleted(ctx, id);
            continue;
        }
        let state = claimer.with_group(ctx, |g| match g.pel.get(&id) {
            None if force => {
                g.pel.insert(
                    id,
                    crate::types::stream::Nack { delivery_time: now, delivery_count: 1, consumer: Vec::new() },
                );
                Some(true)
            }
            None => None,
            Some(nack) => Some(nack.consumer.is_empty() || min_idle == 0 || now - nack.delivery_time >= min_idle),
        });
        match state.flatten() {
            Some(true) => {
                claimer.take(ctx, id, time, retry);
                claimed += 1;
                propagate_last_id = false;
            }
            _ => continue,
        }
    }
    if propagate_last_id {
        if let Some((last, read)) = claimer.with_group(ctx, |g| (g.last_id, g.entries_read)) {
            propagate_set_id(ctx, key, group, last, read);
            ctx.add_dirty(1);
        }
    }
    ctx.out.end_deferred(deferred, claimed);
}
