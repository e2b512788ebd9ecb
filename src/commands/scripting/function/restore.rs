//! FUNCTION RESTORE: load the libraries of a FUNCTION DUMP payload.

use crate::commands::{Arg, ArgKind, CommandSpec, Flags};
use crate::scripting::RestorePolicy;
use crate::state::Ctx;

/// FUNCTION RESTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "restore",
    arity: -3,
    flags: Flags::NOSCRIPT.union(Flags::WRITE).union(Flags::DENYOOM),
    summary: "Restore all the functions on the given payload",
    complexity: "O(N) where N is the number of functions on the payload",
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    args: &[
        Arg { name: "serialized-value", ..Arg::DEFAULT },
        Arg {
            name: "policy",
            kind: ArgKind::OneOf(&[
                Arg { name: "flush", kind: ArgKind::PureToken, token: Some("FLUSH"), ..Arg::DEFAULT },
                Arg { name: "append", kind: ArgKind::PureToken, token: Some("APPEND"), ..Arg::DEFAULT },
                Arg { name: "replace", kind: ArgKind::PureToken, token: Some("REPLACE"), ..Arg::DEFAULT },
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
        return super::syntax_error(ctx, argv);
    }
    let policy = match argv.get(3) {
        None => RestorePolicy::Append,
        Some(p) if p.eq_ignore_ascii_case(b"append") => RestorePolicy::Append,
        Some(p) if p.eq_ignore_ascii_case(b"replace") => RestorePolicy::Replace,
        Some(p) if p.eq_ignore_ascii_case(b"flush") => RestorePolicy::Flush,
        Some(_) => {
            return ctx.out.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
    };
    let verify = !ctx.server.skip_checksum_validation;
    let codes = match crate::persistence::rdb::restore_functions(argv[2], verify) {
        Ok(codes) => codes,
        Err(e) => return ctx.out.error(e.text()),
    };
    let Some(functions) = super::functions(ctx) else { return };
    match functions.restore(&codes, policy) {
        Ok(()) => {
            ctx.add_dirty(1);
            ctx.out.ok();
        }
        Err(e) => ctx.out.error(&e),
    }
}
