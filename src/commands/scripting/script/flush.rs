//! SCRIPT FLUSH: empty the script cache.

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;

/// SCRIPT FLUSH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "flush",
    arity: -2,
    summary: "Remove all the scripts from the script cache.",
    complexity: "O(N) with N being the number of scripts in cache",
    history: &[("6.2.0", "Added the `ASYNC` and `SYNC` flushing mode modifiers.")],
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    args: &[Arg {
        name: "async",
        kind: ArgKind::OneOf(&[
            Arg { name: "async", kind: ArgKind::PureToken, token: Some("ASYNC"), ..Arg::DEFAULT },
            Arg { name: "sync", kind: ArgKind::PureToken, token: Some("SYNC"), ..Arg::DEFAULT },
        ]),
        optional: true,
        since: Some("6.2.0"),
        ..Arg::DEFAULT
    }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let valid = match argv.get(2) {
        None => argv.len() == 2,
        Some(mode) => argv.len() == 3 && (mode.eq_ignore_ascii_case(b"sync") || mode.eq_ignore_ascii_case(b"async")),
    };
    if !valid {
        return ctx.out.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    }
    // The VM is dropped at once either way: freeing it takes no noticeable time.
    ctx.server.scripting.flush();
    ctx.out.ok();
}
