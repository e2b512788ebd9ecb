//! INCR: Increment the integer value of a key by one.

use super::common::lookup_string;
use crate::commands::errors::{NOT_INTEGER, OVERFLOW};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, StringValue, Value, now_ms};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// INCR.
pub const SPEC: CommandSpec = CommandSpec {
    name: "incr",
    arity: 2,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::String,
    summary: "Increment the integer value of a key by one",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    incr_by(ctx, argv[1], 1);
}

/// Adds `delta` to the integer at `key` (absent = 0), keeping its TTL, and replies the result.
pub fn incr_by(ctx: &mut Ctx<'_>, key: &[u8], delta: i64) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let current = match lookup_string(db, ctx.out, key, now, Access::Write) {
        Err(_) => return,
        Ok(None) => 0,
        Ok(Some(StringValue::Int(n))) => *n,
        Ok(Some(value)) => {
            let mut scratch = [0u8; 20];
            match parse_i64(value.as_bytes(&mut scratch)) {
                Some(n) => n,
                None => return ctx.out.error(NOT_INTEGER),
            }
        }
    };
    let Some(result) = current.checked_add(delta) else {
        return ctx.out.error(OVERFLOW);
    };
    match db.lookup(key, now).and_then(|e| e.value.as_string_mut()) {
        Some(value) => *value = StringValue::Int(result),
        None => db.insert(key, Value::String(StringValue::Int(result)), false),
    }
    ctx.changed(key, NotifyFlags::STRING, "incrby");
    crate::commands::generic::object::refcount::replaced(ctx, key);
    ctx.out.int(result);
}

/// Parses the increment argument of INCRBY/DECRBY.
pub fn parse_delta(ctx: &mut Ctx<'_>, raw: &[u8]) -> Option<i64> {
    let delta = parse_i64(raw);
    if delta.is_none() {
        ctx.out.error(NOT_INTEGER);
    }
    delta
}
