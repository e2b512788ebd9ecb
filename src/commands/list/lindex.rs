//! LINDEX: Get an element from a list by its index.

use super::common::{lookup_list, parse_long, reply_entry};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// LINDEX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lindex",
    arity: 3,
    flags: Flags::READONLY,
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::List,
    summary: "Get an element from a list by its index",
    complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
    args: &[Arg::key(0), Arg { name: "index", kind: ArgKind::Integer, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    // Redis looks the key up before parsing the index.
    let Ok(found) = lookup_list(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    let Some(list) = found else { return ctx.out.null() };
    let Ok(index) = parse_long(ctx.out, argv[2], None) else { return };
    if list.get(index, |entry| reply_entry(ctx.out, entry)).is_none() {
        ctx.out.null();
    }
}
