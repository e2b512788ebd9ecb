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
    let running = ctx.server.scripting.running();
    if let Some(r) = running.filter(|r| r.is_eval) {
        return ctx.out.error(r.busy_error());
    }
    // While a function runs its engine is out of the state: its counts were kept.
    let (libraries, functions) = running.map(|r| r.counts).unwrap_or_else(|| {
        ctx.server.scripting.loaded_functions().map_or((0, 0), |f| (f.libraries().len(), f.function_count()))
    });
    let out = &mut *ctx.out;
    out.map(2);
    out.bulk(b"running_script");
    match running {
        Some(r) => {
            out.map(3);
            out.bulk(b"name");
            out.bulk(r.name().as_bytes());
            out.bulk(b"command");
            out.array(r.argv.len());
            for arg in &r.argv {
                out.bulk(arg);
            }
            out.bulk(b"duration_ms");
            out.int(i64::try_from(r.started.elapsed().as_millis()).unwrap_or(i64::MAX));
        }
        None => out.null(),
    }
    out.bulk(b"engines");
    out.map(1);
    out.bulk(b"LUA");
    out.map(2);
    out.bulk(b"libraries_count");
    out.int(libraries as i64);
    out.bulk(b"functions_count");
    out.int(functions as i64);
}
