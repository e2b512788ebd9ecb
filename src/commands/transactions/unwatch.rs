//! UNWATCH: forget every watched key.

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// UNWATCH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "unwatch",
    arity: 1,
    flags: Flags::NOSCRIPT.union(Flags::LOADING).union(Flags::STALE).union(Flags::FAST).union(Flags::ALLOW_BUSY),
    acl: Acl::TRANSACTION,
    group: Group::Transactions,
    since: "2.2.0",
    summary: "Forget about all watched keys",
    complexity: "O(1)",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.unwatch_keys();
}
