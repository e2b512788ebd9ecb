//! RESET: back to a fresh connection's state.

use crate::commands::{Acl, CommandSpec, Group};
use crate::state::Ctx;

use super::quit::HANDSHAKE_FLAGS;

/// RESET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "reset",
    arity: 1,
    flags: HANDSHAKE_FLAGS,
    acl: Acl::CONNECTION,
    group: Group::Connection,
    since: "6.2.0",
    summary: "Reset the connection",
    complexity: "O(1)",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.reset_client();
    ctx.out.simple("RESET");
}
