//! APPEND: Append a value to a key.

use super::common::{check_size, lookup_string};
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, StringValue, Value, now_ms};
use crate::state::Ctx;

/// APPEND.
pub const SPEC: CommandSpec = CommandSpec {
    name: "append",
    arity: 3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::INSERT))],
    group: Group::String,
    since: "2.0.0",
    summary: "Append a value to a key",
    complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
    args: &[Arg::key(0), Arg { name: "value", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let len = match lookup_string(db, ctx.out, argv[1], now, Access::Write) {
        Err(_) => return,
        Ok(None) => {
            db.insert(argv[1], Value::String(StringValue::from_bytes(argv[2])), false);
            crate::commands::generic::object::refcount::stored_from_argv(ctx, argv[1], argv[2]);
            argv[2].len()
        }
        Ok(Some(value)) => {
            let total = value.len() as u64 + argv[2].len() as u64;
            if check_size(&ctx.server.config, ctx.out, total).is_err() {
                return;
            }
            value.edit_raw(|bytes| {
                bytes.extend_from_slice(argv[2]);
                bytes.len()
            })
        }
    };
    ctx.changed(argv[1], NotifyFlags::STRING, "append");
    ctx.out.int(len as i64);
}
