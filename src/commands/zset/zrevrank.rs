//! ZREVRANK: Determine the index of a member in a sorted set, with scores ordered from high to low.

use super::zrank::reply_rank;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZREVRANK.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrevrank",
    arity: 3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "2.0.0",
    summary: "Determine the index of a member in a sorted set, with scores ordered from high to low",
    complexity: "O(log(N))",
    args: &[Arg::key(0), Arg { name: "member", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_rank(ctx, argv, true);
}
