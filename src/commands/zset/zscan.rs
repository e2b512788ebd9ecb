//! ZSCAN: Incrementally iterate sorted sets elements and associated scores.

use super::common::lookup_zset;
use crate::commands::generic::scan::{
    COLLECTION_ARGS, INVALID_CURSOR, parse_cursor, reply_empty_scan, scan_collection,
};
use crate::commands::{Acl, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::protocol::{d2string, format_double};
use crate::state::Ctx;
use crate::types::zset::ZSetValue;

/// ZSCAN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zscan",
    arity: -3,
    flags: Flags::READONLY,
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "2.8.0",
    summary: "Incrementally iterate sorted sets elements and associated scores",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    tips: &["nondeterministic_output"],
    args: COLLECTION_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(cursor) = parse_cursor(argv[2]) else { return ctx.out.error(INVALID_CURSOR) };
    let db = &mut ctx.server.dbs[ctx.client.db];
    match lookup_zset(db, ctx.out, argv[1], Access::Read) {
        Err(_) => {}
        Ok(None) => reply_empty_scan(ctx.out),
        Ok(Some(zset)) => {
            // A listpack prints scores as it stores them; the table's scores print with %.17g.
            let listpack = matches!(zset, ZSetValue::Listpack(_));
            let text = move |score| if listpack { d2string(score) } else { format_double(score) };
            scan_collection(
                ctx.out,
                &argv[3..],
                cursor,
                |cursor, items| zset.scan(cursor, |member, score| items.push((member.to_vec(), text(score)))),
                Some(|out, score: &String| out.bulk(score.as_bytes())),
            );
        }
    }
}
