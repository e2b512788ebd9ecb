//! XACK: Marks a pending message as correctly processed.

use super::common::{lookup_stream, parse_id};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// XACK.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xack",
    arity: -4,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Stream,
    since: "5.0.0",
    summary: "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.",
    complexity: "O(1) for each message ID processed.",
    args: &[Arg::key(0), Arg { name: "group", ..Arg::DEFAULT }, Arg { name: "id", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(stream) = lookup_stream(db, ctx.out, argv[1], Access::Read) else { return };
    let Some(group) = stream.and_then(|s| s.groups.get_mut(argv[2])) else { return ctx.out.int(0) };
    let mut ids = Vec::with_capacity(argv.len() - 3);
    for arg in &argv[3..] {
        let Ok(id) = parse_id(ctx.out, arg, 0, true) else { return };
        ids.push(id);
    }
    let acked = ids.into_iter().filter(|&id| group.ack(id)).count();
    ctx.out.int(acked as i64);
    // Redis counts each acknowledgement and neither signals the key nor fires an event.
    ctx.add_dirty(acked as u64);
}
