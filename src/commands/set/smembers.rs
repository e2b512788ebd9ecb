//! SMEMBERS: Get all the members in a set.

use super::common::{lookup_set, reply_set};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{Access, now_ms};

/// SMEMBERS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "smembers",
    arity: 2,
    flags: Flags::READONLY,
    acl: Acl::SET,
    keys: &[KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Set,
    summary: "Get all the members in a set",
    complexity: "O(N) where N is the set cardinality.",
    tips: &["nondeterministic_output_order"],
    args: &[Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    match lookup_set(db, ctx.out, argv[1], now, Access::Read) {
        Err(_) => {}
        Ok(None) => ctx.out.set(0),
        Ok(Some(set)) => reply_set(ctx.out, &set.members()),
    }
}
