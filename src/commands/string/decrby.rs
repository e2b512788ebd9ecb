//! DECRBY: Decrement the integer value of a key by the given number.

use super::incr::{incr_by, parse_delta};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// DECRBY.
pub const SPEC: CommandSpec = CommandSpec {
    name: "decrby",
    arity: 3,
    flags: Flags::WRITE.union(Flags::DENYOOM).union(Flags::FAST),
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::String,
    summary: "Decrement the integer value of a key by the given number",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "decrement", kind: ArgKind::Integer, ..Arg::DEFAULT }],
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
