//! PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// PUBSUB SHARDNUMSUB.
pub const SPEC: CommandSpec = CommandSpec {
    name: "shardnumsub",
    since: "7.0.0",
    summary: "Get the count of subscribers for shard channels",
    complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
    args: &[Arg { name: "shardchannel", optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::count_subscribers(ctx, argv, Kind::Shard);
}
