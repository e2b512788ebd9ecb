//! FUNCTION LOAD: load a library of functions.

use crate::commands::{Arg, ArgKind, CommandSpec, Flags};
use crate::state::Ctx;

/// FUNCTION LOAD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "load",
    arity: -3,
    flags: Flags::NOSCRIPT.union(Flags::WRITE).union(Flags::DENYOOM),
    summary: "Create a function with the given arguments (name, code, description)",
    complexity: "O(1) (considering compilation time is redundant)",
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    args: &[
        Arg { name: "replace", kind: ArgKind::PureToken, token: Some("REPLACE"), optional: true, ..Arg::DEFAULT },
        Arg { name: "function-code", ..Arg::DEFAULT },
    ],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut replace = false;
    for option in &argv[2..argv.len() - 1] {
        if !option.eq_ignore_ascii_case(b"replace") {
            let text = [b"ERR Unknown option given: ", crate::commands::errors::c_str(option)].concat();
            return ctx.out.error_bytes(&text);
        }
        replace = true;
    }
    let Some(functions) = super::functions(ctx) else { return };
    match functions.load(argv[argv.len() - 1], replace) {
        Ok(name) => {
            ctx.add_dirty(1);
            ctx.out.bulk(name.as_bytes());
        }
        Err(e) => ctx.out.error(&e),
    }
}
