//! ZSCAN: Incrementally iterate sorted sets elements and associated scores.

use super::common::lookup_zset;
use crate::commands::generic::scan::{INVALID_CURSOR, ScanOptions, parse_cursor};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::Access;
use crate::protocol::format_double;
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
    let Ok(zset) = lookup_zset(db, ctx.out, argv[1], Access::Read) else { return };
    let Some(zset) = zset else {
        ctx.out.array(2);
        ctx.out.bulk(b"0");
        return ctx.out.array(0);
    };
    let options = match ScanOptions::parse(&argv[3..], false) {
        Ok(o) => o,
        Err(e) => return ctx.out.error(e),
    };
    // A listpack prints scores as it stores them; the table's scores print with %.17g.
    let listpack = matches!(zset, ZSetValue::Listpack(_));
    let mut pairs = Vec::new();
    // Like SCAN: visit buckets until COUNT members were gathered or 10×COUNT buckets were seen.
    let mut budget = options.count.saturating_mul(10);
    loop {
        cursor = zset.scan(cursor, |member, score| {
            if options.matches(member) {
                let text = if listpack { listpack_score_text(score) } else { format_double(score) };
                pairs.push((member.to_vec(), text));
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
    for (member, score) in &pairs {
        ctx.out.bulk(member);
        ctx.out.bulk(score.as_bytes());
    }
}

/// A score as a listpack stores it (Redis's `d2string`): integral values within ±2^62 as plain
/// integers, others as `%.17g`.
fn listpack_score_text(score: f64) -> String {
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    if score != 0.0 && (-LIMIT..=LIMIT).contains(&score) && score.fract() == 0.0 {
        return (score as i64).to_string();
    }
    format_double(score)
}
