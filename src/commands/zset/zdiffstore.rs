//! ZDIFFSTORE: Subtract multiple sorted sets and store the resulting sorted set in a new key.

use super::algebra::{self, Mode, Op};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// ZDIFFSTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zdiffstore",
    arity: -4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::MOVABLE_KEYS),
    acl: Acl::SORTEDSET,
    keys: algebra::STORE_KEYS,
    group: Group::SortedSet,
    since: "6.2.0",
    summary: "Subtract multiple sorted sets and store the resulting sorted set in a new key",
    complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    args: algebra::DIFF_STORE_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    algebra::run(ctx, argv, 2, Op::Diff, Mode::Store);
}
