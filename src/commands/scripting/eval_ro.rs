//! EVAL_RO: run a Lua script that must not write.

use super::{EVAL_BASE, RO_FLAGS, RO_KEYS, script_args};
use crate::commands::CommandSpec;
use crate::state::Ctx;
use crate::state::script::ScriptRef;

/// EVAL_RO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "eval_ro",
    flags: RO_FLAGS,
    since: "7.0.0",
    summary: "Execute a read-only Lua script server side",
    keys: RO_KEYS,
    args: &script_args("script"),
    handler: run,
    ..EVAL_BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.eval_script(argv, ScriptRef::Body, true);
}
