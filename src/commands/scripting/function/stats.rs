//! FUNCTION STATS: the running function and the engines' library counts.

use crate::commands::{CommandSpec, Flags};
use crate::state::Ctx;

/// FUNCTION STATS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "stats",
    flags: Flags::NOSCRIPT.union(Flags::ALLOW_BUSY),
    summary: "Return information about the function currently running (name, description, duration)",
    tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let (libraries, functions) =
        ctx.server.scripting.loaded_functions().map_or((0, 0), |f| (f.libraries().len(), f.function_count()));
    let out = &mut *ctx.out;
    out.map(2);
    out.bulk(b"running_script");
    // Functions run to completion before the next command is read.
    out.null();
    out.bulk(b"engines");
    out.map(1);
    out.bulk(b"LUA");
    out.map(2);
    out.bulk(b"libraries_count");
    out.int(libraries as i64);
    out.bulk(b"functions_count");
    out.int(functions as i64);
}
