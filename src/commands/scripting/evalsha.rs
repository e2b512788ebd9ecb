//! EVALSHA: run a cached Lua script by its SHA-1.

use super::{EVAL_BASE, script_args, script_keys};
use crate::commands::{CommandSpec, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::state::script::ScriptRef;

/// EVALSHA.
pub const SPEC: CommandSpec = CommandSpec {
    name: "evalsha",
    summary: "Execute a Lua script server side",
    keys: KEYS,
    args: &script_args("sha1"),
    handler: run,
    ..EVAL_BASE
};

/// EVALSHA's key spec (the same as EVAL's, without its note).
const KEYS: &[KeySpec] = &script_keys(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE), None);

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.eval_script(argv, ScriptRef::Sha, false);
}
