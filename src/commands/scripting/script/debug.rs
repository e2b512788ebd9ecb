//! SCRIPT DEBUG: the Lua debugger's switch. rkv has no debugger: NO is accepted (scripts run
//! normally), YES and SYNC are refused.

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;

/// SCRIPT DEBUG.
pub const SPEC: CommandSpec = CommandSpec {
    name: "debug",
    arity: 3,
    since: "3.2.0",
    summary: "Set the debug mode for executed scripts.",
    args: &[Arg {
        name: "mode",
        kind: ArgKind::OneOf(&[
            Arg { name: "yes", kind: ArgKind::PureToken, token: Some("YES"), ..Arg::DEFAULT },
            Arg { name: "sync", kind: ArgKind::PureToken, token: Some("SYNC"), ..Arg::DEFAULT },
            Arg { name: "no", kind: ArgKind::PureToken, token: Some("NO"), ..Arg::DEFAULT },
        ]),
        ..Arg::DEFAULT
    }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mode = argv[2];
    if mode.eq_ignore_ascii_case(b"no") {
        ctx.out.ok();
    } else if mode.eq_ignore_ascii_case(b"yes") || mode.eq_ignore_ascii_case(b"sync") {
        ctx.out.error("ERR The Lua debugger is not supported by this server");
    } else {
        ctx.out.error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
    }
}
