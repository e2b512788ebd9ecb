//! PFADD: Adds the specified elements to the specified HyperLogLog.

use super::common::{CORRUPT, lookup_hll};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, StringValue, Value};
use crate::state::Ctx;
use crate::types::hll::{self, Corrupt};

/// PFADD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pfadd",
    arity: -2,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::HYPERLOGLOG,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::INSERT))],
    group: Group::Hyperloglog,
    since: "2.8.9",
    summary: "Adds the specified elements to the specified HyperLogLog.",
    complexity: "O(1) to add every element.",
    args: &[Arg::key(0), Arg { name: "element", optional: true, multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let sparse_max = ctx.server.config.hll_sparse_max_bytes;
    let db = &mut ctx.server.dbs[ctx.client.db];
    // Counts the registers raised, plus one for a created key; a change stales the cache.
    let add_all = |bytes: &mut Vec<u8>, mut updated: usize| -> Result<usize, Corrupt> {
        for element in &argv[2..] {
            updated += usize::from(hll::add(bytes, element, sparse_max)?);
        }
        if updated > 0 {
            hll::invalidate_cache(bytes);
        }
        Ok(updated)
    };
    let result = match lookup_hll(db, ctx.out, argv[1], Access::Write) {
        Err(_) => return,
        Ok(Some((value, _))) => value.edit_raw(|bytes| add_all(bytes, 0)),
        Ok(None) => {
            let mut bytes = hll::new_sparse();
            let added = add_all(&mut bytes, 1);
            db.insert(argv[1], Value::String(StringValue::Raw(Box::new(bytes))), false);
            added
        }
    };
    let Ok(updated) = result else { return ctx.out.error(CORRUPT) };
    if updated > 0 {
        ctx.changed(argv[1], NotifyFlags::STRING, "pfadd");
        ctx.add_dirty(updated as u64 - 1);
    }
    ctx.out.int(i64::from(updated > 0));
}
