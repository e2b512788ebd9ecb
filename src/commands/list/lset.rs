//! LSET: Set the value of an element in a list by its index.

use super::common::{changed, lookup_list, parse_long};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// LSET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lset",
    arity: 4,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::List,
    summary: "Set the value of an element in a list by its index",
    complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
    args: &[
        Arg::key(0),
        Arg { name: "index", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "element", ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(found) = lookup_list(db, ctx.out, argv[1], now_ms(), Access::Write) else { return };
    let Some(list) = found else { return ctx.out.error("ERR no such key") };
    let Ok(index) = parse_long(ctx.out, argv[2], None) else { return };
    if !list.set(index, argv[3]) {
        return ctx.out.error("ERR index out of range");
    }
    ctx.out.ok();
    changed(ctx, argv[1], "lset", false, 1);
}
