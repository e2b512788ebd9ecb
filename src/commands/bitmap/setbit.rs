//! SETBIT: Sets or clears the bit at offset in the string value stored at key.

use super::common::{BAD_OFFSET, parse_offset, with_bits_for_write};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::config::NotifyFlags;
use crate::state::Ctx;
use crate::types::bits::set_bit;
use crate::types::number::parse_i64;

/// SETBIT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "setbit",
    arity: 4,
    flags: Flags::WRITE.union(Flags::DENYOOM),
    acl: Acl::BITMAP,
    keys: &[KeySpec::single(KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE))],
    group: Group::Bitmap,
    since: "2.2.0",
    summary: "Sets or clears the bit at offset in the string value stored at key",
    complexity: "O(1)",
    args: &[
        Arg::key(0),
        Arg { name: "offset", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "value", kind: ArgKind::Integer, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(offset) = parse_offset(&ctx.server.config, argv[2], None) else {
        return ctx.out.error(BAD_OFFSET);
    };
    let on = match parse_i64(argv[3]) {
        Some(0) => false,
        Some(1) => true,
        _ => return ctx.out.error("ERR bit is not an integer or out of range"),
    };
    let Ok((old, grown)) =
        with_bits_for_write(ctx, argv[1], offset, |bytes, grown| (set_bit(bytes, offset, on), grown))
    else {
        return;
    };
    if grown || old != on {
        ctx.changed(argv[1], NotifyFlags::STRING, "setbit");
    }
    ctx.out.int(i64::from(old));
}
