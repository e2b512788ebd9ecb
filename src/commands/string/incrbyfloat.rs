//! INCRBYFLOAT: Increment the float value of a key by the given amount.
//!
//! Computed in 80-bit extended precision like Redis (see [`crate::types::long_double`]).

use super::common::{lookup_string, reply_string};
use crate::commands::errors::NOT_FLOAT;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, StringValue, Value, now_ms};
use crate::state::Ctx;
use crate::types::long_double::LongDouble;
use crate::types::small_bytes::SmallBytes;

/// INCRBYFLOAT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "incrbyfloat",
    arity: 3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::String,
    since: "2.6.0",
    summary: "Increment the float value of a key by the given amount",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "increment", kind: ArgKind::Double, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let current = match lookup_string(db, ctx.out, argv[1], now, Access::Write) {
        Err(_) => return,
        Ok(None) => Some(LongDouble::from_i64(0)),
        Ok(Some(StringValue::Int(n))) => Some(LongDouble::from_i64(*n)),
        Ok(Some(value)) => {
            let mut scratch = [0u8; 20];
            LongDouble::parse(value.as_bytes(&mut scratch))
        }
    };
    let (Some(current), Some(increment)) = (current, LongDouble::parse(argv[2])) else {
        return ctx.out.error(NOT_FLOAT);
    };
    let Some(text) = (current + increment).to_human_string() else {
        return ctx.out.error("ERR increment would produce NaN or Infinity");
    };
    // Stored as a plain string, never int-encoded, as Redis does.
    let result = StringValue::Plain(SmallBytes::new(text.as_bytes()));
    reply_string(ctx.out, &result);
    match db.lookup(argv[1], now).and_then(|e| e.value.as_string_mut()) {
        Some(value) => *value = result,
        None => db.insert(argv[1], Value::String(result), false),
    }
    ctx.changed(argv[1], NotifyFlags::STRING, "incrbyfloat");
    // Propagated as `SET key <result> KEEPTTL`: float formatting must not differ on replay.
    if ctx.server.propagation.is_enabled() {
        ctx.propagate_as(&[b"SET", argv[1], text.as_bytes(), b"KEEPTTL"]);
    }
    // Redis rewrites its argument to the result (for propagation), so the queue holds it.
    crate::commands::generic::object::refcount::stored_float_result(ctx, argv[1], text.as_bytes());
}
