//! XPENDING: Return information and entries from a stream consumer group pending entries list.

use super::common::{lookup_stream, parse_bound, reply_id};
use crate::commands::errors::{NOT_INTEGER, Replied, SYNTAX, c_str, format_error};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::stream::StreamId;

/// XPENDING.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xpending",
    arity: -3,
    flags: Flags::READONLY,
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.",
    complexity: "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
    history: &[("6.2.0", "Added the `IDLE` option and exclusive range intervals.")],
    tips: &["nondeterministic_output"],
    args: &[
        Arg::key(0),
        Arg { name: "group", ..Arg::DEFAULT },
        Arg {
            name: "filters",
            kind: ArgKind::Block(&[
                Arg {
                    name: "min-idle-time",
                    kind: ArgKind::Integer,
                    token: Some("IDLE"),
                    optional: true,
                    since: Some("6.2.0"),
                    ..Arg::DEFAULT
                },
                Arg { name: "start", ..Arg::DEFAULT },
                Arg { name: "end", ..Arg::DEFAULT },
                Arg { name: "count", kind: ArgKind::Integer, ..Arg::DEFAULT },
                Arg { name: "consumer", optional: true, ..Arg::DEFAULT },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// The extended form's arguments.
struct Extended<'a> {
    min_idle: i64,
    start: StreamId,
    end: StreamId,
    count: usize,
    consumer: Option<&'a [u8]>,
}

fn parse<'a>(ctx: &mut Ctx<'_>, argv: &[&'a [u8]]) -> Result<Extended<'a>, Replied> {
    let int = |ctx: &mut Ctx<'_>, arg: &[u8]| {
        parse_i64(arg).ok_or_else(|| {
            ctx.out.error(NOT_INTEGER);
            Replied
        })
    };
    let mut at = 3;
    let mut min_idle = 0;
    if argv[3].eq_ignore_ascii_case(b"idle") {
        min_idle = int(ctx, argv[4])?;
        if argv.len() < 8 {
            ctx.out.error(SYNTAX);
            return Err(Replied);
        }
        at += 2;
    }
    let count = usize::try_from(int(ctx, argv[at + 2])?.max(0)).unwrap_or(usize::MAX);
    let start = parse_bound(ctx.out, argv[at], 0, true)?;
    let end = parse_bound(ctx.out, argv[at + 1], u64::MAX, false)?;
    Ok(Extended { min_idle, start, end, count, consumer: argv.get(at + 3).copied() })
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if argv.len() != 3 && !(6..=9).contains(&argv.len()) {
        return ctx.out.error(SYNTAX);
    }
    let extended = if argv.len() >= 6 {
        let Ok(extended) = parse(ctx, argv) else { return };
        Some(extended)
    } else {
        None
    };
    let (key, name) = (argv[1], argv[2]);
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(stream) = lookup_stream(db, ctx.out, key, Access::Read) else { return };
    let Some(group) = stream.and_then(|s| s.groups.get(name)) else {
        let msg = format_error(&[b"NOGROUP No such key '", c_str(key), b"' or consumer group '", c_str(name), b"'"]);
        return ctx.out.error_bytes(&msg);
    };
    let out = &mut *ctx.out;
    let Some(args) = extended else {
        out.array(4);
        out.int(group.pel.len() as i64);
        match (group.pel.keys().next(), group.pel.keys().next_back()) {
            (Some(&first), Some(&last)) => {
                reply_id(out, first);
                reply_id(out, last);
                let owners: Vec<_> = group.consumers.iter().filter(|(_, c)| !c.pel.is_empty()).collect();
                out.array(owners.len());
                for (name, consumer) in owners {
                    out.array(2);
                    out.bulk(name);
                    out.bulk(consumer.pel.len().to_string().as_bytes());
                }
            }
            _ => {
                out.null();
                out.null();
                out.null_array();
            }
        }
        return;
    };
    let ids: Box<dyn Iterator<Item = StreamId>> = match args.consumer {
        Some(name) => match group.consumers.get(name) {
            Some(consumer) => Box::new(consumer.pel.range(args.start..).copied()),
            None => return out.array(0),
        },
        None => Box::new(group.pel.range(args.start..).map(|(id, _)| *id)),
    };
    let now = now_ms();
    let rows: Vec<_> = ids
        .take_while(|&id| id <= args.end)
        .filter_map(|id| group.pel.get(&id).map(|nack| (id, nack)))
        .filter(|(_, nack)| args.min_idle == 0 || now - nack.delivery_time >= args.min_idle)
        .take(args.count)
        .collect();
    out.array(rows.len());
    for (id, nack) in rows {
        out.array(4);
        reply_id(out, id);
        out.bulk(&nack.consumer);
        out.int((now - nack.delivery_time).max(0));
        out.int(nack.delivery_count as i64);
    }
}
