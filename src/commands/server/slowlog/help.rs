//! SLOWLOG HELP: Redis's help text.

use crate::commands::{CommandSpec, Flags};
use crate::state::Ctx;

/// SLOWLOG HELP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "help",
    flags: Flags::LOADING.union(Flags::STALE),
    since: "6.2.0",
    summary: "Show helpful text about the different subcommands",
    handler: run,
    ..super::BASE
};

const HELP: &[&str] = &[
    "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
    "HELP",
    "    Prints this help.",
];

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.help(HELP);
}
