//! SCRIPT KILL: stop the running read-only script.

use crate::commands::{CommandSpec, Flags};
use crate::state::Ctx;

/// SCRIPT KILL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "kill",
    flags: Flags::NOSCRIPT.union(Flags::ALLOW_BUSY),
    summary: "Kill the script currently in execution.",
    tips: &["request_policy:all_shards", "response_policy:one_succeeded"],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    // Only reachable while a script runs when it is past `busy-reply-threshold`.
    match ctx.server.scripting.kill(true) {
        Ok(()) => ctx.out.ok(),
        Err(e) => ctx.out.error(e),
    }
}
