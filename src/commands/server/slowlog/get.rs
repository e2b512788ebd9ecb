//! SLOWLOG GET [count]: the newest `count` entries (10 by default, -1 for all), each as
//! `[id, unix time, microseconds, [args…], "ip:port", client name]`.

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// SLOWLOG GET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "get",
    arity: -2,
    summary: "Get the slow log's entries",
    complexity: "O(N) where N is the number of entries returned",
    history: &[("4.0.0", "Added client IP address, port and name to the reply.")],
    tips: &["request_policy:all_nodes", "nondeterministic_output"],
    args: &[Arg { name: "count", kind: ArgKind::Integer, optional: true, ..Arg::DEFAULT }],
    handler: run,
    ..super::BASE
};

/// Entries sent when no count is given.
const DEFAULT_COUNT: usize = 10;

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let count = match argv {
        [_, _] => DEFAULT_COUNT,
        // Redis's getRangeLongFromObjectOrReply answers this one text for every bad count.
        [_, _, n] => match parse_i64(n) {
            Some(-1) => usize::MAX,
            Some(n) if n >= 0 => usize::try_from(n).unwrap_or(usize::MAX),
            _ => return ctx.out.error("ERR count should be greater than or equal to -1"),
        },
        _ => return ctx.out.error(&super::syntax_error(&String::from_utf8_lossy(argv[1]))),
    };
    let log = &ctx.server.latency.slowlog;
    let out = &mut *ctx.out;
    out.array(count.min(log.len()));
    for e in log.entries().take(count) {
        out.array(6);
        out.int(i64::try_from(e.id).unwrap_or(i64::MAX));
        out.int(i64::try_from(e.time).unwrap_or(i64::MAX));
        out.int(i64::try_from(e.duration_us).unwrap_or(i64::MAX));
        out.array(e.argv.len());
        e.argv.iter().for_each(|a| out.bulk(a));
        out.bulk(e.peer.as_bytes());
        out.bulk(&e.name);
    }
}
