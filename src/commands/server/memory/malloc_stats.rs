//! MEMORY MALLOC-STATS: jemalloc's own statistics report.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// MEMORY MALLOC-STATS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "malloc-stats",
    summary: "Show allocator internal stats",
    complexity: "Depends on how much memory is allocated, could be slow",
    handler: run,
    ..super::REPORT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let mut text = Vec::new();
    if tikv_jemalloc_ctl::stats_print::stats_print(&mut text, Default::default()).is_err() {
        text = b"Stats not supported for the current allocator".to_vec();
    }
    ctx.out.verbatim(&text);
}
