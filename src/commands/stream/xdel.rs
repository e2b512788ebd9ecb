//! XDEL: Removes the specified entries from the stream.

use super::common::{changed, existing_stream, parse_id};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// XDEL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xdel",
    arity: -3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.",
    complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
    args: &[Arg::key(0), Arg { name: "id", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let key = argv[1];
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Some(stream) = existing_stream(db, ctx.out, key, Access::Write, |out| out.int(0)) else { return };
    // Every ID is checked before any is deleted, so a bad one changes nothing.
    let mut ids = Vec::with_capacity(argv.len() - 2);
    for arg in &argv[2..] {
        let Ok(id) = parse_id(ctx.out, arg, 0, true) else { return };
        ids.push(id);
    }
    let mut deleted = 0u64;
    let mut first_deleted = false;
    for id in ids {
        if stream.delete(id) {
            first_deleted |= id == stream.first_id;
            stream.max_deleted_id = stream.max_deleted_id.max(id);
            deleted += 1;
        }
    }
    if deleted > 0 && (stream.is_empty() || first_deleted) {
        stream.refresh_first_id();
    }
    ctx.out.int(deleted as i64);
    if deleted > 0 {
        changed(ctx, key, "xdel");
        ctx.add_dirty(deleted - 1);
    }
}
