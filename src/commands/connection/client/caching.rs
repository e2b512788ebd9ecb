//! CLIENT CACHING YES|NO: whether the next command's reads are tracked, in OPTIN or OPTOUT mode.

use crate::commands::errors::SYNTAX;
use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::Ctx;

/// CLIENT CACHING.
pub const SPEC: CommandSpec = CommandSpec {
    name: "caching",
    arity: 3,
    since: "6.0.0",
    summary: "Instruct the server about tracking or not keys in the next request",
    args: &[Arg {
        name: "mode",
        kind: ArgKind::OneOf(&[
            Arg { name: "yes", kind: ArgKind::PureToken, token: Some("YES"), ..Arg::DEFAULT },
            Arg { name: "no", kind: ArgKind::PureToken, token: Some("NO"), ..Arg::DEFAULT },
        ]),
        ..Arg::DEFAULT
    }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(tracking) = ctx.client.tracking.as_deref_mut() else {
        return ctx.out.error(
            "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
        );
    };
    if argv[2].eq_ignore_ascii_case(b"yes") {
        if !tracking.optin {
            return ctx.out.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
        }
    } else if argv[2].eq_ignore_ascii_case(b"no") {
        if !tracking.optout {
            return ctx.out.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
        }
    } else {
        return ctx.out.error(SYNTAX);
    }
    tracking.caching = true;
    ctx.out.ok();
}
