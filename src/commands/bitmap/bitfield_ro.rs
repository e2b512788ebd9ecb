//! BITFIELD_RO: Perform arbitrary bitfield integer operations on strings. Read-only variant of
//! BITFIELD.

use super::bitfield::{ENCODING_OFFSET, bitfield};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;

/// BITFIELD_RO.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bitfield_ro",
    arity: -2,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::BITMAP,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Bitmap,
    since: "6.0.0",
    summary: "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
    complexity: "O(1) for each subcommand specified",
    args: &[
        Arg::key(0),
        Arg {
            name: "encoding_offset",
            kind: ArgKind::Block(ENCODING_OFFSET),
            token: Some("GET"),
            optional: true,
            multiple: true,
            multiple_token: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    bitfield(ctx, argv, true);
}
