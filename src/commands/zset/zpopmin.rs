//! ZPOPMIN: Remove and return members with the lowest scores in a sorted set.

use super::common::{End, PopForm, PopOutcome, PopShape, pop_first};
use crate::commands::errors::SYNTAX;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// ZPOPMIN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "zpopmin",
    arity: -2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::SORTEDSET,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE))],
    group: Group::SortedSet,
    since: "5.0.0",
    summary: "Remove and return members with the lowest scores in a sorted set",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    args: &[Arg::key(0), Arg { name: "count", kind: ArgKind::Integer, optional: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    pop_command(ctx, argv, End::Min);
}

/// ZPOPMIN and ZPOPMAX: `key [count]`.
pub fn pop_command(ctx: &mut Ctx<'_>, argv: &[&[u8]], end: End) {
    if argv.len() > 3 {
        return ctx.out.error(SYNTAX);
    }
    let count = match argv.get(2).map(|raw| parse_i64(raw).and_then(|n| usize::try_from(n).ok())) {
        None => None,
        Some(Some(n)) => Some(n),
        Some(None) => return ctx.out.error("ERR value is out of range, must be positive"),
    };
    // RESP3 nests pairs when a count was given, as Redis 7.0 does.
    let shape = PopShape { emit_key: false, nested: ctx.out.is_resp3() && count.is_some() };
    if pop_first(ctx, &argv[1..2], end, count, shape, PopForm::AsIs) == PopOutcome::NothingToPop {
        ctx.out.array(0);
    }
}
