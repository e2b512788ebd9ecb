//! BZPOPMIN: Remove and return the member with the lowest score from one or more sorted sets, or
//! block until one is available.

use super::common::{End, PopForm, PopOutcome, PopShape, pop_first};
use crate::commands::blocking::{KEYS_AND_TIMEOUT, KEYS_THEN_TIMEOUT, TIMEOUT_HISTORY, parse_timeout};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::{Ctx, OnTimeout};

/// BZPOPMIN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bzpopmin",
    arity: -3,
    flags: FLAGS,
    acl: Acl::SORTEDSET,
    keys: KEYS_THEN_TIMEOUT,
    group: Group::SortedSet,
    since: "5.0.0",
    summary: "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    history: TIMEOUT_HISTORY,
    args: KEYS_AND_TIMEOUT,
    handler: run,
    ..CommandSpec::DEFAULT
};

/// The flags of BZPOPMIN and BZPOPMAX.
pub const FLAGS: Flags = Flags::WRITE.union(Flags::NOSCRIPT).union(Flags::BLOCKING).union(Flags::FAST);

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    pop_or_block(ctx, argv, End::Min);
}

/// BZPOPMIN/BZPOPMAX: pops one entry from the first sorted set among the keys and replies
/// `[key, member, score]`, or blocks until one of them exists.
pub fn pop_or_block(ctx: &mut Ctx<'_>, argv: &[&[u8]], end: End) {
    let Some((&timeout, keys)) = argv[1..].split_last() else { return };
    let Ok(timeout) = parse_timeout(ctx.out, timeout) else { return };
    let shape = PopShape { emit_key: true, nested: false };
    if pop_first(ctx, keys, end, None, shape, PopForm::One) == PopOutcome::NothingToPop {
        ctx.block(argv, keys, "zset", timeout, OnTimeout::NullArray);
    }
}
