//! PTTL: Get the time to live for a key in milliseconds.

use super::expire::TimeUnit;
use super::ttl::{TtlKind, reply_ttl};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// PTTL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pttl",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Generic,
    since: "2.6.0",
    summary: "Get the time to live for a key in milliseconds",
    complexity: "O(1)",
    history: &[("2.8.0", "Added the -2 reply.")],
    tips: &["nondeterministic_output"],
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_ttl(ctx, argv[1], TtlKind::Remaining, TimeUnit::Milliseconds);
}
