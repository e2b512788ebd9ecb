//! PEXPIRE: Set a key's time to live in milliseconds.

use super::expire::{CONDITION, TimeBase, TimeUnit, expire_generic};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// PEXPIRE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pexpire",
    arity: -3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Generic,
    since: "2.6.0",
    summary: "Set a key's time to live in milliseconds",
    complexity: "O(1)",
    history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
    args: &[Arg::key(0), Arg { name: "milliseconds", kind: ArgKind::Integer, ..Arg::DEFAULT }, CONDITION],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    expire_generic(ctx, argv, TimeBase::Relative, TimeUnit::Milliseconds, "pexpire");
}
