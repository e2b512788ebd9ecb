//! MSETNX: Set multiple keys to multiple values, only if none of the keys exist.

use super::mset::store_pairs;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// MSETNX.
pub const SPEC: CommandSpec = CommandSpec {
    name: "msetnx",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::STRING,
    keys: &[KeySpec {
        flags: KeyFlags::OW.union(KeyFlags::INSERT),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: -1, step: 2, limit: 0 },
        notes: None,
    }],
    group: Group::String,
    since: "1.0.1",
    summary: "Set multiple keys to multiple values, only if none of the keys exist",
    complexity: "O(N) where N is the number of keys to set.",
    tips: &["request_policy:multi_shard", "response_policy:agg_min"],
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
        return ctx.out.error("ERR wrong number of arguments for 'msetnx' command");
    }
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    if argv[1..].chunks_exact(2).any(|pair| db.contains(pair[0], now)) {
        return ctx.out.int(0);
    }
    store_pairs(ctx, &argv[1..]);
    ctx.out.int(1);
}
