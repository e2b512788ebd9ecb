//! ZREMRANGEBYRANK: Remove all members in a sorted set within the given indexes.

use super::range::{Kind, remove_range};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZREMRANGEBYRANK.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zremrangebyrank",
    arity: 4,
    flags: Flags::WRITE,
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::SortedSet,
    since: "2.0.0",
    summary: "Remove all members in a sorted set within the given indexes",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    args: &[
        Arg::key(0),
        Arg { name: "start", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "stop", kind: ArgKind::Integer, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    remove_range(ctx, argv, Kind::Rank);
}
