//! XADD: Appends a new entry to a stream.

use super::common::{changed, lookup_stream, notify, reply_id, stream_for_write};
use super::trim_args::{self, TrimArgs};
use crate::commands::errors::Replied;
use crate::commands::stream::doc_args::TRIM;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;
use crate::types::stream::{AddError, Stream, StreamId};

/// XADD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xadd",
    arity: -5,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STREAM,
    keys: &[KeySpec {
        notes: Some("UPDATE instead of INSERT because of the optional trimming feature"),
        ..KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))
    }],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Appends a new entry to a stream",
    complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
    history: &[
        ("6.2.0", "Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option."),
        ("7.0.0", "Added support for the `<ms>-*` explicit ID form."),
    ],
    tips: &["nondeterministic_output"],
    args: &[
        Arg::key(0),
        Arg {
            name: "nomkstream",
            kind: ArgKind::PureToken,
            token: Some("NOMKSTREAM"),
            optional: true,
            since: Some("6.2.0"),
            ..Arg::DEFAULT
        },
        Arg { optional: true, ..TRIM },
        Arg {
            name: "id_or_auto",
            kind: ArgKind::OneOf(&[
                Arg { name: "auto_id", kind: ArgKind::PureToken, token: Some("*"), ..Arg::DEFAULT },
                Arg { name: "id", ..Arg::DEFAULT },
            ]),
            ..Arg::DEFAULT
        },
        Arg {
            name: "field_value",
            kind: ArgKind::Block(&[Arg { name: "field", ..Arg::DEFAULT }, Arg { name: "value", ..Arg::DEFAULT }]),
            multiple: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let limits = ctx.server.config.stream_node_limits;
    let Ok(args) = trim_args::parse(ctx.out, argv, true, limits.max_entries) else { return };
    let fields = argv.get(args.id_index + 1..).unwrap_or_default();
    if fields.len() < 2 || fields.len() % 2 == 1 {
        return ctx.out.error("ERR wrong number of arguments for 'xadd' command");
    }
    if args.id.is_some_and(|p| p.seq_given && p.id.is_zero()) {
        return ctx.out.error("ERR The ID specified in XADD must be greater than 0-0");
    }
    let key = argv[1];
    let db = &mut ctx.server.dbs[ctx.client.db];
    let stream = if args.no_mkstream {
        match lookup_stream(db, ctx.out, key, Access::Write) {
            Ok(Some(stream)) => stream,
            Ok(None) => return ctx.out.null(),
            Err(Replied) => return,
        }
    } else {
        let Ok(stream) = stream_for_write(db, ctx.out, key) else { return };
        stream
    };
    if stream.last_id == StreamId::MAX {
        return ctx.out.error("ERR The stream has exhausted the last possible ID, unable to add more items");
    }
    // As in Redis, a stream created for an entry that is then refused stays (empty).
    let added = stream.next_id(args.id, u64::try_from(now_ms()).unwrap_or(0)).and_then(|id| {
        stream.append(id, fields, limits)?;
        Ok(id)
    });
    let id = match added {
        Ok(id) => id,
        Err(AddError::NotGreater) => {
            return ctx.out.error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        Err(AddError::TooLarge) => return ctx.out.error("ERR Elements are too large to be stored"),
    };
    reply_id(ctx.out, id);
    let trimmed = args.trim.map(|trim| stream.trim(trim, args.approx, args.limit));
    // Built only when something consumes it: without replicas or AOF it is wasted work.
    let propagated = ctx.server.propagation.is_enabled().then(|| {
        let mut propagated = propagated_form(argv, &args, stream);
        if args.id.is_none_or(|p| !p.seq_given) {
            propagated[args.id_index] = id.to_bytes();
        }
        propagated
    });
    changed(ctx, key, "xadd");
    if trimmed.unwrap_or(0) > 0 {
        notify(ctx, key, "xtrim");
    }
    if let Some(propagated) = propagated {
        let propagated: Vec<&[u8]> = propagated.iter().map(Vec::as_slice).collect();
        ctx.propagate_as(&propagated);
    }
}

/// XADD as a replica replays it: an approximate trim made exact (see [`trim_args::exact_form`]).
fn propagated_form(argv: &[&[u8]], args: &TrimArgs, stream: &Stream) -> Vec<Vec<u8>> {
    if args.trim.is_some() {
        trim_args::exact_form(argv, args, stream)
    } else {
        argv.iter().map(|a| a.to_vec()).collect()
    }
}
