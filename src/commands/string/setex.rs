//! SETEX: Set the value and expiration of a key.

use super::set::{ExpireUnit, expire_at_ms};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{StringValue, Value, now_ms};
use crate::state::Ctx;

/// SETEX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "setex",
    arity: 4,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::OW.union(KeyFlags::UPDATE))],
    group: Group::String,
    since: "2.0.0",
    summary: "Set the value and expiration of a key",
    complexity: "O(1)",
    args: &[
        Arg::key(0),
        Arg { name: "seconds", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "value", ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    set_with_ttl(ctx, argv, ExpireUnit::Seconds, "setex");
}

/// SETEX and PSETEX: validate the TTL, then store the value with it.
pub fn set_with_ttl(ctx: &mut Ctx<'_>, argv: &[&[u8]], unit: ExpireUnit, command: &str) {
    let now = now_ms();
    let at = match expire_at_ms(unit, argv[2], now, command) {
        Ok(at) => at,
        Err(e) => return ctx.out.error(&e),
    };
    let db = &mut ctx.server.dbs[ctx.client.db];
    db.insert(argv[1], Value::String(StringValue::from_bytes(argv[3])), false);
    db.set_expire(argv[1], at);
    ctx.changed(argv[1], NotifyFlags::STRING, "set");
    // Redis 7.0 propagates `SET key value PXAT <ms>`: the absolute time replays the same TTL.
    if ctx.server.propagation.is_enabled() {
        let at = at.to_string();
        ctx.propagate_as(&[b"SET", argv[1], argv[3], b"PXAT", at.as_bytes()]);
    }
    ctx.notify(NotifyFlags::GENERIC, "expire", argv[1]);
    crate::commands::generic::object::refcount::stored_from_argv(ctx, argv[1], argv[3]);
    ctx.out.ok();
}
