//! SISMEMBER: Determine if a given value is a member of a set.

use super::common::lookup_set;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// SISMEMBER.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sismember",
    arity: 3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SET,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::Set,
    summary: "Determine if a given value is a member of a set",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "member", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(set) = lookup_set(db, ctx.out, argv[1], now, Access::Read) {
        ctx.out.int(i64::from(set.is_some_and(|s| s.contains(argv[2]))));
    }
}
