//! ZPOPMAX: Remove and return members with the highest scores in a sorted set.

use super::common::End;
use super::zpopmin::pop_command;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZPOPMAX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zpopmax",
    arity: -2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE))],
    group: Group::SortedSet,
    since: "5.0.0",
    summary: "Remove and return members with the highest scores in a sorted set",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    args: &[Arg::key(0), Arg { name: "count", kind: ArgKind::Integer, optional: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    pop_command(ctx, argv, End::Max);
}
