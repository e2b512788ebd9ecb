//! TTL: Get the time to live for a key in seconds.

use super::expire::TimeUnit;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// TTL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "ttl",
    arity: 2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Generic,
    summary: "Get the time to live for a key in seconds",
    complexity: "O(1)",
    history: &[("2.8.0", "Added the -2 reply.")],
    tips: &["nondeterministic_output"],
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    reply_ttl(ctx, argv[1], TtlKind::Remaining, TimeUnit::Seconds);
}

/// What TTL-family commands report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TtlKind {
    /// Time left (TTL, PTTL).
    Remaining,
    /// The absolute expiry (EXPIRETIME, PEXPIRETIME).
    Absolute,
}

/// Replies -2 for a missing key, -1 for no TTL, else the TTL in the requested form.
pub fn reply_ttl(ctx: &mut Ctx<'_>, key: &[u8], kind: TtlKind, unit: TimeUnit) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if !db.contains_read(key, now, Access::Peek) {
        return ctx.out.int(-2);
    }
    let Some(at) = db.expire_at(key) else { return ctx.out.int(-1) };
    let reply = match (kind, unit) {
        (TtlKind::Absolute, TimeUnit::Milliseconds) => at,
        (TtlKind::Absolute, TimeUnit::Seconds) => at / 1000,
        (TtlKind::Remaining, TimeUnit::Milliseconds) => (at - now).max(0),
        // Rounded to the nearest second, as Redis does.
        (TtlKind::Remaining, TimeUnit::Seconds) => ((at - now).max(0) + 500) / 1000,
    };
    ctx.out.int(reply);
}
