//! GETRANGE: Get a substring of the string stored at a key.

use super::common::lookup_string;
use crate::commands::errors::NOT_INTEGER;
use crate::commands::{Acl, Arg, ArgKind, CommandSpec, Flags, Group, KeyFlags, KeySpec};
use crate::keyspace::Access;
use crate::keyspace::now_ms;
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// GETRANGE.
pub const SPEC: CommandSpec = CommandSpec {
    name: "getrange",
    arity: 4,
    flags: Flags::READONLY,
    acl: Acl::STRING,
    keys: &[KeySpec::single(KeyFlags::RO.union(KeyFlags::ACCESS))],
    group: Group::String,
    since: "2.4.0",
    summary: "Get a substring of the string stored at a key",
    complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
    args: &[
        Arg::key(0),
        Arg { name: "start", kind: ArgKind::Integer, ..Arg::DEFAULT },
        Arg { name: "end", kind: ArgKind::Integer, ..Arg::DEFAULT },
    ],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    get_range(ctx, argv);
}

/// GETRANGE and SUBSTR: the bytes between two inclusive indexes (negative from the end).
pub fn get_range(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (Some(start), Some(end)) = (parse_i64(argv[2]), parse_i64(argv[3])) else {
        return ctx.out.error(NOT_INTEGER);
    };
    let now = now_ms();
    let db = &mut ctx.server.dbs[ctx.client.db];
    let value = match lookup_string(db, ctx.out, argv[1], now, Access::Read) {
        Err(_) => return,
        Ok(None) => return ctx.out.bulk(b""),
        Ok(Some(v)) => v,
    };
    let mut scratch = [0u8; 20];
    let bytes = value.as_bytes(&mut scratch);
    match clamp_range(start, end, bytes.len()) {
        Some(range) => ctx.out.bulk(&bytes[range]),
        None => ctx.out.bulk(b""),
    }
}

/// Redis's GETRANGE index arithmetic; `None` for an empty result.
fn clamp_range(start: i64, end: i64, len: usize) -> Option<std::ops::Range<usize>> {
    let len = len as i64;
    if (start < 0 && end < 0 && start > end) || len == 0 {
        return None;
    }
    let start = if start < 0 { (len + start).max(0) } else { start };
    let end = if end < 0 { (len + end).max(0) } else { end.min(len - 1) };
    if start > end {
        return None;
    }
    Some(start as usize..end as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::clamp_range;

    #[test]
    fn index_arithmetic() {
        assert_eq!(clamp_range(0, -1, 5), Some(0..5));
        assert_eq!(clamp_range(1, -1, 5), Some(1..5));
        assert_eq!(clamp_range(-100, -50, 5), Some(0..1));
        assert_eq!(clamp_range(-3, -50, 5), None);
        assert_eq!(clamp_range(-100, 2, 5), Some(0..3));
        assert_eq!(clamp_range(3, 1, 5), None);
        assert_eq!(clamp_range(2, 100, 5), Some(2..5));
        assert_eq!(clamp_range(10, 20, 5), None);
        assert_eq!(clamp_range(0, 0, 0), None);
        assert_eq!(clamp_range(i64::MIN, i64::MAX, 5), Some(0..5));
    }
}
