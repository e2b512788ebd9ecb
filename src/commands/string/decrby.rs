//! DECRBY: Decrement the integer value of a key by the given number.

use super::incr::{incr_by, parse_delta};
use crate::commands::{Acl, Arg, ArgKind, BeginSearch, CommandSpec, FindKeys, Flags, Group, KeyFlags, KeySpec};
use crate::executor::Ctx;

/// DECRBY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "decrby",
    arity: 3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec {
        flags: KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE),
        begin: BeginSearch::Index(1),
        find: FindKeys::Range { last_key: 0, step: 1, limit: 0 },
        notes: None,
    }],
    group: Group::String,
    summary: "Decrement the integer value of a key by the given number",
    complexity: "O(1)",
    args: &[
        Arg { name: "key", kind: ArgKind::Key(0), ..Arg::DEFAULT },
        Arg { name: "decrement", kind: ArgKind::Integer, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(delta) = parse_delta(ctx, argv[2]) else { return };
    match delta.checked_neg() {
        Some(negated) => incr_by(ctx, argv[1], negated),
        None => ctx.out.error("ERR decrement would overflow"),
    }
}
