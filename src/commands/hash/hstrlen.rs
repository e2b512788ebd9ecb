//! HSTRLEN: Get the length of the value of a hash field.

use super::common::lookup_hash;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// HSTRLEN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hstrlen",
    arity: 3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::Hash,
    since: "3.2.0",
    summary: "Get the length of the value of a hash field",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "field", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = lookup_hash(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    ctx.out.int(hash.and_then(|h| h.get(argv[2])).map_or(0, |v| v.len()) as i64);
}
