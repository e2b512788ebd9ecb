//! PUNSUBSCRIBE [pattern [pattern ...]]

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// PUNSUBSCRIBE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "punsubscribe",
    arity: -1,
    summary: "Stop listening for messages posted to channels matching the given patterns",
    complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
    args: &[Arg { name: "pattern", kind: ArgKind::Pattern, optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::SUBSCRIPTION
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.unsubscribe(Kind::Pattern, &argv[1..]);
}
