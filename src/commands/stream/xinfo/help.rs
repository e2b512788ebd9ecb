//! XINFO HELP: Redis's help text.

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// XINFO HELP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "help",
    arity: 2,
    flags: Flags::LOADING.union(Flags::STALE),
    acl: Acl::STREAM,
    group: Group::Stream,
    since: "5.0.0",
    summary: "Show helpful text about the different subcommands",
    complexity: "O(1)",
    handler: run,
    ..CommandSpec::DEFAULT
};

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
