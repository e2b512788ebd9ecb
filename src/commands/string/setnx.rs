//! SETNX: Set the value of a key, only if the key does not exist.

use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{StringValue, Value, now_ms};
use crate::state::Ctx;

/// SETNX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "setnx",
    arity: 3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::OW.union(KeyFlags::INSERT))],
    group: Group::String,
    summary: "Set the value of a key, only if the key does not exist",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "value", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if db.contains(argv[1], now) {
        return ctx.out.int(0);
    }
    db.insert(argv[1], Value::String(StringValue::from_bytes(argv[2])), false);
    ctx.changed(argv[1], NotifyFlags::STRING, "set");
    crate::commands::generic::object::refcount::stored_from_argv(ctx, argv[1], argv[2]);
    ctx.out.int(1);
}
