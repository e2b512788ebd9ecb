//! LLEN: Get the length of a list.

use super::common::lookup_list;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// LLEN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "llen",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::LIST,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::List,
    summary: "Get the length of a list",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(list) = lookup_list(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    ctx.out.int(list.map_or(0, |l| l.len()) as i64);
}
