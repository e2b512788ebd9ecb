//! PUBLISH channel message

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// PUBLISH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "publish",
    since: "2.0.0",
    summary: "Post a message to a channel",
    complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
    args: &[Arg { name: "channel", ..Arg::DEFAULT }, Arg { name: "message", ..Arg::DEFAULT }],
    handler: run,
    ..super::PUBLISHING
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let receivers = ctx.publish(Kind::Channel, argv[1], argv[2]);
    ctx.out.int(receivers as i64);
}
