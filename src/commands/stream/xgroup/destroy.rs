//! XGROUP DESTROY: Destroy a consumer group.

use super::{BASE, existing_stream, parse_options};
use crate::commands::{Arg, CommandSpec, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::state::Ctx;

/// XGROUP DESTROY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "destroy",
    arity: 4,
    keys: &[KeySpec { flags: KeyFlags::RW.union(KeyFlags::DELETE), ..BASE.keys[0] }],
    complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
    summary: "Destroy a consumer group.",
    args: &[Arg::key(0), Arg { name: "groupname", ..Arg::DEFAULT }],
    handler: run,
    ..BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(_) = parse_options(ctx, argv) else { return };
    let Ok(stream) = existing_stream(ctx, argv[2]) else { return };
    if stream.groups.remove(argv[3]).is_none() {
        return ctx.out.int(0);
    }
    ctx.out.int(1);
    ctx.add_dirty(1);
    ctx.notify(NotifyFlags::STREAM, "xgroup-destroy", argv[2]);
    // Clients blocked in XREADGROUP on the group learn it is gone.
    ctx.signal_modified(ctx.client.db, argv[2]);
}
