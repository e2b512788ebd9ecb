//! BRPOP: Remove and get the last element in a list, or block until one is available.

use super::blpop::pop_or_block;
use crate::commands::blocking::{KEYS_AND_TIMEOUT, KEYS_THEN_TIMEOUT, TIMEOUT_HISTORY};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;
use crate::types::quicklist::End;

/// BRPOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "brpop",
    arity: -3,
    flags: Flags::WRITE.union(Flags::NOSCRIPT).union(Flags::BLOCKING),
    acl: Acl::LIST,
    keys: KEYS_THEN_TIMEOUT,
    group: Group::List,
    since: "2.0.0",
    summary: "Remove and get the last element in a list, or block until one is available",
    complexity: "O(N) where N is the number of provided keys.",
    history: TIMEOUT_HISTORY,
    args: KEYS_AND_TIMEOUT,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    pop_or_block(ctx, argv, End::Back);
}
