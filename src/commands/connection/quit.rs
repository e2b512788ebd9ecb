//! QUIT: reply OK, then close the connection.

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// Flags shared by the commands a client may send before authenticating or while busy.
pub const HANDSHAKE_FLAGS: Flags = Flags::NOSCRIPT
    .union(Flags::LOADING)
    .union(Flags::STALE)
    .union(Flags::FAST)
    .union(Flags::NO_AUTH)
    .union(Flags::ALLOW_BUSY);

/// QUIT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "quit",
    arity: -1,
    flags: HANDSHAKE_FLAGS,
    acl: Acl::CONNECTION,
    group: Group::Connection,
    summary: "Close the connection",
    complexity: "O(1)",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.ok();
    ctx.client.close_after_reply = true;
}
