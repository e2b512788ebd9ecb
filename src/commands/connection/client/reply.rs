//! CLIENT REPLY ON|OFF|SKIP: turns replies off, back on, or off for the next command only.
//!
//! The dispatcher does the suppressing (see `ReplyMode`); this only records the wish. As in Redis,
//! OFF and SKIP are never answered (their own reply would defeat them) and ON answers OK.

use crate::commands::{Arg, ArgKind, CommandSpec};
use crate::state::{Ctx, ReplyMode};

/// CLIENT REPLY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "reply",
    arity: 3,
    since: "3.2.0",
    summary: "Instruct the server whether to reply to commands",
    args: &[Arg {
        name: "on_off_skip",
        kind: ArgKind::OneOf(&[
            Arg { name: "on", kind: ArgKind::PureToken, token: Some("ON"), ..Arg::DEFAULT },
            Arg { name: "off", kind: ArgKind::PureToken, token: Some("OFF"), ..Arg::DEFAULT },
            Arg { name: "skip", kind: ArgKind::PureToken, token: Some("SKIP"), ..Arg::DEFAULT },
        ]),
        ..Arg::DEFAULT
    }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mode = argv[2];
    if mode.eq_ignore_ascii_case(b"on") {
        ctx.client.reply_mode = ReplyMode::On;
        ctx.out.ok();
    } else if mode.eq_ignore_ascii_case(b"off") {
        ctx.client.reply_mode = ReplyMode::Off;
    } else if mode.eq_ignore_ascii_case(b"skip") {
        // SKIP while OFF changes nothing: replies stay off after the next command too.
        if ctx.client.reply_mode != ReplyMode::Off {
            ctx.client.reply_mode = ReplyMode::Skip;
        }
    } else {
        ctx.syntax_error();
    }
}
