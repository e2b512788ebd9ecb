//! SCARD: Get the number of members in a set.

use super::common::lookup_set;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{Access, now_ms};

/// SCARD.
pub const SPEC: CommandSpec = CommandSpec {
    name: "scard",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SET,
    keys: &[KeySpec {
        flags: KeyFlags::RO,
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Set,
    summary: "Get the number of members in a set",
    complexity: "O(1)",
    args: &[Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT }],
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
