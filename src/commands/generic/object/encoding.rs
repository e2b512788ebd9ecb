//! OBJECT ENCODING: the internal representation of a key's value.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// OBJECT ENCODING.
pub const SPEC: CommandSpec = CommandSpec {
    name: "encoding",
    summary: "Inspect the internal encoding of a Redis object",
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::with_entry(ctx, argv[2], |ctx, entry, _| ctx.out.bulk(entry.value.encoding().as_bytes()));
}
