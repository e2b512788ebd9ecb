//! SUBSCRIBE channel [channel ...]

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// SUBSCRIBE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "subscribe",
    summary: "Listen for messages published to the given channels",
    complexity: "O(N) where N is the number of channels to subscribe to.",
    args: &[Arg { name: "channel", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::SUBSCRIPTION
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.subscribe(Kind::Channel, &argv[1..]);
}
