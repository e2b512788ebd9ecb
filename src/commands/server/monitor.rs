//! MONITOR: from now on the client sees every command the server runs (see
//! `executor::monitor` for the line format).

use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// MONITOR.
pub const SPEC: CommandSpec = CommandSpec {
    name: "monitor",
    arity: 1,
    flags: Flags::ADMIN.union(Flags::NOSCRIPT).union(Flags::LOADING).union(Flags::STALE),
    acl: Acl::DANGEROUS,
    group: Group::Server,
    since: "1.0.0",
    summary: "Listen for all requests received by the server in real time",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    // EXEC runs its commands as a client that expects one reply per command.
    if ctx.client.multi.is_some() {
        return ctx.out.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    }
    if ctx.client.monitoring {
        return;
    }
    ctx.start_monitoring();
    ctx.out.ok();
}
