//! HSCAN: Iterate hash fields and associated values.

use super::common::lookup_hash;
use crate::commands::generic::scan::{INVALID_CURSOR, ScanOptions, parse_cursor};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{Access, now_ms};

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
    args: &[
        Arg::key(0),
        Arg { name: "cursor", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "pattern", kind: ArgKind::Pattern, token: Some("MATCH"), optional: true, ..Arg::DEFAULT },
        Arg { name: "count", kind: ArgKind::Integer, token: Some("COUNT"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(mut cursor) = parse_cursor(argv[2]) else { return ctx.out.error(INVALID_CURSOR) };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = lookup_hash(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    let Some(hash) = hash else {
        ctx.out.array(2);
        ctx.out.bulk(b"0");
        return ctx.out.array(0);
    };
    let options = match ScanOptions::parse(&argv[3..], false) {
        Ok(o) => o,
        Err(e) => return ctx.out.error(e),
    };
    let mut pairs = Vec::new();
    // Like SCAN: visit buckets until COUNT fields were gathered or 10×COUNT buckets were seen.
    let mut budget = options.count.saturating_mul(10);
    loop {
        cursor = hash.scan(cursor, |field, value| {
            if options.matches(field) {
                pairs.push((field.to_vec(), value.to_vec()));
            }
        });
        budget = budget.saturating_sub(1);
        if cursor == 0 || budget == 0 || pairs.len() >= options.count {
            break;
        }
    }
    ctx.out.array(2);
    ctx.out.bulk(cursor.to_string().as_bytes());
    ctx.out.array(pairs.len() * 2);
    for (field, value) in &pairs {
        ctx.out.bulk(field);
        ctx.out.bulk(value);
    }
}
