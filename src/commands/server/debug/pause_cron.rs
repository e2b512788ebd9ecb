//! DEBUG PAUSE-CRON <0|1>: stops and restarts the periodic cron, so tests can observe states
//! the cron would otherwise clean up (keys past their TTL, an oversized tracking table).

use super::{Sub, atoi};
use crate::state::Ctx;

/// DEBUG PAUSE-CRON.
pub const SUB: Sub = Sub {
    name: "pause-cron",
    min_args: 3,
    max_args: 3,
    help: &["PAUSE-CRON <0|1>", "    Stop periodic cron job processing."],
    run,
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.server.cron_paused = atoi(argv[2]) != 0;
    ctx.out.ok();
}
