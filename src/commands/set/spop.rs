//! SPOP: Remove and return one or multiple random members from a set.

use super::common::{lookup_set, reply_set};
use crate::commands::errors::SYNTAX;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{Access, now_ms};
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
    let rng = &mut ctx.server.rng;
    let popped: Vec<Vec<u8>> = match count {
        None => set.pop_random(rng).into_iter().collect(),
        Some(n) if n >= set.len() => std::mem::replace(set, SetValue::IntSet(Vec::new())).members(),
        Some(n) => (0..n).filter_map(|_| set.pop_random(rng)).collect(),
    };
    if set.is_empty() {
        db.remove(argv[1]);
    }
    if !popped.is_empty() {
        ctx.key_modified(argv[1]);
    }
    match (count, popped.first()) {
        (None, Some(m)) => ctx.out.bulk(m),
        (None, None) => ctx.out.null(),
        (Some(_), _) => reply_set(ctx.out, &popped),
    }
}
