//! PFCOUNT: Return the approximated cardinality of the set(s) observed by the HyperLogLog at
//! key(s).

use super::common::{CORRUPT, lookup_hll};
use crate::commands::{Acl, Arg, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;
use crate::types::hll::{self, REGISTERS};

/// PFCOUNT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pfcount",
    arity: -2,
    flags: Flags::READONLY.union(Flags::MAY_REPLICATE),
    acl: Acl::HYPERLOGLOG,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
        notes: Some("RW because it may change the internal representation of the key, and propagate to replicas"),
    }],
    group: Group::Hyperloglog,
    since: "2.8.9",
    summary: "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
    complexity: "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
    args: &[Arg { multiple: true, ..Arg::key(0) }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if argv.len() > 2 {
        return count_union(ctx, &argv[1..]);
    }
    let db = &mut ctx.server.dbs[ctx.client.db];
    let value = match lookup_hll(db, ctx.out, argv[1], Access::Read) {
        Err(_) => return,
        Ok(None) => return ctx.out.int(0),
        Ok(Some((value, _))) => value,
    };
    // The cached count lives in the string: computing it is a change that is propagated.
    let counted = value.edit_raw(|bytes| match hll::cached(bytes) {
        Some(card) => Ok((card, false)),
        None => hll::count(bytes).map(|card| {
            hll::set_cached(bytes, card);
            (card, true)
        }),
    });
    match counted {
        Err(_) => ctx.out.error(CORRUPT),
        Ok((card, computed)) => {
            if computed {
                let db = ctx.client.db;
                ctx.signal_modified(db, argv[1]);
                ctx.add_dirty(1);
            }
            ctx.out.int(card as i64);
        }
    }
}

/// The cardinality of the union of several HLLs (absent keys are empty), not cached anywhere.
fn count_union(ctx: &mut Ctx<'_>, keys: &[&[u8]]) {
    let mut max = [0u8; REGISTERS];
    let db = &mut ctx.server.dbs[ctx.client.db];
    for key in keys {
        match lookup_hll(db, ctx.out, key, Access::Read) {
            Err(_) => return,
            Ok(None) => {}
            Ok(Some((value, _))) => {
                let mut scratch = [0u8; 20];
                if hll::merge_into(&mut max, value.as_bytes(&mut scratch)).is_err() {
                    return ctx.out.error(CORRUPT);
                }
            }
        }
    }
    ctx.out.int(hll::count_registers(&max) as i64);
}
