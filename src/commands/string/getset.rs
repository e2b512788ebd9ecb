//! GETSET: Set the string value of a key and return its old value.

use super::common::{lookup_string, reply_optional};
use crate::commands::{Acl, Arg, CommandSpec, DocFlags, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{Access, StringValue, Value, now_ms};
use crate::state::Ctx;

/// GETSET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "getset",
    arity: 3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::String,
    summary: "Set the string value of a key and return its old value",
    complexity: "O(1)",
    doc_flags: DocFlags { deprecated: true, syscmd: false },
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`SET` with the `!GET` argument"),
    args: &[Arg::key(0), Arg { name: "value", ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(old) = lookup_string(db, ctx.out, argv[1], now, Access::Read) else { return };
    reply_optional(ctx.out, old.as_deref());
    db.insert(argv[1], Value::String(StringValue::from_bytes(argv[2])), false);
    ctx.changed(argv[1], NotifyFlags::STRING, "set");
    // Propagated as SET: the replica has no one to answer with the old value.
    ctx.propagate_as(&[b"SET", argv[1], argv[2]]);
    crate::commands::generic::object::refcount::stored_from_argv(ctx, argv[1], argv[2]);
}
