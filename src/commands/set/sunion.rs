//! SUNION: Add multiple sets.

use super::common::{read_sets, reply_set, union};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// SUNION.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sunion",
    arity: -2,
    flags: Flags::READONLY,
    acl: Acl::SET,
    keys: &[KeySpec {
        flags: KeyFlags::RO.union(KeyFlags::ACCESS),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Set,
    summary: "Add multiple sets",
    complexity: "O(N) where N is the total number of elements in all given sets.",
    tips: &["nondeterministic_output_order"],
    args: &[Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let max = ctx.server.config.set_max_intset_entries;
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(sets) = read_sets(db, ctx.out, &argv[1..]) {
        reply_set(ctx.out, &union(&sets, max).members());
    }
}
