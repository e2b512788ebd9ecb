//! XGROUP CREATE: Create a consumer group.

use super::{BASE, parse_options};
use crate::commands::stream::common::{lookup_stream, parse_id, stream_for_write};
use crate::commands::stream::doc_args::{ENTRIES_READ, GROUP_ID};
use crate::commands::{Arg, ArgKind, CommandSpec, Flags, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::Access;
use crate::state::Ctx;
use crate::types::stream::{Group, StreamId};

/// XGROUP CREATE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "create",
    arity: -5,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    keys: &[KeySpec { flags: KeyFlags::RW.union(KeyFlags::INSERT), ..BASE.keys[0] }],
    summary: "Create a consumer group.",
    history: &[("7.0.0", "Added the `entries_read` named argument.")],
    args: &[
        Arg::key(0),
        Arg { name: "groupname", ..Arg::DEFAULT },
        GROUP_ID,
        Arg { name: "mkstream", kind: ArgKind::PureToken, token: Some("MKSTREAM"), optional: true, ..Arg::DEFAULT },
        ENTRIES_READ,
    ],
    handler: run,
    ..BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if argv.len() > 8 {
        let _ = super::syntax_error(ctx, argv[1]);
        return;
    }
    let Ok(options) = parse_options(ctx, argv) else { return };
    let key = argv[2];
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(existing) = lookup_stream(db, ctx.out, key, Access::Write) else { return };
    let last_id = existing.as_ref().map(|s| s.last_id);
    if last_id.is_none() && !options.mkstream {
        let _ = super::existing_stream(ctx, key);
        return;
    }
    let id = if argv[4] == b"$" {
        last_id.unwrap_or(StreamId::MIN)
    } else {
        let Ok(id) = parse_id(ctx.out, argv[4], 0, true) else { return };
        id
    };
    let db = &mut ctx.server.dbs[ctx.client.db];
    if last_id.is_none() && stream_for_write(db, ctx.out, key).is_ok() {
        ctx.signal_modified(ctx.client.db, key);
    }
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(Some(stream)) = lookup_stream(db, ctx.out, key, Access::Peek) else { return };
    if stream.groups.contains_key(argv[3]) {
        return ctx.out.error("BUSYGROUP Consumer Group name already exists");
    }
    stream.groups.insert(argv[3].to_vec(), Group::new(id, options.entries_read));
    ctx.out.ok();
    ctx.add_dirty(1);
    ctx.notify(NotifyFlags::STREAM, "xgroup-create", key);
}
