//! LATENCY HISTORY event: the event's samples, oldest first, as `[unix time, latency in ms]`
//! pairs (an empty array for an unknown event).

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;

/// LATENCY HISTORY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "history",
    arity: 3,
    summary: "Return timestamp-latency samples for the event.",
    args: &[Arg { name: "event", ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let samples: Vec<_> =
        ctx.server.latency.events.get(argv[2]).map(|(_, s)| s.samples().collect()).unwrap_or_default();
    ctx.out.array(samples.len());
    for s in samples {
        ctx.out.array(2);
        ctx.out.int(i64::try_from(s.time).unwrap_or(i64::MAX));
        ctx.out.int(i64::try_from(s.latency).unwrap_or(i64::MAX));
    }
}
