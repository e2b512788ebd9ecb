//! CLIENT UNPAUSE: ends a CLIENT PAUSE.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// CLIENT UNPAUSE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "unpause",
    flags: super::ADMIN_FLAGS,
    since: "6.2.0",
    summary: "Resume processing of clients that were paused",
    complexity: "O(N) Where N is the number of paused clients",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.unpause_clients();
    ctx.out.ok();
}
