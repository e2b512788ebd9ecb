//! HINCRBYFLOAT: Increment the float value of a hash field by the given amount.
//!
//! Computed in 80-bit extended precision like Redis (see [`crate::types::long_double`]).

use super::common::{changed, hash_for_write, limits};
use crate::commands::errors::NOT_FLOAT;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::now_ms;
use crate::state::Ctx;
use crate::types::long_double::LongDouble;

/// HINCRBYFLOAT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hincrbyfloat",
    arity: 4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::Hash,
    since: "2.6.0",
    summary: "Increment the float value of a hash field by the given amount",
    complexity: "O(1)",
    args: &[
        Arg::key(0),
        Arg { name: "field", ..Arg::DEFAULT },
        Arg { name: "increment", kind: ArgKind::Double, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(increment) = LongDouble::parse(argv[3]) else { return ctx.out.error(NOT_FLOAT) };
    if !increment.is_finite() {
        return ctx.out.error("ERR value is NaN or Infinity");
    }
    let now = now_ms();
    let limits = limits(&ctx.server.config);
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = hash_for_write(db, ctx.out, argv[1], now) else { return };
    let current = match hash.get(argv[2]) {
        None => Some(LongDouble::from_i64(0)),
        Some(value) => LongDouble::parse(&value),
    };
    let Some(current) = current else { return ctx.out.error("ERR hash value is not a float") };
    let Some(text) = (current + increment).to_human_string() else {
        return ctx.out.error("ERR increment would produce NaN or Infinity");
    };
    hash.set(argv[2], text.as_bytes(), limits);
    ctx.out.bulk(text.as_bytes());
    changed(ctx, argv[1], "hincrbyfloat", 1);
    // Replicas and AOF replays set the computed value rather than redo the arithmetic, so
    // float formatting can never make them differ (Redis rewrites the command the same way).
    ctx.propagate_as(&[b"HSET", argv[1], argv[2], text.as_bytes()]);
}
