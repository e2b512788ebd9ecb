//! HVALS: Get all the values in a hash.

use super::common::{Parts, lookup_hash, reply_listing};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// HVALS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hvals",
    arity: 2,
    flags: Flags::READONLY,
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Get all the values in a hash",
    complexity: "O(N) where N is the size of the hash.",
    tips: &["nondeterministic_output_order"],
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = lookup_hash(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    reply_listing(ctx.out, hash.as_deref(), Parts::Values);
}
