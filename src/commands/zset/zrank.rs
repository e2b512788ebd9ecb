//! ZRANK: Determine the index of a member in a sorted set.

use super::common::lookup_zset;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// ZRANK.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrank",
    arity: 3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "2.0.0",
    summary: "Determine the index of a member in a sorted set",
    complexity: "O(log(N))",
    args: &[Arg::key(0), Arg { name: "member", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_rank(ctx, argv, false);
}

/// ZRANK and ZREVRANK: the member's 0-based position, from the top when `rev`.
pub fn reply_rank(ctx: &mut Ctx<'_>, argv: &[&[u8]], rev: bool) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(zset) = lookup_zset(db, ctx.out, argv[1], Access::Read) else { return };
    let Some(zset) = zset else { return ctx.out.null() };
    match zset.rank(argv[2]) {
        Some((rank, _)) => ctx.out.int((if rev { zset.len() - 1 - rank } else { rank }) as i64),
        None => ctx.out.null(),
    }
}
