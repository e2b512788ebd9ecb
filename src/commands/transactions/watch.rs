//! WATCH: make the next EXEC conditional on keys staying unchanged.

use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// WATCH.
pub const SPEC: CommandSpec = CommandSpec {
    name: "watch",
    arity: -2,
    flags: Flags::NOSCRIPT.union(Flags::LOADING).union(Flags::STALE).union(Flags::FAST).union(Flags::ALLOW_BUSY),
    acl: Acl::TRANSACTION,
    keys: &[KeySpec {
        flags: KeyFlags::RO,
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: -1, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::Transactions,
    since: "2.2.0",
    summary: "Watch the given keys to determine execution of the MULTI/EXEC block",
    complexity: "O(1) for every key.",
    args: &[Arg { name: "key", kind: ArgKind::Key(0), multiple: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    ctx.watch_keys(&argv[1..]);
}
