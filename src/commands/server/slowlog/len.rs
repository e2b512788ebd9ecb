//! SLOWLOG LEN: the number of entries in the slow log.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// SLOWLOG LEN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "len",
    summary: "Get the slow log's length",
    tips: &["request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let len = ctx.server.latency.slowlog.len();
    ctx.out.int(i64::try_from(len).unwrap_or(i64::MAX));
}
