//! HINCRBY: Increment the integer value of a hash field by the given number.

use super::common::{changed, hash_for_write, limits};
use crate::commands::errors::{NOT_INTEGER, OVERFLOW};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::now_ms;
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// HINCRBY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hincrby",
    arity: 4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Increment the integer value of a hash field by the given number",
    complexity: "O(1)",
    args: &[
        Arg::key(0),
        Arg { name: "field", ..Arg::DEFAULT },
        Arg { name: "increment", kind: ArgKind::Integer, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(increment) = parse_i64(argv[3]) else { return ctx.out.error(NOT_INTEGER) };
    let now = now_ms();
    let limits = limits(&ctx.server.config);
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = hash_for_write(db, ctx.out, argv[1], now) else { return };
    let current = match hash.get(argv[2]) {
        None => 0,
        Some(value) => match parse_i64(&value) {
            Some(n) => n,
            None => return ctx.out.error("ERR hash value is not an integer"),
        },
    };
    let Some(result) = current.checked_add(increment) else { return ctx.out.error(OVERFLOW) };
    hash.set(argv[2], result.to_string().as_bytes(), limits);
    ctx.out.int(result);
    changed(ctx, argv[1], "hincrby", 1);
}
