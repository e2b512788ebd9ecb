//! DEBUG SET-SKIP-CHECKSUM-VALIDATION <0|1>: turns off (and on) the checksum checks of RDB files
//! and RESTORE payloads, so tests can hand-craft payloads.

use super::{Sub, atoi};
use crate::state::Ctx;

/// DEBUG SET-SKIP-CHECKSUM-VALIDATION.
pub const SUB: Sub = Sub {
    name: "set-skip-checksum-validation",
    min_args: 3,
    max_args: 3,
    help: &[
        "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
        "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
    ],
    run,
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.server.skip_checksum_validation = atoi(argv[2]) != 0;
    ctx.out.ok();
}
