//! MGET: Get the values of all the given keys.

use super::common::reply_optional;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// MGET.
pub const SPEC: CommandSpec = CommandSpec {
    name: "mget",
    arity: -2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::String,
    summary: "Get the values of all the given keys",
    complexity: "O(N) where N is the number of keys to retrieve.",
    tips: &["request_policy:multi_shard"],
    args: &[Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    ctx.out.array(argv.len() - 1);
    for key in &argv[1..] {
        let value = db.lookup_for(key, now, Access::Read).and_then(|e| e.value.as_string());
        reply_optional(ctx.out, value);
    }
}
