//! DECR: Decrement the integer value of a key by one.

use super::incr::incr_by;
use crate::commands::{Acl, Arg, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// DECR.
pub const SPEC: CommandSpec = CommandSpec {
    name: "decr",
    arity: 2,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::String,
    summary: "Decrement the integer value of a key by one",
    complexity: "O(1)",
    args: &[Arg::key(0)],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    incr_by(ctx, argv[1], -1);
}
