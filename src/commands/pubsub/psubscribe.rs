//! PSUBSCRIBE pattern [pattern ...]

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;
use crate::state::pubsub::Kind;

/// PSUBSCRIBE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "psubscribe",
    summary: "Listen for messages published to channels matching the given patterns",
    complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
    args: &[Arg {
        name: "pattern",
        kind: ArgKind::Block(&[Arg { name: "pattern", kind: ArgKind::Pattern, ..Arg::DEFAULT }]),
        multiple: true,
        ..Arg::DEFAULT
    }],
    handler: run,
    ..super::SUBSCRIPTION
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.subscribe(Kind::Pattern, &argv[1..]);
}
