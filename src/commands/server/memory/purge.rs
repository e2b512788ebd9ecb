//! MEMORY PURGE: asks jemalloc to return dirty pages of every arena to the system.

use crate::commands::CommandSpec;
use crate::state::Ctx;

/// MEMORY PURGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "purge",
    summary: "Ask the allocator to release memory",
    complexity: "Depends on how much memory is allocated, could be slow",
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    handler: run,
    ..super::REPORT
};

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    // `arena.<MALLCTL_ARENAS_ALL>.purge`, then this thread's cache, as Redis does; both are
    // best effort, so their status is not reported.
    for name in [&b"arena.4096.purge\0"[..], b"thread.tcache.flush\0"] {
        // SAFETY: NUL-terminated names of void controls, which take no old or new value.
        unsafe {
            tikv_jemalloc_sys::mallctl(
                name.as_ptr().cast(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                0,
            );
        }
    }
    ctx.out.ok();
}
