//! MEMORY HELP: Redis's help text.

use crate::commands::{CommandSpec, Flags};
use crate::state::Ctx;

/// MEMORY HELP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "help",
    flags: Flags::LOADING.union(Flags::STALE),
    summary: "Show helpful text about the different subcommands",
    tips: &[],
    handler: run,
    ..super::REPORT
};

const HELP: &[&str] = &[
    "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
    "HELP",
    "    Prints this help.",
];

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.help(HELP);
}
