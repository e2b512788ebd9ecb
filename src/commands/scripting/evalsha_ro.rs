//! EVALSHA_RO: run a cached Lua script, which must not write, by its SHA-1.

use super::{EVAL_BASE, RO_FLAGS, script_args, script_keys};
use crate::commands::{CommandSpec, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::state::script::ScriptRef;

/// EVALSHA_RO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "evalsha_ro",
    flags: RO_FLAGS,
    since: "7.0.0",
    summary: "Execute a read-only Lua script server side",
    keys: KEYS,
    args: &script_args("sha1"),
    handler: run,
    ..EVAL_BASE
};

/// EVALSHA_RO's key spec.
const KEYS: &[KeySpec] = &script_keys(KeyFlags::RO.union(KeyFlags::ACCESS), None);

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.eval_script(argv, ScriptRef::Sha, true);
}
