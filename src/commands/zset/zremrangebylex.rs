//! ZREMRANGEBYLEX: Remove all members in a sorted set between the given lexicographical range.

use super::range::{Kind, remove_range};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// ZREMRANGEBYLEX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zremrangebylex",
    arity: 4,
    flags: Flags::WRITE,
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::SortedSet,
    since: "2.8.9",
    summary: "Remove all members in a sorted set between the given lexicographical range",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    args: &[Arg::key(0), Arg { name: "min", ..Arg::DEFAULT }, Arg { name: "max", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    remove_range(ctx, argv, Kind::Lex);
}
