//! ZCARD: Get the number of members in a sorted set.

use super::common::lookup_zset;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// ZCARD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zcard",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::SortedSet,
    since: "1.2.0",
    summary: "Get the number of members in a sorted set",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(zset) = lookup_zset(db, ctx.out, argv[1], Access::Read) {
        ctx.out.int(zset.map_or(0, |z| z.len() as i64));
    }
}
