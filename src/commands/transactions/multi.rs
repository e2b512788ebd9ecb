//! MULTI: start queueing commands for EXEC.

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// MULTI.
pub const SPEC: CommandSpec = CommandSpec {
    name: "multi",
    arity: 1,
    flags: Flags::NOSCRIPT.union(Flags::LOADING).union(Flags::STALE).union(Flags::FAST).union(Flags::ALLOW_BUSY),
    acl: Acl::TRANSACTION,
    group: Group::Transactions,
    since: "1.2.0",
    summary: "Mark the start of a transaction block",
    complexity: "O(1)",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.begin_transaction();
}
