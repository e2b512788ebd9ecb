//! DISCARD: drop the queued commands and the watches.

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// DISCARD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "discard",
    arity: 1,
    flags: Flags::NOSCRIPT.union(Flags::LOADING).union(Flags::STALE).union(Flags::FAST).union(Flags::ALLOW_BUSY),
    acl: Acl::TRANSACTION,
    group: Group::Transactions,
    since: "2.0.0",
    summary: "Discard all commands issued after MULTI",
    complexity: "O(N), when N is the number of queued commands",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    if ctx.discard_transaction() {
        ctx.out.ok();
    } else {
        ctx.out.error("ERR DISCARD without MULTI");
    }
}
