//! LATENCY RESET [event ...]: forgets the named events (case-insensitively), or all of them;
//! replies how many were forgotten.

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;

/// LATENCY RESET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "reset",
    arity: -2,
    summary: "Reset latency data for one or more events.",
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    args: &[Arg { name: "event", optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let events = &mut ctx.server.latency.events;
    let resets =
        if argv.len() == 2 { events.reset(None) } else { argv[2..].iter().map(|e| events.reset(Some(e))).sum() };
    ctx.out.int(i64::try_from(resets).unwrap_or(i64::MAX));
}
