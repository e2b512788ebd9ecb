//! XAUTOCLAIM: Changes (or acquires) ownership of messages in a consumer group, as if the
//! messages were delivered to the specified consumer.

use super::claim::Claimer;
use super::common::{parse_bound, reply_id};
use super::xclaim::check_group;
use crate::commands::errors::SYNTAX;
use crate::commands::stream::doc_args::COUNT;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::now_ms;
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::stream::StreamId;

/// XAUTOCLAIM.
pub const SPEC: CommandSpec = CommandSpec {
    name: "xautoclaim",
    arity: -6,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::STREAM,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::Stream,
    since: "6.2.0",
    summary: "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.",
    complexity: "O(1) if COUNT is small.",
    history: &[(
        "7.0.0",
        "Added an element to the reply array, containing deleted entries the command cleared from the PEL",
    )],
    tips: &["nondeterministic_output"],
    args: &[
        Arg::key(0),
        Arg { name: "group", ..Arg::DEFAULT },
        Arg { name: "consumer", ..Arg::DEFAULT },
        Arg { name: "min-idle-time", ..Arg::DEFAULT },
        Arg { name: "start", ..Arg::DEFAULT },
        COUNT,
        Arg { name: "justid", kind: ArgKind::PureToken, token: Some("JUSTID"), optional: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

/// How many PEL entries XAUTOCLAIM looks at per entry it may claim.
const ATTEMPTS_FACTOR: i64 = 10;

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.prevent_propagation();
    let (key, group) = (argv[1], argv[2]);
    let Some(min_idle) = parse_i64(argv[4]) else {
        return ctx.out.error("ERR Invalid min-idle-time argument for XAUTOCLAIM");
    };
    let min_idle = min_idle.max(0);
    let Ok(start) = parse_bound(ctx.out, argv[5], 0, true) else { return };
    let (mut count, mut justid) = (100i64, false);
    let mut j = 6;
    while j < argv.len() {
        if argv[j].eq_ignore_ascii_case(b"count") && j + 1 < argv.len() {
            let max = i64::MAX / 16;
            match parse_i64(argv[j + 1]) {
                Some(n) if (1..=max).contains(&n) => count = n,
                _ => return ctx.out.error("ERR COUNT must be > 0"),
            }
            j += 1;
        } else if argv[j].eq_ignore_ascii_case(b"justid") {
            justid = true;
        } else {
            return ctx.out.error(SYNTAX);
        }
        j += 1;
    }
    if check_group(ctx, key, group).is_err() {
        return;
    }
    let mut claimer = Claimer::new(key, group, argv[3], justid);
    let pending: Vec<StreamId> =
        claimer.with_group(ctx, |g| g.pel.range(start..).map(|(id, _)| *id).collect()).unwrap_or_default();
    let now = now_ms();
    let mut attempts = count.saturating_mul(ATTEMPTS_FACTOR);
    ctx.out.array(3);
    let mut next = 0;
    let mut claimed = Vec::new();
    let mut deleted = Vec::new();
    // First decide, then reply: the cursor comes before the entries.
    while attempts > 0 && count > 0 && next < pending.len() {
        attempts -= 1;
        let id = pending[next];
        next += 1;
        if !claimer.entry_exists(ctx, id) {
            deleted.push(id);
            count -= 1;
            continue;
        }
        let idle_enough = claimer
            .with_group(ctx, |g| g.pel.get(&id).is_some_and(|n| min_idle == 0 || now - n.delivery_time >= min_idle));
        if idle_enough == Some(true) {
            claimed.push(id);
            count -= 1;
        }
    }
    reply_id(ctx.out, pending.get(next).copied().unwrap_or(StreamId::MIN));
    ctx.out.array(claimed.len());
    // Effects in PEL order, as Redis interleaves drops and claims.
    let mut order: Vec<(StreamId, bool)> =
        claimed.iter().map(|&id| (id, true)).chain(deleted.iter().map(|&id| (id, false))).collect();
    order.sort_unstable();
    for (id, claim) in order {
        if claim {
            claimer.take(ctx, id, now, None);
        } else {
            claimer.drop_deleted(ctx, id);
        }
    }
    ctx.out.array(deleted.len());
    for id in deleted {
        reply_id(ctx.out, id);
    }
}
