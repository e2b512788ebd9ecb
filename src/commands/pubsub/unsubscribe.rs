//! UNSUBSCRIBE [channel [channel ...]]

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// UNSUBSCRIBE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "unsubscribe",
    arity: -1,
    summary: "Stop listening for messages posted to the given channels",
    complexity: "O(N) where N is the number of clients already subscribed to a channel.",
    args: &[Arg { name: "channel", optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::SUBSCRIPTION
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.unsubscribe(Kind::Channel, &argv[1..]);
}
