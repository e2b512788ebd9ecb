//! XINFO STREAM: Get information about a stream (FULL: with its entries, groups, PELs and
//! consumers).

use super::{BASE, reply_read_and_lag, stream_at};
use crate::commands::errors::NOT_INTEGER;
use crate::commands::stream::common::{reply_entry, reply_id, reply_range};
use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::stream::{Stream, StreamId};

/// XINFO STREAM.
pub const SPEC: CommandSpec = CommandSpec {
    name: "stream",
    arity: -3,
    summary: "Get information about a stream",
    history: &[
        ("6.0.0", "Added the `FULL` modifier."),
        (
            "7.0.0",
            "Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields",
        ),
    ],
    args: &[
        Arg::key(0),
        Arg {
            name: "full",
            kind: ArgKind::Block(&[Arg {
                name: "count",
                kind: ArgKind::Integer,
                token: Some("COUNT"),
                optional: true,
                ..Arg::DEFAULT
            }]),
            token: Some("FULL"),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some((out, stream)) = stream_at(ctx, argv[2]) else { return };
    let options = &argv[3..];
    let sub = argv[1];
    let syntax = |out: &mut Reply| {
        out.error_bytes(&crate::commands::errors::format_error(&[
            b"ERR unknown subcommand or wrong number of arguments for '",
            &sub[..sub.len().min(128)],
            b"'. Try XINFO HELP.",
        ]))
    };
    let full = !options.is_empty();
    let mut count = 10usize;
    if full {
        if (options.len() != 1 && options.len() != 3) || !options[0].eq_ignore_ascii_case(b"full") {
            return syntax(out);
        }
        if options.len() == 3 {
            if !options[1].eq_ignore_ascii_case(b"count") {
                return syntax(out);
            }
            let Some(n) = parse_i64(options[2]) else { return out.error(NOT_INTEGER) };
            count = if n < 0 { 10 } else { usize::try_from(n).unwrap_or(usize::MAX) };
        }
    }
    out.map(if full { 9 } else { 10 });
    out.bulk(b"length");
    out.int(stream.len() as i64);
    out.bulk(b"radix-tree-keys");
    out.int(stream.node_count() as i64);
    out.bulk(b"radix-tree-nodes");
    out.int(stream.radix_tree_nodes() as i64);
    for (name, id) in [(&b"last-generated-id"[..], stream.last_id), (b"max-deleted-entry-id", stream.max_deleted_id)] {
        out.bulk(name);
        reply_id(out, id);
    }
    out.bulk(b"entries-added");
    out.int(stream.entries_added as i64);
    out.bulk(b"recorded-first-entry-id");
    reply_id(out, stream.first_id);
    if full {
        out.bulk(b"entries");
        reply_range(out, stream, StreamId::MIN, StreamId::MAX, false, count);
        reply_groups_full(out, stream, count);
        return;
    }
    out.bulk(b"groups");
    out.int(stream.groups.len() as i64);
    for (name, rev) in [(&b"first-entry"[..], false), (b"last-entry", true)] {
        out.bulk(name);
        let mut emitted = false;
        stream.range(StreamId::MIN, StreamId::MAX, rev, |id, fields| {
            reply_entry(out, id, &fields);
            emitted = true;
            false
        });
        if !emitted {
            out.null();
        }
    }
}

/// FULL's `groups`: each group with its PEL and consumers, PELs cut at `count` (0: all).
fn reply_groups_full(out: &mut Reply, stream: &Stream, count: usize) {
    let limit = if count == 0 { usize::MAX } else { count };
    out.bulk(b"groups");
    out.array(stream.groups.len());
    for (name, group) in &stream.groups {
        out.map(7);
        out.bulk(b"name");
        out.bulk(name);
        out.bulk(b"last-delivered-id");
        reply_id(out, group.last_id);
        reply_read_and_lag(out, stream, group);
        out.bulk(b"pel-count");
        out.int(group.pel.len() as i64);
        out.bulk(b"pending");
        let pel: Vec<_> = group.pel.iter().take(limit).collect();
        out.array(pel.len());
        for (id, nack) in pel {
            out.array(4);
            reply_id(out, *id);
            out.bulk(&nack.consumer);
            out.int(nack.delivery_time);
            out.int(nack.delivery_count as i64);
        }
        out.bulk(b"consumers");
        out.array(group.consumers.len());
        for (name, consumer) in &group.consumers {
            out.map(4);
            out.bulk(b"name");
            out.bulk(name);
            out.bulk(b"seen-time");
            out.int(consumer.seen_time);
            out.bulk(b"pel-count");
            out.int(consumer.pel.len() as i64);
            out.bulk(b"pending");
            let ids: Vec<_> = consumer.pel.iter().take(limit).collect();
            out.array(ids.len());
            for id in ids {
                let nack = group.pel.get(id);
                out.array(3);
                reply_id(out, *id);
                out.int(nack.map_or(0, |n| n.delivery_time));
                out.int(nack.map_or(0, |n| n.delivery_count) as i64);
            }
        }
    }
}
