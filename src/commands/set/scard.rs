//! SCARD: Get the number of members in a set.

use super::common::lookup_set;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// SCARD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "scard",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SET,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::Set,
    summary: "Get the number of members in a set",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(set) = lookup_set(db, ctx.out, argv[1], now, Access::Read) {
        ctx.out.int(set.map_or(0, |s| s.len() as i64));
    }
}
