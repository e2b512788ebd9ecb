//! BLPOP: Remove and get the first element in a list, or block until one is available.

use super::common::{MpopArgs, mpop, pop_command_name};
use crate::commands::blocking::{KEYS_AND_TIMEOUT, KEYS_THEN_TIMEOUT, TIMEOUT_HISTORY, parse_timeout, serving_blocked};
use crate::commands::errors::Replied;
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::{Ctx, OnTimeout};
use crate::types::quicklist::End;

/// BLPOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "blpop",
    arity: -3,
    flags: Flags::WRITE.union(Flags::NOSCRIPT).union(Flags::BLOCKING),
    acl: Acl::LIST,
    keys: KEYS_THEN_TIMEOUT,
    group: Group::List,
    since: "2.0.0",
    summary: "Remove and get the first element in a list, or block until one is available",
    complexity: "O(N) where N is the number of provided keys.",
    history: TIMEOUT_HISTORY,
    args: KEYS_AND_TIMEOUT,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    pop_or_block(ctx, argv, End::Front);
}

/// BLPOP/BRPOP: pops one element from `end` of the first non-empty list among the keys and
/// replies `[key, element]`, or blocks until one of them gets elements.
pub fn pop_or_block(ctx: &mut Ctx<'_>, argv: &[&[u8]], end: End) {
    let Some((&timeout, keys)) = argv[1..].split_last() else { return };
    let Ok(timeout) = parse_timeout(ctx.out, timeout) else { return };
    // Redis 7.0 counts no change when it serves a blocked BLPOP, and propagates `LPOP key`
    // either way.
    let count_dirty = !serving_blocked(ctx);
    match mpop(ctx, &MpopArgs { keys, end, count: 1 }, count_dirty) {
        Ok(Some(popped)) => {
            if ctx.server.propagation.is_enabled() {
                ctx.propagate_as(&[pop_command_name(end), popped.key]);
            }
            ctx.out.array(2);
            ctx.out.bulk(popped.key);
            ctx.out.bulk(popped.elements.first().map_or(&[][..], Vec::as_slice));
        }
        Ok(None) => ctx.block(argv, keys, "list", timeout, OnTimeout::NullArray),
        Err(Replied) => {}
    }
}
