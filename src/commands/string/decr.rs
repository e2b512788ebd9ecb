//! DECR: Decrement the integer value of a key by one.

use super::incr::incr_by;
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;

/// DECR.
pub const SPEC: CommandSpec = CommandSpec {
    name: "decr",
    arity: 2,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::String,
    summary: "Decrement the integer value of a key by one",
    complexity: "O(1)",
    args: &[Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    incr_by(ctx, argv[1], -1);
}
