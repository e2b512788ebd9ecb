//! HSCAN: Iterate hash fields and associated values.

use super::common::lookup_hash;
use crate::commands::generic::scan::{
    COLLECTION_ARGS, INVALID_CURSOR, parse_cursor, reply_empty_scan, scan_collection,
};
use crate::commands::{Acl, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// HSCAN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hscan",
    arity: -3,
    flags: Flags::READONLY,
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Hash,
    since: "2.8.0",
    summary: "Incrementally iterate hash fields and associated values",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    tips: &["nondeterministic_output"],
    args: COLLECTION_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(cursor) = parse_cursor(argv[2]) else { return ctx.out.error(INVALID_CURSOR) };
    let db = &mut ctx.server.dbs[ctx.client.db];
    match lookup_hash(db, ctx.out, argv[1], now_ms(), Access::Read) {
        Err(_) => {}
        Ok(None) => reply_empty_scan(ctx.out),
        Ok(Some(hash)) => scan_collection(
            ctx.out,
            &argv[3..],
            cursor,
            |cursor, items| hash.scan(cursor, |field, value| items.push((field.to_vec(), value.to_vec()))),
            Some(|out, value: &Vec<u8>| out.bulk(value)),
        ),
    }
}
