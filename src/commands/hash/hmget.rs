//! HMGET: Get the values of all the given hash fields.

use super::common::lookup_hash;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// HMGET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hmget",
    arity: -3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Get the values of all the given hash fields",
    complexity: "O(N) where N is the number of fields being requested.",
    args: &[Arg::key(0), Arg { name: "field", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = lookup_hash(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    ctx.out.array(argv.len() - 2);
    for field in &argv[2..] {
        match hash.as_ref().and_then(|h| h.get(field)) {
            Some(value) => ctx.out.bulk(&value),
            None => ctx.out.null(),
        }
    }
}
