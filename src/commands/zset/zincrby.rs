//! ZINCRBY: Increment the score of a member in a sorted set.

use super::zadd::{add, parse_options};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::zset::AddFlags;

/// ZINCRBY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zincrby",
    arity: 4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::SortedSet,
    since: "1.2.0",
    summary: "Increment the score of a member in a sorted set",
    complexity: "O(log(N)) where N is the number of elements in the sorted set.",
    args: &[
        Arg::key(0),
        Arg { name: "increment", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "member", ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    // Options are read as ZADD reads them, so one here leaves a lone argument: syntax error.
    let (flags, ch, at) = parse_options(argv, AddFlags { incr: true, ..AddFlags::default() });
    add(ctx, argv[1], &argv[at..], flags, ch);
}
