//! PUBSUB SHARDCHANNELS [pattern]

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// PUBSUB SHARDCHANNELS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "shardchannels",
    since: "7.0.0",
    summary: "List active shard channels",
    complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
    args: &[Arg { name: "pattern", kind: ArgKind::Pattern, optional: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::list_channels(ctx, argv, Kind::Shard);
}
