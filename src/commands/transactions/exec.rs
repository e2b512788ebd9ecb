//! EXEC: run the queued commands atomically, unless a watched key changed.

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// EXEC.
pub const SPEC: CommandSpec = CommandSpec {
    name: "exec",
    arity: 1,
    flags: Flags::NOSCRIPT.union(Flags::LOADING).union(Flags::STALE).union(Flags::SKIP_SLOWLOG),
    acl: Acl::TRANSACTION,
    group: Group::Transactions,
    since: "1.2.0",
    summary: "Execute all commands issued after MULTI",
    complexity: "Depends on commands in the transaction",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    // OBJECT REFCOUNT counts the queue's references to values only while EXEC runs.
    crate::commands::generic::object::refcount::exec_boundary();
    ctx.exec_transaction();
    crate::commands::generic::object::refcount::exec_boundary();
}
