//! BITCOUNT: Count set bits in a string.

use super::common::{INDEX_UNIT, parse_unit, with_bytes};
use crate::commands::errors::{NOT_INTEGER, SYNTAX};
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::state::Ctx;
use crate::types::bits::{Unit, bit_range, count_bits};
use crate::types::number::parse_i64;

/// BITCOUNT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "bitcount",
    arity: -2,
    flags: Flags::READONLY,
    acl: Acl::BITMAP,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::Bitmap,
    since: "2.6.0",
    summary: "Count set bits in a string",
    complexity: "O(N)",
    history: &[("7.0.0", "Added the `BYTE|BIT` option.")],
    args: &[
        Arg::key(0),
        Arg {
            name: "index",
            kind: ArgKind::Block(&[
                Arg { name: "start", kind: ArgKind::Integer, ..Arg::DEFAULT },
                Arg { name: "end", kind: ArgKind::Integer, ..Arg::DEFAULT },
                INDEX_UNIT,
            ]),
            optional: true,
            ..Arg::DEFAULT
        },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Ok(reply) = with_bytes(ctx, argv[1], |bytes| bytes.map_or(Ok(0), |b| count(argv, b))) else { return };
    match reply {
        Ok(n) => ctx.out.int(n as i64),
        Err(e) => ctx.out.error(e),
    }
}

/// The count over the range `argv` gives, in Redis's order of checks.
fn count(argv: &[&[u8]], bytes: &[u8]) -> Result<u64, &'static str> {
    let (start, end, unit) = match argv.len() {
        2 => (0, -1, Unit::Byte),
        4 | 5 => {
            let start = parse_i64(argv[2]).ok_or(NOT_INTEGER)?;
            let end = parse_i64(argv[3]).ok_or(NOT_INTEGER)?;
            if start < 0 && end < 0 && start > end {
                return Ok(0);
            }
            let unit = match argv.get(4) {
                Some(raw) => parse_unit(raw)?,
                None => Unit::Byte,
            };
            (start, end, unit)
        }
        _ => return Err(SYNTAX),
    };
    Ok(bit_range(start, end, unit, bytes.len()).map_or(0, |(first, last)| count_bits(bytes, first, last)))
}
