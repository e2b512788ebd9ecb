//! ZLEXCOUNT: Count the number of members in a sorted set between a given lexicographical range.

use super::common::lookup_zset;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;
use crate::types::zset::score::{LEX_RANGE_ERROR, LexRange};

/// ZLEXCOUNT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zlexcount",
    arity: 4,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "2.8.9",
    summary: "Count the number of members in a sorted set between a given lexicographical range",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    args: &[Arg::key(0), Arg { name: "min", ..Arg::DEFAULT }, Arg { name: "max", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(range) = LexRange::parse(argv[2], argv[3]) else { return ctx.out.error(LEX_RANGE_ERROR) };
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(zset) = lookup_zset(db, ctx.out, argv[1], Access::Read) {
        ctx.out.int(zset.map_or(0, |z| super::lex::count(z, &range)));
    }
}
