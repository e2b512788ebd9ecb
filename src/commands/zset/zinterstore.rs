//! ZINTERSTORE: Intersect multiple sorted sets and store the resulting sorted set in a new key.

use super::algebra::{self, Mode, Op};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// ZINTERSTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zinterstore",
    arity: -4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::MOVABLE_KEYS),
    acl: Acl::SORTEDSET,
    keys: algebra::STORE_KEYS,
    group: Group::SortedSet,
    since: "2.0.0",
    summary: "Intersect multiple sorted sets and store the resulting sorted set in a new key",
    complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    args: algebra::SCORED_STORE_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    algebra::run(ctx, argv, 2, Op::Inter, Mode::Store);
}
