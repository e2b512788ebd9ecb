//! CLIENT GETNAME: the name set by CLIENT SETNAME or HELLO SETNAME, or null.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// CLIENT GETNAME.
pub const SPEC: CommandSpec = CommandSpec {
    name: "getname",
    since: "2.6.9",
    summary: "Get the current connection name",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    if ctx.client.name.is_empty() {
        ctx.out.null();
    } else {
        ctx.out.bulk(&ctx.client.name);
    }
}
