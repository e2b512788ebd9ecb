//! SMEMBERS: Get all the members in a set.

use super::common::{lookup_set, reply_set};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// SMEMBERS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "smembers",
    arity: 2,
    flags: Flags::READONLY,
    acl: Acl::SET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Set,
    summary: "Get all the members in a set",
    complexity: "O(N) where N is the set cardinality.",
    tips: &["nondeterministic_output_order"],
    args: &[Arg::key(0)],
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
