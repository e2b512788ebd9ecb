//! BITPOS: Find first bit set or clear in a string.

use super::common::{INDEX_UNIT, parse_unit, with_bytes};
use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::bits::{Unit, bit_range, find_bit};
use crate::types::number::parse_i64;

/// BITPOS.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bitpos",
    arity: -3,
    flags: Flags::READONLY,
    acl: Acl::BITMAP,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Bitmap,
    since: "2.8.7",
    summary: "Find first bit set or clear in a string",
    complexity: "O(N)",
    history: &[("7.0.0", "Added the `BYTE|BIT` option.")],
    args: &[
        Arg::key(0),
        Arg { name: "bit", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg {
            name: "index",
            kind: ArgKind::Block(&[
                Arg { name: "start", kind: ArgKind::Integer, ..Arg::DEFAULT },
                Arg {
                    name: "end_index",
                    kind: ArgKind::Block(&[Arg { name: "end", kind: ArgKind::Integer, ..Arg::DEFAULT }, INDEX_UNIT]),
                    optional: true,
                    ..Arg::DEFAULT
                },
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let bit = match parse_i64(argv[2]) {
        None => return ctx.out.error(NOT_INTEGER),
        Some(b @ (0 | 1)) => b == 1,
        Some(_) => return ctx.out.error("ERR The bit argument must be 1 or 0."),
    };
    let Ok(found) = with_bytes(ctx, argv[1], |bytes| bytes.map(|b| position(argv, b, bit))) else { return };
    match found {
        None => ctx.out.int(if bit { -1 } else { 0 }),
        Some(Ok(pos)) => ctx.out.int(pos),
        Some(Err(e)) => ctx.out.error(e),
    }
}

/// The first `bit` in the range `argv` gives, -1 when there is none. Past the end a string
/// reads as zero bits, so a clear bit is found right after the string unless the range has an
/// explicit end.
fn position(argv: &[&[u8]], bytes: &[u8], bit: bool) -> Result<i64, &'static str> {
    let (start, end, unit) = match argv.len() {
        3 => (0, -1, Unit::Byte),
        4..=6 => {
            let start = parse_i64(argv[3]).ok_or(NOT_INTEGER)?;
            let unit = match argv.get(5) {
                Some(raw) => parse_unit(raw)?,
                None => Unit::Byte,
            };
            let end = match argv.get(4) {
                Some(raw) => parse_i64(raw).ok_or(NOT_INTEGER)?,
                None => -1,
            };
            (start, end, unit)
        }
        _ => return Err(SYNTAX),
    };
    let Some((first, last)) = bit_range(start, end, unit, bytes.len()) else { return Ok(-1) };
    Ok(match find_bit(bytes, bit, first, last) {
        Some(pos) => pos as i64,
        None if bit || argv.len() >= 5 => -1,
        None => last as i64 + 1,
    })
}
