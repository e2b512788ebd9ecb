//! FUNCTION DUMP: every library in one payload FUNCTION RESTORE takes.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// FUNCTION DUMP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "dump",
    summary: "Dump all functions into a serialized binary payload",
    complexity: "O(N) where N is the number of functions",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let codes: Vec<&[u8]> = ctx
        .server
        .scripting
        .loaded_functions()
        .map(|f| f.libraries().iter().map(|l| l.code.as_slice()).collect())
        .unwrap_or_default();
    let compress = ctx.server.config.snapshot.compression;
    let payload = crate::persistence::rdb::dump_functions(&codes, compress);
    ctx.out.bulk(&payload);
}
