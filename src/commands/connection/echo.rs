//! ECHO message

use crate::commands::{Acl, Arg, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// ECHO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "echo",
    arity: 2,
    flags: Flags::LOADING.union(Flags::STALE).union(Flags::FAST),
    acl: Acl::CONNECTION,
    group: Group::Connection,
    summary: "Echo the given string",
    complexity: "O(1)",
    args: &[Arg { name: "message", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.out.bulk(argv[1]);
}
