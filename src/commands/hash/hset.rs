//! HSET: Set the string value of a hash field.

use super::common::{changed, hash_for_write, limits, wrong_arity};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::now_ms;
use crate::protocol::Reply;
use crate::state::Ctx;

/// HSET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "hset",
    arity: -4,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::HASH,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE))],
    group: Group::Hash,
    since: "2.0.0",
    summary: "Set the string value of a hash field",
    complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
    history: &[("4.0.0", "Accepts multiple `field` and `value` arguments.")],
    args: &[
        Arg::key(0),
        Arg {
            name: "field_value",
            kind: ArgKind::Block(&[Arg { name: "field", ..Arg::DEFAULT }, Arg { name: "value", ..Arg::DEFAULT }]),
            multiple: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};
fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    set_pairs(ctx, argv, "hset", |out, added| out.int(added as i64));
}

/// Sets every field/value pair after the key (HSET and HMSET); `reply` gets the number of new
/// fields.
pub fn set_pairs(ctx: &mut Ctx<'_>, argv: &[&[u8]], command: &str, reply: fn(&mut Reply, usize)) {
    if argv.len() % 2 != 0 {
        return wrong_arity(ctx.out, command);
    }
    let limits = limits(&ctx.server.config);
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(hash) = hash_for_write(db, ctx.out, argv[1], now_ms()) else { return };
    let added = argv[2..].chunks_exact(2).filter(|pair| hash.set(pair[0], pair[1], limits)).count();
    reply(ctx.out, added);
    // HMSET fires `hset` too; every pair counts as a change, new or not.
    changed(ctx, argv[1], "hset", argv.len() / 2 - 1);
}
