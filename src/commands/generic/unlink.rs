//! UNLINK: Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking..

use super::del::delete_keys;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// UNLINK.
pub const SPEC: CommandSpec = CommandSpec {
    name: "unlink",
    arity: -2,
    flags: Flags::WRITE.union(Flags::FAST),
    acl: Acl::KEYSPACE,
    keys: &[KeySpec {
        flags: KeyFlags::RM.union(KeyFlags::DELETE),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Generic,
    since: "4.0.0",
    summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
    complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    args: &[Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    delete_keys(ctx, &argv[1..], true);
}
