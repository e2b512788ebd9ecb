//! CLIENT NO-EVICT ON|OFF: exempts the connection from client eviction (`maxmemory-clients`).

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// CLIENT NO-EVICT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "no-evict",
    arity: 3,
    flags: super::ADMIN_FLAGS,
    since: "7.0.0",
    summary: "Set client eviction mode for the current connection",
    args: super::ON_OFF,
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::set_switch(ctx, argv[2], |c| &mut c.no_evict);
}
