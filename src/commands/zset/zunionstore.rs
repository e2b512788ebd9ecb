//! ZUNIONSTORE: Add multiple sorted sets and store the resulting sorted set in a new key.

use super::algebra::{self, Mode, Op};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// ZUNIONSTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zunionstore",
    arity: -4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::MOVABLE_KEYS),
    acl: Acl::SORTEDSET,
    keys: algebra::STORE_KEYS,
    group: Group::SortedSet,
    since: "2.0.0",
    summary: "Add multiple sorted sets and store the resulting sorted set in a new key",
    complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
    args: algebra::SCORED_STORE_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    algebra::run(ctx, argv, 2, Op::Union, Mode::Store);
}
