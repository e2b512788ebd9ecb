//! LATENCY HELP: Redis's help text.

use crate::commands::{CommandSpec, Flags};
use crate::state::Ctx;

/// LATENCY HELP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "help",
    flags: Flags::LOADING.union(Flags::STALE),
    summary: "Show helpful text about the different subcommands.",
    tips: &[],
    handler: run,
    ..super::BASE
};

const HELP: &[&str] = &[
    "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
    "    If no commands are specified then all histograms are replied.",
    "HELP",
    "    Prints this help.",
];

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    ctx.out.help(HELP);
}
