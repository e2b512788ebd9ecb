//! BGREWRITEAOF: rewrites the AOF's base in the background (forkless: the snapshot machinery
//! BGSAVE uses; see `state::aof`).

use crate::commands::{CommandSpec, Flags, Group};
use crate::state::Ctx;

/// BGREWRITEAOF.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bgrewriteaof",
    arity: 1,
    flags: Flags::NO_ASYNC_LOADING.union(Flags::ADMIN).union(Flags::NOSCRIPT),
    group: Group::Server,
    summary: "Asynchronously rewrite the append-only file",
    complexity: "O(1)",
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let server = &mut *ctx.server;
    if server.aof.rewrite.is_some() {
        return ctx.out.error("ERR Background append only file rewriting already in progress");
    }
    // Another background save runs, or inside EXEC: the rewrite starts once possible.
    if server.saves.running.is_some() || server.effects.depth > 1 {
        server.aof.rewrite_scheduled = true;
        server.aof.consecutive_failures = 0;
        return ctx.out.simple("Background append only file rewriting scheduled");
    }
    match server.start_aof_rewrite() {
        Ok(()) => ctx.out.simple("Background append only file rewriting started"),
        Err(_) => ctx
            .out
            .error("ERR Can't execute an AOF background rewriting. Please check the server logs for more information."),
    }
}
