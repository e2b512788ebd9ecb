//! ZADD: Add one or more members to a sorted set, or update its score if it already exists.

use super::common::{changed, limits, lookup_zset};
use crate::commands::errors::{NOT_FLOAT, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, Value};
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::zset::score::parse_score;
use crate::types::zset::{AddFlags, Added, NotANumber, ZSetValue};

/// ZADD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zadd",
    arity: -4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::SortedSet,
    since: "1.2.0",
    summary: "Add one or more members to a sorted set, or update its score if it already exists",
    complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    history: &[
        ("2.4.0", "Accepts multiple elements."),
        ("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."),
        ("6.2.0", "Added the `GT` and `LT` options."),
    ],
    args: &[
        Arg::key(0),
        Arg {
            name: "condition",
            kind: ArgKind::OneOf(&[
                Arg { name: "nx", kind: ArgKind::PureToken, token: Some("NX"), ..Arg::DEFAULT },
                Arg { name: "xx", kind: ArgKind::PureToken, token: Some("XX"), ..Arg::DEFAULT },
            ]),
            optional: true,
            since: Some("3.0.2"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "comparison",
            kind: ArgKind::OneOf(&[
                Arg { name: "gt", kind: ArgKind::PureToken, token: Some("GT"), ..Arg::DEFAULT },
                Arg { name: "lt", kind: ArgKind::PureToken, token: Some("LT"), ..Arg::DEFAULT },
            ]),
            optional: true,
            since: Some("6.2.0"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "change",
            kind: ArgKind::PureToken,
            token: Some("CH"),
            optional: true,
            since: Some("3.0.2"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "increment",
            kind: ArgKind::PureToken,
            token: Some("INCR"),
            optional: true,
            since: Some("3.0.2"),
            ..Arg::DEFAULT
        },
        Arg {
            name: "score_member",
            kind: ArgKind::Block(&[
                Arg { name: "score", kind: ArgKind::Double, ..Arg::DEFAULT },
                Arg { name: "member", ..Arg::DEFAULT },
            ]),
            multiple: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (flags, ch, at) = parse_options(argv, AddFlags::default());
    add(ctx, argv[1], &argv[at..], flags, ch);
}

/// Reads the options after the key, starting from `flags`: returns the flags, whether CH was
/// given, and the index of the first score. ZINCRBY shares this with ZADD (Redis runs both
/// through `zaddGenericCommand`), so `ZINCRBY k GT m` consumes GT and fails on the odd count.
pub fn parse_options(argv: &[&[u8]], mut flags: AddFlags) -> (AddFlags, bool, usize) {
    let mut ch = false;
    let mut at = 2;
    while let Some(option) = argv.get(at) {
        match option.to_ascii_lowercase().as_slice() {
            b"nx" => flags.nx = true,
            b"xx" => flags.xx = true,
            b"ch" => ch = true,
            b"incr" => flags.incr = true,
            b"gt" => flags.gt = true,
            b"lt" => flags.lt = true,
            _ => break,
        }
        at += 1;
    }
    (flags, ch, at)
}

/// ZADD and ZINCRBY after the options: checks the option combination and every score first
/// (the command applies fully or not at all), then adds each pair.
pub fn add(ctx: &mut Ctx<'_>, key: &[u8], pairs: &[&[u8]], flags: AddFlags, ch: bool) {
    if pairs.is_empty() || pairs.len() % 2 != 0 {
        return ctx.out.error(SYNTAX);
    }
    if flags.nx && flags.xx {
        return ctx.out.error("ERR XX and NX options at the same time are not compatible");
    }
    if (flags.nx && (flags.gt || flags.lt)) || (flags.gt && flags.lt) {
        return ctx.out.error("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if flags.incr && pairs.len() > 2 {
        return ctx.out.error("ERR INCR option supports a single increment-element pair");
    }
    let Some(scores) = pairs.chunks(2).map(|p| parse_score(p[0])).collect::<Option<Vec<f64>>>() else {
        return ctx.out.error(NOT_FLOAT);
    };
    let limits = limits(&ctx.server.config);
    let db = &mut ctx.server.dbs[ctx.client.db];
    let zset = match lookup_zset(db, ctx.out, key, Access::Write) {
        Err(_) => return,
        Ok(Some(zset)) => zset,
        Ok(None) if flags.xx => return reply_added(ctx.out, flags.incr, 0, None),
        Ok(None) => {
            let created = ZSetValue::for_first_member(pairs[1].len(), limits);
            db.insert(key, Value::ZSet(created), false);
            match lookup_zset(db, ctx.out, key, Access::Write) {
                Ok(Some(zset)) => zset,
                _ => return,
            }
        }
    };
    let (mut added, mut updated, mut last) = (0, 0, None);
    let mut failed = false;
    for (score, pair) in scores.iter().zip(pairs.chunks(2)) {
        match zset.add(*score, pair[1], flags, limits) {
            Err(NotANumber) => {
                failed = true;
                break;
            }
            Ok(Added::New(s)) => (added, last) = (added + 1, Some(s)),
            Ok(Added::Changed(s)) => (updated, last) = (updated + 1, Some(s)),
            Ok(Added::Same(s)) => last = Some(s),
            Ok(Added::Skipped) => {}
        }
    }
    if added + updated > 0 {
        changed(ctx, key, if flags.incr { "zincr" } else { "zadd" }, added + updated);
    }
    if failed {
        return ctx.out.error("ERR resulting score is not a number (NaN)");
    }
    reply_added(ctx.out, flags.incr, if ch { added + updated } else { added }, last);
}

/// ZADD's reply: the count, or with INCR the new score (null when nothing was done).
fn reply_added(out: &mut Reply, incr: bool, count: usize, score: Option<f64>) {
    match (incr, score) {
        (false, _) => out.int(count as i64),
        (true, Some(score)) => out.double(score),
        (true, None) => out.null(),
    }
}
