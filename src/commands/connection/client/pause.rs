//! CLIENT PAUSE timeout [WRITE|ALL]: holds clients' commands (all, or those that may write) for
//! `timeout` milliseconds (see `executor::pause`).

use std::time::{Duration, Instant};

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::{Ctx, PauseKind};
use crate::types::number::parse_i64;

/// CLIENT PAUSE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pause",
    arity: -3,
    flags: super::ADMIN_FLAGS,
    since: "2.9.50",
    summary: "Stop processing commands from clients for some time",
    history: &[("6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option.")],
    args: &[
        Arg { name: "timeout", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg {
            name: "mode",
            kind: ArgKind::OneOf(&[
                Arg { name: "write", kind: ArgKind::PureToken, token: Some("WRITE"), ..Arg::DEFAULT },
                Arg { name: "all", kind: ArgKind::PureToken, token: Some("ALL"), ..Arg::DEFAULT },
            ]),
            since: Some("6.2.0"),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let kind = match argv {
        [_, _, _] => PauseKind::All,
        [_, _, _, mode] if mode.eq_ignore_ascii_case(b"write") => PauseKind::Write,
        [_, _, _, mode] if mode.eq_ignore_ascii_case(b"all") => PauseKind::All,
        [_, _, _, _] => return ctx.out.error("ERR CLIENT PAUSE mode must be WRITE or ALL"),
        _ => {
            let name = String::from_utf8_lossy(argv[1]);
            return ctx
                .out
                .error(&format!("ERR unknown subcommand or wrong number of arguments for '{name}'. Try CLIENT HELP."));
        }
    };
    let Some(ms) = parse_i64(argv[2]) else {
        return ctx.out.error("ERR timeout is not an integer or out of range");
    };
    let Ok(ms) = u64::try_from(ms) else { return ctx.out.error("ERR timeout is negative") };
    let end = Instant::now().checked_add(Duration::from_millis(ms)).unwrap_or_else(far_future);
    ctx.pause_clients(kind, end);
    ctx.out.ok();
}

/// A deadline no pause reaches (a timeout too large for the clock).
fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(100 * 365 * 24 * 3600)
}
