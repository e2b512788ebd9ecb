//! DEBUG CHANGE-REPL-ID: gives the server a new replication id (replication tests use it to
//! force full resynchronizations).

use super::Sub;
use crate::state::Ctx;

/// DEBUG CHANGE-REPL-ID.
pub const SUB: Sub = Sub {
    name: "change-repl-id",
    min_args: 2,
    max_args: 2,
    help: &[
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "    Dangerous: should be used only for testing the replication subsystem.",
    ],
    run,
};

/// A fresh random `master_replid`. Redis also clears the secondary id (`master_replid2`), which
/// rkv does not keep yet: INFO always shows it cleared.
fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    tracing::warn!("Changing replication IDs after receiving DEBUG change-repl-id");
    ctx.server.replid = crate::stats::system::random_hex40();
    ctx.out.ok();
}
