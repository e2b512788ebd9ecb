//! LRANGE: Get a range of elements from a list.

use super::common::{clamp_range, lookup_list, parse_long, reply_entry};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// LRANGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lrange",
    arity: 4,
    flags: Flags::READONLY,
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::List,
    summary: "Get a range of elements from a list",
    complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
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
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(found) = lookup_list(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    let Some(list) = found else { return ctx.out.array(0) };
    let Some((first, count)) = clamp_range(list.len(), start, stop) else { return ctx.out.array(0) };
    ctx.out.array(count);
    list.for_each(first..first + count, false, |entry| reply_entry(ctx.out, entry));
}
