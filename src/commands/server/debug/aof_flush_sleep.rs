//! DEBUG AOF-FLUSH-SLEEP <microsec>: the AOF writer sleeps before each write (a testing aid).

use super::Sub;
use crate::state::Ctx;

/// DEBUG AOF-FLUSH-SLEEP.
pub const SUB: Sub = Sub {
    name: "aof-flush-sleep",
    min_args: 3,
    max_args: 3,
    help: &["AOF-FLUSH-SLEEP <microsec>", "    Server will sleep before flushing the AOF, this is used for testing."],
    run,
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    // Redis reads it with atoi: anything unparsable is 0.
    let micros = std::str::from_utf8(argv[2]).ok().and_then(|t| t.trim().parse::<u64>().ok()).unwrap_or(0);
    ctx.server.set_aof_flush_sleep(micros);
    ctx.out.ok();
}
