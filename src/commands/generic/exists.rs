//! EXISTS: Determine if a key exists.

use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::{Access, now_ms};
use crate::state::Ctx;

/// EXISTS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "exists",
    arity: -2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec {
        flags: KeyFlags::RO,
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Generic,
    summary: "Determine if a key exists",
    complexity: "O(N) where N is the number of keys to check.",
    history: &[("3.0.3", "Accepts multiple `key` arguments.")],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    args: &[Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    count_existing(ctx, &argv[1..], Access::Peek);
}

/// EXISTS (which leaves access clocks alone, `access` [`Access::Peek`]) and TOUCH (which stamps
/// them, [`Access::Read`]): replies how many of the keys exist (repeats count again).
pub fn count_existing(ctx: &mut Ctx<'_>, keys: &[&[u8]], access: Access) {
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let count = keys.iter().filter(|key| db.contains_read(key, now, access)).count();
    ctx.out.int(count as i64);
}
