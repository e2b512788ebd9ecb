//! PEXPIRETIME: Get the expiration Unix timestamp for a key in milliseconds.

use super::expire::TimeUnit;
use super::ttl::{TtlKind, reply_ttl};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;

/// PEXPIRETIME.
pub const SPEC: CommandSpec = CommandSpec {
    name: "pexpiretime",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Generic,
    since: "7.0.0",
    summary: "Get the expiration Unix timestamp for a key in milliseconds",
    complexity: "O(1)",
    args: &[Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_ttl(ctx, argv[1], TtlKind::Absolute, TimeUnit::Milliseconds);
}
