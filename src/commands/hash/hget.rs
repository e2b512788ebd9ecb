//! HGET: Get the value of a hash field.

use super::common::lookup_hash;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{Access, now_ms};

/// HGET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hget",
    arity: 3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Get the value of a hash field",
    complexity: "O(1)",
    args: &[Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT }, Arg { name: "field", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = lookup_hash(db, ctx.out, argv[1], now_ms(), Access::Read) else { return };
    match hash.and_then(|h| h.get(argv[2])) {
        Some(value) => ctx.out.bulk(value),
        None => ctx.out.null(),
    }
}
