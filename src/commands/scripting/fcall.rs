//! FCALL: invoke a function.

use super::{EVAL_BASE, RW_KEYS, script_args};
use crate::commands::CommandSpec;
use crate::state::Ctx;

/// FCALL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "fcall",
    since: "7.0.0",
    summary: "Invoke a function",
    complexity: "Depends on the function that is executed.",
    keys: RW_KEYS,
    args: &script_args("function"),
    handler: run,
    ..EVAL_BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.fcall(argv, false);
}
