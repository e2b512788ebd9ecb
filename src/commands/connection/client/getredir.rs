//! CLIENT GETREDIR: the client that tracking invalidations are redirected to.

use crate::commands::CommandSpec;
use crate::executor::Ctx;

/// CLIENT GETREDIR.
pub const SPEC: CommandSpec = CommandSpec {
    name: "getredir",
    since: "6.0.0",
    summary: "Get tracking notifications redirection client ID if any",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    // -1 is Redis's answer when tracking is off, which it always is until CLIENT TRACKING exists.
    ctx.out.int(-1);
}
