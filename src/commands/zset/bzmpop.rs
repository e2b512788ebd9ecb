//! BZMPOP: Remove and return members with scores in a sorted set or block until one is available.

use super::common::{PopForm, PopOutcome, PopShape, parse_mpop, pop_first};
use super::zmpop::BLOCKING_MPOP_ARGS;
use crate::commands::blocking::parse_timeout;
use crate::commands::{Acl, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::{Ctx, OnTimeout};

/// BZMPOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bzmpop",
    arity: -5,
    flags: Flags::WRITE.union(Flags::BLOCKING).union(Flags::MOVABLE_KEYS),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE),
        begin: BeginSearch::Index(2),
        find: FindKeys::Keynum { keynum_idx: 0, first_key: 1, step: 1 },
        notes: None,
    }],
    group: Group::SortedSet,
    since: "7.0.0",
    summary: "Remove and return members with scores in a sorted set or block until one is available",
    complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    args: BLOCKING_MPOP_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    // Redis checks the keys, direction and count before the timeout.
    let Ok(request) = parse_mpop(ctx.out, argv, 2) else { return };
    let Ok(timeout) = parse_timeout(ctx.out, argv[1]) else { return };
    let shape = PopShape { emit_key: true, nested: true };
    if pop_first(ctx, request.keys, request.end, Some(request.count), shape, PopForm::Count) == PopOutcome::NothingToPop
    {
        ctx.block(argv, request.keys, "zset", timeout, OnTimeout::NullArray);
    }
}
