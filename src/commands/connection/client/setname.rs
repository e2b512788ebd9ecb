//! CLIENT SETNAME name: names the connection (an empty name removes it).

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;

use super::super::hello::{INVALID_NAME, valid_client_name};

/// CLIENT SETNAME.
pub const SPEC: CommandSpec = CommandSpec {
    name: "setname",
    arity: 3,
    since: "2.6.9",
    summary: "Set the current connection name",
    args: &[Arg { name: "connection-name", ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let name = argv[2];
    if !valid_client_name(name) {
        return ctx.out.error(INVALID_NAME);
    }
    ctx.client.name = name.to_vec();
    ctx.out.ok();
}
