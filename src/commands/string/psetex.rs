//! PSETEX: Set the value and expiration in milliseconds of a key.

use super::set::ExpireUnit;
use super::setex::set_with_ttl;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// PSETEX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "psetex",
    arity: 4,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::OW.union(KeyFlags::UPDATE))],
    group: Group::String,
    since: "2.6.0",
    summary: "Set the value and expiration in milliseconds of a key",
    complexity: "O(1)",
    args: &[
        Arg::key(0),
        Arg { name: "milliseconds", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "value", ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    set_with_ttl(ctx, argv, ExpireUnit::Milliseconds, "psetex");
}
