//! RESET: back to a fresh connection's state.

use crate::commands::{Acl, CommandSpec, Group};
use crate::executor::Ctx;

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
    ctx.discard_transaction();
    let authenticated = ctx.server.config.requirepass.is_none();
    ctx.client.reset_connection_state(authenticated);
    ctx.out.set_resp3(false);
    ctx.out.simple("RESET");
}
