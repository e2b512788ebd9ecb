//! ZDIFF: Subtract multiple sorted sets.

use super::algebra::{self, Mode, Op};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// ZDIFF.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zdiff",
    arity: -3,
    flags: Flags::READONLY.union(Flags::MOVABLE_KEYS),
    acl: Acl::SORTEDSET,
    keys: algebra::READ_KEYS,
    group: Group::SortedSet,
    since: "6.2.0",
    summary: "Subtract multiple sorted sets",
    complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    args: algebra::DIFF_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    algebra::run(ctx, argv, 1, Op::Diff, Mode::Reply);
}
