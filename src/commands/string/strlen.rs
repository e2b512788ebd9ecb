//! STRLEN: Get the length of the value stored in a key.

use super::common::lookup_string;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// STRLEN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "strlen",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::String,
    since: "2.2.0",
    summary: "Get the length of the value stored in a key",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(value) = lookup_string(db, ctx.out, argv[1], now, Access::Read) {
        ctx.out.int(value.map_or(0, |v| v.len()) as i64);
    }
}
