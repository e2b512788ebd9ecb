//! DEBUG SET-ACTIVE-EXPIRE <0|1>: turns the background expiry cycle off and on.

use super::{Sub, atoi};
use crate::state::Ctx;

/// DEBUG SET-ACTIVE-EXPIRE.
pub const SUB: Sub = Sub {
    name: "set-active-expire",
    min_args: 3,
    max_args: 3,
    help: &[
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
    ],
    run,
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.server.active_expire_enabled = atoi(argv[2]) != 0;
    ctx.out.ok();
}
