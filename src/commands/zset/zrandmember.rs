//! ZRANDMEMBER: Get one or multiple random elements from a sorted set.

use super::common::{Entries, WITHSCORES, lookup_zset};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::protocol::Reply;
use crate::state::Ctx;
use crate::types::zset::ZSetValue;

/// ZRANDMEMBER.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zrandmember",
    arity: -2,
    flags: Flags::READONLY,
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::SortedSet,
    since: "6.2.0",
    summary: "Get one or multiple random elements from a sorted set",
    complexity: "O(N) where N is the number of elements returned",
    tips: &["nondeterministic_output"],
    args: &[
        Arg::key(0),
        Arg {
            name: "options",
            kind: ArgKind::Block(&[Arg { name: "count", kind: ArgKind::Integer, ..Arg::DEFAULT }, WITHSCORES]),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let request = match argv.get(2) {
        None => None,
        Some(raw) => match crate::commands::random_count::parse(raw, &argv[3..], b"withscores") {
            Ok(request) => Some(request),
            Err(e) => return ctx.out.error(&e),
        },
    };
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(zset) = lookup_zset(db, ctx.out, argv[1], Access::Read) else { return };
    let rng = &mut ctx.server.rng;
    match (zset, request) {
        (None, None) => ctx.out.null(),
        (None, Some(_)) => ctx.out.array(0),
        (Some(zset), None) => match zset.random(rng) {
            Some((_, member)) => ctx.out.bulk(member),
            None => ctx.out.null(),
        },
        (Some(zset), Some((count, withscores))) => reply_random(ctx.out, zset, rng, count, withscores),
    }
}

/// Replies `count` random members: independent picks when negative (or one), distinct ones
/// when positive (the whole set, in order, when it has no more than that).
fn reply_random(out: &mut Reply, zset: &ZSetValue, rng: &mut fastrand::Rng, count: i64, withscores: bool) {
    let entries = Entries::new(out, withscores);
    let len = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    if count < 0 || count == 1 {
        // Written as picked, never collected: the reply is as long as the client asked for.
        entries.header(out, len);
        for _ in 0..len {
            let Some((score, member)) = zset.random(rng) else { break };
            entries.entry(out, member, score);
        }
        return;
    }
    let mut ranks = distinct_ranks(zset.len(), len, rng);
    if len >= zset.len() {
        // The whole set, walked from the top as Redis's set-operation iterator does.
        ranks.reverse();
    }
    entries.header(out, ranks.len());
    for rank in ranks {
        if let Some((score, member)) = zset.get(rank) {
            entries.entry(out, member, score);
        }
    }
}

/// `count` distinct ranks below `size` (all of them when `count >= size`), ascending: Redis
/// returns a partial pick in no particular order, so rank order is as good as any.
fn distinct_ranks(size: usize, count: usize, rng: &mut fastrand::Rng) -> Vec<usize> {
    if count >= size {
        return (0..size).collect();
    }
    let mut picked = std::collections::BTreeSet::new();
    if count.saturating_mul(3) > size {
        // Many picks: drop random ranks from the whole set instead.
        picked.extend(0..size);
        while picked.len() > count {
            let victim = rng.usize(..size);
            picked.remove(&victim);
        }
    } else {
        while picked.len() < count {
            picked.insert(rng.usize(..size));
        }
    }
    picked.into_iter().collect()
}
