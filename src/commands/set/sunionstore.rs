//! SUNIONSTORE: Add multiple sets and store the resulting set in a key.

use super::common::{read_sets, store, union};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;

/// SUNIONSTORE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sunionstore",
    arity: -3,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::SET,
    keys: &[
        KeySpec {
            flags: KeyFlags::OW.union(KeyFlags::UPDATE),
            begin: BeginSearch::Index(1),
            find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
            notes: None,
        },
        KeySpec {
            flags: KeyFlags::RO.union(KeyFlags::ACCESS),
            begin: BeginSearch::Index(2),
            find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
            notes: None,
        },
    ],
    group: Group::Set,
    summary: "Add multiple sets and store the resulting set in a key",
    complexity: "O(N) where N is the total number of elements in all given sets.",
    args: &[
        Arg { name: "destination", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "key", kind: ArgKind::Key(1), multiple: true, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let max = ctx.server.config.set_max_intset_entries;
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Ok(sets) = read_sets(db, ctx.out, &argv[2..]) else { return };
    let result = union(&sets, max);
    store(ctx, argv[1], result);
}
