//! CLIENT UNBLOCK: ends another client's blocking command early, as a timeout or with an error.

use crate::commands::errors::NOT_INTEGER;
use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::{Ctx, Unblock};
use crate::types::number::parse_i64;

/// CLIENT UNBLOCK.
pub const SPEC: CommandSpec = CommandSpec {
    name: "unblock",
    arity: -3,
    flags: super::ADMIN_FLAGS,
    since: "5.0.0",
    summary: "Unblock a client blocked in a blocking command from a different connection",
    complexity: "O(log N) where N is the number of client connections",
    args: &[
        Arg { name: "client-id", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg {
            name: "timeout_error",
            kind: ArgKind::OneOf(&[
                Arg { name: "timeout", kind: ArgKind::PureToken, token: Some("TIMEOUT"), ..Arg::DEFAULT },
                Arg { name: "error", kind: ArgKind::PureToken, token: Some("ERROR"), ..Arg::DEFAULT },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if argv.len() > 4 {
        // Redis quotes the subcommand as the client spelled it.
        let name = String::from_utf8_lossy(argv[1]);
        return ctx
            .out
            .error(&format!("ERR unknown subcommand or wrong number of arguments for '{name}'. Try CLIENT HELP."));
    }
    let why = match argv.get(3) {
        None => Unblock::Timeout,
        Some(reason) if reason.eq_ignore_ascii_case(b"timeout") => Unblock::Timeout,
        Some(reason) if reason.eq_ignore_ascii_case(b"error") => Unblock::Error,
        Some(_) => return ctx.out.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"),
    };
    let Some(id) = parse_i64(argv[2]) else { return ctx.out.error(NOT_INTEGER) };
    let unblocked = u64::try_from(id).is_ok_and(|id| ctx.unblock_client(id, why));
    ctx.out.int(i64::from(unblocked));
}
