//! SCRIPT HELP: Redis's help text.

use crate::commands::{CommandSpec, Flags};
use crate::state::Ctx;

/// SCRIPT HELP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "help",
    flags: Flags::LOADING.union(Flags::STALE),
    since: "5.0.0",
    summary: "Show helpful text about the different subcommands",
    handler: run,
    ..super::BASE
};

/// Redis 7.0's lines.
const HELP: &[&str] = &[
    "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DEBUG (YES|SYNC|NO)",
    "    Set the debug mode for subsequent scripts executed.",
    "EXISTS <sha1> [<sha1> ...]",
    "    Return information about the existence of the scripts in the script cache.",
    "FLUSH [ASYNC|SYNC]",
    "    Flush the Lua scripts cache. Very dangerous on replicas.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the scripts cache.",
    "    * SYNC: Synchronously flush the scripts cache.",
    "KILL",
    "    Kill the currently executing Lua script.",
    "LOAD <script>",
    "    Load a script into the scripts cache without executing it.",
    "HELP",
    "    Prints this help.",
];

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.help(HELP);
}
