//! FUNCTION KILL: stop the running read-only function.

use crate::commands::{CommandSpec, Flags};
use crate::state::Ctx;

/// FUNCTION KILL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "kill",
    flags: Flags::NOSCRIPT.union(Flags::ALLOW_BUSY),
    summary: "Kill the function currently in execution.",
    tips: &["request_policy:all_shards", "response_policy:one_succeeded"],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    // Only reachable while a script runs when it is past `busy-reply-threshold`.
    match ctx.server.scripting.kill(false) {
        Ok(()) => ctx.out.ok(),
        Err(e) => ctx.out.error(e),
    }
}
