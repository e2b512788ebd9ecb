//! PEXPIRETIME: Get the expiration Unix timestamp for a key in milliseconds.

use super::expire::TimeUnit;
use super::ttl::{TtlKind, reply_ttl};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// PEXPIRETIME.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pexpiretime",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Generic,
    since: "7.0.0",
    summary: "Get the expiration Unix timestamp for a key in milliseconds",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_ttl(ctx, argv[1], TtlKind::Absolute, TimeUnit::Milliseconds);
}
