//! SUNSUBSCRIBE [shardchannel [shardchannel ...]]

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// SUNSUBSCRIBE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sunsubscribe",
    arity: -1,
    since: "7.0.0",
    summary: "Stop listening for messages posted to the given shard channels",
    complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
    keys: super::SHARD_CHANNELS,
    args: &[Arg { name: "shardchannel", optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::SUBSCRIPTION
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.unsubscribe(Kind::Shard, &argv[1..]);
}
