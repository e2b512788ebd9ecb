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
    // Scripts run to completion before the next command is read, so none is running here.
    ctx.out.error("NOTBUSY No scripts in execution right now.");
}
