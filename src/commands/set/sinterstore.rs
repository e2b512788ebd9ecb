//! SINTERSTORE: Intersect multiple sets and store the resulting set in a key.

use super::common::{STORE_ARGS, build_set, intersection, read_sets, store};
use crate::commands::{Acl, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// SINTERSTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sinterstore",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::SET,
    keys: &[
        KeySpec::single(KeyFlags::RW.union(KeyFlags::UPDATE)),
        KeySpec {
            flags: KeyFlags::RO.union(KeyFlags::ACCESS),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Set,
    summary: "Intersect multiple sets and store the resulting set in a key",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
    args: STORE_ARGS,
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let max = ctx.server.config.set_max_intset_entries;
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(sets) = read_sets(db, ctx.out, &argv[2..]) else { return };
    let result = build_set(intersection(&sets, None), max);
    store(ctx, argv[1], result, "sinterstore");
}
