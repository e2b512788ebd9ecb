//! PUBSUB NUMPAT: the number of patterns with subscribers.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// PUBSUB NUMPAT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "numpat",
    arity: 2,
    summary: "Get the count of unique patterns pattern subscriptions",
    complexity: "O(1)",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.int(ctx.server.pubsub.pattern_count() as i64);
}
