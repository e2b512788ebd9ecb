//! LATENCY GRAPH event: an ASCII graph of the event's samples (see
//! [`crate::stats::latency::graph`]), or an error when the event has none.

use crate::commands::{Arg, CommandSpec};
use crate::state::Ctx;
use crate::stats::latency::{graph, unix_time};

/// LATENCY GRAPH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "graph",
    arity: 3,
    summary: "Return a latency graph for the event.",
    args: &[Arg { name: "event", ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    match ctx.server.latency.events.get(argv[2]) {
        Some((name, series)) => {
            let text = graph(name, series, unix_time());
            ctx.out.verbatim(text.as_bytes());
        }
        None => ctx.out.error(&format!("ERR No samples available for event '{}'", String::from_utf8_lossy(argv[2]))),
    }
}
