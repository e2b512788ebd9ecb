//! LATENCY LATEST: for every event, `[name, time of its latest sample, its latency in ms,
//! worst latency ever in ms]`.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// LATENCY LATEST.
pub const SPEC: CommandSpec = CommandSpec {
    name: "latest",
    summary: "Return the latest latency samples for all events.",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let events: Vec<_> = ctx.server.latency.events.events().collect();
    ctx.out.array(events.len());
    for (name, series) in events {
        let latest = series.latest();
        ctx.out.array(4);
        ctx.out.bulk(name.as_bytes());
        ctx.out.int(i64::try_from(latest.time).unwrap_or(i64::MAX));
        ctx.out.int(i64::try_from(latest.latency).unwrap_or(i64::MAX));
        ctx.out.int(i64::try_from(series.max).unwrap_or(i64::MAX));
    }
}
