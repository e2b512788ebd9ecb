//! CLIENT ID: the calling connection's id.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// CLIENT ID.
pub const SPEC: CommandSpec = CommandSpec {
    name: "id",
    since: "5.0.0",
    summary: "Returns the client ID for the current connection",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    // Ids start at 1 and are handed out in order, so they fit an i64 for the server's lifetime.
    ctx.out.int(ctx.client.id as i64);
}
