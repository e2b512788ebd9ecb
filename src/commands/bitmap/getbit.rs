//! GETBIT: Returns the bit value at offset in the string value stored at key.

use super::common::{BAD_OFFSET, parse_offset, with_bytes};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::bits::get_bit;

/// GETBIT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "getbit",
    arity: 3,
    flags: Flags::READONLY.union(Flags::FAST),
    acl: Acl::BITMAP,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Bitmap,
    since: "2.2.0",
    summary: "Returns the bit value at offset in the string value stored at key",
    complexity: "O(1)",
    args: &[Arg::key(0), Arg { name: "offset", kind: ArgKind::Integer, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(offset) = parse_offset(&ctx.server.config, argv[2], None) else {
        return ctx.out.error(BAD_OFFSET);
    };
    if let Ok(bit) = with_bytes(ctx, argv[1], |bytes| bytes.is_some_and(|b| get_bit(b, offset))) {
        ctx.out.int(i64::from(bit));
    }
}
