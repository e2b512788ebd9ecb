//! KEYS: Find all keys matching the given pattern.

use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group};
use crate::keyspace::now_ms;
use crate::protocol::Aggregate;
use crate::state::Ctx;
use crate::types::glob;

/// KEYS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "keys",
    arity: 2,
    flags: Flags::READONLY,
    acl: Acl::KEYSPACE.union(Acl::DANGEROUS),
    group: Group::Generic,
    summary: "Find all keys matching the given pattern",
    complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
    tips: &["request_policy:all_shards", "nondeterministic_output_order"],
    args: &[Arg { name: "pattern", kind: ArgKind::Pattern, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let pattern = argv[1];
    let match_all = pattern == b"*";
    let now = now_ms();
    let db = &ctx.server.dbs[ctx.client.db];
    let deferred = ctx.out.begin_deferred(Aggregate::Array);
    let mut count = 0;
    for (key, _) in db.iter() {
        // Expired keys not yet collected are skipped, as Redis does.
        if (match_all || glob::matches(pattern, key.as_bytes())) && !db.is_expired(key.as_bytes(), now) {
            ctx.out.bulk(key.as_bytes());
            count += 1;
        }
    }
    ctx.out.end_deferred(deferred, count);
}
