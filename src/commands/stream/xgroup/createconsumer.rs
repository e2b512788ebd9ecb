//! XGROUP CREATECONSUMER: Create a consumer in a consumer group.

use super::{BASE, CONSUMER_ARGS, existing_group, parse_options};
use crate::commands::{CommandSpec, Flags, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// XGROUP CREATECONSUMER.
pub const SPEC: CommandSpec = CommandSpec {
    name: "createconsumer",
    arity: 5,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    keys: &[KeySpec { flags: KeyFlags::RW.union(KeyFlags::INSERT), ..BASE.keys[0] }],
    since: "6.2.0",
    summary: "Create a consumer in a consumer group.",
    args: CONSUMER_ARGS,
    handler: run,
    ..BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(_) = parse_options(ctx, argv) else { return };
    let Ok(group) = existing_group(ctx, argv[2], argv[3]) else { return };
    let created = group.create_consumer(argv[4], now_ms());
    ctx.out.int(i64::from(created));
    if created {
        ctx.add_dirty(1);
        ctx.notify(NotifyFlags::STREAM, "xgroup-createconsumer", argv[2]);
    }
}
