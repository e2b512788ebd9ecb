//! XINFO HELP: Redis's help text.

use crate::commands::CommandSpec;
use crate::commands::stream::doc_args;
use crate::state::Ctx;

/// XINFO HELP.
pub const SPEC: CommandSpec = CommandSpec { handler: run, ..doc_args::HELP };

const HELP: &[&str] = &[
    "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
    "HELP",
    "    Prints this help.",
];

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.help(HELP);
}
