//! EVAL: run a Lua script.

use super::{EVAL_BASE, RW_KEYS, script_args};
use crate::commands::CommandSpec;
use crate::state::Ctx;
use crate::state::script::ScriptRef;

/// EVAL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "eval",
    summary: "Execute a Lua script server side",
    keys: RW_KEYS,
    args: &script_args("script"),
    handler: run,
    ..EVAL_BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.eval_script(argv, ScriptRef::Body, false);
}
