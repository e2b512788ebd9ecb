//! BZPOPMAX: Remove and return the member with the highest score from one or more sorted sets, or
//! block until one is available.

use super::bzpopmin::{FLAGS, pop_or_block};
use super::common::End;
use crate::commands::blocking::{KEYS_AND_TIMEOUT, KEYS_THEN_TIMEOUT, TIMEOUT_HISTORY};
use crate::commands::{Acl, CommandSpec, Group};
use crate::state::Ctx;

/// BZPOPMAX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bzpopmax",
    arity: -3,
    flags: FLAGS,
    acl: Acl::SORTEDSET,
    keys: KEYS_THEN_TIMEOUT,
    group: Group::SortedSet,
    since: "5.0.0",
    summary: "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    history: TIMEOUT_HISTORY,
    args: KEYS_AND_TIMEOUT,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    pop_or_block(ctx, argv, End::Max);
}
