//! ZCOUNT: Count the members in a sorted set with scores within the given values.

use super::common::lookup_zset;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;
use crate::types::zset::score::{SCORE_RANGE_ERROR, ScoreRange};

/// ZCOUNT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zcount",
    arity: 4,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "2.0.0",
    summary: "Count the members in a sorted set with scores within the given values",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    args: &[
        Arg::key(0),
        Arg { name: "min", kind: ArgKind::Double, ..Arg::DEFAULT },
        Arg { name: "max", kind: ArgKind::Double, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(range) = ScoreRange::parse(argv[2], argv[3]) else { return ctx.out.error(SCORE_RANGE_ERROR) };
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(zset) = lookup_zset(db, ctx.out, argv[1], Access::Read) {
        let (start, end) = zset.map_or((0, 0), |z| z.score_span(&range));
        ctx.out.int((end - start) as i64);
    }
}
