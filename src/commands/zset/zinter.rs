//! ZINTER: Intersect multiple sorted sets.

use super::algebra::{self, Mode, Op};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// ZINTER.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zinter",
    arity: -3,
    flags: Flags::READONLY.union(Flags::MOVABLE_KEYS),
    acl: Acl::SORTEDSET,
    keys: algebra::READ_KEYS,
    group: Group::SortedSet,
    since: "6.2.0",
    summary: "Intersect multiple sorted sets",
    complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    args: algebra::SCORED_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    algebra::run(ctx, argv, 1, Op::Inter, Mode::Reply);
}
