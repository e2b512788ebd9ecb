//! FUNCTION: the container of the function library commands, one file per subcommand.

pub mod delete;
pub mod dump;
pub mod flush;
pub mod help;
pub mod kill;
pub mod list;
pub mod load;
pub mod restore;
pub mod stats;

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// FUNCTION.
pub const SPEC: CommandSpec = CommandSpec {
    name: "function",
    arity: -2,
    group: Group::Scripting,
    since: "7.0.0",
    summary: "A container for function commands",
    complexity: "Depends on subcommand.",
    subcommands: &[
        &delete::SPEC,
        &dump::SPEC,
        &flush::SPEC,
        &help::SPEC,
        &kill::SPEC,
        &list::SPEC,
        &load::SPEC,
        &restore::SPEC,
        &stats::SPEC,
    ],
    ..CommandSpec::DEFAULT
};

/// What the subcommand specs share; each names only what differs.
const BASE: CommandSpec = CommandSpec {
    arity: 2,
    flags: Flags::NOSCRIPT,
    acl: Acl::SCRIPTING,
    group: Group::Scripting,
    since: "7.0.0",
    complexity: "O(1)",
    ..CommandSpec::DEFAULT
};

/// The functions engine, or the error reply when it cannot start.
fn functions<'a>(ctx: &'a mut Ctx<'_>) -> Option<&'a mut crate::scripting::Functions> {
    match ctx.server.scripting.functions() {
        Ok(f) => Some(f),
        Err(e) => {
            ctx.out.error(&e);
            None
        }
    }
}

/// Redis's `addReplySubcommandSyntaxError` for FUNCTION: too many arguments.
fn syntax_error(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let sub = crate::commands::errors::c_str(&argv[1][..argv[1].len().min(128)]);
    let text = [b"ERR unknown subcommand or wrong number of arguments for '", sub, b"'. Try FUNCTION HELP."].concat();
    ctx.out.error_bytes(&text);
}
