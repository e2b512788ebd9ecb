//! DEL: Delete a key.

use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::keyspace::now_ms;
use crate::state::Ctx;

/// DEL.
pub const SPEC: CommandSpec = CommandSpec {
    name: "del",
    arity: -2,
    flags: Flags::WRITE,
    acl: Acl::KEYSPACE,
    keys: &[KeySpec {
        flags: KeyFlags::RM.union(KeyFlags::DELETE),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Generic,
    summary: "Delete a key",
    complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    args: &[Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let lazy = ctx.server.config.get_value("lazyfree-lazy-user-del") == Some(b"yes");
    delete_keys(ctx, &argv[1..], lazy);
}

/// DEL and UNLINK: removes each live key and replies how many were removed. With `lazy`
/// (UNLINK, or DEL under `lazyfree-lazy-user-del`) big values are freed on the lazyfree thread.
pub fn delete_keys(ctx: &mut Ctx<'_>, keys: &[&[u8]], lazy: bool) {
    let now = now_ms();
    let mut removed = 0;
    for key in keys {
        let db = ctx.db();
        if !db.contains(key, now) {
            continue;
        }
        if let Some(value) = db.remove(key) {
            if lazy {
                ctx.server.lazyfree.free_value(value);
            }
            ctx.changed(key, NotifyFlags::GENERIC, "del");
            removed += 1;
        }
    }
    ctx.out.int(removed as i64);
}
