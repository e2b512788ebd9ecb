//! SPOP: Remove and return one or multiple random members from a set.

use super::common::{lookup_set, reply_set};
use crate::commands::errors::SYNTAX;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::set::SetValue;

/// SPOP.
pub const SPEC: CommandSpec = CommandSpec {
    name: "spop",
    arity: -2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::SET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE))],
    group: Group::Set,
    summary: "Remove and return one or multiple random members from a set",
    complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
    history: &[("3.2.0", "Added the `count` argument.")],
    tips: &["nondeterministic_output"],
    args: &[
        Arg::key(0),
        Arg { name: "count", kind: ArgKind::Integer, optional: true, since: Some("3.2.0"), ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let count = match argv {
        [_, _] => None,
        [_, _, raw] => match parse_i64(raw).and_then(|n| usize::try_from(n).ok()) {
            Some(n) => Some(n),
            None => return ctx.out.error("ERR value is out of range, must be positive"),
        },
        _ => return ctx.out.error(SYNTAX),
    };
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let set = match lookup_set(db, ctx.out, argv[1], now, Access::Write) {
        Err(_) => return,
        Ok(None) => return if count.is_some() { ctx.out.set(0) } else { ctx.out.null() },
        Ok(Some(set)) => set,
    };
    if count == Some(0) {
        return ctx.out.set(0);
    }
    let size = set.len();
    let rng = &mut ctx.server.rng;
    let popped: Vec<Vec<u8>> = match count {
        None => set.pop_random(rng).into_iter().collect(),
        Some(n) if n >= size => std::mem::replace(set, SetValue::empty()).members(),
        Some(n) => (0..n).filter_map(|_| set.pop_random(rng)).collect(),
    };
    let emptied = set.is_empty();
    if emptied {
        db.remove(argv[1]);
    }
    match count {
        None => {
            let Some(member) = popped.first() else { return ctx.out.null() };
            ctx.out.bulk(member);
            ctx.changed(argv[1], NotifyFlags::SET, "spop");
            ctx.propagate_as(&[b"SREM", argv[1], member]);
        }
        Some(_) => {
            reply_set(ctx.out, &popped);
            ctx.changed(argv[1], NotifyFlags::SET, "spop");
            ctx.add_dirty((popped.len() as u64).saturating_sub(1));
            if emptied {
                // The whole set was taken: one DEL replays it.
                ctx.propagate_as(&[b"DEL", argv[1]]);
            } else {
                // One SREM per member, in reply order (wrapped in MULTI/EXEC when several),
                // as Redis 7.0 propagates a partial SPOP.
                if ctx.server.propagation.is_enabled() {
                    for member in &popped {
                        ctx.also_propagate(&[b"SREM", argv[1], member]);
                    }
                }
                ctx.prevent_propagation();
            }
        }
    }
    if emptied {
        ctx.notify(NotifyFlags::GENERIC, "del", argv[1]);
    }
}
