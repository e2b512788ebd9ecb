//! ZUNION: Add multiple sorted sets.

use super::algebra::{self, Mode, Op};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// ZUNION.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zunion",
    arity: -3,
    flags: Flags::READONLY.union(Flags::MOVABLE_KEYS),
    acl: Acl::SORTEDSET,
    keys: algebra::READ_KEYS,
    group: Group::SortedSet,
    since: "6.2.0",
    summary: "Add multiple sorted sets",
    complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
    args: algebra::SCORED_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    algebra::run(ctx, argv, 1, Op::Union, Mode::Reply);
}
