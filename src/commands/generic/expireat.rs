//! EXPIREAT: Set the expiration for a key as a UNIX timestamp.

use super::expire::{CONDITION, TimeBase, TimeUnit, expire_generic};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// EXPIREAT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "expireat",
    arity: -3,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Generic,
    since: "1.2.0",
    summary: "Set the expiration for a key as a UNIX timestamp",
    complexity: "O(1)",
    history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
    args: &[Arg::key(0), Arg { name: "unix-time-seconds", kind: ArgKind::UnixTime, ..Arg::DEFAULT }, CONDITION],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    expire_generic(ctx, argv, TimeBase::Absolute, TimeUnit::Seconds, "expireat");
}
