//! CLIENT INFO: the calling connection's CLIENT LIST line.

use crate::commands::CommandSpec;
use crate::state::Ctx;

use super::line::Describer;

/// CLIENT INFO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "info",
    since: "6.2.0",
    summary: "Returns information about the current client connection.",
    tips: &["nondeterministic_output"],
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut text = String::new();
    Describer::new(ctx, argv).append(&mut text, ctx.client);
    ctx.out.verbatim(text.as_bytes());
}
