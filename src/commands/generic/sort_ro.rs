//! SORT_RO: the read-only variant of SORT (no STORE).

use super::sort::{ALPHA, BY, COMPLEXITY, GET, KEY, LIMIT, ORDER, PATTERN_KEYS, SORTED_KEY, sort, sort_ro_keys};
use crate::commands::{Acl, CommandSpec, Flags, Group};
use crate::state::Ctx;

/// SORT_RO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "sort_ro",
    arity: -2,
    flags: Flags::READONLY.union(Flags::MOVABLE_KEYS),
    acl: Acl::SET.union(Acl::SORTEDSET).union(Acl::LIST).union(Acl::DANGEROUS),
    keys: &[SORTED_KEY, PATTERN_KEYS],
    group: Group::Generic,
    since: "7.0.0",
    summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
    complexity: COMPLEXITY,
    args: &[KEY, BY, LIMIT, GET, ORDER, ALPHA],
    handler: run,
    getkeys: Some(sort_ro_keys),
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    sort(ctx, argv, true);
}
