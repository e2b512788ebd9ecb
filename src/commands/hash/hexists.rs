//! HEXISTS: Determine if a hash field exists.

use super::common::lookup_hash;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// HEXISTS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hexists",
    arity: 3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Determine if a hash field exists",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "field", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = lookup_hash(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    ctx.out.int(i64::from(hash.is_some_and(|h| h.get(argv[2]).is_some())));
}
