//! SINTER: Intersect multiple sets.

use super::common::{intersection, read_sets, reply_set};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// SINTER.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sinter",
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
    summary: "Intersect multiple sets",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
    tips: &["nondeterministic_output_order"],
    args: &[Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    if let Ok(sets) = read_sets(db, ctx.out, &argv[1..]) {
        reply_set(ctx.out, &intersection(&sets, None));
    }
}
