//! MSET: Set multiple keys to multiple values.

use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::{StringValue, Value};
use crate::state::Ctx;

/// MSET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "mset",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::STRING,
    keys: &[KeySpec {
        flags: KeyFlags::OW.union(KeyFlags::UPDATE),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: -1, step: 2, limit: 0 },
        notes: None,
    }],
    group: Group::String,
    since: "1.0.1",
    summary: "Set multiple keys to multiple values",
    complexity: "O(N) where N is the number of keys to set.",
    tips: &["request_policy:multi_shard", "response_policy:all_succeeded"],
    args: &[Arg {
        name: "key_value",
        kind: ArgKind::Block(&[Arg::key(0), Arg { name: "value", ..Arg::DEFAULT }]),
        multiple: true,
        ..Arg::DEFAULT
    }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if argv.len() % 2 == 0 {
        return ctx.out.error("ERR wrong number of arguments for 'mset' command");
    }
    store_pairs(ctx, &argv[1..]);
    ctx.out.ok();
}

/// Stores every key/value pair of MSET and MSETNX, clearing TTLs.
pub fn store_pairs(ctx: &mut Ctx<'_>, pairs: &[&[u8]]) {
    for pair in pairs.chunks_exact(2) {
        ctx.db().insert(pair[0], Value::String(StringValue::from_bytes(pair[1])), false);
        ctx.changed(pair[0], NotifyFlags::STRING, "set");
        crate::commands::generic::object::refcount::stored_from_argv(ctx, pair[0], pair[1]);
    }
}
