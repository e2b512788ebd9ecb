//! DEBUG LOG <message>: writes a line to the server log (tests mark points in the log with it).

use super::Sub;
use crate::commands::errors::c_str;
use crate::state::Ctx;

/// DEBUG LOG.
pub const SUB: Sub = Sub {
    name: "log",
    min_args: 3,
    max_args: 3,
    help: &["LOG <message>", "    Write <message> to the server log."],
    run,
};

/// At warning level, so the line shows whatever `loglevel` is; the message is cut at a NUL byte
/// as Redis's `%s` does.
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    tracing::warn!("DEBUG LOG: {}", String::from_utf8_lossy(c_str(argv[2])));
    ctx.out.ok();
}
