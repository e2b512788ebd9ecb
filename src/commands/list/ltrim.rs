//! LTRIM: Trim a list to the specified range.

use super::common::{changed, clamp_range, lookup_list, parse_long, remove_if_empty};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// LTRIM.
pub const SPEC: CommandSpec = CommandSpec {
    name: "ltrim",
    arity: 4,
    flags: Flags::WRITE,
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::DELETE))],
    group: Group::List,
    summary: "Trim a list to the specified range",
    complexity: "O(N) where N is the number of elements to be removed by the operation.",
    args: &[
        Arg::key(0),
        Arg { name: "start", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "stop", kind: ArgKind::Integer, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(start) = parse_long(ctx.out, argv[2], None) else { return };
    let Ok(stop) = parse_long(ctx.out, argv[3], None) else { return };
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(found) = lookup_list(db, ctx.out, argv[1], now, Access::Write) else { return };
    let Some(list) = found else { return ctx.out.ok() };
    let len = list.len();
    let (first, count) = clamp_range(len, start, stop).unwrap_or((len, 0));
    let after = len - first - count;
    list.remove_range(0, first);
    list.remove_range(count, after);
    let deleted = remove_if_empty(db, argv[1], now);
    ctx.out.ok();
    // Redis fires `ltrim` even when nothing was trimmed (so nothing is propagated), and counts
    // each removed element.
    changed(ctx, argv[1], "ltrim", deleted, first + after);
}
