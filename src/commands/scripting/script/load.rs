//! SCRIPT LOAD: compile a script into the cache without running it.

use crate::commands::{Arg, CommandSpec, Flags};
use crate::state::Ctx;

/// SCRIPT LOAD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "load",
    arity: 3,
    flags: Flags::NOSCRIPT.union(Flags::STALE),
    summary: "Load the specified Lua script into the script cache.",
    complexity: "O(N) with N being the length in bytes of the script body.",
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    args: &[Arg { name: "script", ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.load_script(argv[2]);
}
