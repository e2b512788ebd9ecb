//! DEBUG SLEEP <seconds>: blocks the whole server, as in Redis.

use std::time::Duration;

use super::Sub;
use crate::state::Ctx;

/// DEBUG SLEEP.
pub const SUB: Sub = Sub {
    name: "sleep",
    min_args: 3,
    max_args: 3,
    help: &["SLEEP <seconds>", "    Stop the server for <seconds>. Decimals allowed."],
    run,
};

/// Like Redis's strtod-based parse: garbage sleeps for zero seconds.
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let seconds = std::str::from_utf8(argv[2]).ok().and_then(|s| s.trim().parse::<f64>().ok()).unwrap_or(0.0);
    if seconds.is_finite() && seconds > 0.0 {
        std::thread::sleep(Duration::from_secs_f64(seconds.min(1e9)));
    }
    ctx.out.ok();
}
