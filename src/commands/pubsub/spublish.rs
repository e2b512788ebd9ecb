//! SPUBLISH shardchannel message

use crate::commands::{Arg, BeginSearch, CommandSpec, FindKeys, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// SPUBLISH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "spublish",
    since: "7.0.0",
    summary: "Post a message to a shard channel",
    complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
    keys: &[KeySpec {
        flags: KeyFlags::NOT_KEY,
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    args: &[Arg { name: "shardchannel", ..Arg::DEFAULT }, Arg { name: "message", ..Arg::DEFAULT }],
    handler: run,
    ..super::PUBLISHING
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let receivers = ctx.publish(Kind::Shard, argv[1], argv[2]);
    ctx.out.int(receivers as i64);
}
