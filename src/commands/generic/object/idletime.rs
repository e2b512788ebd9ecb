//! OBJECT IDLETIME: seconds since a key was last accessed, unless an LFU policy is selected.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// OBJECT IDLETIME.
pub const SPEC: CommandSpec = CommandSpec {
    name: "idletime",
    summary: "Get the time since a Redis object was last accessed",
    handler: run,
    ..super::BASE
};

const LFU_SELECTED: &str = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::with_entry(ctx, argv[2], |ctx, entry, clock| {
        if clock.is_lfu() {
            ctx.out.error(LFU_SELECTED);
        } else {
            ctx.out.int(i64::try_from(clock.idle_ms(entry.lru()) / 1000).unwrap_or(i64::MAX));
        }
    });
}
