//! PUBSUB CHANNELS [pattern]

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// PUBSUB CHANNELS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "channels",
    summary: "List active channels",
    complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
    args: &[Arg { name: "pattern", kind: ArgKind::Pattern, optional: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::list_channels(ctx, argv, Kind::Channel);
}
