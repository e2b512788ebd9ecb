//! TYPE: Determine the type stored at key.

use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// TYPE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "type",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RO)],
    group: Group::Generic,
    summary: "Determine the type stored at key",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let name = ctx.db().lookup_for(argv[1], now, Access::Peek).map_or("none", |e| e.value.type_name());
    ctx.out.simple(name);
}
