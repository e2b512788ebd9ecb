//! ZMSCORE: Get the score associated with the given members in a sorted set.

use super::common::lookup_zset;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// ZMSCORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zmscore",
    arity: -3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "6.2.0",
    summary: "Get the score associated with the given members in a sorted set",
    complexity: "O(N) where N is the number of members being requested.",
    args: &[Arg::key(0), Arg { name: "member", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(zset) = lookup_zset(db, ctx.out, argv[1], Access::Read) else { return };
    ctx.out.array(argv.len() - 2);
    for member in &argv[2..] {
        match zset.as_ref().and_then(|z| z.score(member)) {
            Some(score) => ctx.out.double(score),
            None => ctx.out.null(),
        }
    }
}
