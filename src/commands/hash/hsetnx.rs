//! HSETNX: Set the value of a hash field, only if the field does not exist.

use super::common::{changed, hash_for_write, limits};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// HSETNX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hsetnx",
    arity: 4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::INSERT))],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Set the value of a hash field, only if the field does not exist",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "field", ..Arg::DEFAULT }, Arg { name: "value", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let limits = limits(&ctx.server.config);
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = hash_for_write(db, ctx.out, argv[1], now) else { return };
    if hash.get(argv[2]).is_some() {
        return ctx.out.int(0);
    }
    hash.set(argv[2], argv[3], limits);
    ctx.out.int(1);
    changed(ctx, argv[1], "hset", 1);
}
