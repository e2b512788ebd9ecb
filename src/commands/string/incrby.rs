//! INCRBY: Increment the integer value of a key by the given amount.

use super::incr::{incr_by, parse_delta};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// INCRBY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "incrby",
    arity: 3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::String,
    summary: "Increment the integer value of a key by the given amount",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "increment", kind: ArgKind::Integer, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    if let Some(delta) = parse_delta(ctx, argv[2]) {
        incr_by(ctx, argv[1], delta);
    }
}
