//! CLIENT GETREDIR: the client that tracking invalidations are redirected to.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// CLIENT GETREDIR.
pub const SPEC: CommandSpec = CommandSpec {
    name: "getredir",
    since: "6.0.0",
    summary: "Get tracking notifications redirection client ID if any",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    // The redirection (0 for none) while tracking, -1 when tracking is off.
    ctx.out.int(ctx.client.tracking.as_deref().map_or(-1, |t| t.redirect as i64));
}
