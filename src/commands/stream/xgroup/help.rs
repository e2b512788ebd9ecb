//! XGROUP HELP: Redis's help text.

use crate::commands::CommandSpec;
use crate::commands::stream::doc_args;
use crate::state::Ctx;

/// XGROUP HELP.
pub const SPEC: CommandSpec = CommandSpec { handler: run, ..doc_args::HELP };

const HELP: &[&str] = &[
    "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
    "HELP",
    "    Prints this help.",
];

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.help(HELP);
}
