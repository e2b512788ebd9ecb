//! FCALL_RO: invoke a function that must not write.

use super::{EVAL_BASE, RO_FLAGS, RO_KEYS, script_args};
use crate::commands::CommandSpec;
use crate::state::Ctx;

/// FCALL_RO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "fcall_ro",
    flags: RO_FLAGS,
    since: "7.0.0",
    summary: "Invoke a read-only function",
    complexity: "Depends on the function that is executed.",
    keys: RO_KEYS,
    args: &script_args("function"),
    handler: run,
    ..EVAL_BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.fcall(argv, true);
}
