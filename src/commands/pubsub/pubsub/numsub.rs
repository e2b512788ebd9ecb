//! PUBSUB NUMSUB [channel [channel ...]]

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// PUBSUB NUMSUB.
pub const SPEC: CommandSpec = CommandSpec {
    name: "numsub",
    summary: "Get the count of subscribers for channels",
    complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
    args: &[Arg { name: "channel", optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::count_subscribers(ctx, argv, Kind::Channel);
}
