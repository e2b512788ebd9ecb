//! HLEN: Get the number of fields in a hash.

use super::common::lookup_hash;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// HLEN.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hlen",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Get the number of fields in a hash",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = lookup_hash(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    ctx.out.int(hash.map_or(0, |h| h.len()) as i64);
}
