//! XGROUP DELCONSUMER: Delete a consumer from a consumer group.

use super::{BASE, CONSUMER_ARGS, existing_group, parse_options};
use crate::commands::{CommandSpec, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::state::Ctx;

/// XGROUP DELCONSUMER.
pub const SPEC: CommandSpec = CommandSpec {
    name: "delconsumer",
    arity: 5,
    keys: &[KeySpec { flags: KeyFlags::RW.union(KeyFlags::DELETE), ..BASE.keys[0] }],
    summary: "Delete a consumer from a consumer group.",
    args: CONSUMER_ARGS,
    handler: run,
    ..BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(_) = parse_options(ctx, argv) else { return };
    let Ok(group) = existing_group(ctx, argv[2], argv[3]) else { return };
    let Some(pending) = group.delete_consumer(argv[4]) else { return ctx.out.int(0) };
    ctx.out.int(pending as i64);
    ctx.add_dirty(1);
    ctx.notify(NotifyFlags::STREAM, "xgroup-delconsumer", argv[2]);
}
