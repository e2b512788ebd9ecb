//! SSCAN: Incrementally iterate Set elements.

use super::common::lookup_set;
use crate::commands::generic::scan::{INVALID_CURSOR, ScanOptions, parse_cursor};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{Access, now_ms};
use crate::protocol::Reply;

/// SSCAN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sscan",
    arity: -3,
    flags: Flags::READONLY,
    acl: Acl::SET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Set,
    since: "2.8.0",
    summary: "Incrementally iterate Set elements",
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
    let Some(cursor) = parse_cursor(argv[2]) else { return ctx.out.error(INVALID_CURSOR) };
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let set = match lookup_set(db, ctx.out, argv[1], now, Access::Read) {
        Err(_) => return,
        Ok(None) => return reply_scan(ctx.out, 0, &[]),
        Ok(Some(set)) => set,
    };
    let options = match ScanOptions::parse(&argv[3..], false) {
        Ok(o) => o,
        Err(e) => return ctx.out.error(e),
    };
    let mut members = Vec::new();
    let mut cursor = cursor;
    // Like Redis: visit buckets until COUNT members were gathered or 10×COUNT buckets were seen,
    // then filter by the pattern.
    let mut budget = options.count.saturating_mul(10);
    loop {
        cursor = set.scan(cursor, |m| members.push(m.to_vec()));
        budget = budget.saturating_sub(1);
        if cursor == 0 || budget == 0 || members.len() >= options.count {
            break;
        }
    }
    members.retain(|m| options.matches(m));
    reply_scan(ctx.out, cursor, &members);
}

/// The two-element SCAN-family reply.
fn reply_scan(out: &mut Reply, cursor: u64, members: &[Vec<u8>]) {
    out.array(2);
    out.bulk(cursor.to_string().as_bytes());
    out.array(members.len());
    for m in members {
        out.bulk(m);
    }
}
