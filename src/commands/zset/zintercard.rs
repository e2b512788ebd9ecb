//! ZINTERCARD: Intersect multiple sorted sets and return the cardinality of the result.

use super::algebra::{self, Mode, Op};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// ZINTERCARD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zintercard",
    arity: -3,
    flags: Flags::READONLY.union(Flags::MOVABLE_KEYS),
    acl: Acl::SORTEDSET,
    keys: algebra::READ_KEYS,
    group: Group::SortedSet,
    since: "7.0.0",
    summary: "Intersect multiple sorted sets and return the cardinality of the result",
    complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
    args: algebra::CARD_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    algebra::run(ctx, argv, 1, Op::Inter, Mode::Card);
}
