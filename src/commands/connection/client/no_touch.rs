//! CLIENT NO-TOUCH ON|OFF (Redis 7.2): the connection's commands leave keys' LRU/LFU clock alone.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// CLIENT NO-TOUCH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "no-touch",
    arity: 3,
    since: "7.2.0",
    summary: "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
    args: super::ON_OFF,
    handler: run,
    ..super::BASE
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::set_switch(ctx, argv[2], |c| &mut c.no_touch);
}
