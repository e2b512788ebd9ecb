//! TYPE: Determine the type stored at key.

use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;
use crate::keyspace::{Access, now_ms};

/// TYPE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "type",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec {
        flags: KeyFlags::RO,
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Generic,
    summary: "Determine the type stored at key",
    complexity: "O(1)",
    args: &[Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let name = ctx.db().lookup_for(argv[1], now, Access::Peek).map_or("none", |e| e.value.type_name());
    ctx.out.simple(name);
}
