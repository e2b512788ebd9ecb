//! SLOWLOG RESET: empties the slow log (entry ids keep counting).

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// SLOWLOG RESET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "reset",
    summary: "Clear all entries from the slow log",
    complexity: "O(N) where N is the number of entries in the slowlog",
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.server.latency.slowlog.reset();
    ctx.out.ok();
}
