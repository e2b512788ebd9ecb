//! SRANDMEMBER: Get one or multiple random members from a set.

use super::common::{lookup_set, reply_array};
use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;
use crate::types::number::parse_i64;
use crate::types::set::SetValue;

/// SRANDMEMBER.
pub const SPEC: CommandSpec = CommandSpec {
    name: "srandmember",
    arity: -2,
    flags: Flags::READONLY,
    acl: Acl::SET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Set,
    summary: "Get one or multiple random members from a set",
    complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
    history: &[("2.6.0", "Added the optional `count` argument.")],
    tips: &["nondeterministic_output"],
    args: &[
        Arg::key(0),
        Arg { name: "count", kind: ArgKind::Integer, optional: true, since: Some("2.6.0"), ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let count = match argv {
        [_, _] => None,
        [_, _, raw] => match parse_i64(raw) {
            None => return ctx.out.error(NOT_INTEGER),
            Some(i64::MIN) => {
                return ctx.out.error(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                );
            }
            Some(n) => Some(n),
        },
        _ => return ctx.out.error(SYNTAX),
    };
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let set = match lookup_set(db, ctx.out, argv[1], now, Access::Read) {
        Err(_) => return,
        Ok(None) => return if count.is_some() { ctx.out.array(0) } else { ctx.out.null() },
        Ok(Some(set)) => set,
    };
    let rng = &mut ctx.server.rng;
    let Some(count) = count else {
        return match set.random_member(rng) {
            Some(m) => ctx.out.bulk(&m),
            None => ctx.out.null(),
        };
    };
    reply_array(ctx.out, &random_members(set, count, rng));
}

/// SRANDMEMBER's count rules: a negative count may repeat members, a positive one returns
/// distinct members (the whole set when it asks for at least that many).
fn random_members(set: &SetValue, count: i64, rng: &mut fastrand::Rng) -> Vec<Vec<u8>> {
    let wanted = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    if count < 0 {
        // Bounded by the reply anyway; Redis would also try to build it.
        return (0..wanted).filter_map(|_| set.random_member(rng)).collect();
    }
    if wanted.saturating_mul(3) > set.len() {
        // Asking for much of the set: shuffle a copy of it, as Redis copies and trims.
        let mut members = set.members();
        if wanted < members.len() {
            rng.shuffle(&mut members);
            members.truncate(wanted);
        }
        return members;
    }
    // A small share of a big set: draw until enough distinct members came up.
    let mut picked = std::collections::HashSet::with_capacity(wanted);
    while picked.len() < wanted {
        match set.random_member(rng) {
            Some(m) => picked.insert(m),
            None => break,
        };
    }
    picked.into_iter().collect()
}
