//! HRANDFIELD: Get one or multiple random fields from a hash.

use super::common::lookup_hash;
use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{Access, HashValue, now_ms};
use crate::protocol::Reply;
use crate::types::number::parse_i64;

/// HRANDFIELD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hrandfield",
    arity: -2,
    flags: Flags::READONLY,
    acl: Acl::HASH,
    keys: &[KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Hash,
    since: "6.2.0",
    summary: "Get one or multiple random fields from a hash",
    complexity: "O(N) where N is the number of fields returned",
    tips: &["nondeterministic_output"],
    args: &[
        Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT },
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
/// Largest count magnitude accepted (`-LONG_MAX..=LONG_MAX`).
const COUNT_LIMIT: i64 = i64::MAX;

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let count = match argv.get(2) {
        None => None,
        Some(raw) => match parse_count(raw, &argv[3..]) {
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
            Some((field, _)) => ctx.out.bulk(field),
            None => ctx.out.null(),
        },
        (Some(hash), Some((count, with_values))) => reply_random(ctx.out, hash, rng, count, with_values),
    }
}

/// Parses COUNT and WITHVALUES like Redis: the count first, then the option, then the tighter
/// range WITHVALUES imposes (its reply is twice as long).
fn parse_count(raw: &[u8], rest: &[&[u8]]) -> Result<(i64, bool), String> {
    let count = parse_i64(raw).ok_or_else(|| NOT_INTEGER.to_owned())?;
    if !(-COUNT_LIMIT..=COUNT_LIMIT).contains(&count) {
        return Err(format!("ERR value is out of range, value must between {} and {COUNT_LIMIT}", -COUNT_LIMIT));
    }
    let with_values = match rest {
        [] => false,
        [option] if option.eq_ignore_ascii_case(b"withvalues") => true,
        _ => return Err(SYNTAX.to_owned()),
    };
    if with_values && !(-COUNT_LIMIT / 2..=COUNT_LIMIT / 2).contains(&count) {
        return Err("ERR value is out of range".to_owned());
    }
    Ok((count, with_values))
}

/// Replies `count` random fields: distinct ones when positive (the whole hash, in order, when
/// it has no more than that), independent picks that may repeat when negative.
fn reply_random(out: &mut Reply, hash: &HashValue, rng: &mut fastrand::Rng, count: i64, with_values: bool) {
    let picks: Vec<(&[u8], &[u8])> = if count < 0 {
        let n = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
        // Bounded by the count the client asked for; each pick is O(1).
        (0..n).map_while(|_| hash.random(rng)).collect()
    } else {
        let n = usize::try_from(count).unwrap_or(usize::MAX);
        let mut all: Vec<_> = hash.iter().collect();
        if n < all.len() {
            rng.shuffle(&mut all);
            all.truncate(n);
        }
        all
    };
    // RESP3 pairs each field with its value; RESP2 flattens them, as Redis does.
    let nested = with_values && out.is_resp3();
    out.array(if with_values && !nested { picks.len() * 2 } else { picks.len() });
    for (field, value) in picks {
        if nested {
            out.array(2);
        }
        out.bulk(field);
        if with_values {
            out.bulk(value);
        }
    }
}
