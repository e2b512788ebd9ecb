//! SSUBSCRIBE shardchannel [shardchannel ...]

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// SSUBSCRIBE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "ssubscribe",
    since: "7.0.0",
    summary: "Listen for messages published to the given shard channels",
    complexity: "O(N) where N is the number of shard channels to subscribe to.",
    keys: super::SHARD_CHANNELS,
    args: &[Arg { name: "shardchannel", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::SUBSCRIPTION
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.subscribe(Kind::Shard, &argv[1..]);
}
