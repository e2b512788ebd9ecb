//! SMISMEMBER: Returns the membership associated with the given elements for a set.

use super::common::lookup_set;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// SMISMEMBER.
pub const SPEC: CommandSpec = CommandSpec {
    name: "smismember",
    arity: -3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::SET,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Set,
    since: "6.2.0",
    summary: "Returns the membership associated with the given elements for a set",
    complexity: "O(N) where N is the number of elements being checked for membership",
    args: &[Arg::key(0), Arg { name: "member", multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(set) = lookup_set(db, ctx.out, argv[1], now, Access::Read) {
        ctx.out.array(argv.len() - 2);
        for m in &argv[2..] {
            ctx.out.int(i64::from(set.as_ref().is_some_and(|s| s.contains(m))));
        }
    }
}
