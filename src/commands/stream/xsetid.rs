//! XSETID: An internal command for replicating stream values.

use super::common::{NO_SUCH_KEY, existing_stream, notify, parse_id};
use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::stream::StreamId;

/// XSETID.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xsetid",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Stream,
    since: "5.0.0",
    summary: "An internal command for replicating stream values",
    complexity: "O(1)",
    history: &[("7.0.0", "Added the `entries_added` and `max_deleted_entry_id` arguments.")],
    args: &[
        Arg::key(0),
        Arg { name: "last-id", ..Arg::DEFAULT },
        Arg {
            name: "entries_added",
            kind: ArgKind::Integer,
            token: Some("ENTRIESADDED"),
            optional: true,
            since: Some("7.0.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "max_deleted_entry_id",
            token: Some("MAXDELETEDID"),
            optional: true,
            since: Some("7.0.0"),
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(id) = parse_id(ctx.out, argv[2], 0, true) else { return };
    let mut entries_added = None;
    let mut max_deleted = StreamId::MIN;
    let mut i = 3;
    while i < argv.len() {
        let (opt, value) = (argv[i], argv.get(i + 1));
        match value {
            Some(value) if opt.eq_ignore_ascii_case(b"entriesadded") => match parse_i64(value) {
                None => return ctx.out.error(NOT_INTEGER),
                Some(n) if n < 0 => return ctx.out.error("ERR entries_added must be positive"),
                Some(n) => entries_added = Some(n as u64),
            },
            Some(value) if opt.eq_ignore_ascii_case(b"maxdeletedid") => {
                let Ok(deleted) = parse_id(ctx.out, value, 0, true) else { return };
                if id < deleted {
                    return ctx
                        .out
                        .error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                max_deleted = deleted;
            }
            _ => return ctx.out.error(SYNTAX),
        }
        i += 2;
    }
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Some(stream) = existing_stream(db, ctx.out, argv[1], Access::Write, |out| out.error(NO_SUCH_KEY)) else {
        return;
    };
    if let Some(top) = stream.edge_id(true) {
        if id < top {
            return ctx.out.error("ERR The ID specified in XSETID is smaller than the target stream top item");
        }
        if entries_added.is_some_and(|n| stream.len() > n) {
            return ctx.out.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
        }
    }
    stream.last_id = id;
    if let Some(n) = entries_added {
        stream.entries_added = n;
    }
    if !max_deleted.is_zero() {
        stream.max_deleted_id = max_deleted;
    }
    ctx.out.ok();
    // Redis 7.0 counts the change and fires `xsetid` without signalling the key.
    ctx.add_dirty(1);
    notify(ctx, argv[1], "xsetid");
}
