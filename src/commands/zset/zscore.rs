//! ZSCORE: Get the score associated with the given member in a sorted set.

use super::common::lookup_zset;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// ZSCORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zscore",
    arity: 3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "1.2.0",
    summary: "Get the score associated with the given member in a sorted set",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "member", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(zset) = lookup_zset(db, ctx.out, argv[1], Access::Read) {
        match zset.and_then(|z| z.score(argv[2])) {
            Some(score) => ctx.out.double(score),
            None => ctx.out.null(),
        }
    }
}
