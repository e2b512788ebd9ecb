//! EVAL_RO: run a Lua script that must not write.

use super::{EVAL_BASE, RO_FLAGS, script_args, script_keys};
use crate::commands::{CommandSpec, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::state::script::ScriptRef;

/// EVAL_RO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "eval_ro",
    flags: RO_FLAGS,
    since: "7.0.0",
    summary: "Execute a read-only Lua script server side",
    keys: KEYS,
    args: &script_args("script"),
    handler: run,
    ..EVAL_BASE
};

/// EVAL_RO's key spec.
const KEYS: &[KeySpec] = &script_keys(
    KeyFlags::RO.union(KeyFlags::ACCESS),
    Some("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"),
);

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.eval_script(argv, ScriptRef::Body, true);
}
