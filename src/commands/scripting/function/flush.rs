//! FUNCTION FLUSH: delete every library.

use crate::commands::{Arg, ArgKind, CommandSpec, Flags};
use crate::state::Ctx;

/// FUNCTION FLUSH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "flush",
    arity: -2,
    flags: Flags::NOSCRIPT.union(Flags::WRITE),
    summary: "Deleting all functions",
    complexity: "O(N) where N is the number of functions deleted",
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    args: &[Arg {
        name: "async",
        kind: ArgKind::OneOf(&[
            Arg { name: "async", kind: ArgKind::PureToken, token: Some("ASYNC"), ..Arg::DEFAULT },
            Arg { name: "sync", kind: ArgKind::PureToken, token: Some("SYNC"), ..Arg::DEFAULT },
        ]),
        optional: true,
        ..Arg::DEFAULT
    }],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if argv.len() > 3 {
        return super::syntax_error(ctx, argv);
    }
    if let Some(mode) = argv.get(2)
        && !mode.eq_ignore_ascii_case(b"sync")
        && !mode.eq_ignore_ascii_case(b"async")
    {
        return ctx.out.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    }
    let Some(functions) = super::functions(ctx) else { return };
    functions.flush();
    ctx.add_dirty(1);
    ctx.out.ok();
}
