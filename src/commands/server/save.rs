//! SAVE: writes the RDB file now, blocking the server as Redis's does.

use crate::commands::{CommandSpec, Flags, Group};
use crate::state::Ctx;

/// SAVE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "save",
    arity: 1,
    flags: Flags::NO_ASYNC_LOADING.union(Flags::ADMIN).union(Flags::NOSCRIPT).union(Flags::NO_MULTI),
    group: Group::Server,
    summary: "Synchronously save the dataset to disk",
    complexity: "O(N) where N is the total number of keys in all databases",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    if ctx.server.rdb_bgsave_in_progress() {
        return ctx.out.error("ERR Background save already in progress");
    }
    match ctx.server.save_now() {
        Ok(()) => ctx.out.ok(),
        // Redis answers a bare `-ERR` and logs the reason.
        Err(_) => ctx.out.error("ERR"),
    }
}
