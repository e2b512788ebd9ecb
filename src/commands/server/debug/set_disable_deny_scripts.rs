//! DEBUG SET-DISABLE-DENY-SCRIPTS <0|1>: lets scripts run commands flagged `noscript` (Redis's
//! tests use it; not listed by DEBUG HELP, as in Redis).

use super::{Sub, atoi};
use crate::state::Ctx;

/// DEBUG SET-DISABLE-DENY-SCRIPTS.
pub const SUB: Sub = Sub { name: "set-disable-deny-scripts", min_args: 3, max_args: 3, help: &[], run };

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.server.scripting.disable_deny_script = atoi(argv[2]) != 0;
    ctx.out.ok();
}
