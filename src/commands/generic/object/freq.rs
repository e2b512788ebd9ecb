//! OBJECT FREQ: a key's logarithmic access counter, under an LFU policy only.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// OBJECT FREQ.
pub const SPEC: CommandSpec = CommandSpec {
    name: "freq",
    since: "4.0.0",
    summary: "Get the logarithmic access frequency counter of a Redis object",
    handler: run,
    ..super::BASE
};

const NOT_LFU: &str = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::with_entry(ctx, argv[2], |ctx, entry, clock| {
        if clock.is_lfu() {
            ctx.out.int(i64::from(clock.frequency(entry.lru())));
        } else {
            ctx.out.error(NOT_LFU);
        }
    });
}
