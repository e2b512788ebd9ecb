//! OBJECT REFCOUNT: how many references the value has. rkv never shares values, but reports
//! what Redis does: its shared integers 0..9999 (used unless maxmemory is set with an LRU or LFU
//! policy) have the "immortal" count, everything else 1.

use crate::commands::CommandSpec;
use crate::executor::Ctx;
use crate::keyspace::{StringValue, Value};

/// OBJECT REFCOUNT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "refcount",
    summary: "Get the number of references to the value of the key",
    handler: run,
    ..super::BASE
};

/// Redis's shared integers are 0 to this, exclusive.
const SHARED_INTEGERS: i64 = 10_000;
/// The count Redis reports for shared objects (`OBJ_SHARED_REFCOUNT`).
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let config = &ctx.server.config;
    let sharing = config.maxmemory == 0 || !config.maxmemory_policy.tracks_access();
    super::with_entry(ctx, argv[2], |ctx, entry, _| {
        let shared = matches!(entry.value, Value::String(StringValue::Int(n)) if (0..SHARED_INTEGERS).contains(&n));
        ctx.out.int(if sharing && shared { SHARED_REFCOUNT } else { 1 });
    });
}
