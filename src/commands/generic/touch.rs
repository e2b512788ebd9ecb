//! TOUCH: Alters the last access time of a key(s). Returns the number of existing keys specified..

use super::exists::count_existing;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::state::Ctx;

/// TOUCH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "touch",
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
    since: "3.2.1",
    summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.",
    complexity: "O(N) where N is the number of keys that will be touched.",
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    args: &[Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    count_existing(ctx, &argv[1..], Access::Read);
}
