//! PEXPIREAT: Set the expiration for a key as a UNIX timestamp specified in milliseconds.

use super::expire::{CONDITION, TimeBase, TimeUnit, expire_generic};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// PEXPIREAT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pexpireat",
    arity: -3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Generic,
    since: "2.6.0",
    summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
    complexity: "O(1)",
    history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
    args: &[Arg::key(0), Arg { name: "unix-time-milliseconds", kind: ArgKind::UnixTime, ..Arg::DEFAULT }, CONDITION],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    expire_generic(ctx, argv, TimeBase::Absolute, TimeUnit::Milliseconds, "pexpireat");
}
