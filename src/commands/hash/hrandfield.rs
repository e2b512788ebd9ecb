//! HRANDFIELD: Get one or multiple random fields from a hash.

use super::common::lookup_hash;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, FieldValue, HashValue, now_ms};
use crate::protocol::Reply;
use crate::state::Ctx;

/// HRANDFIELD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hrandfield",
    arity: -2,
    flags: Flags::READONLY,
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Hash,
    since: "6.2.0",
    summary: "Get one or multiple random fields from a hash",
    complexity: "O(N) where N is the number of fields returned",
    tips: &["nondeterministic_output"],
    args: &[
        Arg::key(0),
        Arg {
            name: "options",
            kind: ArgKind::Block(&[
                Arg { name: "count", kind: ArgKind::Integer, ..Arg::DEFAULT },
                Arg {
                    name: "withvalues",
                    kind: ArgKind::PureToken,
                    token: Some("WITHVALUES"),
                    optional: true,
                    ..Arg::DEFAULT
                },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let count = match argv.get(2) {
        None => None,
        Some(raw) => match crate::commands::random_count::parse(raw, &argv[3..], b"withvalues") {
            Ok(count) => Some(count),
            Err(e) => return ctx.out.error(&e),
        },
    };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = lookup_hash(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    let rng = &mut ctx.server.rng;
    match (hash, count) {
        (None, None) => ctx.out.null(),
        (None, Some(_)) => ctx.out.array(0),
        (Some(hash), None) => match hash.random(rng) {
            Some((field, _)) => ctx.out.bulk(&field),
            None => ctx.out.null(),
        },
        (Some(hash), Some((count, with_values))) => reply_random(ctx.out, hash, rng, count, with_values),
    }
}

/// Replies `count` random fields: distinct ones when positive (the whole hash, in order, when
/// it has no more than that), independent picks that may repeat when negative.
fn reply_random(out: &mut Reply, hash: &HashValue, rng: &mut fastrand::Rng, count: i64, with_values: bool) {
    let len = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    if count < 0 {
        // Written as picked, never collected: the reply is as long as the client asked for.
        reply_header(out, len, with_values);
        for _ in 0..len {
            let Some(pair) = hash.random(rng) else { break };
            reply_pair(out, pair, with_values);
        }
        return;
    }
    let mut all: Vec<_> = hash.iter().collect();
    if len < all.len() {
        rng.shuffle(&mut all);
        all.truncate(len);
    }
    reply_header(out, all.len(), with_values);
    for pair in all {
        reply_pair(out, pair, with_values);
    }
}

/// The array header for `picks` picks: RESP3 pairs each field with its value in a nested
/// array, RESP2 flattens them, as Redis does.
fn reply_header(out: &mut Reply, picks: usize, with_values: bool) {
    let flat = with_values && !out.is_resp3();
    out.array(if flat { picks.saturating_mul(2) } else { picks });
}

/// One pick, after [`reply_header`].
fn reply_pair(out: &mut Reply, (field, value): FieldValue<'_>, with_values: bool) {
    if with_values && out.is_resp3() {
        out.array(2);
    }
    out.bulk(&field);
    if with_values {
        out.bulk(&value);
    }
}
